import type { DataSource } from './data-source.ts';

export type LambdaInvoker = (payload: unknown, invocationType: 'RequestResponse' | 'Event') => Promise<unknown>;

/** `{ operation: 'Invoke', payload, invocationType? }`; an Event invocation answers null at once. */
export function lambdaDataSource(invoke: LambdaInvoker): DataSource {
  return async (request) => {
    if (request?.operation !== 'Invoke') {
      return {
        result: null,
        error: {
          message: `Unsupported Lambda operation ${String(request?.operation)}`,
          type: 'Lambda:UnsupportedOperation',
        },
      };
    }
    const type = request.invocationType === 'Event' ? 'Event' : 'RequestResponse';
    try {
      const result = await invoke(request.payload ?? null, type);
      return { result: type === 'Event' ? null : (result ?? null) };
    } catch (error) {
      return {
        result: null,
        error: { message: (error as Error).message ?? 'Lambda invocation failed', type: 'Lambda:Unhandled' },
      };
    }
  };
}
