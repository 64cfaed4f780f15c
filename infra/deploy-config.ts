import type { Node } from 'constructs';

/**
 * What a deployment may choose, read from CDK context (`-c key=value` or cdk.json) in this
 * one place. Everything has a default but the sender, which only the deployer can own.
 */
export interface DeployConfig {
  /**
   * The verified SES identity every email comes from: alerts and reports (the functions) and
   * Cognito's verification codes (the user pool sends through SES, not its own small quota).
   */
  senderEmail: string;
  /** Origins allowed to PUT presigned receipt uploads from a browser, besides the web app's own. */
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
  /**
   * Optional domain SES receives mail for (receipts by email): forwarding addresses are made at it
   * and its receipt rule stores each message and invokes InboundEmailFn (infra/constructs/inbound-mail.ts).
   */
  inboundEmailDomain?: string;
}

/** Loose on purpose: SES verifies the address itself; this catches a missing or mistyped value. */
const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const SENDER_EMAIL_REQUIRED =
  'Context senderEmail is required: the address alerts, reports and sign-up codes are sent from, an address ' +
  'you can receive mail at (SES sends it a verification link). Deploy with `npm run deploy -- -c senderEmail=you@example.org` ' +
  '(or `npm run synth -- senderEmail=you@example.org`); see README "Deploy to AWS".';

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

/** A DNS name of two or more labels (letters, digits, hyphens), as SES takes for a receipt rule's recipient. */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A deployment choice that is missing or wrong: the app prints its message alone, no stack trace. */
export class DeployConfigError extends Error {}

export function deployConfigFrom(node: Node): DeployConfig {
  const domainName = text(node, 'domainName');
  const certificateArn = text(node, 'certificateArn');
  if (domainName && !certificateArn)
    throw new DeployConfigError('Context domainName needs certificateArn (an ACM certificate in us-east-1)');
  const wafRateLimit = Number(text(node, 'wafRateLimit') ?? '1000');
  // WAF rejects rate limits below 10 (per 5-minute window).
  if (!Number.isInteger(wafRateLimit) || (wafRateLimit !== 0 && wafRateLimit < 10)) {
    throw new DeployConfigError(
      `Context wafRateLimit must be 0 (off) or an integer >= 10, got ${text(node, 'wafRateLimit')}`,
    );
  }
  const senderEmail = text(node, 'senderEmail');
  if (!senderEmail) throw new DeployConfigError(SENDER_EMAIL_REQUIRED);
  if (!EMAIL_ADDRESS.test(senderEmail))
    throw new DeployConfigError(`Context senderEmail must be an email address, got ${senderEmail}`);
  const inboundEmailDomain = text(node, 'inboundEmailDomain')?.toLowerCase();
  if (inboundEmailDomain && !DOMAIN_NAME.test(inboundEmailDomain))
    throw new DeployConfigError(`Context inboundEmailDomain must be a domain name, got ${inboundEmailDomain}`);
  return {
    senderEmail,
    corsOrigins: (text(node, 'corsOrigins') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    wafRateLimit,
    customDomain: domainName ? { domainName, certificateArn: certificateArn! } : undefined,
    alarmEmail: text(node, 'alarmEmail'),
    apiFieldLogLevel: text(node, 'apiFieldLogLevel') ?? 'ERROR',
    logLevel: text(node, 'logLevel') ?? 'INFO',
    inboundEmailDomain,
  };
}
