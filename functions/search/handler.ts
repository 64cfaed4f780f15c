import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueryListExpensesArgs, QuerySearchExpensesArgs } from '../../generated/graphql.ts';
import type { SearchIndexEvent } from '../../model/search.ts';
import { dynamoDocumentClient } from '../shared/aws-clients.ts';
import { tableName } from '../shared/config.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  FieldError,
  type FieldCall,
  type PipelineStepFields,
} from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { syncSearchIndex } from '../shared/search/index-writer.ts';
import { syncSplitIndex } from '../shared/split-index.ts';
import { searchExpenses, type SearchPage } from './core.ts';
import { listByCustomCategory } from './custom-category.ts';
import { customCategoryPortsOn, searchPortsOn } from './dynamo.ts';

const { logger, instrument, count } = functionObservability('search');

/** The fields SearchFn serves; it answers Expenses items, which the resolver turns into Expense objects. */
type SearchFnFields = PipelineStepFields<
  { 'Query.searchExpenses': QuerySearchExpensesArgs; 'Query.listExpenses': QueryListExpensesArgs },
  SearchPage
>;

export type SearchFnTables = { terms: string; expenses: string; categories: string };

/**
 * SearchFn: `searchExpenses` (core.ts), `listExpenses` by custom category (custom-category.ts), and the index step of the expense pipelines
 * (SearchIndexEvent, resolvers/lib/search-index.ts): the expense's old index entries out, its
 * new ones in; for a split expense also its part categories' entries in Expenses (model/splits.ts). Every key it reads or writes starts with the caller's id.
 */
export function searchHandler(ports: () => { db: DynamoDBDocumentClient; tables: SearchFnTables }) {
  const resolveField = fieldDispatcher<SearchFnFields>('SearchFn', {
    'Query.searchExpenses': ({ owner, args }) => {
      const { db, tables } = ports();
      return searchExpenses(owner, args, searchPortsOn(db, tables));
    },
    // A step of the listExpenses pipeline, only with customCategoryId (the resolver checked the rest of its arguments).
    'Query.listExpenses': ({ owner, args }) => {
      const { db, tables } = ports();
      const { customCategoryId, from, to, limit, nextToken } = args;
      if (!customCategoryId)
        throw new FieldError('ValidationError', 'customCategoryId is required', { field: 'customCategoryId' });
      return listByCustomCategory(
        owner,
        { customCategoryId, from, to, limit: limit ?? 20, nextToken },
        customCategoryPortsOn(db, tables),
      );
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
      return answerLoggedFieldCall(logger, event, () => resolveField(event));
    },
    (event) => ('action' in event ? event.correlationId : event.requestId),
  );
}

export const handler = searchHandler(() => ({
  db: dynamoDocumentClient(),
  tables: { terms: tableName('SearchTerms'), expenses: tableName('Expenses'), categories: tableName('Categories') },
}));
