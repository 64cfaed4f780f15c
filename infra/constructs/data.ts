import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { receiptsCorsRule } from '../receipts-bucket-cors.ts';
import { RECEIPT_KEY_PREFIX } from '../../model/receipts.ts';
import { STATEMENT_KEY_PREFIX } from '../../model/statements.ts';
import { TABLES } from '../../model/tables.ts';
import { EXPORT_KEY_PREFIX, RECEIPT_RETENTION_MAX_DAYS } from '../../model/data-lifecycle.ts';

/** Receipts are kept for 7 years at most (tax records): the ceiling of each user's retention (model/data-lifecycle.ts). */
export const RECEIPT_RETENTION_DAYS = RECEIPT_RETENTION_MAX_DAYS;
/** Where ReportFn writes CSV exports and AccountFn account archives. */
export { EXPORT_KEY_PREFIX };

export interface DataProps {
  /** Origins allowed to upload receipts from a browser besides the web app's (added by the stack). */
  corsOrigins: string[];
}

/**
 * The tables of model/tables.ts and the receipts bucket. Both hold the users' data, so both
 * are retained when the stack is deleted and protected against accidental deletion.
 */
export class Data extends Construct {
  /** By logical name (the data source name resolvers use). */
  readonly tables = new Map<string, dynamodb.Table>();
  readonly receiptsBucket: s3.Bucket;
  /** Server access logs of the buckets (receipts, web app). */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    for (const definition of TABLES) {
      const table = new dynamodb.Table(this, `${definition.logicalName}Table`, {
        partitionKey: { name: definition.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: definition.sortKey ? { name: definition.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        // Restores to any second of the last 35 days: RPO of seconds for DynamoDB.
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: definition.timeToLiveAttribute,
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: index.sortKey ? { name: index.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      this.tables.set(definition.logicalName, table);
    }

    const accessLogs = (this.accessLogsBucket = new s3.Bucket(this, 'ReceiptsAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }));

    this.receiptsBucket = new s3.Bucket(this, 'ReceiptsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      // Every overwrite or delete keeps the previous version: RPO 0 for receipt images.
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'receipts-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'keep-receipts-7-years',
          prefix: RECEIPT_KEY_PREFIX,
          // Instant-retrieval classes only: a receipt's imageUrl must still open years later.
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
          ],
          expiration: Duration.days(RECEIPT_RETENTION_DAYS),
          // Long enough to restore an overwritten or deleted receipt (see the runbook), then gone.
          noncurrentVersionExpiration: Duration.days(90),
        },
        // CSV exports and account archives are fetched through short-lived links (functions/report/core.ts,
        // functions/account/export.ts): a day later they are litter.
        {
          id: 'expire-exports',
          prefix: EXPORT_KEY_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        // Statement files are read by previewStatement and importStatement; the expenses and reports stay.
        {
          id: 'expire-statements',
          prefix: STATEMENT_KEY_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Expiring a versioned object leaves a delete marker; once its old versions are gone too, it is litter (and a list cost).
        // A rule of its own: S3 refuses ExpiredObjectDeleteMarker beside an expiration in days.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      // Browsers PUT receipts straight to S3 with presigned URLs, and show them with presigned GETs.
      cors: props.corsOrigins.length ? [receiptsCorsRule(props.corsOrigins)] : undefined,
    });
  }

  table(logicalName: string): dynamodb.Table {
    const table = this.tables.get(logicalName);
    if (!table) throw new Error(`No table ${logicalName} in model/tables.ts`);
    return table;
  }
}
