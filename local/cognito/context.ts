import { CognitoError } from './errors.ts';
import type { PoolState } from './state.ts';

/** What every part of the pool shares: its names, its clock and its state. */
export interface PoolContext {
  region: string;
  /** Cognito's `region_id` form, e.g. us-east-1_LocalPool1. */
  userPoolId: string;
  clientId: string;
  /** The part of the pool id after `_`: SRP hashes it with the user id. */
  poolName: string;
  issuer: string;
  now: () => number;
  state: PoolState;
}

export function requireClient(context: PoolContext, id: string | undefined): void {
  if (id !== context.clientId)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${String(id)} does not exist.`);
}
