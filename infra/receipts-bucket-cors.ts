/**
 * The receipts bucket's CORS rule: browsers PUT receipts straight to S3 with presigned URLs
 * (any signed header) and show them with presigned GETs. Plain data, so the CDK bucket
 * (infra/constructs/data.ts) and the local S3 (local/s3.ts) apply the same rule; only the
 * allowed origins differ (the `corsOrigins` context on AWS, any origin locally).
 */
export const RECEIPTS_BUCKET_CORS = {
  allowedMethods: ['PUT', 'GET', 'HEAD'] as const,
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
};
