import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../config/error.js';
import { declaration, PUBLIC_BASE_URL_ENV } from '../../functions/declaration.js';
import { MAX_BODY_BYTES } from '../../functions/intake/handler.js';
import {
  EDGE_ORIGIN_HEADER,
  EDGE_ORIGIN_SECRET_ENV,
  EDGE_PUBLIC_HOST_ENV,
  VIEWER_ADDRESS_HEADER,
} from '../../functions/web/edge.js';
import { defineApplication } from '../../infra/aws/application.js';
import { forwardedHeaders } from '../../infra/aws/constructs/edge.js';
import { BODY_SIZE_RULE, RATE_WINDOW_SECONDS } from '../../infra/aws/constructs/edge-firewall.js';
import { acknowledgementsOf, deployableApp, temporaryFolders } from '../support/cdk.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the app as `cdk synth -c edge=true` defines it (cdk.json context, the cdk-nag checks), bundling
// skipped, with an explicit account and Region (both stacks need them), written to temporary folders.
// ---------------------------------------------------------------------------------------------

const temporaryFolder = temporaryFolders('aanspreekpunt-edge-');

const environment = { account: '123456789012', region: 'eu-west-1' };
const edgeContext = { edge: true, ...environment };

/** A domain of its own: the API's certificate in the stack's Region, CloudFront's in us-east-1. */
const withDomain = {
  domainName: 'aanspreekpunt.gemeente-lindehoven.nl',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  edgeCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/87654321-4321-4321-4321-210987654321',
};

function application(context: Record<string, unknown>, cli = {}) {
  const { app, outdir } = deployableApp(context, temporaryFolder);
  const main = defineApplication(app, cli);
  const stacks = app.node.children.filter((child) => child instanceof Stack);
  return { app, main, stacks, outdir };
}

/** Both stacks' templates with the edge (synthesizing runs cdk-nag: a finding throws). */
function edgeTemplates(context: Record<string, unknown> = {}) {
  const { main, stacks } = application({ ...edgeContext, ...context });
  const edge = stacks.find((stack) => stack !== main);
  if (edge === undefined) throw new Error('no edge stack');
  return { main, edge, mainTemplate: Template.fromStack(main), edgeTemplate: Template.fromStack(edge) };
}

const byDefault = edgeTemplates();
const withLogging = edgeTemplates({ edgeLogging: true });
const withOwnDomain = edgeTemplates(withDomain);

const webAclShape = z.object({
  Properties: z.object({
    Scope: z.string(),
    DefaultAction: z.unknown(),
    Rules: z.array(
      z.object({
        Name: z.string(),
        Priority: z.number(),
        Statement: z.object({
          RateBasedStatement: z
            .object({ AggregateKeyType: z.string(), Limit: z.number(), EvaluationWindowSec: z.number() })
            .optional(),
          ManagedRuleGroupStatement: z
            .object({
              VendorName: z.string(),
              Name: z.string(),
              RuleActionOverrides: z
                .array(z.object({ Name: z.string(), ActionToUse: z.record(z.string(), z.unknown()) }))
                .optional(),
            })
            .optional(),
        }),
        Action: z.unknown().optional(),
        OverrideAction: z.unknown().optional(),
      }),
    ),
    CustomResponseBodies: z.record(z.string(), z.object({ ContentType: z.string(), Content: z.string() })),
  }),
});

function webAclOf(template: Template) {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  expect(acls).toHaveLength(1);
  return webAclShape.parse(acls[0]).Properties;
}

const originShape = z.object({
  DomainName: z.unknown(),
  CustomOriginConfig: z.object({ OriginProtocolPolicy: z.string(), OriginSSLProtocols: z.array(z.string()) }),
  OriginCustomHeaders: z.array(z.object({ HeaderName: z.string(), HeaderValue: z.unknown() })),
});
const distributionShape = z.object({
  Properties: z.object({
    DistributionConfig: z.object({
      WebACLId: z.unknown(),
      Aliases: z.array(z.string()).optional(),
      ViewerCertificate: z
        .object({ AcmCertificateArn: z.string(), MinimumProtocolVersion: z.string() })
        .optional(),
      Origins: z.array(originShape),
      DefaultCacheBehavior: z.object({
        AllowedMethods: z.array(z.string()),
        CachePolicyId: z.string(),
        OriginRequestPolicyId: z.unknown(),
        ViewerProtocolPolicy: z.string(),
      }),
    }),
  }),
});

function distributionOf(template: Template) {
  const found = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  expect(found).toHaveLength(1);
  return distributionShape.parse(found[0]).Properties.DistributionConfig;
}

const headersConfigShape = z.object({
  Properties: z.object({
    OriginRequestPolicyConfig: z.object({
      HeadersConfig: z.object({ HeaderBehavior: z.string(), Headers: z.array(z.string()) }),
      QueryStringsConfig: z.object({ QueryStringBehavior: z.string() }),
      CookiesConfig: z.object({ CookieBehavior: z.string() }),
    }),
  }),
});

function originRequestPolicyOf(template: Template) {
  const found = Object.values(template.findResources('AWS::CloudFront::OriginRequestPolicy'));
  expect(found).toHaveLength(1);
  return headersConfigShape.parse(found[0]).Properties.OriginRequestPolicyConfig;
}

/** The ID of AWS's managed cache policy CachingDisabled (the same in every account). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

const variablesShape = z.object({
  Properties: z.object({
    Description: z.string(),
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
  }),
});

function variablesOf(template: Template, name: string) {
  const fn = declaration.functions[name];
  if (fn === undefined) throw new Error(`function ${name} is not declared`);
  const found = Object.values(template.findResources('AWS::Lambda::Function')).map((r) =>
    variablesShape.parse(r),
  );
  const match = found.find((r) => r.Properties.Description === fn.description);
  if (match === undefined) throw new Error(`no function ${name}`);
  return match.Properties.Environment.Variables;
}

/** The secret CloudFront sends to the API (the stack's other secrets are the declared ones). */
const originSecretId = (template: Template) =>
  template.getResourceId('AWS::SecretsManager::Secret', {
    Properties: { Description: Match.stringLikeRegexp('CloudFront') },
  });

const logicalIdOf = (template: Template, type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids, type).toHaveLength(1);
  return ids[0] ?? '';
};

describe('edge=true: the WAF web ACL', () => {
  it('is created for CloudFront, in a stack of its own in us-east-1, in the same account', () => {
    // Act
    const acl = webAclOf(byDefault.edgeTemplate);
    // Assess
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(byDefault.edge.region).toBe('us-east-1');
    expect(byDefault.edge.account).toBe(environment.account);
    expect(byDefault.main.region).toBe(environment.region);
    byDefault.mainTemplate.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('blocks a client IP above 300 requests in 5 minutes with 429, Retry-After and a Dutch/English text', () => {
    // Act
    const acl = webAclOf(byDefault.edgeTemplate);
    const rule = acl.Rules.find((r) => r.Statement.RateBasedStatement !== undefined);
    // Assess
    expect(rule?.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'IP',
      Limit: 300,
      EvaluationWindowSec: 300,
    });
    expect(rule?.Priority).toBe(0);
    const block = z
      .object({
        Block: z.object({
          CustomResponse: z.object({
            ResponseCode: z.number(),
            CustomResponseBodyKey: z.string(),
            ResponseHeaders: z.array(z.object({ Name: z.string(), Value: z.string() })),
          }),
        }),
      })
      .parse(rule?.Action).Block.CustomResponse;
    expect(block.ResponseCode).toBe(429);
    expect(block.ResponseHeaders).toEqual([{ Name: 'retry-after', Value: String(RATE_WINDOW_SECONDS) }]);
    expect(acl.CustomResponseBodies[block.CustomResponseBodyKey]?.Content).toMatch(
      /Te veel verzoeken.*Too many/,
    );
  });

  it('takes the rate limit from context edgeRateLimit', () => {
    // Act
    const acl = webAclOf(edgeTemplates({ edgeRateLimit: '1000' }).edgeTemplate);
    // Assess
    expect(acl.Rules.find((r) => r.Statement.RateBasedStatement)?.Statement.RateBasedStatement?.Limit).toBe(
      1000,
    );
  });

  it('applies the AWS managed common rule set after the rate rule, allowing what no rule blocks', () => {
    // Act
    const acl = webAclOf(byDefault.edgeTemplate);
    const rule = acl.Rules.find((r) => r.Statement.ManagedRuleGroupStatement !== undefined);
    // Assess
    expect(rule?.Statement.ManagedRuleGroupStatement).toMatchObject({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesCommonRuleSet',
    });
    expect(rule?.OverrideAction).toEqual({ None: {} });
    expect(rule?.Priority).toBe(1);
    expect(acl.DefaultAction).toEqual({ Allow: {} });
  });

  it('only counts the 8 KB body rule, because the intake accepts bodies up to its own larger limit', () => {
    // Act
    const acl = webAclOf(byDefault.edgeTemplate);
    const overrides = acl.Rules.find((r) => r.Statement.ManagedRuleGroupStatement)?.Statement
      .ManagedRuleGroupStatement?.RuleActionOverrides;
    // Assess: the override is there because the intake's limit is above SizeRestrictions_BODY's 8 KB.
    expect(MAX_BODY_BYTES).toBeGreaterThan(8 * 1024);
    expect(overrides).toEqual([{ Name: BODY_SIZE_RULE, ActionToUse: { Count: {} } }]);
  });

  it('keeps no log of client IPs (which WAF would store in us-east-1) unless edgeLogging is set', () => {
    byDefault.edgeTemplate.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    byDefault.edgeTemplate.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  it('with edgeLogging, logs only blocked and counted requests, with the path and query string (tokens) redacted', () => {
    // Act / Assess
    withLogging.edgeTemplate.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [logicalIdOf(withLogging.edgeTemplate, 'AWS::WAFv2::WebACL'), 'Arn'] },
      RedactedFields: Match.arrayEquals([{ UriPath: {} }, { QueryString: {} }]),
      LoggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          Match.objectLike({
            Behavior: 'KEEP',
            Conditions: Match.arrayEquals([
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
            ]),
          }),
        ],
      },
    });
    withLogging.edgeTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      RetentionInDays: 30,
    });
  });
});

describe('edge=true: the CloudFront distribution', () => {
  it('uses the web ACL of the us-east-1 stack', () => {
    // Prepare: the edge stack publishes the ACL's ARN as an output the main stack reads across Regions.
    const aclId = logicalIdOf(byDefault.edgeTemplate, 'AWS::WAFv2::WebACL');
    const outputs = byDefault.edgeTemplate.findOutputs('*', { Value: { 'Fn::GetAtt': [aclId, 'Arn'] } });
    const [outputName] = Object.keys(outputs);
    // Act
    const { WebACLId } = distributionOf(byDefault.mainTemplate);
    // Assess
    expect(outputName).toBeDefined();
    expect(WebACLId).toEqual({
      'Fn::GetStackOutput': {
        StackName: byDefault.edge.stackName,
        Region: 'us-east-1',
        OutputName: outputName,
      },
    });
  });

  it("has the API's execute-api endpoint as its one origin, over HTTPS with TLS 1.2", () => {
    // Act
    const [origin, ...others] = distributionOf(byDefault.mainTemplate).Origins;
    // Assess
    expect(others).toEqual([]);
    expect(origin?.DomainName).toEqual({
      'Fn::Join': [
        '',
        [
          { Ref: logicalIdOf(byDefault.mainTemplate, 'AWS::ApiGatewayV2::Api') },
          '.execute-api.eu-west-1.',
          { Ref: 'AWS::URLSuffix' },
        ],
      ],
    });
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('caches nothing, passes every method on and serves HTTPS only', () => {
    // Act
    const behavior = distributionOf(byDefault.mainTemplate).DefaultCacheBehavior;
    // Assess
    expect(behavior.CachePolicyId).toBe(CACHING_DISABLED);
    expect([...behavior.AllowedMethods].sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
    ]);
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
  });

  it('forwards the query string, the viewer address and the headers the functions read, but not Host or cookies', () => {
    // Act
    const policy = originRequestPolicyOf(byDefault.mainTemplate);
    // Assess
    expect(policy.QueryStringsConfig.QueryStringBehavior).toBe('all');
    expect(policy.CookiesConfig.CookieBehavior).toBe('none');
    expect(policy.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(policy.HeadersConfig.Headers).toContain(VIEWER_ADDRESS_HEADER);
    expect(policy.HeadersConfig.Headers).not.toContain('host');
    expect(distributionOf(byDefault.mainTemplate).DefaultCacheBehavior.OriginRequestPolicyId).toEqual({
      Ref: logicalIdOf(byDefault.mainTemplate, 'AWS::CloudFront::OriginRequestPolicy'),
    });
  });

  it('forwards every request header a function reads', () => {
    // Prepare: the header names the code under functions/ reads with `header(event, '…')`. API Gateway sets
    // x-forwarded-proto itself; CloudFront decides Accept-Encoding (no origin request policy may name it).
    const setByOthers = new Set(['x-forwarded-proto', 'accept-encoding']);
    const root = new URL('../../functions/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const read = new Set(
      files.flatMap((file) =>
        [...readFileSync(new URL(file, root), 'utf8').matchAll(/header\(event, '([a-z0-9-]+)'\)/g)].map(
          (m) => m[1] ?? '',
        ),
      ),
    );
    // Act
    const forwarded = new Set<string>(originRequestPolicyOf(byDefault.mainTemplate).HeadersConfig.Headers);
    // Assess
    expect(read.size).toBeGreaterThan(3);
    for (const name of read) if (!setByOthers.has(name)) expect(forwarded.has(name), name).toBe(true);
    expect([...forwarded].sort()).toEqual([...forwardedHeaders].sort());
  });

  it('sends the origin secret from Secrets Manager, never as a literal in the template', () => {
    // Act
    const [origin] = distributionOf(byDefault.mainTemplate).Origins;
    const secretId = originSecretId(byDefault.mainTemplate);
    // Assess
    expect(origin?.OriginCustomHeaders).toEqual([
      {
        HeaderName: EDGE_ORIGIN_HEADER,
        HeaderValue: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
        },
      },
    ]);
  });
});

describe('edge=true: the functions and the outputs', () => {
  const distributionId = logicalIdOf(byDefault.mainTemplate, 'AWS::CloudFront::Distribution');
  const distributionDomain = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
  const cloudFrontUrl = { 'Fn::Join': ['', ['https://', distributionDomain, '/']] };
  const functions = Object.entries(declaration.functions);

  it('gives the HTTP functions, and only them, the origin secret and the public host', () => {
    // Prepare
    const secret = JSON.stringify({
      Ref: originSecretId(byDefault.mainTemplate),
    });
    for (const [name, fn] of functions) {
      // Act
      const variables = variablesOf(byDefault.mainTemplate, name);
      // Assess
      if (fn.trigger.kind === 'http') {
        expect(JSON.stringify(variables[EDGE_ORIGIN_SECRET_ENV]), name).toContain(secret);
        expect(variables[EDGE_PUBLIC_HOST_ENV], name).toEqual(distributionDomain);
      } else {
        expect(variables[EDGE_ORIGIN_SECRET_ENV], name).toBeUndefined();
        expect(variables[EDGE_PUBLIC_HOST_ENV], name).toBeUndefined();
      }
    }
  });

  it('puts the CloudFront URL in the e-mail links and the ApiUrl output, and outputs the distribution', () => {
    for (const [name, fn] of functions)
      if (fn.linksToApi)
        expect(variablesOf(byDefault.mainTemplate, name)[PUBLIC_BASE_URL_ENV], name).toEqual(cloudFrontUrl);
    byDefault.mainTemplate.hasOutput('ApiUrl', { Value: cloudFrontUrl });
    byDefault.mainTemplate.hasOutput('EdgeDistributionDomain', { Value: distributionDomain });
  });
});

describe('edge=true with a domain of its own', () => {
  it('serves the domain on CloudFront with the us-east-1 certificate, TLS 1.2 at least', () => {
    // Act
    const config = distributionOf(withOwnDomain.mainTemplate);
    // Assess
    expect(config.Aliases).toEqual([withDomain.domainName]);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: withDomain.edgeCertificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
  });

  it("forwards to the API's custom domain endpoint with the viewer's Host, which API Gateway needs", () => {
    // Act
    const [origin] = distributionOf(withOwnDomain.mainTemplate).Origins;
    const headers = originRequestPolicyOf(withOwnDomain.mainTemplate).HeadersConfig.Headers;
    // Assess
    expect(origin?.DomainName).toEqual({
      'Fn::GetAtt': [
        logicalIdOf(withOwnDomain.mainTemplate, 'AWS::ApiGatewayV2::DomainName'),
        'RegionalDomainName',
      ],
    });
    expect(headers).toContain('host');
    withOwnDomain.mainTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      DisableExecuteApiEndpoint: true,
    });
  });

  it('links with the domain, and points the domain at CloudFront in the DNS outputs', () => {
    // Prepare
    const distributionId = logicalIdOf(withOwnDomain.mainTemplate, 'AWS::CloudFront::Distribution');
    // Act / Assess
    withOwnDomain.mainTemplate.hasOutput('ApiUrl', { Value: `https://${withDomain.domainName}/` });
    withOwnDomain.mainTemplate.hasOutput('ApiDomainTarget', {
      Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
    });
    for (const [name, fn] of Object.entries(declaration.functions))
      if (fn.trigger.kind === 'http')
        expect(variablesOf(withOwnDomain.mainTemplate, name)[EDGE_PUBLIC_HOST_ENV], name).toBe(
          withDomain.domainName,
        );
  });
});

describe('without edge', () => {
  it('has one environment-agnostic stack with no CloudFront or WAF resource', () => {
    // Act
    const { main, stacks } = application({});
    const template = Template.fromStack(main);
    // Assess
    expect(stacks).toEqual([main]);
    expect(main.environment).toBe('aws://unknown-account/unknown-region');
    for (const type of [
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::OriginRequestPolicy',
      'AWS::WAFv2::WebACL',
      'AWS::WAFv2::LoggingConfiguration',
    ])
      template.resourceCountIs(type, 0);
    for (const [name] of Object.entries(declaration.functions))
      expect(variablesOf(template, name)[EDGE_ORIGIN_SECRET_ENV], name).toBeUndefined();
  });
});

describe('edge=true: settings that cannot be deployed', () => {
  it('fails the synth naming account and region when neither context nor the CLI gives them', () => {
    // Act
    const synth = () => application({ edge: true }, {});
    // Assess
    expect(synth).toThrow(ConfigError);
    expect(synth).toThrow(/account and region are unknown. Set -c account=\d{12} -c region=/);
  });

  it("takes the CLI's account and Region when the context gives none", () => {
    // Act
    const { main } = application({ edge: 'true' }, environment);
    // Assess
    expect(main.account).toBe(environment.account);
    expect(main.region).toBe(environment.region);
  });

  it.each([
    [
      'a domain without a certificate in us-east-1',
      { ...withDomain, edgeCertificateArn: undefined },
      /edgeCertificateArn: edge=true with domainName needs a certificate/,
    ],
    [
      'an edge certificate outside us-east-1',
      { ...withDomain, edgeCertificateArn: withDomain.certificateArn },
      /edgeCertificateArn: a certificate in us-east-1/,
    ],
    [
      'an edge certificate without a domain',
      { edgeCertificateArn: withDomain.edgeCertificateArn },
      /edgeCertificateArn: is used with edge=true and domainName only/,
    ],
    ["a rate limit below WAF's minimum of 10", { edgeRateLimit: 5 }, /edgeRateLimit/],
  ])('refuses %s', (_, context, message) => {
    expect(() => application({ ...edgeContext, ...context })).toThrow(message);
  });

  it('refuses edgeLogging without edge', () => {
    expect(() => application({ edgeLogging: true })).toThrow(/edgeLogging: is used with edge=true only/);
  });

  it('refuses account and region without edge (the stack stays environment-agnostic)', () => {
    expect(() => application(environment)).toThrow(/account: is used with edge=true only/);
  });
});

const templateShape = z.object({ Resources: z.record(z.string(), z.unknown()) });

/** Synthesizes the edge app (running cdk-nag) and returns each stack's template as written to disk. */
function synthesized(context: Record<string, unknown> = {}) {
  const { app, stacks, outdir } = application({ ...edgeContext, ...context });
  app.synth();
  return stacks.map((stack) => {
    const file = path.join(outdir, `${stack.artifactId}.template.json`);
    return { file, template: templateShape.parse(JSON.parse(readFileSync(file, 'utf8'))) };
  });
}

describe('edge=true: compliance', () => {
  it.each([
    ['by default', {}],
    ['with a domain of its own', withDomain],
    ['with the WAF log', { edgeLogging: true }],
  ])('synthesizes both stacks with no unacknowledged cdk-nag finding %s', (_, context) => {
    expect(() => synthesized(context)).not.toThrow();
  });

  it('runs cdk-nag on the us-east-1 stack too: a bucket without access logs there fails the synth', () => {
    // Prepare
    const { app, stacks, main } = application(edgeContext);
    const edge = stacks.find((stack) => stack !== main);
    if (edge === undefined) throw new Error('no edge stack');
    new Bucket(edge, 'UncheckedBucket');
    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-S1\b/);
  });

  it('acknowledges only the reviewed edge findings, each with a reason written into the template', () => {
    // Act: the acknowledgements of the edge's resources (those of the stack without edge are in compliance.test.ts).
    const acknowledged = new Map<string, string>();
    for (const { template } of synthesized())
      for (const [id, resource] of Object.entries(template.Resources))
        if (id.startsWith('Edge') || id.startsWith('Firewall'))
          for (const rule of acknowledgementsOf(resource)) acknowledged.set(rule.id, rule.reason);
    // Assess
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR3',
      'AwsSolutions-CFR4',
      'AwsSolutions-SMG4',
    ]);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(120);
  });
});

const hasCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

describe('edge=true: cfn-lint', () => {
  it.skipIf(!hasCfnLint).each([
    ['by default', {}],
    ['with a domain of its own', withDomain],
    ['with the WAF log', { edgeLogging: true }],
  ])('passes cfn-lint on each template %s (where installed; CI has it)', (_, context) => {
    // Prepare
    const files = synthesized(context).map(({ file }) => file);
    // Act: W3005 (a DependsOn that a GetAtt already implies) is how CDK writes templates.
    const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...files], { encoding: 'utf8' });
    // Assess
    expect(files).toHaveLength(2);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
