import { STATEMENT_KEY_PREFIX } from './statements.ts';

/**
 * What a user's data is and how long it is kept: the S3 prefixes that hold it, the receipt
 * image retention the user chooses (the bucket's lifecycle is the ceiling), and the fixed
 * ids of the account-wide jobs. Valid APPSYNC_JS: resolvers read these too.
 */

/** Receipt images are kept at most 7 years (tax records), counted in days as S3 lifecycle rules are. */
export const RECEIPT_RETENTION_MAX_DAYS = 7 * 365 + 2;
/** The shortest retention a user may choose. */
export const RECEIPT_RETENTION_MIN_DAYS = 1;

/** A profile that never chose keeps its images as long as the bucket does. */
export function receiptRetentionDaysOf(profile: { receiptRetentionDays?: number | null } | null | undefined): number {
  const days = profile ? profile.receiptRetentionDays : null;
  return days && days >= RECEIPT_RETENTION_MIN_DAYS && days <= RECEIPT_RETENTION_MAX_DAYS
    ? days
    : RECEIPT_RETENTION_MAX_DAYS;
}

/** Where account archives and CSV exports go (functions/account, functions/report); the bucket expires them after a day. */
export const EXPORT_KEY_PREFIX = 'exports/';
/** Where report emails are kept (functions/report/stored-reports.ts). */
export const REPORT_KEY_PREFIX = 'reports/';

/**
 * Every prefix of the bucket that holds a user's objects: receipt images, exports and archives,
 * kept report emails. The trailing slash matters: user `abc` must not reach `abcd`'s objects.
 * A feature that stores objects of its own adds its prefix here, so account deletion finds them.
 */
export function userObjectPrefixes(owner: string): string[] {
  return [
    `receipts/${owner}/`,
    `${EXPORT_KEY_PREFIX}${owner}/`,
    `${REPORT_KEY_PREFIX}${owner}/`,
    `${STATEMENT_KEY_PREFIX}${owner}/`,
  ];
}

/** The account archive of an export job: under the owner's export prefix, one key per job, so a rerun overwrites it. */
export function accountArchiveKey(owner: string, jobId: string): string {
  return `${EXPORT_KEY_PREFIX}${owner}/account-${jobId}.zip`;
}

/**
 * The deletion job's id: one per account, so asking twice (or retrying the mutation) finds the
 * job already recorded instead of starting a second.
 */
export const ACCOUNT_DELETION_JOB_ID = 'ACCOUNT-DELETION';

/** A deletion confirmed without a password needs a sign-in at most this old (the token's auth_time). */
export const FRESH_SIGN_IN_SECONDS = 300;
