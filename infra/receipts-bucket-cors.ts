import type { HttpMethods } from 'aws-cdk-lib/aws-s3';

/**
 * The receipts bucket's CORS rule: browsers PUT receipts straight to S3 with presigned URLs
 * (any signed header) and show them with presigned GETs. Plain data, so the CDK bucket
 * (infra/constructs/data.ts) and the local S3 (local/s3/stand-in.ts) apply the same rule; only the
 * allowed origins differ (on AWS the web app's CloudFront origin and the `corsOrigins` context,
 * any origin locally).
 */
export const RECEIPTS_BUCKET_CORS = {
  allowedMethods: ['PUT', 'GET', 'HEAD'] as const,
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
};

/** The rule as CDK's `s3.CorsRule` takes it, for these origins. */
export function receiptsCorsRule(allowedOrigins: string[]) {
  return {
    allowedMethods: RECEIPTS_BUCKET_CORS.allowedMethods.map((method) => method as HttpMethods),
    allowedOrigins,
    allowedHeaders: RECEIPTS_BUCKET_CORS.allowedHeaders,
    exposedHeaders: RECEIPTS_BUCKET_CORS.exposedHeaders,
    maxAge: RECEIPTS_BUCKET_CORS.maxAgeSeconds,
  };
}
