import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineApplication } from '../../infra/aws/application.js';
import { acknowledgementsOf, deployableApp, temporaryFolders } from '../support/cdk.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the app exactly as `cdk synth` defines it (cdk.json context, the cdk-nag checks),
// bundling skipped, written to a temporary folder that is removed afterwards.
// ---------------------------------------------------------------------------------------------

const temporaryFolder = temporaryFolders('aanspreekpunt-cdk-');

function application(context: Record<string, unknown> = {}) {
  const { app, outdir } = deployableApp(context, temporaryFolder);
  const stack = defineApplication(app);
  return { app, stack, outdir };
}

/** Synthesizes (running cdk-nag) and returns the template as written to disk. */
function synthesizedTemplate(context: Record<string, unknown> = {}) {
  const { app, stack, outdir } = application(context);
  app.synth();
  const file = path.join(outdir, `${stack.artifactId}.template.json`);
  const template = z
    .object({ Resources: z.record(z.string(), z.unknown()) })
    .parse(JSON.parse(readFileSync(file, 'utf8')));
  return { file, template };
}

describe('compliance: cdk-nag AwsSolutions and Serverless', () => {
  it('synthesizes with no unacknowledged finding', () => {
    // Act / Assess: a finding without an acknowledgement makes synth throw ("Validation failed").
    expect(() => synthesizedTemplate()).not.toThrow();
  });

  it('fails the synth when a resource breaks a rule, so the check above is live', () => {
    // Prepare: a bucket without access logs or TLS enforcement (AwsSolutions-S1, S10).
    const { app, stack } = application();
    new Bucket(stack, 'UncheckedBucket');
    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-S1\b/);
  });

  it('runs the Serverless rules too: a queue without a redrive policy fails the synth', () => {
    // Prepare: a queue that is neither a dead-letter queue nor has one (Serverless-SQSRedrivePolicy).
    const { app, stack } = application();
    new Queue(stack, 'UncheckedQueue', { enforceSSL: true });
    // Act / Assess
    expect(() => app.synth()).toThrow(/Serverless-SQSRedrivePolicy/);
  });

  it('acknowledges only the reviewed rules, each with a reason written into the template', () => {
    // Act
    const { template } = synthesizedTemplate();
    const acknowledged = new Map<string, string>();
    for (const resource of Object.values(template.Resources))
      for (const rule of acknowledgementsOf(resource))
        acknowledged.set(rule.id.replace(/<[A-Za-z0-9]+\.Arn>/, '<fn.Arn>'), rule.reason);
    // Assess: adding an acknowledgement means changing this list, in review.
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<fn.Arn>:*]',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-SQSRedrivePolicy',
    ]);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(120);
  });
});

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const hasCfnLint = cfnLint.status === 0;

/** The stack with a domain of its own, an alarm subscriber and a custom MAIL FROM domain. */
const withDomain = {
  domainName: 'aanspreekpunt.gemeente-lindehoven.nl',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  alarmEmail: 'ops@gemeente-lindehoven.nl',
  mailFromDomain: 'post.gemeente-lindehoven.nl',
};

describe('compliance: with a domain of its own', () => {
  it('synthesizes with no unacknowledged finding', () => {
    expect(() => synthesizedTemplate(withDomain)).not.toThrow();
  });
});

describe('compliance: cfn-lint', () => {
  it.skipIf(!hasCfnLint).each([
    ['as deployed by default', {}],
    ['with a domain of its own', withDomain],
  ])('passes cfn-lint %s (where installed; CI has it)', (_, context) => {
    // Prepare
    const { file } = synthesizedTemplate(context);
    // Act: W3005 (a DependsOn that a GetAtt already implies) is how CDK writes templates.
    const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', file], { encoding: 'utf8' });
    // Assess
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
