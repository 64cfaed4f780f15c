import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../infra/app.ts';
import { synthesize, type Synthesized } from './synth.ts';

/**
 * What deploy-time context changes. Function code plays no part here, so these syntheses
 * skip esbuild for the Lambda assets.
 */
const CUSTOM = {
  domainName: 'api.expenses.example.org',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  wafRateLimit: '0',
  senderEmail: 'alerts@expenses.example.org',
  corsOrigins: 'https://app.expenses.example.org,https://expenses.example.org',
};

let synth: Synthesized;
beforeAll(async () => {
  synth = await synthesize({ context: CUSTOM, bundleFunctions: false });
  // As long as the other syntheses allow: on a shared 2-core machine one can take a minute.
}, 120_000);
afterAll(() => synth?.dispose());

describe('deploy context', () => {
  it('given a domain and certificate, when synthesized, then the API answers on that domain and the outputs point clients at it', () => {
    synth.template.hasResourceProperties('AWS::AppSync::DomainName', {
      DomainName: CUSTOM.domainName,
      CertificateArn: CUSTOM.certificateArn,
    });
    synth.template.resourceCountIs('AWS::AppSync::DomainNameApiAssociation', 1);
    const outputs = synth.template.findOutputs('*');
    expect(outputs.GraphqlUrl.Value).toBe(`https://${CUSTOM.domainName}/graphql`);
    expect(JSON.stringify(outputs.AmplifyOutputs.Value)).toContain(`https://${CUSTOM.domainName}/graphql`);
    expect(outputs.ApiDomainTarget.Value).toEqual({ 'Fn::GetAtt': [expect.any(String), 'AppSyncDomainName'] });
  });

  it('given wafRateLimit 0, when synthesized, then there is no web ACL', () => {
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    synth.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('given a sender and origins, when synthesized, then functions and Cognito send as that sender, and only those origins may upload', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ From: `Smart Expense Tracker <${CUSTOM.senderEmail}>` }),
    });
    for (const { fn } of synth.stack.processing.functions.values()) {
      const variables = (
        synth.template.findResources('AWS::Lambda::Function')[synth.logicalId(fn)] as { Properties: any }
      ).Properties.Environment.Variables;
      expect(variables.SENDER_EMAIL).toBe(CUSTOM.senderEmail);
    }
    const bucket = synth.template.findResources('AWS::S3::Bucket')[
      synth.logicalId(synth.stack.data.receiptsBucket)
    ] as { Properties: any };
    expect(bucket.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins).toEqual(CUSTOM.corsOrigins.split(','));
  });

  it('given a domain without a certificate or a rate below WAF minimum, when the app is created, then it refuses with the key to fix', async () => {
    const sender = { senderEmail: CUSTOM.senderEmail };
    await expect(createApp({ context: { ...sender, domainName: CUSTOM.domainName } })).rejects.toThrow(
      /certificateArn/,
    );
    await expect(createApp({ context: { ...sender, wafRateLimit: '5' } })).rejects.toThrow(/wafRateLimit/);
  });

  it('given no receiving domain, when synthesized, then SES receives nothing for the stack; a malformed domain is refused', async () => {
    synth.template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    synth.template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    expect(synth.template.findOutputs('InboundRuleSetName')).toEqual({});
    await expect(
      createApp({ context: { senderEmail: CUSTOM.senderEmail, inboundEmailDomain: 'receipts@example.org' } }),
    ).rejects.toThrow(/inboundEmailDomain must be a domain name/);
  });

  it('given no sender or a malformed one, when the app is created, then it refuses saying senderEmail is required and how to give it', async () => {
    await expect(createApp({ context: {} })).rejects.toThrow(
      /senderEmail is required.*npm run deploy -- -c senderEmail=/s,
    );
    await expect(createApp({ context: { senderEmail: 'reports' } })).rejects.toThrow(
      /senderEmail must be an email address/,
    );
  });
});

describe('cdk-nag', () => {
  it('given the app, when a resource breaking an AwsSolutions rule is added, then synthesis fails naming the rule', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-nag-test-'));
    const { app, stack } = await createApp({
      outdir,
      context: { senderEmail: CUSTOM.senderEmail, 'aws:cdk:bundling-stacks': [] },
    });
    new sqs.Queue(stack, 'UnencryptedQueueWithoutTls', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SQS4[\s\S]*UnencryptedQueueWithoutTls|UnencryptedQueueWithoutTls[\s\S]*AwsSolutions-SQS4/,
    );
  }, 60_000);
});
