import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scheduleTickSchema } from '../../events/schedule-tick.js';
import {
  declaration,
  environmentFor,
  MAIL_CONFIGURATION_SET_ENV,
  PUBLIC_BASE_URL_ENV,
  type ResourceNames,
  SCHEDULE_RATE_ENV,
} from '../../functions/declaration.js';
import { mailFromDomainFor } from '../../infra/aws/settings.js';
import {
  arnOf,
  arnText,
  deployableMunicipality,
  getAtt,
  listOf,
  ref,
  resourceIn,
  sameJson,
  synthDeployable,
} from '../support/cdk.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the stack as `cdk synth` builds it (cdk.json context, feature flags), bundling skipped.
// ---------------------------------------------------------------------------------------------

const municipality = deployableMunicipality;

const template = synthDeployable();
const resource = resourceIn(template);

const functions = Object.entries(declaration.functions);
const tables = Object.entries(declaration.tables);
const queues = Object.entries(declaration.queues);

// Stateful resources keep logical ids derived from their declared names; changing this rule would
// make CloudFormation replace the table and the queues, so it is spelled out here on purpose.
const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const tableId = (name: string) => `${upperFirst(name)}Table`;
const queueId = (name: string) => `${upperFirst(name)}Queue`;
const deadLetterQueueId = (name: string) => `${upperFirst(name)}DeadLetterQueue`;
const secretId = (name: string) => `${upperFirst(name)}Secret`;
const configurationSetId = 'MailConfigurationSet';
const senderIdentityId = 'SenderIdentity';
const secrets = Object.entries(declaration.secrets);

/** Logical id of the Lambda function deployed for a declared function (found by its declared description). */
function functionId(name: string): string {
  const fn = declaration.functions[name];
  if (fn === undefined) throw new Error(`function ${name} is not declared`);
  return template.getResourceId('AWS::Lambda::Function', { Properties: { Description: fn.description } });
}

const lambdaShape = z.object({
  Properties: z.object({
    Role: getAtt,
    Timeout: z.number(),
    LoggingConfig: z.object({ LogFormat: z.string().optional(), LogGroup: ref }),
  }),
});

const statementShape = z.object({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
  Condition: z.unknown().optional(),
});
type Statement = z.infer<typeof statementShape>;
const policyDocument = z.object({ Statement: z.array(statementShape) });

/** Every IAM statement in the template: policies, managed policies and inline role policies. */
function allStatements(): Statement[] {
  const documents: unknown[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'])
    for (const r of Object.values(template.findResources(type))) documents.push(r.Properties.PolicyDocument);
  for (const r of Object.values(template.findResources('AWS::IAM::Role')))
    for (const p of z.array(z.object({ PolicyDocument: z.unknown() })).parse(r.Properties.Policies ?? []))
      documents.push(p.PolicyDocument);
  return documents.flatMap((d) => policyDocument.parse(d).Statement);
}

/** The IAM statements attached to a function's execution role. */
function statementsOf(name: string): Statement[] {
  const roleId = resource('AWS::Lambda::Function', functionId(name), lambdaShape).Properties.Role[
    'Fn::GetAtt'
  ][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap((p) => policyDocument.parse(p.Properties.PolicyDocument).Statement);
}

/** Whether an IAM action pattern (`ses:*`, `*`, `sqs:Send*`) covers an action. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 'i').test(action);
const allows = (s: Statement, action: string) =>
  s.Effect === 'Allow' && listOf(s.Action).some((a) => typeof a === 'string' && covers(a, action));
/** Statements allowing an action, with their resources. */
const resourcesAllowed = (statements: Statement[], action: string): unknown[] =>
  statements.filter((s) => allows(s, action)).flatMap((s) => listOf(s.Resource));

/** A resource as text: strings as they are, `Ref` as `{Id}`, `Fn::GetAtt` as `{Id.Attr}`, joins concatenated. */
function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = z.object({ 'Fn::Join': z.tuple([z.literal(''), z.array(z.unknown())]) }).safeParse(value);
  if (join.success) return join.data['Fn::Join'][1].map(joinText).join('');
  const r = ref.safeParse(value);
  if (r.success) return `{${r.data.Ref}}`;
  const g = getAtt.safeParse(value);
  if (g.success) return `{${g.data['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------

describe('data: the declared tables', () => {
  it('keeps each table under a logical id derived from its name, retained on delete and replace, protected from deletion', () => {
    // Prepare / Act: the synthesized template
    // Assess
    for (const [name] of tables) {
      const table = resource(
        'AWS::DynamoDB::Table',
        tableId(name),
        z.object({
          DeletionPolicy: z.string(),
          UpdateReplacePolicy: z.string(),
          Properties: z.object({ DeletionProtectionEnabled: z.boolean().optional() }),
        }),
      );
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      // Deletion protection refuses DeleteTable from anyone, the console and scripts included.
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('bills on demand, keeps point-in-time recovery and expires items on the declared TTL attribute', () => {
    for (const [name, table] of tables) {
      const { Properties } = resource(
        'AWS::DynamoDB::Table',
        tableId(name),
        z.object({ Properties: z.unknown() }),
      );
      expect(Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
      });
    }
  });

  it('has exactly the declared indexes, with their keys and projection', () => {
    const projection = { keys: 'KEYS_ONLY', all: 'ALL', include: 'INCLUDE' } as const;
    for (const [name, table] of tables) {
      // Prepare
      const expected = Object.entries(table.indexes).map(([indexName, index]) => ({
        IndexName: indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: projection[index.projection],
          ...(index.attributes ? { NonKeyAttributes: index.attributes } : {}),
        },
      }));
      // Act
      const { Properties } = resource(
        'AWS::DynamoDB::Table',
        tableId(name),
        z.object({ Properties: z.object({ GlobalSecondaryIndexes: z.array(z.unknown()).default([]) }) }),
      );
      // Assess
      const byName = (a: { IndexName: string }, b: { IndexName: string }) =>
        a.IndexName.localeCompare(b.IndexName);
      const actual = z
        .array(z.object({ IndexName: z.string() }).loose())
        .parse(Properties.GlobalSecondaryIndexes);
      expect([...actual].sort(byName)).toEqual([...expected].sort(byName));
    }
  });
});

describe('queues: each declared queue with its dead-letter queue', () => {
  const queueShape = z.object({
    Properties: z.object({
      VisibilityTimeout: z.number().optional(),
      MessageRetentionPeriod: z.number(),
      SqsManagedSseEnabled: z.boolean(),
      RedrivePolicy: z.unknown().optional(),
    }),
  });

  it('moves a message to the dead-letter queue after the declared number of receives', () => {
    for (const [name, queue] of queues) {
      const { Properties } = resource('AWS::SQS::Queue', queueId(name), queueShape);
      expect(Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(deadLetterQueueId(name)),
        maxReceiveCount: queue.deadLetter.maxReceiveCount,
      });
    }
  });

  it('keeps messages for the declared retention, encrypted at rest and reachable over TLS only', () => {
    for (const [name, queue] of queues) {
      for (const [id, days] of [
        [queueId(name), queue.retentionDays],
        [deadLetterQueueId(name), queue.deadLetter.retentionDays],
      ] as const) {
        const { Properties } = resource('AWS::SQS::Queue', id, queueShape);
        expect(Properties.MessageRetentionPeriod).toBe(days * 24 * 60 * 60);
        expect(Properties.SqsManagedSseEnabled).toBe(true);
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    }
  });

  it('hides a message in flight for the declared time, at least 6x the timeout of the function consuming it', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'queue') continue;
      // Prepare
      const queue = declaration.queues[fn.trigger.queue];
      // Act
      const visibility = resource('AWS::SQS::Queue', queueId(fn.trigger.queue), queueShape).Properties
        .VisibilityTimeout;
      const timeout = resource('AWS::Lambda::Function', functionId(name), lambdaShape).Properties.Timeout;
      // Assess
      expect(visibility).toBe(queue?.visibilityTimeoutSeconds);
      expect(visibility ?? 0).toBeGreaterThanOrEqual(6 * timeout);
    }
  });
});

describe('queue triggers', () => {
  it('consumes the declared queue with the declared batch size, window and concurrency, reporting partial failures', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'queue') continue;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(name) },
        EventSourceArn: arnOf(queueId(fn.trigger.queue)),
        BatchSize: fn.trigger.batchSize,
        MaximumBatchingWindowInSeconds: fn.trigger.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: fn.trigger.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it("shares the account's SES rate (context sesMaxSendRate): the router's concurrency and each instance's pace follow it", () => {
    // Prepare: the sandbox's 1 e-mail a second, the default (a new production account, 14), and a raised 200
    const paces = (t: Template) =>
      Object.fromEntries(
        functions.map(([name, fn]) => {
          const id = t.getResourceId('AWS::Lambda::Function', {
            Properties: { Description: fn.description },
          });
          const env = z
            .object({
              Properties: z.object({
                Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
              }),
            })
            .parse(t.findResources('AWS::Lambda::Function')[id]).Properties.Environment.Variables;
          return [name, env.MAIL_SEND_RATE];
        }),
      );
    const concurrency = (t: Template, name: string) =>
      z
        .object({ Properties: z.object({ ScalingConfig: z.object({ MaximumConcurrency: z.number() }) }) })
        .parse(
          Object.values(
            t.findResources('AWS::Lambda::EventSourceMapping', {
              Properties: {
                FunctionName: {
                  Ref: t.getResourceId('AWS::Lambda::Function', {
                    Properties: { Description: declaration.functions[name]?.description },
                  }),
                },
              },
            }),
          )[0],
        ).Properties.ScalingConfig.MaximumConcurrency;

    // Act
    const sandbox = synthDeployable({ sesMaxSendRate: '1' });
    const raised = synthDeployable({ sesMaxSendRate: '200' });

    // Assess: only the functions that send mail in volume are paced; together they stay within the rate.
    // The mail-events function sends `rarely`: unpaced, with its declared concurrency, and no share.
    expect(paces(template)).toEqual({
      intake: undefined,
      router: '2.24',
      mailEvents: undefined,
      sla: '2.8',
      actions: undefined,
    });
    expect(concurrency(template, 'router')).toBe(5);
    expect(concurrency(template, 'mailEvents')).toBe(2);
    expect(paces(sandbox)).toMatchObject({ router: '0.4', mailEvents: undefined, sla: '0.2' });
    expect(concurrency(sandbox, 'router')).toBe(2);
    expect(paces(raised)).toMatchObject({ router: '32', mailEvents: undefined, sla: '40' });
    expect(concurrency(raised, 'router')).toBe(5);
    expect(concurrency(raised, 'mailEvents')).toBe(2);
    expect(() => synthDeployable({ sesMaxSendRate: '0' })).toThrow(/sesMaxSendRate/);
  });
});

describe('functions', () => {
  it('runs every function on Node.js 24 and arm64 with the declared timeout and memory', () => {
    for (const [name, fn] of functions) {
      const { Properties } = resource(
        'AWS::Lambda::Function',
        functionId(name),
        z.object({ Properties: z.unknown() }),
      );
      expect(Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: fn.timeoutSeconds,
        MemorySize: fn.memoryMb,
      });
    }
  });

  it('logs JSON into its own log group that expires its entries', () => {
    const logGroups = new Set<string>();
    for (const [name] of functions) {
      const { Properties } = resource('AWS::Lambda::Function', functionId(name), lambdaShape);
      expect(Properties.LoggingConfig.LogFormat).toBe('JSON');
      const logGroupId = Properties.LoggingConfig.LogGroup.Ref;
      const logGroup = resource(
        'AWS::Logs::LogGroup',
        logGroupId,
        z.object({ Properties: z.object({ RetentionInDays: z.number().optional() }) }),
      );
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
      logGroups.add(logGroupId);
    }
    expect(logGroups.size).toBe(functions.length);
  });

  it('gets exactly the environment environmentFor derives from its declaration, plus the Powertools settings', () => {
    // Prepare: names stand for the logical ids; a table's and a queue's `Ref` are its name and URL.
    const names = {
      tables: Object.fromEntries(tables.map(([name]) => [name, tableId(name)])),
      queues: Object.fromEntries(queues.map(([name]) => [name, queueId(name)])),
      secrets: Object.fromEntries(secrets.map(([name]) => [name, secretId(name)])),
    } as ResourceNames;
    for (const [name, fn] of functions) {
      const declared = Object.fromEntries(
        // A resource's value is its `Ref`; the schedule's rate is the declared number itself.
        Object.entries(environmentFor(fn, names)).map(([key, value]) => [
          key,
          key === SCHEDULE_RATE_ENV ? value : { Ref: value },
        ]),
      );
      // Act / Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: fn.description,
        Environment: {
          Variables: Match.exact({
            ...declared,
            ...(fn.linksToApi ? { [PUBLIC_BASE_URL_ENV]: Match.anyValue() } : {}),
            ...(fn.sendsMail ? { [MAIL_CONFIGURATION_SET_ENV]: { Ref: configurationSetId } } : {}),
            // Paced only where it sends in volume; a function that sends `rarely` takes no share.
            ...(fn.sendsMail === true ? { MAIL_SEND_RATE: Match.anyValue() } : {}),
            POWERTOOLS_SERVICE_NAME: name,
            POWERTOOLS_METRICS_NAMESPACE: 'Aanspreekpunt',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
    }
  });
});

describe('secrets: the action link key', () => {
  const variablesOf = (name: string) =>
    resource(
      'AWS::Lambda::Function',
      functionId(name),
      z.object({
        Properties: z.object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) }),
      }),
    ).Properties.Environment.Variables;

  it('generates each declared secret under a stable logical id, kept when the stack goes', () => {
    for (const [name] of secrets) {
      const secret = template.findResources('AWS::SecretsManager::Secret')[secretId(name)];
      expect(secret, name).toBeDefined();
      expect(secret?.DeletionPolicy).toBe('Retain');
      expect(secret?.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
      expect(secret?.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(64);
    }
  });

  it('lets a function read a secret only if it declares it', () => {
    for (const [name, fn] of functions)
      for (const [secret] of secrets) {
        const readable = resourcesAllowed(statementsOf(name), 'secretsmanager:GetSecretValue').some((r) =>
          sameJson(r, { Ref: secretId(secret) }),
        );
        expect(readable, `${name} reads ${secret}`).toBe(secret in fn.secrets);
      }
  });

  it('gives the functions that put links in e-mails the URL of the API', () => {
    const api = template.getResourceId('AWS::ApiGatewayV2::Api');
    for (const [name, fn] of functions) {
      const url = variablesOf(name)[PUBLIC_BASE_URL_ENV];
      if (!fn.linksToApi) {
        expect(url, name).toBeUndefined();
        continue;
      }
      expect(JSON.stringify(url), name).toContain(`{"Ref":"${api}"}`);
      expect(JSON.stringify(url), name).toContain('execute-api');
    }
  });
});

describe('http triggers', () => {
  const routeShape = z.object({
    Properties: z.object({
      Target: z.object({ 'Fn::Join': z.tuple([z.literal(''), z.tuple([z.literal('integrations/'), ref])]) }),
    }),
  });

  it("serves the enterprise's satisfaction form (GET and POST) from the actions function, which holds the link key", () => {
    // Prepare
    const actions = declaration.functions.actions;

    // Act
    const routes = actions?.trigger.kind === 'http' ? actions.trigger.routes : [];

    // Assess
    expect(routes).toEqual(
      expect.arrayContaining(['GET /satisfaction/{token}', 'POST /satisfaction/{token}']),
    );
    expect(actions?.secrets).toEqual({ actionLinkKey: 'read' });
    for (const route of ['GET /satisfaction/{token}', 'POST /satisfaction/{token}'])
      expect(
        template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: route } }),
      ).not.toEqual({});
  });

  it('serves every declared route from the function that declares it', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'http') continue;
      for (const route of fn.trigger.routes) {
        // Act
        const routeId = template.getResourceId('AWS::ApiGatewayV2::Route', {
          Properties: { RouteKey: route },
        });
        const integrationId = resource('AWS::ApiGatewayV2::Route', routeId, routeShape).Properties.Target[
          'Fn::Join'
        ][1][1].Ref;
        // Assess
        const integration = resource(
          'AWS::ApiGatewayV2::Integration',
          integrationId,
          z.object({ Properties: z.unknown() }),
        );
        expect(integration.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: arnOf(functionId(name)),
        });
      }
    }
  });

  it('throttles every stage and serves the API from an auto-deployed $default stage', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) {
      const { Properties } = z
        .object({
          Properties: z.object({
            DefaultRouteSettings: z.object({
              ThrottlingRateLimit: z.number().positive(),
              ThrottlingBurstLimit: z.number().int().positive(),
            }),
          }),
        })
        .parse(stage);
      expect(Properties.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(
        Properties.DefaultRouteSettings.ThrottlingRateLimit,
      );
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  });

  const domain = {
    domainName: 'aanspreekpunt.gemeente-lindehoven.nl',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  };

  it('keeps the default execute-api endpoint and creates no domain when none is given', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
    const api = resource(
      'AWS::ApiGatewayV2::Api',
      template.getResourceId('AWS::ApiGatewayV2::Api'),
      z.object({ Properties: z.object({ DisableExecuteApiEndpoint: z.boolean().optional() }) }),
    );
    expect(api.Properties.DisableExecuteApiEndpoint).not.toBe(true);
  });

  it('serves the API on its own domain (context domainName + certificateArn) with the default endpoint disabled', () => {
    // Act
    const own = synthDeployable(domain);
    // Assess: the domain with its certificate (TLS 1.2), mapped to the throttled $default stage.
    own.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    const domainId = own.getResourceId('AWS::ApiGatewayV2::DomainName', {
      Properties: {
        DomainName: domain.domainName,
        DomainNameConfigurations: [
          { CertificateArn: domain.certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
        ],
      },
    });
    own.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: own.getResourceId('AWS::ApiGatewayV2::Api') },
      DomainName: { Ref: domainId },
      Stage: '$default',
    });
    // The links in e-mails and the ApiUrl output use the domain, never execute-api.
    const url = `https://${domain.domainName}/`;
    const fns = own.findResources('AWS::Lambda::Function');
    for (const [name, fn] of functions) {
      const id = own.getResourceId('AWS::Lambda::Function', { Properties: { Description: fn.description } });
      const variables = z
        .object({
          Properties: z.object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) }),
        })
        .parse(fns[id]).Properties.Environment.Variables;
      expect(variables[PUBLIC_BASE_URL_ENV], name).toBe(fn.linksToApi ? url : undefined);
    }
    const outputs = own.findOutputs('*');
    expect(outputs.ApiUrl?.Value).toBe(url);
    // What the municipality publishes in DNS: the regional target, or a Route 53 alias with its zone.
    expect(outputs.ApiDomainTarget?.Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
    expect(outputs.ApiDomainHostedZoneId?.Value).toEqual({
      'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'],
    });
    // No output names the default endpoint (the invoke permissions' source ARNs still say execute-api).
    expect(JSON.stringify(outputs).includes('execute-api')).toBe(false);
  });

  it('takes a domain only with its certificate, and each as a valid value', () => {
    expect(() => synthDeployable({ domainName: domain.domainName })).toThrow(
      /certificateArn: domainName and certificateArn go together/,
    );
    expect(() => synthDeployable({ certificateArn: domain.certificateArn })).toThrow(
      /domainName: domainName and certificateArn go together/,
    );
    expect(() => synthDeployable({ ...domain, certificateArn: 'arn:aws:iam::123456789012:role/x' })).toThrow(
      /certificateArn: an ACM certificate ARN/,
    );
    expect(() => synthDeployable({ ...domain, domainName: 'https://aanspreekpunt.nl' })).toThrow(
      /domainName: a domain name/,
    );
  });

  it('takes the throttling from context, as given on the command line (strings)', () => {
    // Prepare / Act
    const tuned = synthDeployable({ apiRateLimit: '7', apiBurstLimit: '21' });
    // Assess
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 21 },
    });
  });
});

describe('schedule triggers', () => {
  it("lets Scheduler assume a schedule's role only for this account's default schedule group", () => {
    // Act
    const roles = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } }),
            ]),
          },
        },
      }),
    );
    // Assess: one role per scheduled function, each with both conditions
    const scheduled = [...functions].filter(([, fn]) => fn.trigger.kind === 'schedule');
    expect(roles).toHaveLength(scheduled.length);
    for (const role of roles) {
      const conditions = role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals;
      expect(conditions['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(arnText(conditions['aws:SourceArn'])).toBe(
        'arn:{AWS::Partition}:scheduler:{AWS::Region}:{AWS::AccountId}:schedule-group/default',
      );
    }
  });

  it('invokes each scheduled function at the declared rate with a tick the function accepts', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'schedule') continue;
      // Act
      const found = template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Target: { Arn: arnOf(functionId(name)) } },
      });
      const schedules = z
        .array(
          z.object({
            Properties: z.object({ ScheduleExpression: z.string(), Target: z.object({ Input: z.string() }) }),
          }),
        )
        .parse(Object.values(found));
      // Assess
      expect(schedules).toHaveLength(1);
      for (const { Properties } of schedules) {
        const minutes = fn.trigger.rateMinutes;
        // CDK writes a whole number of days or hours as such: 1440 minutes is `rate(1 day)`.
        const rate =
          minutes % 1440 === 0
            ? [minutes / 1440, 'day']
            : minutes % 60 === 0
              ? [minutes / 60, 'hour']
              : [minutes, 'minute'];
        expect(Properties.ScheduleExpression).toBe(`rate(${rate[0]} ${rate[1]}${rate[0] === 1 ? '' : 's'})`);
        expect(Properties.Target.Input).toContain('<aws.scheduler.scheduled-time>');
        // Scheduler substitutes the placeholder with the scheduled time, e.g. 2025-03-01T08:05:00Z.
        const delivered = Properties.Target.Input.replace(
          '<aws.scheduler.scheduled-time>',
          '2025-03-01T08:05:00Z',
        );
        expect(scheduleTickSchema.parse(JSON.parse(delivered))).toEqual({
          scheduledTime: '2025-03-01T08:05:00Z',
        });
      }
    }
  });
});

describe('permissions', () => {
  it('allows sending e-mail on no resource wildcard, anywhere in the stack', () => {
    const sendEverywhere = allStatements().filter(
      (s) => allows(s, 'ses:SendEmail') && listOf(s.Resource).some((r) => r === '*'),
    );
    expect(sendEverywhere).toEqual([]);
  });

  it('lets a function send e-mail only if it declares so: as the sender identity, through the configuration set, from the configured address', () => {
    // Prepare
    const identityArn = `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:identity/{${senderIdentityId}}`;
    const configurationSetArn = `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:configuration-set/{${configurationSetId}}`;
    for (const [name, fn] of functions) {
      // Act
      const statements = statementsOf(name).filter((s) => allows(s, 'ses:SendEmail'));
      // Assess
      if (!fn.sendsMail) {
        expect(statements, name).toEqual([]);
        continue;
      }
      expect(statements, name).toHaveLength(1);
      const [statement] = statements;
      expect(listOf(statement?.Action), name).toEqual(['ses:SendEmail']);
      expect(listOf(statement?.Resource).map(arnText).sort(), name).toEqual(
        [configurationSetArn, identityArn].sort(),
      );
      expect(statement?.Condition, name).toEqual({
        StringEquals: { 'ses:FromAddress': municipality.sender },
      });
    }
  });

  it('lets each function query exactly the indexes it declares, by name, never through an index wildcard', () => {
    for (const [name, fn] of functions)
      for (const [table, use] of Object.entries(fn.tables)) {
        // Prepare
        const expected = [
          ...(use.operations.includes('Query') ? [`{${tableId(table)}.Arn}`] : []),
          ...use.indexes.map((index) => `{${tableId(table)}.Arn}/index/${index}`),
        ];
        // Act
        const queryable = resourcesAllowed(statementsOf(name), 'dynamodb:Query').map(joinText);
        // Assess
        expect([...queryable].sort(), name).toEqual(expected.sort());
      }
    // The intake queries nothing; the router the enterprise's cases and open cases, not what is due.
    expect(declaration.functions.intake?.tables.cases?.indexes).toEqual([]);
    expect(declaration.functions.router?.tables.cases?.indexes).not.toContain('due');
  });

  it('lets a function send to a queue only if it declares that queue', () => {
    for (const [name, fn] of functions) {
      const sendable = resourcesAllowed(statementsOf(name), 'sqs:SendMessage');
      for (const [queue] of queues) {
        const allowed = sendable.some((r) => sameJson(r, arnOf(queueId(queue))));
        expect(allowed, `${name} -> ${queue}`).toBe(queue in fn.queues);
      }
      // Nothing else: no wildcard, no queue that is not declared; a scheduled job also sends its failed
      // runs to its own failed-runs queue (Lambda's failure destination).
      const failedRuns = Object.keys(template.findResources('AWS::SQS::Queue'))
        .filter(
          (id) => fn.trigger.kind === 'schedule' && id.startsWith(`Schedules${upperFirst(name)}FailedRuns`),
        )
        .map((id) => arnOf(id));
      expect(failedRuns.length, name).toBe(fn.trigger.kind === 'schedule' ? 1 : 0);
      const declared = [...Object.keys(fn.queues).map((queue) => arnOf(queueId(queue))), ...failedRuns];
      for (const r of sendable)
        expect(
          declared.some((d) => sameJson(r, d)),
          `${name}: ${JSON.stringify(r)}`,
        ).toBe(true);
    }
  });

  it('grants each function exactly the DynamoDB operations it declares', () => {
    const never = ['Scan', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem', 'DescribeTable'];
    for (const [name, fn] of functions) {
      const declared = new Set(Object.values(fn.tables).flatMap((use) => use.operations));
      const unused = never.filter((operation) => !declared.has(operation as never));
      // Act
      const actions = statementsOf(name)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => listOf(s.Action))
        .filter((a): a is string => typeof a === 'string' && a.toLowerCase().startsWith('dynamodb:'));
      // Assess
      const expected = new Set(
        Object.values(fn.tables).flatMap((use) => [
          ...use.operations,
          ...(use.indexes.length > 0 ? ['Query'] : []),
        ]),
      );
      expect([...new Set(actions)].sort(), name).toEqual([...expected].map((o) => `dynamodb:${o}`).sort());
      for (const operation of unused)
        expect(
          statementsOf(name).some((s) => allows(s, `dynamodb:${operation}`)),
          `${name} may ${operation}`,
        ).toBe(false);
    }
  });

  it('gives a function the declared operations on the tables it declares and none on others', () => {
    for (const [name, fn] of functions) {
      const statements = statementsOf(name);
      for (const [table] of tables) {
        const onTable = (action: string) =>
          resourcesAllowed(statements, action).some((r) => sameJson(r, arnOf(tableId(table))));
        const use = fn.tables[table];
        for (const operation of ['GetItem', 'PutItem', 'UpdateItem'] as const)
          expect(onTable(`dynamodb:${operation}`), `${name} ${operation} ${table}`).toBe(
            use?.operations.includes(operation) ?? false,
          );
      }
    }
  });
});

describe('settings', () => {
  it('rejects invalid context, naming the key', () => {
    expect(() => synthDeployable({ apiRateLimit: 'fast' })).toThrow(/apiRateLimit/);
    expect(() => synthDeployable({ logRetentionDays: 3.5 })).toThrow(/logRetentionDays/);
  });
});

describe('outputs', () => {
  it('publishes the API URL, each table name and each queue and dead-letter queue URL', () => {
    const values = Object.values(template.findOutputs('*')).map((o) => JSON.stringify(o.Value));
    const published = (value: unknown) => values.includes(JSON.stringify(value));
    const api = template.getResourceId('AWS::ApiGatewayV2::Api');
    expect(values.some((v) => v.includes(`{"Ref":"${api}"}`) && v.includes('execute-api'))).toBe(true);
    for (const [name] of tables) expect(published({ Ref: tableId(name) }), name).toBe(true);
    for (const [name] of queues) {
      expect(published({ Ref: queueId(name) }), name).toBe(true);
      expect(published({ Ref: deadLetterQueueId(name) }), name).toBe(true);
    }
  });
});

describe('e-mail: the SES identity and configuration set', () => {
  it('creates the sender identity (by default the sender domain) with the configuration set as its default', () => {
    const domain = municipality.sender.slice(municipality.sender.indexOf('@') + 1);
    template.hasResource('AWS::SES::EmailIdentity', {
      Properties: {
        EmailIdentity: domain,
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSetId } },
      },
    });
    expect(Object.keys(template.findResources('AWS::SES::EmailIdentity'))).toEqual([senderIdentityId]);
  });

  it('requires TLS to the receiving server and sends bounce and complaint events to CloudWatch', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'bounce', 'complaint']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            {
              DimensionName: 'ses:configuration-set',
              DimensionValueSource: 'messageTag',
              DefaultDimensionValue: { Ref: configurationSetId },
            },
          ],
        },
      },
    });
  });

  it('sends as an address identity when context names the sender address', () => {
    // Act
    const byAddress = synthDeployable({ senderIdentity: municipality.sender });
    // Assess
    byAddress.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: municipality.sender });
  });

  it('refers to an identity that already exists instead of creating it, and still scopes sending to it', () => {
    // Act
    const existing = synthDeployable({ senderIdentityExists: 'true' });
    // Assess
    expect(existing.findResources('AWS::SES::EmailIdentity')).toEqual({});
    const domain = municipality.sender.slice(municipality.sender.indexOf('@') + 1);
    const statements = Object.values(existing.findResources('AWS::IAM::Policy'))
      .flatMap((p) => policyDocument.parse(p.Properties.PolicyDocument).Statement)
      .filter((s) => allows(s, 'ses:SendEmail'));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements)
      expect(listOf(s.Resource).map(arnText)).toContain(
        `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:identity/${domain}`,
      );
  });

  it('keeps the sender identity when the stack is deleted or the identity replaced', () => {
    // Its verification and DKIM records outlive the stack; a new stack refers to it (senderIdentityExists).
    template.hasResource('AWS::SES::EmailIdentity', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('bounces to a MAIL FROM subdomain of its own (default bounce.<domain>) and publishes its MX and SPF records', () => {
    const domain = municipality.sender.slice(municipality.sender.indexOf('@') + 1);
    // Assess: mail still goes out (SES's own MAIL FROM) until the MX record is published.
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      MailFromAttributes: { MailFromDomain: `bounce.${domain}`, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const outputs = template.findOutputs('*');
    expect(joinText(outputs.MailFromMxRecord?.Value)).toBe(
      `bounce.${domain} MX 10 feedback-smtp.{AWS::Region}.amazonses.com`,
    );
    expect(outputs.MailFromSpfRecord?.Value).toBe(`bounce.${domain} TXT "v=spf1 include:amazonses.com ~all"`);
    // Given in context:
    const given = synthDeployable({ mailFromDomain: `mail-from.${domain}` });
    given.hasResourceProperties('AWS::SES::EmailIdentity', {
      MailFromAttributes: { MailFromDomain: `mail-from.${domain}` },
    });
  });

  it('rejects a MAIL FROM domain SES would refuse: outside the identity, or the sender domain itself', () => {
    const domain = municipality.sender.slice(municipality.sender.indexOf('@') + 1);
    expect(() => synthDeployable({ mailFromDomain: 'bounce.elders.nl' })).toThrow(
      /mailFromDomain: bounce.elders.nl is not a subdomain/,
    );
    expect(() => synthDeployable({ mailFromDomain: domain })).toThrow(
      /mailFromDomain: .* is not a subdomain/,
    );
    // A sender on a subdomain of the identity: that subdomain cannot also be the MAIL FROM domain.
    const parent = { kind: 'domain', name: 'zuidstad.nl' } as const;
    expect(() => mailFromDomainFor('aanspreekpunt@post.zuidstad.nl', parent, 'post.zuidstad.nl')).toThrow(
      /the sender's own domain/,
    );
    expect(mailFromDomainFor('aanspreekpunt@post.zuidstad.nl', parent, 'bounce.zuidstad.nl')).toBe(
      'bounce.zuidstad.nl',
    );
    expect(
      mailFromDomainFor(
        'aanspreekpunt@zuidstad.nl',
        { kind: 'address', name: 'aanspreekpunt@zuidstad.nl' },
        undefined,
      ),
    ).toBe('bounce.zuidstad.nl');
  });

  it('rejects a sender identity that does not cover the sender', () => {
    expect(() => synthDeployable({ senderIdentity: 'elders.example' })).toThrow(/senderIdentity/);
    expect(() => synthDeployable({ senderIdentity: 'iemand@voorbeeld.example' })).toThrow(/senderIdentity/);
    expect(() => synthDeployable({ senderIdentity: 'not a domain' })).toThrow(/senderIdentity/);
  });
});

describe('functions: how they run', () => {
  it('has roles without managed policies, writing logs only to their own log group', () => {
    for (const [name] of functions) {
      // Prepare
      const { Properties } = resource('AWS::Lambda::Function', functionId(name), lambdaShape);
      const roleId = Properties.Role['Fn::GetAtt'][0];
      const role = resource(
        'AWS::IAM::Role',
        roleId,
        z.object({ Properties: z.object({ ManagedPolicyArns: z.array(z.unknown()).optional() }) }),
      );
      // Act
      const logResources = resourcesAllowed(statementsOf(name), 'logs:PutLogEvents');
      // Assess
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
      expect(logResources, name).toEqual([arnOf(Properties.LoggingConfig.LogGroup.Ref)]);
      expect(resourcesAllowed(statementsOf(name), 'logs:CreateLogGroup'), name).toEqual([]);
    }
  });

  it('traces every function actively in X-Ray, and allows nothing else on every resource', () => {
    for (const [name] of functions) {
      // Prepare
      const { Properties } = resource(
        'AWS::Lambda::Function',
        functionId(name),
        z.object({ Properties: z.object({ TracingConfig: z.object({ Mode: z.string() }).optional() }) }),
      );
      // Act
      const onEveryResource = statementsOf(name).filter((s) => listOf(s.Resource).includes('*'));
      // Assess
      expect(Properties.TracingConfig?.Mode, name).toBe('Active');
      expect(resourcesAllowed(statementsOf(name), 'xray:PutTraceSegments'), name).toEqual(['*']);
      expect(onEveryResource.flatMap((s) => listOf(s.Action)).sort(), name).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    }
  });

  it('never retries a failed scheduled run: the next tick does the same work', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'schedule') continue;
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(name) },
        MaximumRetryAttempts: 0,
      });
      expect(fn.timeoutSeconds, name).toBeLessThan(fn.trigger.rateMinutes * 60);
    }
  });
});

describe('http access logs', () => {
  it('logs each request as JSON by route, never by path, so link tokens stay out of the logs', () => {
    const stage = resource(
      'AWS::ApiGatewayV2::Stage',
      template.getResourceId('AWS::ApiGatewayV2::Stage', { Properties: { StageName: '$default' } }),
      z.object({
        Properties: z.object({
          AccessLogSettings: z.object({ DestinationArn: getAtt, Format: z.string() }),
        }),
      }),
    );
    const format = z
      .record(z.string(), z.string())
      .parse(JSON.parse(stage.Properties.AccessLogSettings.Format));
    expect(Object.values(format)).toContain('$context.routeKey');
    expect(Object.values(format)).toContain('$context.status');
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(
      /\$context\.(path|resourcePath)|querystring/i,
    );
    const logGroup = resource(
      'AWS::Logs::LogGroup',
      stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0],
      z.object({ Properties: z.object({ RetentionInDays: z.number() }) }),
    );
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('observability: alarms', () => {
  const topicOf = (t: Template, kind: RegExp) =>
    t.getResourceId('AWS::SNS::Topic', { Properties: { DisplayName: Match.stringLikeRegexp(kind.source) } });
  const topicId = topicOf(template, /alarms$/);
  const businessTopicId = topicOf(template, /promises broken/);
  const alarmShape = z.object({
    Properties: z.object({
      AlarmActions: z.array(z.unknown()),
      OKActions: z.array(z.unknown()),
      Namespace: z.string().optional(),
      MetricName: z.string().optional(),
      Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })).optional(),
      Threshold: z.number(),
      ComparisonOperator: z.string(),
      TreatMissingData: z.string().optional(),
      EvaluationPeriods: z.number(),
      DatapointsToAlarm: z.number().optional(),
      Period: z.number().optional(),
      Metrics: z
        .array(
          z.object({
            Id: z.string(),
            Expression: z.string().optional(),
            MetricStat: z
              .object({
                Metric: z.object({
                  Namespace: z.string(),
                  MetricName: z.string(),
                  Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })).optional(),
                }),
              })
              .optional(),
          }),
        )
        .optional(),
    }),
  });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
    alarmShape.parse(a),
  );
  /** The alarms that watch a metric (directly, or inside a metric math expression). */
  const watching = (namespace: string, metricName: string, dimension?: { Name: string; Value: unknown }) =>
    alarms.filter(({ Properties: p }) => {
      const metrics = [
        { Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions },
        ...(p.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : [])),
      ];
      return metrics.some(
        (m) =>
          m.Namespace === namespace &&
          m.MetricName === metricName &&
          (dimension === undefined || (m.Dimensions ?? []).some((d) => sameJson(d, dimension))),
      );
    });

  it('notifies a topic of every alarm when it fires and when it clears: the organisation of business signals, ops of the rest', () => {
    // Prepare: the business signals, a promise broken and a case nobody could take
    const business = new Set(
      [...watching('Aanspreekpunt', 'SlaBreaches'), ...watching('Aanspreekpunt', 'NoOfficialAvailable')].map(
        (a) => a.Properties,
      ),
    );
    expect(business.size).toBe(2);
    expect(alarms.length).toBeGreaterThan(business.size);
    for (const { Properties } of alarms) {
      const topic = business.has(Properties) ? businessTopicId : topicId;
      expect(Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(Properties.OKActions).toEqual([{ Ref: topic }]);
    }
  });

  it('fires as soon as one message is in a dead-letter queue, and again on every new one while others are there', () => {
    for (const [name] of queues) {
      const found = watching('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [deadLetterQueueId(name), 'QueueName'] },
      });
      expect(found, name).toHaveLength(2);
      const depth = found.filter((a) => a.Properties.Metrics === undefined);
      expect(depth, name).toHaveLength(1);
      expect(depth[0]?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      // New messages: the increase of the depth between two 5-minute datapoints
      const increase = found.filter((a) => a.Properties.Metrics !== undefined);
      expect(increase, name).toHaveLength(1);
      expect(increase[0]?.Properties.Metrics?.find((m) => m.Expression)?.Expression).toMatch(/^DIFF\(\w+\)$/);
      expect(increase[0]?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('fires on an SLA breach and when no official is available', () => {
    for (const [metricName, service] of [
      ['SlaBreaches', 'sla'],
      ['NoOfficialAvailable', 'router'],
    ] as const) {
      const found = watching('Aanspreekpunt', metricName, { Name: 'service', Value: service });
      expect(found, metricName).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('fires when the router has put cases off for three 5-minute periods in a row, not on one passing throttle', () => {
    const found = watching('Aanspreekpunt', 'RoutingDeferred', { Name: 'service', Value: 'router' });
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it("watches every function's error rate", () => {
    for (const [name] of functions) {
      const found = watching('AWS/Lambda', 'Errors', {
        Name: 'FunctionName',
        Value: { Ref: functionId(name) },
      });
      expect(found, name).toHaveLength(1);
      const expression = found[0]?.Properties.Metrics?.find((m) => m.Expression !== undefined)?.Expression;
      expect(expression, name).toMatch(/errors \/ invocations/);
    }
  });

  it('fires when a scheduled job stops running (no invocations counts as breaching)', () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'schedule') continue;
      const found = watching('AWS/Lambda', 'Invocations', {
        Name: 'FunctionName',
        Value: { Ref: functionId(name) },
      }).filter((a) => a.Properties.Metrics === undefined);
      expect(found, name).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
    }
  });

  it("watches the bounce rate and the complaints of the configuration set's e-mail", () => {
    const ofSet = { Name: 'ses:configuration-set', Value: { Ref: configurationSetId } };
    const bounceRate = watching('AWS/SES', 'Bounce', ofSet);
    expect(bounceRate).toHaveLength(1);
    expect(watching('AWS/SES', 'Send', ofSet)).toEqual(bounceRate);
    expect(bounceRate[0]?.Properties.Metrics?.find((m) => m.Expression)?.Expression).toMatch(
      /bounced \/ sent/,
    );
    expect(bounceRate[0]?.Properties.Threshold).toBe(5);
    expect(watching('AWS/SES', 'Complaint', ofSet)).toHaveLength(1);
  });

  it('subscribes the alarm e-mail address from context to the ops topic, and the coordinator (or businessEmail) to the business one', () => {
    // Prepare / Act
    const subscribed = synthDeployable({
      alarmEmail: 'ops@gemeente-lindehoven.nl',
      businessEmail: 'regie@gemeente-lindehoven.nl',
    });
    const subscriptions = (t: Template) =>
      Object.values(t.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } })).map(
        (r) =>
          z.object({ Protocol: z.string(), Endpoint: z.string(), TopicArn: z.unknown() }).parse(r.Properties),
      );
    // Assess
    expect(subscriptions(subscribed)).toEqual(
      expect.arrayContaining([
        {
          Protocol: 'email',
          Endpoint: 'ops@gemeente-lindehoven.nl',
          TopicArn: { Ref: topicOf(subscribed, /alarms$/) },
        },
        {
          Protocol: 'email',
          Endpoint: 'regie@gemeente-lindehoven.nl',
          TopicArn: { Ref: topicOf(subscribed, /promises broken/) },
        },
      ]),
    );
    expect(subscriptions(subscribed)).toHaveLength(2);
    // Without context: nobody on the ops topic, the config's coordinator on the business one
    expect(subscriptions(template)).toEqual([
      { Protocol: 'email', Endpoint: municipality.coordinator.email, TopicArn: { Ref: businessTopicId } },
    ]);
    expect(() => synthDeployable({ alarmEmail: 'not an address' })).toThrow(/alarmEmail/);
    expect(() => synthDeployable({ businessEmail: 'not an address' })).toThrow(/businessEmail/);
  });

  it('keeps a notification SNS could not deliver to a subscriber in a queue of its own, with an alarm on it', () => {
    // Prepare / Act
    const subscribed = synthDeployable({ alarmEmail: 'ops@gemeente-lindehoven.nl' });
    const [queueId, ...others] = Object.keys(subscribed.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('ObservabilityUndeliveredNotifications'),
    );
    expect(others).toEqual([]);
    if (queueId === undefined) throw new Error('no UndeliveredNotifications queue');
    // Assess: every e-mail subscription redrives to it, and SNS may send to it from these topics only.
    const subscriptions = Object.values(
      subscribed.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }),
    );
    expect(subscriptions).toHaveLength(2);
    for (const subscription of subscriptions)
      expect(subscription.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(queueId) });
    subscribed.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    subscribed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: topicOf(subscribed, /alarms$/) }],
    });
  });

  it('accepts publications to either topic over TLS only', () => {
    for (const topic of [topicId, businessTopicId])
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
  });

  it('fires on API 5xx in two of three 5-minute periods (the intake and actions answer failures with 503)', () => {
    const api = template.getResourceId('AWS::ApiGatewayV2::Api');
    const found = watching('AWS/ApiGateway', '5xx', { Name: 'ApiId', Value: { Ref: api } });
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Threshold: 1,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it("fires on the SES account's reputation: a 5 % bounce rate, a 0.1 % complaint rate", () => {
    for (const [metricName, threshold] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      const found = watching('AWS/SES', metricName);
      expect(found, metricName).toHaveLength(1);
      expect(found[0]?.Properties, metricName).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it("records each scheduled job's failed runs and undelivered ticks in a queue of its own, with an alarm on it", () => {
    for (const [name, fn] of functions) {
      if (fn.trigger.kind !== 'schedule') continue;
      const config = Object.values(
        template.findResources('AWS::Lambda::EventInvokeConfig', {
          Properties: { FunctionName: { Ref: functionId(name) } },
        }),
      );
      expect(config, name).toHaveLength(1);
      const destination = z
        .object({
          Properties: z.object({
            MaximumRetryAttempts: z.number(),
            DestinationConfig: z.object({ OnFailure: z.object({ Destination: getAtt }) }),
          }),
        })
        .parse(config[0]).Properties;
      expect(destination.MaximumRetryAttempts, name).toBe(0);
      const queue = destination.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } } }),
      });
      const found = watching('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [queue, 'QueueName'] },
      });
      expect(found, name).toHaveLength(1);
    }
  });
});

describe('observability: the dashboard', () => {
  /** The dashboard's widgets, with CloudFormation tokens in the body replaced by `{Ref}` text. */
  const widgets = (() => {
    const body = z
      .object({ Properties: z.object({ DashboardBody: z.unknown() }) })
      .parse(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]).Properties.DashboardBody;
    const text = joinText(body);
    return z
      .object({
        widgets: z.array(
          z.object({
            type: z.string(),
            properties: z
              .object({ title: z.string().optional(), metrics: z.array(z.array(z.unknown())).optional() })
              .loose(),
          }),
        ),
      })
      .parse(JSON.parse(text)).widgets;
  })();
  /** `[namespace, metricName, dim1, value1, ...]` of every metric line, options dropped. */
  const lines = widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((line) => line.filter((part) => typeof part === 'string')),
  );
  const shows = (namespace: string, metricName: string, dimensions: Record<string, string> = {}) =>
    lines.some((line) => {
      if (line[0] !== namespace || line[1] !== metricName) return false;
      const pairs = new Map<unknown, unknown>();
      for (let i = 2; i + 1 < line.length; i += 2) pairs.set(line[i], line[i + 1]);
      return Object.entries(dimensions).every(([k, v]) => pairs.get(k) === v);
    });

  // The Powertools metrics the functions emit (`service` is the function's name); MailBounced, by bounce type,
  // in test/infra/mail-events.test.ts.
  const emitted = {
    intake: [
      'CasesSubmitted',
      'DuplicateSubmissions',
      'HoneypotSubmissions',
      'IntakeLimited',
      'IntakeRejected',
      'RouteEnqueueFailed',
      'QuestionsAnswered',
    ],
    router: ['CasesRouted', 'NoOfficialAvailable', 'EmailsSent', 'RoutingDeferred', 'MailSuppressed'],
    sla: [
      'SlaReminders',
      'SlaBreaches',
      'SlaEscalations',
      'CasesRequeued',
      'SlaJobFailures',
      'SlaStepsDeferred',
      'EmailsSent',
      'MailSuppressed',
    ],
    actions: ['ActionsApplied', 'ActionLinksExpired', 'ActionLinksInvalid'],
    mailEvents: [
      'MailComplained',
      'MailDelivered',
      'OfficialUnreachable',
      'EnterpriseUnreachable',
      'MailSuppressed',
    ],
    retention: ['CasesAnonymised', 'CasesDestroyed', 'RetentionFailed'],
    digest: ['DepartmentDigestsSent', 'OfficialDigestsSent', 'DigestsFailed', 'EmailsSent', 'MailSuppressed'],
  } as const;

  it('shows every metric the functions emit, by the function that emits it', () => {
    for (const [service, names] of Object.entries(emitted))
      for (const name of names)
        expect(shows('Aanspreekpunt', name, { service }), `${service} ${name}`).toBe(true);
  });

  it('shows SLA met and breached for every department, and open cases by each age bucket', () => {
    for (const department of municipality.departments) {
      expect(shows('Aanspreekpunt', 'SlaMet', { department: department.id }), department.id).toBe(true);
      expect(shows('Aanspreekpunt', 'SlaBreached', { department: department.id }), department.id).toBe(true);
    }
    for (const age of ['0-7d', '8-28d', '29-90d', '90d+'])
      expect(shows('Aanspreekpunt', 'OpenCases', { service: 'sla', age }), age).toBe(true);
    expect(shows('Aanspreekpunt', 'RoutingLatency', { service: 'router' })).toBe(true);
  });

  it("shows the queue's oldest message age and the dead-letter queue depth", () => {
    expect(shows('AWS/SQS', 'ApproximateAgeOfOldestMessage')).toBe(true);
    expect(shows('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toBe(true);
  });

  it("shows every function's errors, throttles and p95 duration", () => {
    for (const metricName of ['Errors', 'Throttles', 'Duration'])
      for (const [name] of functions)
        expect(
          shows('AWS/Lambda', metricName, { FunctionName: `{${functionId(name)}}` }),
          `${metricName} ${name}`,
        ).toBe(true);
    const p95 = widgets.find(
      (w) => w.properties.title?.includes('p95') && w.properties.title.includes('Function'),
    );
    expect(JSON.stringify(p95?.properties.metrics)).toContain('"stat":"p95"');
  });

  it('keeps the custom metric count bounded: `service` plus at most one dimension with values known at deploy time', () => {
    const bounded: Record<string, readonly string[]> = {
      department: municipality.departments.map((d) => d.id),
      age: ['0-7d', '8-28d', '29-90d', '90d+'],
      bounceType: ['Permanent', 'Transient', 'Undetermined'],
    };
    for (const line of lines.filter((l) => l[0] === 'Aanspreekpunt')) {
      const pairs = new Map<unknown, unknown>();
      for (let i = 2; i + 1 < line.length; i += 2) pairs.set(line[i], line[i + 1]);
      expect([...pairs.keys()], line.join(' ')).toContain('service');
      const others = [...pairs].filter(([key]) => key !== 'service');
      expect(others.length, line.join(' ')).toBeLessThanOrEqual(1);
      for (const [key, value] of others) expect(bounded[String(key)], line.join(' ')).toContain(value);
    }
  });
});
