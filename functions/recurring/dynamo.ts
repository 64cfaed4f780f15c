import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  RECURRING_DUE_INDEX,
  RULE_PREFIX,
  type DismissedCandidateItem,
  type RecurringRuleItem,
} from '../../model/recurring.ts';
import { ALERT_LEASE_MS, type DailyCheckPorts } from './daily-check.ts';
import { isConditionFailure, putIfAbsent } from '../shared/conditional-put.ts';
import { expensePages } from '../shared/expense-pages.ts';
import { todayIn } from '../shared/periods.ts';
import type { RecurringPorts } from './core.ts';
import type { Charge } from './detection.ts';

export type RecurringTables = { recurring: string; expenses: string; users: string };

/** Expenses read for one detection at the most: 50,000 (over 45 a day for three years). */
const MAX_CHARGES = 50_000;

/** RecurringPorts on DynamoDB: every key condition on the owner's partition, never a Scan. */
export function recurringPortsOn(db: DynamoDBDocumentClient, tables: RecurringTables): RecurringPorts {
  return {
    async chargesSince(owner, from) {
      const charges: Charge[] = [];
      for await (const page of expensePages(db, tables.expenses, owner, from, '9999-12-31')) {
        for (const e of page)
          charges.push({
            expenseId: e.expense_id,
            merchant: e.merchant,
            amount: e.amount,
            currency: e.currency,
            date: e.date,
            category: e.category,
          });
        if (charges.length >= MAX_CHARGES) break;
      }
      return charges;
    },
    async decisions(owner) {
      const items: Array<RecurringRuleItem | DismissedCandidateItem> = [];
      for await (const out of paginateQuery(
        { client: db },
        {
          TableName: tables.recurring,
          KeyConditionExpression: 'user_id = :owner',
          ExpressionAttributeValues: { ':owner': owner },
          ConsistentRead: true,
        },
      ))
        items.push(...((out.Items ?? []) as Array<RecurringRuleItem | DismissedCandidateItem>));
      return items;
    },
    putRule: (rule) => putIfAbsent(db, tables.recurring, rule, 'rule_id'),
    async putDismissed(item) {
      await db.send(new PutCommand({ TableName: tables.recurring, Item: item }));
    },
    async deleteRule(owner, id) {
      const out = await db.send(
        new DeleteCommand({
          TableName: tables.recurring,
          Key: { user_id: owner, rule_id: RULE_PREFIX + id },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return (out.Attributes as RecurringRuleItem | undefined) ?? null;
    },
    async today(owner) {
      return todayIn((await profileOf(db, tables.users, owner))?.timezone ?? 'UTC', new Date());
    },
    now: () => new Date(),
  };
}

async function profileOf(
  db: DynamoDBDocumentClient,
  table: string,
  owner: string,
): Promise<{ email?: string; timezone?: string } | null> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: { user_id: owner },
      ProjectionExpression: 'email, #tz',
      ExpressionAttributeNames: { '#tz': 'timezone' },
    }),
  );
  return (out.Item as { email?: string; timezone?: string } | undefined) ?? null;
}

/** DailyCheckPorts on DynamoDB: the due index by day, the owner's partition, conditional claims on the rule. */
export function dailyCheckPortsOn(
  db: DynamoDBDocumentClient,
  tables: RecurringTables,
  sendEmail: DailyCheckPorts['sendEmail'],
  now: () => Date = () => new Date(),
): DailyCheckPorts {
  const charges = recurringPortsOn(db, tables);
  // The rule, only while it is still due on the day read (`:due` among the values).
  const stillDue = (rule: RecurringRuleItem) => ({
    TableName: tables.recurring,
    Key: { user_id: rule.user_id, rule_id: rule.rule_id },
    ConditionExpression: 'due_on = :due',
  });
  const conditionally = async (command: UpdateCommand) => {
    try {
      await db.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  return {
    async dueRules(day) {
      const rules: RecurringRuleItem[] = [];
      for await (const out of paginateQuery(
        { client: db },
        {
          TableName: tables.recurring,
          IndexName: RECURRING_DUE_INDEX,
          KeyConditionExpression: 'due_on = :day',
          ExpressionAttributeValues: { ':day': day },
        },
      ))
        rules.push(...((out.Items ?? []) as RecurringRuleItem[]));
      return rules;
    },
    chargesSince: charges.chargesSince,
    async owner(owner) {
      const profile = await profileOf(db, tables.users, owner);
      if (!profile?.email) return null;
      return { email: profile.email, today: todayIn(profile.timezone ?? 'UTC', now()) };
    },
    lease(rule, due, occurrence) {
      const at = now().getTime();
      return conditionally(
        new UpdateCommand({
          ...stillDue(rule),
          UpdateExpression: 'SET alertLeaseUntil = :until, alertOccurrence = :occurrence',
          ConditionExpression: 'due_on = :due AND (attribute_not_exists(alertLeaseUntil) OR alertLeaseUntil < :now)',
          ExpressionAttributeValues: {
            ':due': due,
            ':until': at + ALERT_LEASE_MS,
            ':now': at,
            ':occurrence': occurrence,
          },
        }),
      );
    },
    async unlease(rule, due) {
      await conditionally(
        new UpdateCommand({
          ...stillDue(rule),
          UpdateExpression: 'REMOVE alertLeaseUntil, alertOccurrence',
          ExpressionAttributeValues: { ':due': due },
        }),
      );
    },
    advance(rule, due, next, occurrence) {
      return conditionally(
        new UpdateCommand({
          ...stillDue(rule),
          UpdateExpression: 'SET due_on = :next, checkedThrough = :checked REMOVE alertLeaseUntil, alertOccurrence',
          ExpressionAttributeValues: { ':due': due, ':next': next, ':checked': occurrence },
        }),
      );
    },
    sendEmail,
  };
}
