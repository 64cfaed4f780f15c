import type {
  MutationSettleShareBalanceArgs,
  MutationShareExpenseArgs,
  QueryListSharedExpensesArgs,
  QuerySharedExpenseArgs,
} from '../../generated/graphql.ts';
import { dynamoDocumentClient, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import {
  answerFieldCall,
  fieldDispatcher,
  type FieldCall,
  type NoArgs,
  type ServedFields,
} from '../shared/field-call.ts';
import { createMailer } from '../shared/mailer.ts';
import { functionObservability } from '../shared/observability.ts';
import { publishShareEvent } from '../shared/publish.ts';
import {
  listSharedExpenses,
  settleShareBalance,
  shareBalances,
  sharedExpense,
  shareExpense,
  type SharingPorts,
} from './core.ts';
import { sharingTablesOn } from './dynamo.ts';

const { logger, instrument } = functionObservability('sharing');

/** The fields SharingFn serves (resolvers/*.SharingFn.ts), with their arguments from the schema. */
type SharingFnFields = ServedFields<{
  'Query.sharedExpense': QuerySharedExpenseArgs;
  'Query.listSharedExpenses': QueryListSharedExpensesArgs;
  'Query.shareBalances': NoArgs;
  'Mutation.shareExpense': MutationShareExpenseArgs;
  'Mutation.settleShareBalance': MutationSettleShareBalanceArgs;
}>;

/** SharingFn: shared expenses, balances and payments (a Lambda data source), on the given ports. */
export function sharingHandler(ports: () => SharingPorts) {
  const resolveField = fieldDispatcher<SharingFnFields>('SharingFn', {
    'Query.sharedExpense': ({ owner, args }) => sharedExpense(ports(), owner, args.id),
    'Query.listSharedExpenses': ({ owner, args }) => listSharedExpenses(ports(), owner, args),
    'Query.shareBalances': ({ owner }) => shareBalances(ports(), owner),
    'Mutation.shareExpense': ({ owner, args }) => shareExpense(ports(), owner, args.input),
    'Mutation.settleShareBalance': ({ owner, args }) => settleShareBalance(ports(), owner, args.input),
  });
  return instrument(
    async (event: FieldCall) => {
      logger.appendKeys({ field: `${event.typeName}.${event.fieldName}` });
      return answerFieldCall(
        () => resolveField(event),
        (message, error) => logger.error(message, error as Error),
      );
    },
    (event) => event.requestId,
  );
}

let ports: SharingPorts | undefined;
export const handler = sharingHandler(() => {
  if (ports) return ports;
  const mailer = createMailer(sesClient(), config.senderEmail);
  ports = {
    ...sharingTablesOn(dynamoDocumentClient(), {
      sharing: tableName('Sharing'),
      expenses: tableName('Expenses'),
      users: tableName('Users'),
    }),
    async push(event) {
      await publishShareEvent(event);
    },
    mail: (message) => mailer.send(message),
    now: () => new Date(),
  };
  return ports;
});
