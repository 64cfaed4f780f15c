import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { createBudgetStore, createRecurringRuleReader } from '../shared/budgets/dynamo-adapters.ts';
import { dynamoDocumentClient, s3Client, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { expensePages } from '../shared/expense-pages.ts';
import type { QueryExpenseSummaryArgs, QueryListReportsArgs, QueryReportArgs } from '../../generated/graphql.ts';
import type { RunJobRequest } from '../../model/function-calls.ts';
import {
  answerFieldCall,
  answerLoggedFieldCall,
  fieldDispatcher,
  FieldError,
  type FieldCall,
  type ServedFields,
} from '../shared/field-call.ts';
import { createJobStore } from '../shared/job-store.ts';
import { runJob, sweepJobs, type JobRunnerDeps } from '../shared/jobs.ts';
import { functionObservability } from '../shared/observability.ts';
import { publishJobDone } from '../shared/publish.ts';
import {
  exportExpenses,
  expenseSummary,
  listReports,
  periodReport,
  runScheduledReports,
  ScheduledReportsFailed,
  sendReport,
  type ReportDeps,
  type ReportPeriod,
  type ScheduledOutcome,
} from './core.ts';
import { createReportStore } from './dynamo-adapters.ts';
import { createReportObjects } from './s3-objects.ts';

const { logger, count, instrument } = functionObservability('report');

import { createDynamoRateStore } from '../shared/currency/dynamo-rates.ts';
import { createRateBook } from '../shared/currency/rate-book.ts';

let store: ReturnType<typeof createReportStore> | undefined;
let deps: ReportDeps | undefined;
function reportDeps(): ReportDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  store = createReportStore(db, { users: tableName('Users'), receipts: tableName('Receipts') });
  const budgets = createBudgetStore(db, {
    budgets: tableName('Budgets'),
    expenses: tableName('Expenses'),
    users: tableName('Users'),
  });
  const objects = createReportObjects(s3Client(), config.receiptsBucket);
  const receiptKeys = store.receiptKeys;
  deps = {
    expensePages: (owner, from, to) => expensePages(db, tableName('Expenses'), owner, from, to),
    profile: store.profile,
    budgets: {
      budgets: budgets.budgets,
      expensePages: budgets.expensePages,
      // A book per process: rates of past days never change (see functions/shared/budgets/deps.ts).
      rates: createRateBook(createDynamoRateStore(db, tableName('Rates'))),
      recurringRules: createRecurringRuleReader(db, tableName('Recurring')),
    },
    async receiptLinks(owner, receiptIds, seconds) {
      const keys = await receiptKeys(owner, receiptIds);
      return new Map(
        await Promise.all([...keys].map(async ([id, key]) => [id, await objects.presignGet(key, seconds)] as const)),
      );
    },
    objects,
    async sendRawEmail(raw) {
      const out = await sesClient().send(
        new SendEmailCommand({ FromEmailAddress: config.senderEmail, Content: { Raw: { Data: raw } } }),
      );
      return out.MessageId ?? '';
    },
    schedule: store.schedule,
    sender: config.senderEmail,
    now: () => new Date(),
    log: (message, extra) => logger.warn(message, extra ?? {}),
  };
  return deps;
}

/**
 * The jobs ReportFn runs (model/jobs.ts): exports and report emails outlast AppSync's 30 s, so
 * their mutations answer a job at once and the work happens here, started by the mutation
 * (Lambda Event) or, after a crash or a lost start, by the job sweep.
 */
let jobs: JobRunnerDeps | undefined;
function jobRunner(): JobRunnerDeps {
  jobs ??= {
    store: createJobStore(dynamoDocumentClient(), tableName('Jobs')),
    handlers: {
      EXPORT_EXPENSES: (owner, request) => exportExpenses(reportDeps(), owner, request.from, request.to),
      SEND_REPORT: (owner, request) => countSend(() => sendReport(reportDeps(), owner, request.period, request.date)),
    },
    publishJobDone,
    now: () => new Date(),
    leasesVoidBefore: config.processingLeasesVoidBefore,
    log: {
      info: (message, extra) => logger.info(message, extra ?? {}),
      warn: (message, extra) => logger.warn(message, extra ?? {}),
    },
  };
  return jobs;
}

/** From the schedule, every 5 minutes (and at every start locally): jobs a crash or a lost start left pending. */
type SweepJobs = { action: 'sweepJobs'; correlationId?: string };

/** From the schedule; `correlationId` is the run's id (EventBridge Scheduler's execution id). */
type ScheduledReports = { action: 'scheduledReports'; period: ReportPeriod; correlationId?: string };
/** From operators' tools (`npm run report`), through Lambda Invoke: one user's report, now. */
type SendReportNow = {
  action: 'sendReport';
  email: string;
  period: ReportPeriod;
  date?: string | null;
  correlationId?: string;
};

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
    const outcome = await runScheduledReports(reportDeps(), period, {
      timeLeftMs: () => (context ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER),
    });
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

/** The fields ReportFn serves (resolvers/Type.field.ReportFn.ts), with their arguments from the schema. */
type ReportFnFields = ServedFields<{
  'Query.expenseSummary': QueryExpenseSummaryArgs;
  'Query.report': QueryReportArgs;
  'Query.listReports': QueryListReportsArgs;
}>;

const resolveReportField = fieldDispatcher<ReportFnFields>('ReportFn', {
  'Query.expenseSummary': ({ owner, args }) => expenseSummary(reportDeps(), owner, args.from, args.to),
  'Query.report': ({ owner, args }) => periodReport(reportDeps(), owner, args.period, args.date),
  'Query.listReports': ({ owner, args }) => listReports(reportDeps(), owner, args.limit, args.nextToken),
});

/** ReportFn: report fields (a Lambda data source), the scheduled report run (EventBridge) and operators' sends. */
async function handleReportEvent(
  event: FieldCall | ScheduledReports | SendReportNow | RunJobRequest | SweepJobs,
  context?: Context,
): Promise<unknown> {
  // A failure worth a retry throws: Lambda retries the Event, then the sweep.
  if ('action' in event && event.action === 'runJob') return runJob(jobRunner(), event.owner, event.jobId);
  if ('action' in event && event.action === 'sweepJobs') {
    const outcome = await sweepJobs(jobRunner(), {
      timeLeftMs: () => (context ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER),
    });
    if (outcome.done + outcome.busy + outcome.failed > 0) logger.info('job sweep done', outcome);
    return outcome;
  }
  if ('action' in event && event.action === 'sendReport') {
    const { email, period, date } = event;
    return answerFieldCall(
      async () => countSend(async () => sendReport(reportDeps(), await ownerByEmail(email), period, date)),
      (message, error) => logger.error(message, error as Error),
    );
  }
  if ('action' in event && event.action === 'scheduledReports') return scheduledReports(event.period, context);
  const call = event as FieldCall;
  return answerLoggedFieldCall(logger, call, () => resolveReportField(call));
}

export const handler = instrument(handleReportEvent, (event) =>
  'action' in event ? event.correlationId : event.requestId,
);
