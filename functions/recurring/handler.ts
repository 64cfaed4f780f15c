import type {
  MutationConfirmRecurringArgs,
  MutationDeleteRecurringArgs,
  MutationDismissRecurringArgs,
  QueryUpcomingChargesArgs,
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
import { createMailer, type Mailer } from '../shared/mailer.ts';
import { functionObservability } from '../shared/observability.ts';
import {
  confirmRecurring,
  deleteRecurring,
  dismissRecurring,
  listRecurring,
  recurringCandidates,
  upcomingCharges,
  type RecurringPorts,
} from './core.ts';
import { runDailyCheck, type DailyCheckPorts } from './daily-check.ts';
import { dailyCheckPortsOn, recurringPortsOn } from './dynamo.ts';

const { logger, instrument, count } = functionObservability('recurring');

/** The fields RecurringFn serves (resolvers/*.RecurringFn.ts), with their arguments from the schema. */
type RecurringFnFields = ServedFields<{
  'Query.recurringCandidates': NoArgs;
  'Query.listRecurring': NoArgs;
  'Query.upcomingCharges': QueryUpcomingChargesArgs;
  'Mutation.confirmRecurring': MutationConfirmRecurringArgs;
  'Mutation.dismissRecurring': MutationDismissRecurringArgs;
  'Mutation.deleteRecurring': MutationDeleteRecurringArgs;
}>;

/** The scheduled event of the daily check (infra/schedules.ts `schedule-recurring`). */
export type CheckRecurringEvent = { action: 'checkRecurring'; correlationId?: string };

/** RecurringFn: the recurring-charge fields (a Lambda data source) and the daily check, on the given ports. */
export function recurringHandler(ports: () => RecurringPorts, checkPorts: () => DailyCheckPorts) {
  const resolveField = fieldDispatcher<RecurringFnFields>('RecurringFn', {
    'Query.recurringCandidates': async ({ owner }) => {
      const candidates = await recurringCandidates(ports(), owner);
      count('recurringCandidatesFound', candidates.length);
      return candidates;
    },
    'Query.listRecurring': ({ owner }) => listRecurring(ports(), owner),
    'Query.upcomingCharges': ({ owner, args }) => upcomingCharges(ports(), owner, args.days),
    'Mutation.confirmRecurring': async ({ owner, args }) => {
      const rule = await confirmRecurring(ports(), owner, args.input);
      count('recurringRulesConfirmed');
      return rule;
    },
    'Mutation.dismissRecurring': ({ owner, args }) => dismissRecurring(ports(), owner, args.id),
    'Mutation.deleteRecurring': ({ owner, args }) => deleteRecurring(ports(), owner, args.id),
  });
  return instrument(
    async (event: FieldCall | CheckRecurringEvent): Promise<unknown> => {
      if ('action' in event) {
        const result = await runDailyCheck(checkPorts(), new Date());
        count('recurringAlertsSent', result.alerted);
        logger.info('recurring charges checked', { ...result });
        return result;
      }
      return answerLoggedFieldCall(logger, event, () => resolveField(event));
    },
    (event) => ('action' in event ? event.correlationId : event.requestId),
  );
}

const tables = () => ({
  recurring: tableName('Recurring'),
  expenses: tableName('Expenses'),
  users: tableName('Users'),
});

let mailer: Mailer | undefined;
const sendAlertEmail: DailyCheckPorts['sendEmail'] = (to, subject, text, messageId) =>
  (mailer ??= createMailer(sesClient(), config.senderEmail)).send({ to, subject, text, messageId });

let ports: RecurringPorts | undefined;
let checkPorts: DailyCheckPorts | undefined;
export const handler = recurringHandler(
  () => (ports ??= recurringPortsOn(dynamoDocumentClient(), tables())),
  () => (checkPorts ??= dailyCheckPortsOn(dynamoDocumentClient(), tables(), sendAlertEmail)),
);
