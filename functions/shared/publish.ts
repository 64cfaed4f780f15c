import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  BudgetAlertInput,
  Mutation,
  MutationPublishBudgetAlertArgs,
  MutationPublishReceiptProcessedArgs,
  MutationPublishShareEventArgs,
  ShareEventInput,
} from '../../generated/graphql.ts';
import { config } from './config.ts';
import { currentCorrelationId } from './observability.ts';

/**
 * Calls to the API's internal `@aws_iam` mutations, which fan events out to subscribers:
 * a SigV4-signed (service `appsync`) POST to GRAPHQL_URL with the function's own credentials
 * from the default provider chain. The same code runs on AWS (the function role) and locally
 * (the local key pair); a Cognito token can never call these mutations. The invocation's
 * correlation id rides along in `x-correlation-id` (resolvers see it in ctx.request.headers; the
 * local server logs it); on AWS the Tracer also propagates the X-Ray trace to AppSync.
 */
export class GraphQLCallError extends Error {
  constructor(
    message: string,
    readonly errors: Array<{ message: string; errorType?: string }>,
  ) {
    super(message);
    this.name = 'GraphQLCallError';
  }
}

let signer: SignatureV4 | undefined;

export async function callGraphQLWithIam<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const url = new URL(config.graphqlUrl);
  signer ??= new SignatureV4({
    credentials: defaultProvider(),
    region: config.region,
    service: 'appsync',
    sha256: Sha256,
  });
  const body = JSON.stringify({ query, variables });
  const correlationId = currentCorrelationId();
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: {
        'content-type': 'application/json',
        host: url.host,
        ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
      },
      body,
    }),
  );
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
  const text = await response.text();
  let answer: { data?: T; errors?: Array<{ message: string; errorType?: string }> };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new GraphQLCallError(`GraphQL endpoint answered ${response.status} with a non-JSON body`, []);
  }
  if (!response.ok || answer.errors?.length) {
    const errors = answer.errors ?? [];
    throw new GraphQLCallError(
      `GraphQL call failed (${response.status}): ${errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return answer.data as T;
}

const RECEIPT_FIELDS = `id owner status contentType size sha256 fileName expenseId possibleDuplicateOf error createdAt updatedAt
  extraction { merchant { value confidence } date { value confidence } total { amount confidence } subtotal { amount confidence }
    tax { amount confidence } tip { amount confidence } currency { value confidence }
    lineItems { description quantity unitPrice amount confidence } rawText }
  expense { id merchant amount currency date category categorySource categoryConfidence needsReview receiptId version createdAt updatedAt }`;

/** Tells the receipt's owner (subscribed to onReceiptProcessed) that OCR is done. */
export async function publishReceiptProcessed(owner: string, id: string): Promise<Mutation['publishReceiptProcessed']> {
  const variables: MutationPublishReceiptProcessedArgs = { owner, id };
  const data = await callGraphQLWithIam<Pick<Mutation, 'publishReceiptProcessed'>>(
    `mutation PublishReceiptProcessed($owner: ID!, $id: ID!) { publishReceiptProcessed(owner: $owner, id: $id) { ${RECEIPT_FIELDS} } }`,
    variables,
  );
  return data.publishReceiptProcessed;
}

/** Pushes a budget alert to its owner's onBudgetAlert subscribers (the schema's BudgetAlertInput; its id is the same on every redelivery). */
export async function publishBudgetAlert(input: BudgetAlertInput): Promise<Mutation['publishBudgetAlert']> {
  const variables: MutationPublishBudgetAlertArgs = { input };
  const data = await callGraphQLWithIam<Pick<Mutation, 'publishBudgetAlert'>>(
    `mutation PublishBudgetAlert($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) {
      id owner budgetId budgetName category period periodStart periodEnd threshold spent limit currency firedAt } }`,
    variables,
  );
  return data.publishBudgetAlert;
}

const JOB_FIELDS = `id owner kind status attempts createdAt updatedAt error { errorType message errorInfo }
  export { from to rowCount url expiresAt content }
  delivery { messageId to period periodStart periodEnd reportKey }`;

/** Pushes a finished job (as stored) to its owner's onJobDone subscribers. */
export async function publishJobDone(owner: string, id: string): Promise<unknown> {
  const data = await callGraphQLWithIam<{ publishJobDone: unknown }>(
    `mutation PublishJobDone($owner: ID!, $id: ID!) { publishJobDone(owner: $owner, id: $id) { ${JOB_FIELDS} } }`,
    { owner, id },
  );
  return data.publishJobDone;
}

/** Pushes a sharing event to its recipient's onShareEvent subscribers (its id is the same on every redelivery). */
export async function publishShareEvent(input: ShareEventInput): Promise<Mutation['publishShareEvent']> {
  const variables: MutationPublishShareEventArgs = { input };
  const data = await callGraphQLWithIam<Pick<Mutation, 'publishShareEvent'>>(
    `mutation PublishShareEvent($input: ShareEventInput!) { publishShareEvent(input: $input) {
      id owner kind fromEmail sharedExpenseId amount currency text at } }`,
    variables,
  );
  return data.publishShareEvent;
}
