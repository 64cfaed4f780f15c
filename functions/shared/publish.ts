import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
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
  signer ??= new SignatureV4({ credentials: defaultProvider(), region: config.region, service: 'appsync', sha256: Sha256 });
  const body = JSON.stringify({ query, variables });
  const correlationId = currentCorrelationId();
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { 'content-type': 'application/json', host: url.host, ...(correlationId ? { 'x-correlation-id': correlationId } : {}) },
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
    throw new GraphQLCallError(`GraphQL call failed (${response.status}): ${errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ')}`, errors);
  }
  return answer.data as T;
}

const RECEIPT_FIELDS = `id owner status contentType size sha256 fileName expenseId possibleDuplicateOf error createdAt updatedAt
  extraction { merchant { value confidence } date { value confidence } total { amount confidence } subtotal { amount confidence }
    tax { amount confidence } tip { amount confidence } currency { value confidence }
    lineItems { description quantity unitPrice amount confidence } rawText }
  expense { id merchant amount currency date category categorySource categoryConfidence needsReview receiptId version createdAt updatedAt }`;

/** Tells the receipt's owner (subscribed to onReceiptProcessed) that OCR is done. */
export async function publishReceiptProcessed(owner: string, id: string): Promise<unknown> {
  const data = await callGraphQLWithIam<{ publishReceiptProcessed: unknown }>(
    `mutation PublishReceiptProcessed($owner: ID!, $id: ID!) { publishReceiptProcessed(owner: $owner, id: $id) { ${RECEIPT_FIELDS} } }`,
    { owner, id },
  );
  return data.publishReceiptProcessed;
}

export interface BudgetAlertInput {
  owner: string;
  budgetId: string;
  budgetName: string;
  category?: string | null;
  period: string;
  periodStart: string;
  periodEnd: string;
  threshold: number;
  spent: number;
  limit: number;
  currency: string;
  firedAt: string;
}

/** Pushes a budget alert to its owner's onBudgetAlert subscribers. */
export async function publishBudgetAlert(input: BudgetAlertInput): Promise<unknown> {
  const data = await callGraphQLWithIam<{ publishBudgetAlert: unknown }>(
    `mutation PublishBudgetAlert($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) {
      owner budgetId budgetName category period periodStart periodEnd threshold spent limit currency firedAt } }`,
    { input },
  );
  return data.publishBudgetAlert;
}
