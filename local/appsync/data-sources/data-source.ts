/**
 * Data sources as AppSync runs them: the request object a handler returns goes in, and what
 * comes back becomes `ctx.result` (or `ctx.error`, which JS handlers must raise themselves:
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html).
 */
export interface DataSourceOutcome {
  result: unknown;
  error?: { message: string; type: string };
}

export type DataSource = (request: any) => Promise<DataSourceOutcome>;
