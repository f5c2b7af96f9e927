import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { municipality } from '../../config/index.js';
import { scheduleTickSchema } from '../../events/schedule-tick.js';
import { settingsFrom } from '../../infra/aws/settings.js';
import { AanspreekpuntStack } from '../../infra/aws/stack.js';
import {
  declaration,
  environmentFor,
  MAIL_CONFIGURATION_SET_ENV,
  PUBLIC_BASE_URL_ENV,
  type ResourceNames,
} from '../../infra/declaration.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the stack as `cdk synth` builds it (cdk.json context, feature flags), bundling skipped.
// ---------------------------------------------------------------------------------------------

const cdkJson = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')));

function synth(context: Record<string, unknown> = {}): Template {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new AanspreekpuntStack(app, 'Aanspreekpunt', { settings: settingsFrom(app.node) });
  return Template.fromStack(stack);
}

const template = synth();

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

const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const getAtt = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });
const ref = z.object({ Ref: z.string() });

/** The one resource of a type with a logical id, parsed to the shape a test reads. */
function resource<T extends z.ZodType>(type: string, logicalId: string, shape: T): z.infer<T> {
  const found = template.findResources(type)[logicalId];
  if (found === undefined) throw new Error(`no ${type} with logical id ${logicalId}`);
  return shape.parse(found);
}

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

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
/** Whether an IAM action pattern (`ses:*`, `*`, `sqs:Send*`) covers an action. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 'i').test(action);
const allows = (s: Statement, action: string) =>
  s.Effect === 'Allow' && listOf(s.Action).some((a) => typeof a === 'string' && covers(a, action));
/** Statements allowing an action, with their resources. */
const resourcesAllowed = (statements: Statement[], action: string): unknown[] =>
  statements.filter((s) => allows(s, action)).flatMap((s) => listOf(s.Resource));
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An ARN built with Fn::Join as text, pseudo parameters as `{AWS::Region}`. */
function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = z.object({ 'Fn::Join': z.tuple([z.literal(''), z.array(z.unknown())]) }).safeParse(value);
  if (join.success) return join.data['Fn::Join'][1].map(arnText).join('');
  const r = ref.safeParse(value);
  if (r.success) return `{${r.data.Ref}}`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------

describe('data: the declared tables', () => {
  it('keeps each table under a logical id derived from its name, retained on delete and replace', () => {
    // Prepare / Act: the synthesized template
    // Assess
    for (const [name] of tables) {
      const table = resource(
        'AWS::DynamoDB::Table',
        tableId(name),
        z.object({ DeletionPolicy: z.string(), UpdateReplacePolicy: z.string() }),
      );
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
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
        Object.entries(environmentFor(fn, names)).map(([key, logicalId]) => [key, { Ref: logicalId }]),
      );
      // Act / Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: fn.description,
        Environment: {
          Variables: Match.exact({
            ...declared,
            ...(fn.linksToApi ? { [PUBLIC_BASE_URL_ENV]: Match.anyValue() } : {}),
            ...(fn.sendsMail ? { [MAIL_CONFIGURATION_SET_ENV]: { Ref: configurationSetId } } : {}),
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

  it('takes the throttling from context, as given on the command line (strings)', () => {
    // Prepare / Act
    const tuned = synth({ apiRateLimit: '7', apiBurstLimit: '21' });
    // Assess
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 21 },
    });
  });
});

describe('schedule triggers', () => {
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
        expect(Properties.ScheduleExpression).toBe(
          `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        );
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

  it('lets a function send to a queue only if it declares that queue', () => {
    for (const [name, fn] of functions) {
      const sendable = resourcesAllowed(statementsOf(name), 'sqs:SendMessage');
      for (const [queue] of queues) {
        const allowed = sendable.some((r) => sameJson(r, arnOf(queueId(queue))));
        expect(allowed, `${name} -> ${queue}`).toBe(queue in fn.queues);
      }
      // Nothing else: no wildcard, no queue that is not declared.
      const declared = Object.keys(fn.queues).map((queue) => arnOf(queueId(queue)));
      for (const r of sendable)
        expect(
          declared.some((d) => sameJson(r, d)),
          `${name}: ${JSON.stringify(r)}`,
        ).toBe(true);
    }
  });

  it('gives a function the declared access to the tables it declares and none to others', () => {
    for (const [name, fn] of functions) {
      const statements = statementsOf(name);
      for (const [table] of tables) {
        const onTable = (action: string) =>
          resourcesAllowed(statements, action).some((r) => sameJson(r, arnOf(tableId(table))));
        const access = fn.tables[table];
        expect(onTable('dynamodb:GetItem'), `${name} reads ${table}`).toBe(access !== undefined);
        expect(onTable('dynamodb:PutItem'), `${name} writes ${table}`).toBe(access === 'readWrite');
      }
    }
  });
});

describe('settings', () => {
  it('rejects invalid context, naming the key', () => {
    expect(() => synth({ apiRateLimit: 'fast' })).toThrow(/apiRateLimit/);
    expect(() => synth({ logRetentionDays: 3.5 })).toThrow(/logRetentionDays/);
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
