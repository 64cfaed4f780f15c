import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { BUSINESS_METRICS, type BusinessMetric } from '../../model/telemetry.ts';
import { config } from './config.ts';

/**
 * Powertools for every function, the way its examples/app does it: Logger (JSON lines),
 * Tracer and Metrics created once per function with their configuration from the environment
 * (config.ts), and each handler wrapped in Powertools' Middy middlewares. Each invocation
 * starts with fresh log keys and one correlation id, which goes on every log line, the trace
 * (annotation `correlationId`, searchable in X-Ray), the metrics (EMF metadata) and the
 * publishes it makes (publish.ts reads it here).
 *
 * Off Lambda (locally, in tests) there is no tracing and the Tracer is not even loaded: the
 * X-Ray SDK it imports installs async hooks that make every `await` in the process an order of
 * magnitude slower, which would slow the whole local stack (the API, dynalite) for nothing.
 * Metrics are EMF lines on stdout, as on Lambda, where CloudWatch turns them into metrics.
 */

/** What the functions use of the Tracer. */
export type Tracing = Pick<Tracer, 'captureAWSv3Client' | 'putAnnotation' | 'putMetadata' | 'isTracingEnabled'>;

const NO_TRACING: Tracing = {
  captureAWSv3Client: (client) => client,
  putAnnotation: () => undefined,
  putMetadata: () => undefined,
  isTracingEnabled: () => false,
};

// Lambda's Node.js runtimes set AWS_EXECUTION_ENV; POWERTOOLS_TRACE_ENABLED=false turns tracing off there too.
const xray =
  process.env.AWS_EXECUTION_ENV?.startsWith('AWS_Lambda_') && process.env.POWERTOOLS_TRACE_ENABLED !== 'false'
    ? {
        Tracer: (await import('@aws-lambda-powertools/tracer')).Tracer,
        captureLambdaHandler: (await import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler,
      }
    : null;

let processTracer: Tracer | undefined;

/** One per process, which on Lambda is one function: the SDK clients (aws-clients.ts) are captured with it. */
export function tracer(): Tracing {
  if (!xray) return NO_TRACING;
  return (processTracer ??= new xray.Tracer({ serviceName: config.serviceName('smart-expense-tracker') }));
}

/** The handler's trace segment (the response is not put on it: it holds presigned URLs and users' data). */
function tracingMiddlewares(): MiddlewareObj[] {
  return xray ? [xray.captureLambdaHandler(tracer() as Tracer, { captureResponse: false })] : [];
}

interface Invocation {
  correlationId?: string;
}
const invocations = new AsyncLocalStorage<Invocation>();

/** The correlation id of the invocation this code runs in (undefined outside one). */
export function currentCorrelationId(): string | undefined {
  return invocations.getStore()?.correlationId;
}

const REDACTED = '[redacted]';
// Keys whose values are credentials or receipt content wherever they appear (event arguments, errors, SDK input).
const SECRET_KEY = /^(authorization|password|.*token|.*secret.*|x-amz-security-token|image|body)$/i;
// Presigned URLs are bearer credentials until they expire: their signature, key id and session token go.
const PRESIGN_PARAM = /(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"']+/gi;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** JSON replacer for log lines: no token, password, signature or receipt bytes reaches the logs. */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key && SECRET_KEY.test(key) && value !== null && value !== undefined && typeof value !== 'boolean')
    return REDACTED;
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  // Buffer.toJSON runs before the replacer: { type: 'Buffer', data: [...] }.
  if (
    value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return `[${(value as { data: unknown[] }).data.length} bytes]`;
  }
  if (typeof value === 'string') return value.replace(PRESIGN_PARAM, `$1${REDACTED}`).replace(JWT, REDACTED);
  return value;
}

export type Handler<E, R> = (event: E, context: Context) => Promise<R>;

export interface FunctionObservability {
  logger: Logger;
  metrics: Metrics;
  /** Adds to a business metric of business-metrics.ts; flushed when the invocation ends. */
  count(metric: BusinessMetric, value?: number): void;
  /** From now on in this invocation, this id on every log line, the trace, the metrics and publishes. */
  correlate(correlationId: string): void;
  /**
   * The handler with Lambda context on every log line and keys reset after each invocation,
   * a traced handler segment, metrics flushed (with a cold-start metric), and the correlation
   * id of the event (else the Lambda request id) set before the handler runs.
   */
  instrument<E, R>(
    handler: Handler<E, R>,
    correlationIdOf: (event: E) => string | null | undefined,
  ): (event: E, context?: Context) => Promise<R>;
}

export function functionObservability(localServiceName: string): FunctionObservability {
  const serviceName = config.serviceName(localServiceName);
  const logger = new Logger({ serviceName, jsonReplacerFn: redactSecrets });
  const metrics = new Metrics({
    serviceName,
    namespace: config.metricsNamespace,
    // Powertools warns when an invocation recorded no metric; most field reads record none by design.
    logger: {
      debug: (...args: unknown[]) => logger.debug(String(args[0])),
      info: (...args: unknown[]) => logger.info(String(args[0])),
      warn: (...args: unknown[]) =>
        String(args[0]).startsWith('No application metrics')
          ? logger.debug(String(args[0]))
          : logger.warn(String(args[0])),
      error: (...args: unknown[]) => logger.error(String(args[0])),
    },
  });

  const correlate = (correlationId: string) => {
    logger.appendKeys({ correlationId });
    tracer().putAnnotation('correlationId', correlationId);
    metrics.addMetadata('correlationId', correlationId);
    const invocation = invocations.getStore();
    if (invocation) invocation.correlationId = correlationId;
  };

  return {
    logger,
    metrics,
    correlate,
    count(metric, value = 1) {
      const { name, unit } = BUSINESS_METRICS[metric];
      metrics.addMetric(name, unit as MetricUnit, value);
    },
    instrument<E, R>(handler: Handler<E, R>, correlationIdOf: (event: E) => string | null | undefined) {
      const instrumented = middy(handler)
        .use(tracingMiddlewares())
        // Never the event in the logs, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it carries receipt images and emails.
        .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
        .use(logMetrics(metrics, { captureColdStartMetric: true }))
        .use({
          before: (request) => {
            // Also reset here: an invocation that timed out never reached the reset after it.
            logger.resetKeys();
            correlate(
              correlationIdOf(request.event as E) || (request.context as Partial<Context>).awsRequestId || randomUUID(),
            );
          },
        });
      return (event: E, context?: Context) =>
        invocations.run({}, () => instrumented(event, context as Context) as Promise<R>);
    },
  };
}
