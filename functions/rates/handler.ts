import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExpenseItem } from '../../model/expenses.ts';
import type { ConvertRequest, ReconvertExpensesRequest } from '../../model/function-calls.ts';
import type { Conversion } from '../../model/rates.ts';
import { dynamoDocumentClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { createDynamoRateStore } from '../shared/currency/dynamo-rates.ts';
import { parseEcbCsv, parseEcbXml } from '../shared/currency/ecb-rates.ts';
import { createRateBook, type RateBook } from '../shared/currency/rate-book.ts';
import { functionObservability } from '../shared/observability.ts';
import { reconvertExpenses, refreshRates, type ReconvertDeps, type RefreshDeps } from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const { logger, instrument, count } = functionObservability('rates');

/** The ECB history shipped with the code: beside the deployed bundle, or in this folder of the repository. */
export const SNAPSHOT_FILE_NAME = 'ecb-eurofxref-hist.csv';

/** The snapshot to import: the configured file, none for `none`, else the one shipped with the code. */
function snapshotPath(configured: string): string | null {
  if (configured === 'none') return null;
  if (configured) return configured;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, SNAPSHOT_FILE_NAME), path.join(here, 'snapshot', SNAPSHOT_FILE_NAME)];
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** The scheduled refresh, the expense resolvers' conversion step, and the re-conversion after a rate or home currency change. */
export type RatesEvent = { action: 'refreshRates' } | ConvertRequest | ReconvertExpensesRequest;

export interface RatesPorts {
  refresh: RefreshDeps;
  rates: () => RateBook;
  reconvert: () => ReconvertDeps;
}

export interface RatesWiring {
  db: DynamoDBDocumentClient;
  tables: { rates: string; expenses: string; users: string };
  /** The ECB history to import ('' : the one shipped beside the code). */
  snapshotFile: string;
  /** The ECB feed ('' : off). */
  feedUrl: string;
}

/** RatesFn's ports on AWS (or the local stand-ins), from the environment. */
export function ratesPorts(): RatesPorts {
  return ratesPortsOn({
    db: dynamoDocumentClient(),
    tables: { rates: tableName('Rates'), expenses: tableName('Expenses'), users: tableName('Users') },
    snapshotFile: config.ratesSnapshotFile,
    feedUrl: config.ecbFeedUrl,
  });
}

export function ratesPortsOn({ db, tables, snapshotFile, feedUrl }: RatesWiring): RatesPorts {
  const store = createDynamoRateStore(db, tables.rates);
  const expenses = tables.expenses;
  return {
    refresh: {
      store,
      async snapshot() {
        const file = snapshotPath(snapshotFile);
        if (!file) return null;
        return parseEcbCsv(await readFile(file, 'utf8'));
      },
      feed: feedUrl
        ? async () => {
            const response = await fetch(feedUrl, { signal: AbortSignal.timeout(10_000) });
            if (!response.ok) throw new Error(`ECB feed answered ${response.status}`);
            return parseEcbXml(await response.text());
          }
        : null,
      now: () => new Date(),
      log: (message, extra) => logger.warn(message, extra ?? {}),
    },
    // A new book per invocation: its memo lives as long as one conversion job.
    rates: () => createRateBook(store),
    reconvert: () => ({
      rates: createRateBook(store),
      async *expensePages(owner) {
        for await (const out of paginateQuery(
          { client: db },
          {
            TableName: expenses,
            IndexName: 'user-date-index',
            KeyConditionExpression: 'user_id = :u',
            ExpressionAttributeValues: { ':u': owner },
          },
        ))
          yield (out.Items ?? []) as ExpenseItem[];
      },
      async saveConversion(owner, expenseId, version, conversion: Conversion | null) {
        try {
          await db.send(
            new UpdateCommand({
              TableName: expenses,
              Key: { user_id: owner, expense_id: expenseId },
              UpdateExpression: 'SET converted = :c, needsRate = :n',
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':c': conversion, ':n': conversion === null, ':v': version },
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
      async homeCurrency(owner) {
        const out = await db.send(new GetCommand({ TableName: tables.users, Key: { user_id: owner } }));
        return (out.Item?.homeCurrency as string | undefined) ?? null;
      },
    }),
  };
}

/**
 * RatesFn: keeps the ECB reference rates in the Rates table (a schedule, and every local start),
 * converts an expense for the createExpense / updateExpense pipelines (exact BigInt arithmetic,
 * which APPSYNC_JS lacks), and converts a user's stored expenses again after setExchangeRate or
 * a home currency change (asynchronous; a failure is retried by Lambda, and the job is idempotent).
 */
export function ratesHandler(portsOf: () => RatesPorts) {
  return instrument(
    async (event: RatesEvent): Promise<unknown> => {
      const ports = portsOf();
      if (event.action === 'refreshRates') {
        const outcome = await refreshRates(ports.refresh);
        count('exchangeRateMonthsStored', outcome.monthsWritten);
        (outcome.stale ? logger.warn : logger.info).bind(logger)('exchange rates refreshed', { ...outcome });
        return outcome;
      }
      if (event.action === 'convert') {
        logger.appendKeys({ owner: event.owner });
        const conversion = await ports.rates().convert(event.owner, event, event.home);
        if (conversion) count('expensesConverted');
        return { conversion };
      }
      if (event.action === 'reconvertExpenses') {
        logger.appendKeys({ owner: event.owner });
        const outcome = await reconvertExpenses(ports.reconvert(), event.owner, event.currency ?? null);
        count('expensesConverted', outcome.converted);
        logger.info('expenses converted again', { currency: event.currency ?? null, ...outcome });
        return outcome;
      }
      throw new Error(`RatesFn does not handle ${(event as { action?: string }).action}`);
    },
    (event) => ('correlationId' in event ? event.correlationId : null),
  );
}

export const handler = ratesHandler(ratesPorts);
