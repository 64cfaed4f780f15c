import type { DateOrder, ReportPeriod, User } from '../generated/graphql.ts';
import { receiptRetentionDaysOf } from './data-lifecycle.ts';
import { forwardingSendersOf, type ForwardingSender } from './inbound-email.ts';

/** A Users table item (model/tables.ts `Users`, key `user_id` = Cognito sub). */
export type UserItem = {
  user_id: string;
  email: string;
  name?: string;
  /** Days receipt images are kept (model/data-lifecycle.ts receiptRetentionDaysOf); absent until chosen. */
  receiptRetentionDays?: number;
  homeCurrency: string;
  timezone: string;
  dateOrder: DateOrder;
  reportSchedule: { weekly: boolean; monthly: boolean };
  /** Keys of the sparse report indexes: present (REPORT_WANTED) only while the user wants that email. */
  weeklyReport?: typeof REPORT_WANTED;
  monthlyReport?: typeof REPORT_WANTED;
  /** The private forwarding address (lower case), key of the sparse forwarding-address-index. */
  forwardingAddress?: string;
  /** Extra senders allowed to forward receipts (model/inbound-email.ts). */
  forwardingSenders?: ForwardingSender[];
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** A User as the API answers it: what resolvers/lib/items.ts `toUser` makes of a UserItem. */
export type UserObject = Omit<User, '__typename'>;

/** The value of a report index key (`weeklyReport` / `monthlyReport`) on a user who wants that email. */
export const REPORT_WANTED = 'Y';

/** The sparse index listing the users who want a report, and its key attribute on the user item. */
export const REPORT_INDEX: Record<ReportPeriod, { indexName: string; attribute: 'weeklyReport' | 'monthlyReport' }> = {
  WEEKLY: { indexName: 'weekly-report-index', attribute: 'weeklyReport' },
  MONTHLY: { indexName: 'monthly-report-index', attribute: 'monthlyReport' },
};

/** The API's User of a Users item (resolvers and ForwardingFn alike): the id renamed, optional fields null or defaulted. */
export function toUser(item: UserItem): UserObject {
  return {
    ...item,
    id: item.user_id,
    name: item.name || null,
    forwardingAddress: item.forwardingAddress || null,
    forwardingSenders: forwardingSendersOf(item.forwardingSenders),
    receiptRetentionDays: receiptRetentionDaysOf(item),
  };
}
