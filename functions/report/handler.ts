import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { dynamoDocumentClient, s3Client, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { answerFieldCall, FieldError, type FieldCall, type FieldResult } from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { exportExpenses, expenseSummary, listReports, periodReport, runScheduledReports, sendReport, type ReportDeps, type ReportPeriod, type ReportProfile } from './core.ts';
import { expensePages } from '../shared/expense-pages.ts';

const { logger, count, instrument } = functionObservability('report');

let deps: ReportDeps | undefined;
function reportDeps(): ReportDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  const users = tableName('Users');
  const sentAttribute = (period: ReportPeriod) => (period === 'WEEKLY' ? 'lastWeeklyReport' : 'lastMonthlyReport');
  deps = {
    expensePages: (owner, from, to) => expensePages(db, tableName('Expenses'), owner, from, to),
    async profile(owner) {
      const out = await db.send(new GetCommand({ TableName: users, Key: { user_id: owner } }));
      return (out.Item as ReportProfile | undefined) ?? null;
    },
    objects: {
      async put(key, body, contentType) {
        await s3Client().send(new PutObjectCommand({ Bucket: config.receiptsBucket, Key: key, Body: body, ContentType: contentType }));
      },
      presignGet: (key, seconds) => getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: config.receiptsBucket, Key: key }), { expiresIn: seconds }),
      async list(prefix, limit, token) {
        const out = await s3Client().send(new ListObjectsV2Command({ Bucket: config.receiptsBucket, Prefix: prefix, MaxKeys: limit, ContinuationToken: token ?? undefined }));
        return { items: (out.Contents ?? []).map((o) => ({ key: o.Key!, lastModified: o.LastModified ?? new Date(0) })), nextToken: out.NextContinuationToken ?? null };
      },
    },
    async sendRawEmail(raw) {
      const out = await sesClient().send(new SendEmailCommand({ FromEmailAddress: config.senderEmail, Content: { Raw: { Data: raw } } }));
      return out.MessageId ?? '';
    },
    async *subscribers(period) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: users,
            IndexName: period === 'WEEKLY' ? 'weekly-report-index' : 'monthly-report-index',
            KeyConditionExpression: '#flag = :yes',
            ExpressionAttributeNames: { '#flag': period === 'WEEKLY' ? 'weeklyReport' : 'monthlyReport' },
            ExpressionAttributeValues: { ':yes': 'Y' },
            ExclusiveStartKey,
            Limit: 100,
          }),
        );
        yield (out.Items ?? []) as ReportProfile[];
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    },
    async claimScheduledSend(owner, period, periodStart) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: users,
            Key: { user_id: owner },
            UpdateExpression: 'SET #sent = :start',
            ConditionExpression: 'attribute_exists(user_id) AND (attribute_not_exists(#sent) OR #sent < :start)',
            ExpressionAttributeNames: { '#sent': sentAttribute(period) },
            ExpressionAttributeValues: { ':start': periodStart },
          }),
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async releaseScheduledSend(owner, period, periodStart) {
      await db
        .send(
          new UpdateCommand({
            TableName: users,
            Key: { user_id: owner },
            UpdateExpression: 'REMOVE #sent',
            ConditionExpression: '#sent = :start',
            ExpressionAttributeNames: { '#sent': sentAttribute(period) },
            ExpressionAttributeValues: { ':start': periodStart },
          }),
        )
        .catch((error: Error) => logger.warn('could not release a report claim', { owner, error: error.message }));
    },
    sender: config.senderEmail,
    now: () => new Date(),
    log: (message, extra) => logger.warn(message, extra ?? {}),
  };
  return deps;
}

/** From the schedule; `correlationId` is the run's id (EventBridge Scheduler's execution id). */
type ScheduledReports = { action: 'scheduledReports'; period: ReportPeriod; correlationId?: string };
/** From operators' tools (`npm run report`), through Lambda Invoke: one user's report, now. */
type SendReportNow = { action: 'sendReport'; email: string; period: ReportPeriod; date?: string; correlationId?: string };

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
  const out = await dynamoDocumentClient().send(
    new QueryCommand({ TableName: tableName('Users'), IndexName: 'email-index', KeyConditionExpression: 'email = :email', ExpressionAttributeValues: { ':email': email }, Limit: 1 }),
  );
  const owner = out.Items?.[0]?.user_id as string | undefined;
  if (!owner) throw new FieldError('NotFound', `No user with the email ${email}`, { email });
  return owner;
}

/** ReportFn: report fields (a Lambda data source) and the scheduled report run (EventBridge). */
async function handleReportEvent(event: FieldCall<Record<string, any>> | ScheduledReports | SendReportNow): Promise<unknown> {
  if ('action' in event && event.action === 'sendReport') {
    const { email, period, date } = event;
    return answerFieldCall(
      async () => countSend(async () => sendReport(reportDeps(), await ownerByEmail(email), period, date ?? new Date().toISOString().slice(0, 10))),
      (message, error) => logger.error(message, error as Error),
    );
  }
  if ('action' in event && event.action === 'scheduledReports') {
    const outcome = await runScheduledReports(reportDeps(), event.period);
    count('reportsSent', outcome.sent);
    count('reportsFailed', outcome.failed);
    logger.info('scheduled reports done', { period: event.period, ...outcome });
    return outcome;
  }
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
