import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PATHS } from '../../web/src/app-paths.ts';
import { synthesize, type Synthesized } from './synth.ts';

/**
 * The web app on AWS as synthesized: a private bucket read by CloudFront through an origin
 * access control, the security headers (CSP naming only what the app talks to, HSTS), the
 * app's pages answered with index.html, amplify_outputs.json deployed from the stack's own
 * values, and the receipts bucket's CORS opened to the app's origin.
 */
let synth: Synthesized;
const resources = (type: string) => synth.template.findResources(type);
const only = (type: string) => {
  const found = Object.values(resources(type));
  expect(found).toHaveLength(1);
  return found[0] as { Properties: any };
};

beforeAll(async () => {
  synth = await synthesize({ bundleFunctions: false });
}, 300_000);
afterAll(() => synth?.dispose());

describe('the web app on AWS', () => {
  it('given the app bucket, then nothing in it is public and only the distribution (OAC) may read it', () => {
    const bucket = resources('AWS::S3::Bucket')[synth.logicalId(synth.stack.web.bucket)];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('web-app-bucket/');
    const oac = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const policies = Object.values(resources('AWS::S3::BucketPolicy')).filter(
      (p: any) => p.Properties.Bucket.Ref === synth.logicalId(synth.stack.web.bucket),
    );
    const readers = policies
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Effect === 'Allow');
    expect(readers).toEqual([
      expect.objectContaining({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
    ]);
  });

  it('given the distribution, then HTTPS only (TLS 1.2 at least), compressed, with the security headers', () => {
    const distribution = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(distribution.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
    });
    expect(distribution.DefaultRootObject).toBe('index.html');
    const headers = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig;
    const security = headers.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
    const csp = JSON.stringify(synth.stack.resolve(security.ContentSecurityPolicy.ContentSecurityPolicy));
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.appsync-api\./);
    expect(csp).toContain('wss://*.appsync-realtime-api.');
    expect(csp).toContain('https://cognito-idp.');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it("given the app's pages, then a CloudFront Function answers each with index.html and nothing else", () => {
    const fn = only('AWS::CloudFront::Function').Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: unknown) => { uri: string };
    for (const page of APP_PATHS) expect(handler({ request: { uri: page } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/app/main-ABC.js' } }).uri).toBe('/app/main-ABC.js');
    expect(handler({ request: { uri: '/nope' } }).uri).toBe('/nope');
  });

  it('given the deployments, then hashed chunks are cached a year, the shell and amplify_outputs.json revalidated, built from this stack', () => {
    const deployments = Object.values(resources('Custom::CDKBucketDeployment')) as Array<{ Properties: any }>;
    expect(deployments).toHaveLength(2);
    const chunks = deployments.find((d) => d.Properties.DestinationBucketKeyPrefix === 'app/')!;
    expect(chunks.Properties.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
    const shell = deployments.find((d) => d !== chunks)!;
    expect(shell.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    // Source.jsonData: the outputs with the pool and API of this very stack, resolved at deploy time.
    const markers = JSON.stringify(shell.Properties.SourceMarkers);
    expect(markers).toContain(synth.logicalId(synth.stack.auth.userPool));
    expect(markers).toContain(synth.logicalId(synth.stack.auth.userPoolClient));
    expect(markers).toContain('GraphQLUrl');
  });

  it('given the files deployed, then index.html loads the hashed entry script and nothing inline (the CSP allows no inline script)', () => {
    const html = readFileSync(path.join(synth.stack.web.buildDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="\/app\/main-[A-Z0-9]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it('given the outputs, then WebAppUrl is the distribution', () => {
    expect(synth.template.findOutputs('WebAppUrl').WebAppUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [synth.logicalId(synth.stack.web.distribution), 'DomainName'] }]],
    });
  });
});
