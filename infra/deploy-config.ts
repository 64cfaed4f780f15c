import type { Node } from 'constructs';

/**
 * What a deployment may choose, read from CDK context (`-c key=value` or cdk.json) in this
 * one place. Everything has a default so `npm run synth` works offline with no arguments.
 */
export interface DeployConfig {
  /** SES identity the functions send alerts and reports from (verified on deploy). */
  senderEmail: string;
  /** Origins allowed to PUT presigned receipt uploads from a browser. */
  corsOrigins: string[];
  /** Requests per 5 minutes per client IP before WAF blocks; 0 = no web ACL. */
  wafRateLimit: number;
  /** Optional custom API domain; needs an ACM certificate in us-east-1 for it. */
  customDomain?: { domainName: string; certificateArn: string };
  /** Optional address subscribed to the alarm topic. */
  alarmEmail?: string;
  /** AppSync field log level: NONE, ERROR, INFO, DEBUG or ALL. */
  apiFieldLogLevel: string;
  /** Powertools log level of the functions. */
  logLevel: string;
}

export const DEFAULT_SENDER_EMAIL = 'reports@example.com';

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function deployConfigFrom(node: Node): DeployConfig {
  const domainName = text(node, 'domainName');
  const certificateArn = text(node, 'certificateArn');
  if (domainName && !certificateArn) throw new Error('Context domainName needs certificateArn (an ACM certificate in us-east-1)');
  const wafRateLimit = Number(text(node, 'wafRateLimit') ?? '1000');
  // WAF rejects rate limits below 10 (per 5-minute window).
  if (!Number.isInteger(wafRateLimit) || (wafRateLimit !== 0 && wafRateLimit < 10)) {
    throw new Error(`Context wafRateLimit must be 0 (off) or an integer >= 10, got ${text(node, 'wafRateLimit')}`);
  }
  return {
    senderEmail: text(node, 'senderEmail') ?? DEFAULT_SENDER_EMAIL,
    corsOrigins: (text(node, 'corsOrigins') ?? '*').split(',').map((o) => o.trim()).filter(Boolean),
    wafRateLimit,
    customDomain: domainName ? { domainName, certificateArn: certificateArn! } : undefined,
    alarmEmail: text(node, 'alarmEmail'),
    apiFieldLogLevel: text(node, 'apiFieldLogLevel') ?? 'ERROR',
    logLevel: text(node, 'logLevel') ?? 'INFO',
  };
}
