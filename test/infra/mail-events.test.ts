import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { declaration } from '../../functions/declaration.js';
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
// What SES tells of the e-mails it took: configuration set -> SNS topic (raw) -> the mailEvents queue ->
// the mailEvents function.
// ---------------------------------------------------------------------------------------------

const municipality = deployableMunicipality;

const template = synthDeployable();
const resource = resourceIn(template);

// The logical ids are pinned: the configuration set and the queues hold state, the topic and the
// subscription are what SES and SNS deliver to.
const configurationSetId = 'MailConfigurationSet';
const topicId = 'MailEventsTopic';
const subscriptionId = 'MailEventsSubscription';
const undeliveredId = 'MailEventsUndelivered';
const queueId = 'MailEventsQueue';
const deadLetterQueueId = 'MailEventsDeadLetterQueue';
const senderIdentityId = 'SenderIdentity';

const statementShape = z.object({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Principal: z.unknown().optional(),
  Resource: z.unknown(),
  Condition: z.unknown().optional(),
});
type Statement = z.infer<typeof statementShape>;
const policyDocument = z.object({ Statement: z.array(statementShape) });
const allows = (s: Statement, action: string) =>
  s.Effect === 'Allow' && listOf(s.Action).some((a) => typeof a === 'string' && a === action);

/** The statements of the resource policies (queue or topic policies) that name a resource. */
function policyStatements(type: 'AWS::SQS::QueuePolicy' | 'AWS::SNS::TopicPolicy', logicalId: string) {
  const key = type === 'AWS::SQS::QueuePolicy' ? 'Queues' : 'Topics';
  const policies = template.findResources(type, { Properties: { [key]: [{ Ref: logicalId }] } });
  return Object.values(policies).flatMap((p) => policyDocument.parse(p.Properties.PolicyDocument).Statement);
}

/** Logical id of the Lambda function deployed for the declared mailEvents function. */
function mailEventsFunctionId(): string {
  const fn = declaration.functions.mailEvents;
  if (fn === undefined) throw new Error('the mailEvents function is not declared');
  return template.getResourceId('AWS::Lambda::Function', { Properties: { Description: fn.description } });
}

const alarmShape = z.object({
  Properties: z
    .object({
      AlarmActions: z.array(z.unknown()),
      Namespace: z.string().optional(),
      MetricName: z.string().optional(),
      Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })).optional(),
      Metrics: z.array(z.unknown()).optional(),
    })
    .loose(),
});
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
  alarmShape.parse(a),
);
const opsTopicId = template.getResourceId('AWS::SNS::Topic', {
  Properties: { DisplayName: Match.stringLikeRegexp('alarms$') },
});

// ---------------------------------------------------------------------------------------------

describe('mail events: from SES to the mailEvents queue', () => {
  it('publishes the bounces, complaints and deliveries of the configuration set to the mail events topic', () => {
    // Act
    const destination = resource(
      'AWS::SES::ConfigurationSetEventDestination',
      'MailEventsDestination',
      z.object({
        Properties: z.object({
          ConfigurationSetName: z.unknown(),
          EventDestination: z.object({
            Enabled: z.boolean(),
            MatchingEventTypes: z.array(z.string()),
            SnsDestination: z.object({ TopicARN: z.unknown() }),
          }),
        }),
      }),
    ).Properties;
    // Assess
    expect(destination.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    expect(destination.EventDestination.Enabled).toBe(true);
    expect([...destination.EventDestination.MatchingEventTypes].sort()).toEqual([
      'bounce',
      'complaint',
      'delivery',
    ]);
    expect(destination.EventDestination.SnsDestination.TopicARN).toEqual({ Ref: topicId });
  });

  it('lets SES publish to the topic only for this configuration set in this account, and over TLS only', () => {
    // Act
    const statements = policyStatements('AWS::SNS::TopicPolicy', topicId);
    const publishers = statements.filter((s) => allows(s, 'sns:Publish'));
    // Assess
    expect(publishers).toHaveLength(1);
    expect(publishers[0]?.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    const condition = z
      .object({ StringEquals: z.object({ 'AWS:SourceAccount': z.unknown(), 'AWS:SourceArn': z.unknown() }) })
      .parse(publishers[0]?.Condition);
    expect(condition.StringEquals['AWS:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(arnText(condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:configuration-set/{${configurationSetId}}`,
    );
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && sameJson(s.Condition, { Bool: { 'aws:SecureTransport': 'false' } }),
      ),
    ).toBe(true);
  });

  it('delivers each event raw to the mailEvents queue, so the message body is the SES event itself', () => {
    // Act
    const subscription = resource(
      'AWS::SNS::Subscription',
      subscriptionId,
      z.object({
        Properties: z.object({
          TopicArn: z.unknown(),
          Protocol: z.string(),
          Endpoint: z.unknown(),
          RawMessageDelivery: z.boolean().optional(),
        }),
      }),
    ).Properties;
    // Assess
    expect(subscription).toMatchObject({
      TopicArn: { Ref: topicId },
      Protocol: 'sqs',
      Endpoint: arnOf(queueId),
      RawMessageDelivery: true,
    });
  });

  it('lets exactly the mail events topic send to the mailEvents queue', () => {
    // Act
    const senders = policyStatements('AWS::SQS::QueuePolicy', queueId).filter((s) => s.Effect === 'Allow');
    // Assess: SNS, and only from this topic; nobody else is allowed anything by the queue's policy
    expect(senders).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Resource: arnOf(queueId),
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      },
    ]);
  });

  it('keeps an event SNS could not deliver in a queue of its own, encrypted, with an alarm to ops', () => {
    // Act
    const subscription = resource(
      'AWS::SNS::Subscription',
      subscriptionId,
      z.object({ Properties: z.object({ RedrivePolicy: z.unknown() }) }),
    ).Properties;
    const queue = resource(
      'AWS::SQS::Queue',
      undeliveredId,
      z.object({
        Properties: z.object({ SqsManagedSseEnabled: z.boolean(), MessageRetentionPeriod: z.number() }),
      }),
    ).Properties;
    const senders = policyStatements('AWS::SQS::QueuePolicy', undeliveredId).filter(
      (s) => s.Effect === 'Allow',
    );
    // Assess
    expect(subscription.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(undeliveredId) });
    expect(queue).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 });
    expect(senders).toHaveLength(1);
    expect(senders[0]?.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { Ref: topicId } } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [undeliveredId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: opsTopicId }],
    });
  });

  it("puts bounced and complained addresses on SES's account-level suppression list for this configuration set", () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: Match.arrayEquals(['BOUNCE', 'COMPLAINT']) },
    });
    expect(Object.keys(template.findResources('AWS::SES::ConfigurationSet'))).toEqual([configurationSetId]);
  });
});

describe('mail events: the mailEvents function', () => {
  it('consumes the mailEvents queue, reporting partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: mailEventsFunctionId() },
      EventSourceArn: arnOf(queueId),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('moves an event it failed on every attempt to the mailEvents dead-letter queue, which fires an alarm', () => {
    // Act
    const queue = resource(
      'AWS::SQS::Queue',
      queueId,
      z.object({ Properties: z.object({ RedrivePolicy: z.object({ deadLetterTargetArn: z.unknown() }) }) }),
    ).Properties;
    const notEmpty = alarms.filter(
      ({ Properties: p }) =>
        p.Namespace === 'AWS/SQS' &&
        p.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        sameJson(p.Dimensions, [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } },
        ]),
    );
    // Assess
    expect(queue.RedrivePolicy.deadLetterTargetArn).toEqual(arnOf(deadLetterQueueId));
    expect(notEmpty).toHaveLength(1);
    expect(notEmpty[0]?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: opsTopicId }],
    });
  });

  it('may send e-mail only as the sender identity, through the configuration set, from the configured address', () => {
    // Prepare
    const { Properties } = resource(
      'AWS::Lambda::Function',
      mailEventsFunctionId(),
      z.object({ Properties: z.object({ Role: getAtt }) }),
    );
    const roleId = Properties.Role['Fn::GetAtt'][0];
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    });
    // Act
    const sending = Object.values(policies)
      .flatMap((p) => policyDocument.parse(p.Properties.PolicyDocument).Statement)
      .filter((s) => allows(s, 'ses:SendEmail'));
    // Assess
    expect(sending).toHaveLength(1);
    expect(listOf(sending[0]?.Action)).toEqual(['ses:SendEmail']);
    expect(listOf(sending[0]?.Resource).map(arnText).sort()).toEqual(
      [
        `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:configuration-set/{${configurationSetId}}`,
        `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:identity/{${senderIdentityId}}`,
      ].sort(),
    );
    expect(sending[0]?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': municipality.sender } });
  });
});

describe('mail events: alarms and dashboard', () => {
  it("tells ops as soon as an official's address bounced permanently", () => {
    // Act
    const found = alarms.filter(
      ({ Properties: p }) =>
        p.Namespace === 'Aanspreekpunt' &&
        p.MetricName === 'OfficialUnreachable' &&
        sameJson(p.Dimensions, [{ Name: 'service', Value: 'mailEvents' }]),
    );
    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: opsTopicId }],
      OKActions: [{ Ref: opsTopicId }],
    });
    expect(String(found[0]?.Properties.AlarmDescription)).toContain('npm run officials -- reachable <id>');
  });

  it("counts an enterprise's bounced address on the dashboard only, without an alarm", () => {
    expect(alarms.filter(({ Properties: p }) => p.MetricName === 'EnterpriseUnreachable')).toEqual([]);
  });

  it('shows bounces by type, complaints, deliveries, unreachable addresses and e-mails held back by the suppression list', () => {
    // Prepare: the dashboard body as text, tokens as `{Ref}`
    const body = z
      .object({ Properties: z.object({ DashboardBody: z.unknown() }) })
      .parse(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]).Properties.DashboardBody;
    const text = (value: unknown): string => {
      if (typeof value === 'string') return value;
      const join = z.object({ 'Fn::Join': z.tuple([z.literal(''), z.array(z.unknown())]) }).safeParse(value);
      if (join.success) return join.data['Fn::Join'][1].map(text).join('');
      const r = ref.safeParse(value);
      if (r.success) return `{${r.data.Ref}}`;
      const g = getAtt.safeParse(value);
      if (g.success) return `{${g.data['Fn::GetAtt'].join('.')}}`;
      return JSON.stringify(value);
    };
    const lines = z
      .object({
        widgets: z.array(
          z.object({ properties: z.object({ metrics: z.array(z.array(z.unknown())).optional() }).loose() }),
        ),
      })
      .parse(JSON.parse(text(body)))
      .widgets.flatMap((w) => w.properties.metrics ?? [])
      .map((line) => line.filter((part): part is string => typeof part === 'string'));
    /** A line of the metric in namespace `Aanspreekpunt` with exactly these dimensions. */
    const shows = (metricName: string, dimensions: Record<string, string>) =>
      lines.some(([namespace, name, ...pairs]) => {
        const shown = new Map<string, string>();
        for (let i = 0; i + 1 < pairs.length; i += 2) shown.set(String(pairs[i]), String(pairs[i + 1]));
        return (
          namespace === 'Aanspreekpunt' &&
          name === metricName &&
          sameJson([...shown].sort(), Object.entries(dimensions).sort())
        );
      });
    // Assess
    const service = 'mailEvents';
    for (const bounceType of ['Permanent', 'Transient', 'Undetermined'])
      expect(shows('MailBounced', { service, bounceType }), bounceType).toBe(true);
    for (const metricName of [
      'MailComplained',
      'MailDelivered',
      'OfficialUnreachable',
      'EnterpriseUnreachable',
    ])
      expect(shows(metricName, { service }), metricName).toBe(true);
    for (const [name, fn] of Object.entries(declaration.functions))
      expect(shows('MailSuppressed', { service: name }), name).toBe(fn.sendsMail !== false);
  });
});
