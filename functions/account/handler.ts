import type { Context } from 'aws-lambda';
import { cognitoClient, dynamoDocumentClient, s3Client, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import type { MutationDeleteAccountArgs } from '../../generated/graphql.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  FieldError,
  type FieldCall,
  type NoArgs,
  type PipelineStepFields,
  type ServedFields,
} from '../shared/field-call.ts';
import { createJobStore } from '../shared/job-store.ts';
import type { JobResult } from '../../model/jobs.ts';
import { runJob, sweepJobs, type JobRunnerDeps } from '../shared/jobs.ts';
import { functionObservability } from '../shared/observability.ts';
import { publishJobDone } from '../shared/publish.ts';
import { createSignInAccounts } from './cognito-adapters.ts';
import { deleteAccount, type DeletionDeps } from './deletion.ts';
import { createRetentionStore, createUserItems } from './dynamo-adapters.ts';
import { archiveLink, exportAccount, type ExportDeps } from './export.ts';
import { createMailer } from '../shared/mailer.ts';
import { applyRetention, sweepExpiredImages, type RetentionDeps } from './retention.ts';
import { createUserObjects } from './s3-adapters.ts';

const { logger, instrument, count } = functionObservability('account');

const log = {
  info: (message: string, extra?: Record<string, unknown>) => logger.info(message, extra ?? {}),
  warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}),
};

let deps: (ExportDeps & DeletionDeps & RetentionDeps) | undefined;
function accountDeps() {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  deps = {
    items: createUserItems(db),
    objects: createUserObjects(s3Client(), config.receiptsBucket),
    accounts: createSignInAccounts(cognitoClient(), {
      userPoolId: config.userPoolId,
      clientId: config.userPoolClientId,
    }),
    mailer: createMailer(sesClient(), config.senderEmail),
    ...createRetentionStore(db),
    now: () => new Date(),
    log,
  };
  return deps;
}

/** The jobs AccountFn runs (model/jobs.ts): an account's archive, its deletion, a new retention applied. */
let jobs: JobRunnerDeps | undefined;
function jobRunner(): JobRunnerDeps {
  jobs ??= {
    store: createJobStore(dynamoDocumentClient(), tableName('Jobs')),
    handlers: {
      // The result keeps the archive's key and owner beside the API's fields, for AccountExport.url.
      EXPORT_ACCOUNT: async (owner, _request, progress) => {
        const archive = await exportAccount(accountDeps(), owner, progress.jobId);
        count('accountExportsMade');
        return archive as unknown as JobResult<'EXPORT_ACCOUNT'>;
      },
      DELETE_ACCOUNT: async (owner, request, progress) => {
        const deletion = await deleteAccount(accountDeps(), owner, request, progress);
        count('accountsDeleted');
        return deletion;
      },
      APPLY_RETENTION: (owner, request) => applyRetention(accountDeps(), owner, { days: request.days }),
    },
    publishJobDone,
    now: () => new Date(),
    leasesVoidBefore: config.processingLeasesVoidBefore,
    log,
  };
  return jobs;
}

/** Checks a deletion's password (Mutation.deleteAccount step); the profile's email is the sign-in name. */
async function checkPassword(owner: string, args: MutationDeleteAccountArgs, email: string | null | undefined) {
  if (!args.password || !email || !(await accountDeps().accounts.passwordMatches(email, args.password)))
    throw new FieldError('Unauthorized', 'Confirm with your password, or sign in again and delete within 5 minutes', {
      field: 'password',
    });
  return { confirmed: true };
}

/** The fields AccountFn serves: an archive's link, and the password step of deleteAccount's pipeline. */
type AccountFnFields = ServedFields<{ 'AccountExport.url': NoArgs }> &
  PipelineStepFields<{ 'Mutation.deleteAccount': MutationDeleteAccountArgs }, { confirmed: boolean }>;

const resolveAccountField = fieldDispatcher<AccountFnFields>('AccountFn', {
  'AccountExport.url': ({ owner, source }) => archiveLink(accountDeps(), owner, source),
  // The pipeline's step passes the caller's profile email as the source (resolvers/Mutation.deleteAccount).
  'Mutation.deleteAccount': ({ owner, args, source }) =>
    checkPassword(owner, args, (source as { email?: string | null } | null)?.email),
});

type RunJob = { action: 'runJob'; owner: string; jobId: string; correlationId?: string };
type SweepJobs = { action: 'sweepJobs'; correlationId?: string };
type SweepImages = { action: 'sweepExpiredImages'; correlationId?: string };

/** AccountFn: the account-wide jobs, the daily image retention sweep, and the fields that need the bucket or the user pool. */
async function handleAccountEvent(event: FieldCall | RunJob | SweepJobs | SweepImages, context?: Context) {
  const timeLeftMs = () => (context ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER);
  if ('action' in event && event.action === 'runJob') return runJob(jobRunner(), event.owner, event.jobId);
  if ('action' in event && event.action === 'sweepJobs') {
    const outcome = await sweepJobs(jobRunner(), { timeLeftMs });
    if (outcome.done + outcome.busy + outcome.failed > 0) logger.info('job sweep done', outcome);
    return outcome;
  }
  if ('action' in event && event.action === 'sweepExpiredImages') {
    const outcome = await sweepExpiredImages(accountDeps(), { timeLeftMs });
    count('receiptImagesExpired', outcome.expired);
    logger.info('expired receipt images swept', outcome);
    return outcome;
  }
  const call = event as FieldCall;
  return answerLoggedFieldCall(logger, call, () => resolveAccountField(call));
}

export const handler = instrument(handleAccountEvent, (event) =>
  'action' in event ? event.correlationId : event.requestId,
);
