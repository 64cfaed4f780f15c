import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './xml.ts';

/**
 * The bucket's CORS rule as S3 applies it: preflights answered by the rule, and the
 * `Access-Control-Allow-Origin` / expose headers on the answers to cross-origin requests.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
export interface CorsRule {
  allowedOrigins: readonly string[];
  allowedMethods: readonly string[];
  allowedHeaders: readonly string[];
  exposedHeaders: readonly string[];
  maxAgeSeconds: number;
}

/** An AllowedOrigin / AllowedHeader of a CORS rule: may hold one `*` wildcard. */
function wildcardMatch(pattern: string, value: string): boolean {
  const [head, ...rest] = pattern.toLowerCase().split('*');
  const lower = value.toLowerCase();
  return rest.length === 0
    ? lower === head
    : lower.startsWith(head) && lower.endsWith(rest.join('*')) && lower.length >= head.length + rest.join('*').length;
}

/** S3's answer to a preflight: the headers when the origin, method and every requested header match the rule. */
export function preflightAnswer(rule: CorsRule, headers: IncomingHttpHeaders): Record<string, string> {
  const origin = String(headers.origin ?? '');
  const method = String(headers['access-control-request-method'] ?? '');
  if (!origin) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null');
  const requested = String(headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const matches =
    rule.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
    rule.allowedMethods.includes(method) &&
    requested.every((h) => rule.allowedHeaders.some((pattern) => wildcardMatch(pattern, h)));
  if (!matches)
    throw new S3Error(
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      { Method: method, ResourceType: 'OBJECT' },
    );
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(requested.length ? { 'access-control-allow-headers': requested.join(', ') } : {}),
    'access-control-expose-headers': rule.exposedHeaders.join(', '),
    'access-control-max-age': String(rule.maxAgeSeconds),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** The CORS headers on the answer to an actual cross-origin request (none without an Origin). */
export function corsHeaders(rule: CorsRule, headers: IncomingHttpHeaders): Record<string, string> {
  const origin = typeof headers.origin === 'string' ? headers.origin : '';
  if (!origin || !rule.allowedOrigins.some((o) => wildcardMatch(o, origin))) return {};
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    'access-control-expose-headers': rule.exposedHeaders.join(', '),
  };
}
