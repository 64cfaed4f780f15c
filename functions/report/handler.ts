import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { createBudgetStore } from '../budgets/dynamo-adapters.ts';
import { dynamoDocumentClient, s3Client, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { expensePages } from '../shared/expense-pages.ts';
import { answerFieldCall, FieldError, type FieldCall, type FieldResult } from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { exportExpenses, expenseSummary, listReports, periodReport, runScheduledReports, ScheduledReportsFailed, sendReport, type ReportDeps, type ReportPeriod, type ScheduledOutcome } from './core.ts';
import { createReportStore } from './dynamo-adapters.ts';
import { createReportObjects } from './s3-objects.ts';

const { logger, count, instrument } = functionObservability('report');

let store: ReturnType<typeof createReportStore> | undefined;
let deps: ReportDeps | undefined;
function reportDeps(): ReportDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  store = createReportStore(db, { users: tableName('Users'), receipts: tableName('Receipts') });
  const budgets = createBudgetStore(db, { budgets: tableName('Budgets'), expenses: tableName('Expenses'), users: tableName('Users') });
  const objects = createReportObjects(s3Client(), config.receiptsBucket);
  const receiptKeys = store.receiptKeys;
  deps = {
    expensePages: (owner, from, to) => expensePages(db, tableName('Expenses'), owner, from, to),
    profile: store.profile,
    budgets: { budgets: budgets.budgets, expensePages: budgets.expensePages },
    async receiptLinks(owner, receiptIds, seconds) {
      const keys = await receiptKeys(owner, receiptIds);
      return new Map(await Promise.all([...keys].map(async ([id, key]) => [id, await objects.presignGet(key, seconds)] as const)));
    },
    objects,
    async sendRawEmail(raw) {
      const out = await sesClient().send(new SendEmailCommand({ FromEmailAddress: config.senderEmail, Content: { Raw: { Data: raw } } }));
      return out.MessageId ?? '';
    },
    schedule: store.schedule,
    sender: config.senderEmail,
    now: () => new Date(),
    log: (message, extra) => logger.warn(message, extra ?? {}),
  };
  return deps;
}

/** From the schedule; `correlationId` is the run's id (EventBridge Scheduler's execution id). */
type ScheduledReports = { action: 'scheduledReports'; period: ReportPeriod; correlationId?: string };
/** From operators' tools (`npm run report`), through Lambda Invoke: one user's report, now. */
type SendReportNow = { action: 'sendReport'; email: string; period: ReportPeriod; date?: string | null; correlationId?: string };

/** A report email sent on demand, counted; a business error (unknown user, bad date) is no failed send. */
async function countSend<T>(send: () => Promise<T>): Promise<T> {
  try {
    const sent = await send();
    count('reportsSent');
    return sent;
  } catch (error) {
    if (!(error instanceof FieldError)) count('reportsFailed');
    throw error;
  }
}

async function ownerByEmail(email: string): Promise<string> {
  reportDeps();
  const owner = await store!.ownerByEmail(email);
  if (!owner) throw new FieldError('NotFound', `No user with the email ${email}`, { email });
  return owner;
}

/** Sent and failed go to the business metrics (flushed when the invocation ends); deferred users are in the log line. */
function countScheduled(outcome: ScheduledOutcome): void {
  count('reportsSent', outcome.sent);
  count('reportsFailed', outcome.failed);
}

/**
 * The hourly scheduled run. EventBridge Scheduler invokes asynchronously: a throw (some user's
 * report failed every try) counts in the function's Errors alarm and Lambda retries the run,
 * which skips what was sent and retries the rest.
 */
async function scheduledReports(period: ReportPeriod, context?: Context): Promise<ScheduledOutcome> {
  try {
    const outcome = await runScheduledReports(reportDeps(), period, { timeLeftMs: () => (context ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER) });
    logger.info('scheduled reports done', { period, ...outcome });
    countScheduled(outcome);
    return outcome;
  } catch (error) {
    if (error instanceof ScheduledReportsFailed) {
      logger.error('scheduled reports done, some failed', { period, ...error.outcome });
      countScheduled(error.outcome);
    }
    throw error;
  }
}

/** ReportFn: report fields (a Lambda data source), the scheduled report run (EventBridge) and operators' sends. */
async function handleReportEvent(event: FieldCall<Record<string, any>> | ScheduledReports | SendReportNow, context?: Context): Promise<unknown> {
  if ('action' in event && event.action === 'sendReport') {
    const { email, period, date } = event;
    return answerFieldCall(
      async () => countSend(async () => sendReport(reportDeps(), await ownerByEmail(email), period, date)),
      (message, error) => logger.error(message, error as Error),
    );
  }
  if ('action' in event && event.action === 'scheduledReports') return scheduledReports(event.period, context);
  const call = event as FieldCall<Record<string, any>>;
  logger.appendKeys({ field: `${call.typeName}.${call.fieldName}` });
  return answerFieldCall(
    async () => {
      const owner = call.sub;
      if (!owner) throw new FieldError('Unauthorized', 'A signed-in user is required');
      const args = call.arguments;
      switch (`${call.typeName}.${call.fieldName}`) {
        case 'Query.expenseSummary':
          return expenseSummary(reportDeps(), owner, args.from, args.to);
        case 'Query.report':
          return periodReport(reportDeps(), owner, args.period, args.date);
        case 'Mutation.exportExpenses':
          return exportExpenses(reportDeps(), owner, args.from, args.to);
        case 'Query.listReports':
          return listReports(reportDeps(), owner, args.limit, args.nextToken);
        case 'Mutation.sendReport':
          return countSend(() => sendReport(reportDeps(), owner, args.period, args.date));
        default:
          throw new Error(`ReportFn does not resolve ${call.typeName}.${call.fieldName}`);
      }
    },
    (message, error) => logger.error(message, error as Error),
  ) as Promise<FieldResult<unknown>>;
}

export const handler = instrument(handleReportEvent, (event) => ('action' in event ? event.correlationId : event.requestId));
