import type { MutationCreateExpenseArgs } from '../../generated/graphql.ts';
import type { ExpenseCategoryChoice } from '../../model/expenses.ts';
import { merchantKeyOf } from '../../model/merchant-key.ts';
import { createLearnedCategoryReader } from '../shared/categorize/learned-categories.ts';
import { comprehendClient, dynamoDocumentClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  FieldError,
  type FieldCall,
  type PipelineStepFields,
} from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { createComprehendEntityDetector, NO_ENTITIES } from '../shared/categorize/comprehend.ts';
import { categorizeFor, type CategorizerPorts } from '../shared/categorize/core.ts';

const { logger, instrument, count } = functionObservability('categorize');

/**
 * The field CategorizeFn serves: it is a step of the createExpense pipeline
 * (resolvers/Mutation.createExpense/2.categorize.CategorizeFn.ts), so it takes the field's
 * arguments and answers the category the pipeline stores with the expense.
 */
type CategorizeFnFields = PipelineStepFields<
  { 'Mutation.createExpense': MutationCreateExpenseArgs },
  ExpenseCategoryChoice
>;

let ports: CategorizerPorts | undefined;

function categorizerPorts(): CategorizerPorts {
  if (ports) return ports;
  const detector = config.comprehendEnabled ? createComprehendEntityDetector(comprehendClient()) : NO_ENTITIES;
  return (ports = {
    learned: createLearnedCategoryReader(
      dynamoDocumentClient(),
      { merchants: tableName('Merchants'), categories: tableName('Categories') },
      merchantKeyOf,
    ),
    entities: async (text) => {
      try {
        return await detector.detectEntities(text);
      } catch (error) {
        // Comprehend being down must not fail an expense: the rules' answer stands.
        logger.warn('Comprehend unavailable; categorizing without it', error as Error);
        return [];
      }
    },
  });
}

/**
 * CategorizeFn: the category of an expense typed in without one, by the categorizer the OCR
 * function uses (the caller's corrections, the brand index, keywords, Comprehend). A Lambda
 * step of the createExpense pipeline because the brand index is far over AppSync's 32 KB
 * resolver limit. Reads only; the pipeline writes the expense after it.
 */
export function categorizeHandler(portsOf: () => CategorizerPorts) {
  const resolveField = fieldDispatcher<CategorizeFnFields>('CategorizeFn', {
    'Mutation.createExpense': async ({ owner, args }) => {
      const merchant = args.input?.merchant;
      if (typeof merchant !== 'string')
        throw new FieldError('ValidationError', 'merchant is required', { field: 'merchant' });
      const choice = await categorizeFor(owner, { merchant }, portsOf());
      count('expensesCategorized');
      return {
        category: choice.category,
        categorySource: choice.source,
        categoryConfidence: choice.confidence,
        ...(choice.customCategoryId ? { customCategoryId: choice.customCategoryId } : {}),
      };
    },
  });
  return instrument(
    async (call: FieldCall) => {
      return answerLoggedFieldCall(logger, call, () => resolveField(call));
    },
    (call) => call.requestId,
  );
}

export const handler = categorizeHandler(categorizerPorts);
