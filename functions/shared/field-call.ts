import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountExport, Budget, Expense, Mutation, Query, Receipt } from '../../generated/graphql.ts';
import type { Answer } from '../../model/answers.ts';
import type { BudgetObject } from '../../model/budgets.ts';
import type { ExpenseObject } from '../../model/expenses.ts';
import type { ErrorType, FieldAnswer, FieldCall } from '../../model/function-calls.ts';
import type { AccountExportResult } from '../../model/jobs.ts';
import type { ReceiptObject } from '../../model/receipts.ts';
import { MAX_MINOR_UNITS } from '../../model/money.ts';
import { MoneyOverflowError } from './money.ts';

/**
 * Lambda data sources: the field calls resolvers send (resolvers/lib/lambda.ts, typed in
 * model/function-calls.ts), dispatched to a typed implementation per field, and the answer
 * they expect. Business errors are values, so AppSync turns them into typed errors.
 */
export type { ErrorType, FieldAnswer, FieldCall } from '../../model/function-calls.ts';

/** The schema's object types whose fields a Lambda data source may resolve, by name. */
type ObjectTypes = {
  Query: Query;
  Mutation: Mutation;
  Receipt: Receipt;
  Expense: Expense;
  Budget: Budget;
  AccountExport: AccountExport;
};

/** The object a field of the type is resolved on: what that type's resolvers answer (null for Query and Mutation). */
type ParentObjects = {
  Query: null;
  Mutation: null;
  Receipt: ReceiptObject;
  Expense: ExpenseObject;
  Budget: BudgetObject;
  /** A finished export job's result (Job.accountExport). */
  AccountExport: AccountExportResult;
};

/** `Type.field` of every field of those types: a field renamed or removed in schema.graphql is no longer one. */
export type SchemaField = {
  [T in keyof ObjectTypes]: `${T}.${Exclude<keyof ObjectTypes[T], '__typename'> & string}`;
}[keyof ObjectTypes];

type TypeOf<F extends SchemaField> = F extends `${infer T extends keyof ObjectTypes}.${string}` ? T : never;
type NameOf<F extends SchemaField> = F extends `${string}.${infer N}` ? N : never;

/** The field's result type in schema.graphql, as a function answers it (objects with field resolvers in their *Object shape). */
export type SchemaResult<F extends SchemaField> = Answer<
  ObjectTypes[TypeOf<F>][NameOf<F> & keyof ObjectTypes[TypeOf<F>]]
>;

/** A field takes no arguments. */
export type NoArgs = Record<string, never>;

/**
 * The fields one Lambda data source serves, from `Type.field` → its arguments (the generated
 * `…Args` type, or NoArgs): each gets the parent object its type's resolvers answer and the
 * field's result type from the schema. A key that is not a field of the schema is a compile
 * error (its entry becomes `never`, which no implementation satisfies).
 */
export type ServedFields<ArgsByField> = {
  [F in keyof ArgsByField]: F extends SchemaField
    ? { args: ArgsByField[F]; source: ParentObjects[TypeOf<F>]; result: SchemaResult<F> }
    : never;
};

/**
 * Like ServedFields, for a Lambda that is a step of its fields' pipelines: it takes the field's
 * arguments and answers `Result`, what the pipeline goes on with, not the field's result.
 */
export type PipelineStepFields<ArgsByField, Result> = {
  [F in keyof ArgsByField]: F extends SchemaField
    ? { args: ArgsByField[F]; source: ParentObjects[TypeOf<F>]; result: Result }
    : never;
};

/** A field call as an implementation takes it: typed arguments and parent, and the caller (always signed in). */
export interface TypedFieldCall<Args, Source> {
  args: Args;
  source: Source;
  /** The caller's Cognito sub; every read and write is keyed on it. */
  owner: string;
}

/**
 * A Lambda's implementation of each field it serves: the field's typed arguments and parent in,
 * its typed result out. A field renamed, an argument renamed or retyped, or a result type
 * changed in schema.graphql is a compile error here.
 */
export type FieldHandlers<Fields> = {
  [F in keyof Fields]: Fields[F] extends { args: infer A; source: infer S; result: infer R }
    ? (call: TypedFieldCall<A, S>) => Promise<R> | R
    : never;
};

/** Thrown by cores for an error the caller can act on; mapped to a typed AppSync error. */
export class FieldError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
    readonly errorInfo: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FieldError';
  }
}

/**
 * Routes a field call to the implementation of its field. The caller must be signed in (every
 * field keys on the caller); a field this function does not serve is a wiring error (an
 * InternalError to the client, logged). AppSync checked the arguments against the schema, so
 * they are the generated type the implementation takes.
 */
export function fieldDispatcher<Fields>(
  functionName: string,
  handlers: FieldHandlers<Fields>,
): (call: FieldCall) => Promise<unknown> {
  return async (call) => {
    if (!call.sub) throw new FieldError('Unauthorized', 'A signed-in user is required');
    const field = `${call.typeName}.${call.fieldName}`;
    if (!Object.hasOwn(handlers, field)) throw new Error(`${functionName} does not resolve ${field}`);
    const handler = handlers[field as keyof Fields] as (call: TypedFieldCall<unknown, unknown>) => unknown;
    return handler({ args: call.arguments, source: call.source ?? null, owner: call.sub });
  };
}

/**
 * Run a field's implementation and shape its outcome for the resolver: FieldErrors become
 * typed errors; anything else is logged and becomes an InternalError with no internals.
 */
export async function answerFieldCall<T>(
  run: () => Promise<T>,
  logError: (message: string, error: unknown) => void,
): Promise<FieldAnswer<T>> {
  try {
    return { data: await run() };
  } catch (error) {
    if (error instanceof FieldError) {
      return { error: { errorType: error.errorType, message: error.message, errorInfo: error.errorInfo } };
    }
    // A sum past 2^53 − 1 minor units is refused rather than rounded.
    if (error instanceof MoneyOverflowError) {
      return { error: { errorType: 'LimitExceeded', message: error.message, errorInfo: { limit: MAX_MINOR_UNITS } } };
    }
    logError('field call failed', error);
    return { error: { errorType: 'InternalError', message: 'The request could not be completed' } };
  }
}

/**
 * A field call answered as answerFieldCall answers it, by a Lambda that logs with Powertools: the
 * field named on the invocation's log lines from here on, and an unexpected failure logged.
 */
export function answerLoggedFieldCall<T>(
  logger: Pick<Logger, 'appendKeys' | 'error'>,
  call: Pick<FieldCall, 'typeName' | 'fieldName'>,
  run: () => Promise<T>,
): Promise<FieldAnswer<T>> {
  logger.appendKeys({ field: `${call.typeName}.${call.fieldName}` });
  return answerFieldCall(run, (message, error) => logger.error(message, error as Error));
}
