import path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deployment from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { AmplifyOutputs } from '../../model/amplify-outputs.ts';
import { APP_PATHS } from '../../web/src/app-paths.ts';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS, OTHER_SECURITY_HEADERS } from '../../web/security-headers.ts';

export interface WebHostingProps {
  /** The built app (web/build.ts `dir`): index.html, sw.js, manifest, icon and app/ with the hashed chunks. */
  buildDir: string;
  /** Deployed beside the app as /amplify_outputs.json, from the stack's own values at deploy time. */
  amplifyOutputs: AmplifyOutputs;
  /** Bucket and prefix the app bucket's access logs go to. */
  accessLogsBucket: s3.IBucket;
  /** A custom API domain, when the API has one (it goes into the CSP). */
  apiDomainName?: string;
}

/**
 * The web app on AWS: a private S3 bucket (no public access; CloudFront reads it through an
 * origin access control) behind a CloudFront distribution that sends the same security
 * headers `npm start` does (web/security-headers.ts) plus HSTS, answers the app's pages with
 * index.html (a CloudFront Function, so a missing file is still a 404) and caches the hashed
 * chunks for a year. amplify_outputs.json is written into the bucket at deploy time from the
 * stack's own outputs, so the app finds its API and user pool with nothing to configure.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<distribution>.cloudfront.net: the app's origin (CORS of the receipts bucket). */
  readonly url: string;
  /** The built files deployed. */
  readonly buildDir: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { region, urlSuffix } = Stack.of(this);
    this.buildDir = props.buildDir;

    this.bucket = new s3.Bucket(this, 'AppBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'web-app-bucket/',
      // Only built files: a new deploy rewrites them all.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const apiOrigins = props.apiDomainName ? [`https://${props.apiDomainName}`, `wss://${props.apiDomainName}`] : [];
    const csp = contentSecurityPolicy({
      connect: [
        // AppSync (HTTPS and the real-time WebSocket), Cognito and the receipts bucket's presigned
        // URLs, in this region. Host wildcards because the names are only known at deploy time and
        // the bucket's CORS rule already names this distribution (a cycle if the CSP named the bucket).
        `https://*.appsync-api.${region}.${urlSuffix}`,
        `wss://*.appsync-realtime-api.${region}.${urlSuffix}`,
        `https://cognito-idp.${region}.${urlSuffix}`,
        `https://*.s3.${region}.${urlSuffix}`,
        `https://*.s3.${urlSuffix}`,
        ...apiOrigins,
      ],
      images: [`https://*.s3.${region}.${urlSuffix}`, `https://*.s3.${urlSuffix}`],
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Smart Expense Tracker web app: CSP, HSTS and the rest of web/security-headers.ts',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: OTHER_SECURITY_HEADERS['permissions-policy'], override: true },
          {
            header: 'Cross-Origin-Opener-Policy',
            value: OTHER_SECURITY_HEADERS['cross-origin-opener-policy'],
            override: true,
          },
        ],
      },
    });

    // The app's pages are one document: /budgets and the others are served index.html.
    const pages = new cloudfront.Function(this, 'AppPages', {
      comment: 'The web app pages (web/src/app-paths.ts) are index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        `var PAGES = ${JSON.stringify(APP_PATHS)};\n` +
          'function handler(event) { var r = event.request; if (PAGES.indexOf(r.uri) >= 0) r.uri = "/index.html"; return r; }',
      ),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Smart Expense Tracker web app',
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: pages, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Hashed chunks never change under their name: cached a year. Old ones stay (prune off) for
    // visitors still running the previous version until they reload.
    new deployment.BucketDeployment(this, 'AppChunks', {
      sources: [deployment.Source.asset(path.join(props.buildDir, 'app'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/',
      cacheControl: [deployment.CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    // The shell and the configuration: always revalidated, so a deploy shows at the next visit.
    new deployment.BucketDeployment(this, 'AppShell', {
      sources: [
        deployment.Source.asset(props.buildDir, { exclude: ['app/*', 'build-manifest.json'] }),
        deployment.Source.jsonData('amplify_outputs.json', props.amplifyOutputs),
      ],
      destinationBucket: this.bucket,
      cacheControl: [deployment.CacheControl.noCache()],
      prune: false,
    });
  }
}
