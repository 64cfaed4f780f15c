import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuerySearchExpensesArgs } from '../../generated/graphql.ts';
import type { SearchIndexEvent } from '../../model/search.ts';
import { dynamoDocumentClient } from '../shared/aws-clients.ts';
import { tableName } from '../shared/config.ts';
import { answerFieldCall, fieldDispatcher, type FieldCall, type PipelineStepFields } from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { syncSearchIndex } from '../shared/search/index-writer.ts';
import { syncSplitIndex } from '../shared/split-index.ts';
import { searchExpenses, type SearchPage } from './core.ts';
import { searchPortsOn } from './dynamo.ts';

const { logger, instrument, count } = functionObservability('search');

/** The field SearchFn serves; it answers Expenses items, which the resolver turns into Expense objects. */
type SearchFnFields = PipelineStepFields<{ 'Query.searchExpenses': QuerySearchExpensesArgs }, SearchPage>;

export type SearchFnTables = { terms: string; expenses: string };

/**
 * SearchFn: `searchExpenses` (core.ts), and the index step of the expense pipelines
 * (SearchIndexEvent, resolvers/lib/search-index.ts): the expense's old index entries out, its
 * new ones in; for a split expense also its part categories' entries in Expenses (model/splits.ts). Every key it reads or writes starts with the caller's id.
 */
export function searchHandler(ports: () => { db: DynamoDBDocumentClient; tables: SearchFnTables }) {
  const resolveField = fieldDispatcher<SearchFnFields>('SearchFn', {
    'Query.searchExpenses': ({ owner, args }) => {
      const { db, tables } = ports();
      return searchExpenses(owner, args, searchPortsOn(db, tables));
    },
  });
  return instrument(
    async (event: SearchIndexEvent | FieldCall): Promise<unknown> => {
      if ('action' in event) {
        if (event.action !== 'indexExpense')
          throw new Error(`SearchFn does not handle ${(event as { action?: string }).action}`);
        const { db, tables } = ports();
        // The pipeline keyed both items on the caller; an item of anyone else is a wiring error.
        for (const item of [event.before, event.after])
          if (item && item.user_id !== event.owner) throw new Error('SearchFn: an item of another user');
        const written = await syncSearchIndex(db, tables.terms, event.before, event.after);
        count('searchTermsWritten', written.put + written.removed);
        logger.info('search index kept', { expenseId: (event.after ?? event.before)?.expense_id, ...written });
        if (!event.splitIndex) return written;
        // A split expense's category index entries (model/splits.ts), in the caller's partition of Expenses.
        const split = await syncSplitIndex(
          db,
          tables.expenses,
          event.owner,
          event.splitIndex.before,
          event.splitIndex.after,
        );
        count('splitIndexWritten', split.put + split.removed);
        return { ...written, split };
      }
      logger.appendKeys({ field: `${event.typeName}.${event.fieldName}` });
      return answerFieldCall(
        () => resolveField(event),
        (message, error) => logger.error(message, error as Error),
      );
    },
    (event) => ('action' in event ? event.correlationId : event.requestId),
  );
}

export const handler = searchHandler(() => ({
  db: dynamoDocumentClient(),
  tables: { terms: tableName('SearchTerms'), expenses: tableName('Expenses') },
}));
