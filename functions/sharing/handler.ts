import type {
  MutationSettleShareBalanceArgs,
  MutationShareExpenseArgs,
  MutationUnshareExpenseArgs,
  QueryListSharedExpensesArgs,
  QuerySharedExpenseArgs,
} from '../../generated/graphql.ts';
import { dynamoDocumentClient, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import {
  answerLoggedFieldCall,
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
  unshareExpense,
  type SharingPorts,
} from './core.ts';
import { sharingTablesOn } from './dynamo.ts';

const { logger, instrument, count } = functionObservability('sharing');

/** The fields SharingFn serves (resolvers/*.SharingFn.ts), with their arguments from the schema. */
type SharingFnFields = ServedFields<{
  'Query.sharedExpense': QuerySharedExpenseArgs;
  'Query.listSharedExpenses': QueryListSharedExpensesArgs;
  'Query.shareBalances': NoArgs;
  'Mutation.shareExpense': MutationShareExpenseArgs;
  'Mutation.settleShareBalance': MutationSettleShareBalanceArgs;
  'Mutation.unshareExpense': MutationUnshareExpenseArgs;
}>;

/** SharingFn: shared expenses, balances and payments (a Lambda data source), on the given ports. */
export function sharingHandler(ports: () => SharingPorts) {
  const resolveField = fieldDispatcher<SharingFnFields>('SharingFn', {
    'Query.sharedExpense': ({ owner, args }) => sharedExpense(ports(), owner, args.id),
    'Query.listSharedExpenses': ({ owner, args }) => listSharedExpenses(ports(), owner, args),
    'Query.shareBalances': async ({ owner }) => {
      const balances = await shareBalances(ports(), owner);
      count('shareBalancesShown', balances.length);
      return balances;
    },
    'Mutation.shareExpense': async ({ owner, args }) => {
      const shared = await shareExpense(ports(), owner, args.input);
      count('expensesShared');
      return shared;
    },
    'Mutation.unshareExpense': async ({ owner, args }) => {
      const left = await unshareExpense(ports(), owner, args.id, args.email);
      count('sharesWithdrawn');
      return left;
    },
    'Mutation.settleShareBalance': async ({ owner, args }) => {
      const settlement = await settleShareBalance(ports(), owner, args.input);
      count('shareSettlementsRecorded');
      return settlement;
    },
  });
  return instrument(
    async (event: FieldCall) => {
      return answerLoggedFieldCall(logger, event, () => resolveField(event));
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
