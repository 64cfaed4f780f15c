import type { ASTNode } from 'graphql';
import type { AppSyncError } from '../graphql.ts';

/** An AppSync request error: path, locations and message only (no errorType), as AppSync answers them. */
export const requestError = (message: string, locations: AppSyncError['locations']): AppSyncError => ({
  path: null,
  locations,
  message,
});

export const locationsOf = (nodes: readonly ASTNode[] | undefined): AppSyncError['locations'] => {
  const found = (nodes ?? []).map((n) => n.loc?.startToken).filter((t) => t !== undefined);
  return found.length ? found.map((t) => ({ line: t.line, column: t.column, sourceName: null })) : null;
};
