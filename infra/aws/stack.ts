import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { undeliverableReport } from '../../config/deliverable.js';
import { ConfigError } from '../../config/error.js';
import type { Municipality } from '../../config/schema.js';
import {
  declaration,
  type FunctionDeclaration,
  PUBLIC_BASE_URL_ENV,
  type QueueName,
  type ResourceNames,
  type SecretName,
  type TableName,
} from '../../functions/declaration.js';
import { EDGE_ORIGIN_SECRET_ENV, EDGE_PUBLIC_HOST_ENV } from '../../functions/web/edge.js';
import { embeddedConfig } from '../bundling.js';
import { Data } from './constructs/data.js';
import { Edge } from './constructs/edge.js';
import { HouseFunction } from './constructs/house-function.js';
import { HttpTriggers } from './constructs/http-triggers.js';
import { mustGet, pascal } from './constructs/ids.js';
import { Mail } from './constructs/mail.js';
import { Observability } from './constructs/observability.js';
import { QueueTriggers } from './constructs/queue-triggers.js';
import { Queues } from './constructs/queues.js';
import { ScheduleTriggers } from './constructs/schedule-triggers.js';
import { Secrets } from './constructs/secrets.js';
import type { Trigger, Triggered } from './constructs/triggers.js';
import { mailSendingPlan } from './mail-rate.js';
import { type Settings, senderIdentityFor } from './settings.js';

/** CloudWatch namespace of the Powertools metrics, read by the dashboard and alarms. */
export const metricsNamespace = 'Aanspreekpunt';

export interface AanspreekpuntStackProps extends StackProps {
  readonly settings: Settings;
  /** The municipality the stack serves: its sender, departments and officials, embedded in every bundle. */
  readonly municipality: Municipality;
  /** Where it was read from (a file path), for the messages of a config that cannot be deployed. */
  readonly municipalitySource: string;
  /**
   * With context `edge=true`: the WAF web ACL (in us-east-1, infra/aws/edge-stack.ts) the CloudFront
   * distribution in front of the API uses. Absent: the API is reached directly.
   */
  readonly edge?: { readonly webAclArn: string } | undefined;
}

/** `{ a: 1 }` keyed by the declaration's literal names (the declaration parsed exactly these keys). */
function byName<K extends string, V>(names: readonly string[], value: (name: string) => V): Record<K, V> {
  return Object.fromEntries(names.map((name) => [name, value(name)])) as Record<K, V>;
}

/**
 * Aanspreekpunt on AWS, built from `functions/declaration.ts` alone: the tables, the queues, the
 * functions and how each is triggered. Each capability is one construct; this stack only composes.
 */
export class AanspreekpuntStack extends Stack {
  readonly data: Data;
  readonly queues: Queues;
  readonly secrets: Secrets;
  readonly functions: ReadonlyMap<string, HouseFunction>;
  readonly http: HttpTriggers | undefined;
  /** CloudFront with WAF in front of the API, with context `edge=true`. */
  readonly edge: Edge | undefined;
  readonly schedules: ScheduleTriggers;
  readonly mail: Mail;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: AanspreekpuntStackProps) {
    super(scope, id, props);
    const { settings, municipality } = props;
    // A config whose sender or recipients are on reserved domains cannot deliver a single e-mail: refuse it
    // here, naming each setting, instead of deploying a system whose every message ends in a dead-letter queue.
    const undeliverable = undeliverableReport(municipality, props.municipalitySource);
    if (undeliverable.length > 0) throw new ConfigError(undeliverable.join('\n'));
    const embedded = embeddedConfig(municipality, props.municipalitySource);

    this.data = new Data(this, 'Data', { tables: declaration.tables });
    this.queues = new Queues(this, 'Queues', { queues: declaration.queues });
    const tables = this.data.tables;
    const queues = new Map([...this.queues.queues].map(([name, q]) => [name, q.queue]));
    this.secrets = new Secrets(this, 'Secrets', { secrets: declaration.secrets });
    const secrets = this.secrets.secrets;
    const resourceNames: ResourceNames = {
      tables: byName<TableName, string>(
        Object.keys(declaration.tables),
        (n) => mustGet(tables, n, 'table').tableName,
      ),
      queues: byName<QueueName, string>(
        Object.keys(declaration.queues),
        (n) => mustGet(queues, n, 'queue').queueUrl,
      ),
      secrets: byName<SecretName, string>(
        Object.keys(declaration.secrets),
        (n) => mustGet(secrets, n, 'secret').secretArn,
      ),
    };

    // The functions send from the sender in the bundled municipality config, as the identity that covers it.
    // What SES tells of their e-mails (bounces, complaints, deliveries) comes back on the mailEvents queue.
    const mailEvents: QueueName = 'mailEvents';
    this.mail = new Mail(this, 'Mail', {
      sender: municipality.sender,
      identity: senderIdentityFor(municipality.sender, settings.senderIdentity),
      identityExists: settings.senderIdentityExists,
      mailFromDomain: settings.mailFromDomain,
      eventsQueue: mustGet(this.queues.queues, mailEvents, 'queue').queue,
    });

    // The account's SES rate, shared by the functions that send mail: how many of each run at once, and
    // each instance's pace.
    const mailPlan = mailSendingPlan(settings.sesMaxSendRate, declaration.functions);

    const functions = new Map<string, HouseFunction>();
    for (const [name, fn] of Object.entries(declaration.functions)) {
      functions.set(
        name,
        new HouseFunction(this, pascal(name), {
          name,
          declaration: fn,
          resourceNames,
          tables,
          tableIndexes: this.data.indexNames,
          queues,
          secrets,
          mail: this.mail,
          metricsNamespace,
          logRetention: settings.logRetentionDays,
          embedded,
          theme: municipality.theme,
          mailSendRate: mailPlan.get(name)?.perInstance,
        }),
      );
    }
    this.functions = functions;

    const triggered = <K extends Trigger['kind']>(kind: K): Triggered<K>[] =>
      Object.entries(declaration.functions).flatMap(([name, fn]) =>
        isTriggeredBy(fn, kind)
          ? [{ name, fn: mustGet(functions, name, 'function').lambda, trigger: fn.trigger }]
          : [],
      );

    const httpFunctions = triggered('http');
    this.http =
      httpFunctions.length === 0
        ? undefined
        : new HttpTriggers(this, 'Http', {
            apiName: declaration.service,
            functions: httpFunctions,
            throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
            accessLogRetention: settings.logRetentionDays,
            domain:
              settings.domainName === undefined || settings.certificateArn === undefined
                ? undefined
                : { name: settings.domainName, certificateArn: settings.certificateArn },
          });
    // Behind the edge, CloudFront is the way in: the HTTP functions refuse requests without its secret
    // header (functions/web/edge.ts) and learn the host viewers use. The distribution depends on the API
    // alone (not on its integrations), so the functions referring to it add no cycle.
    this.edge =
      this.http === undefined || props.edge === undefined
        ? undefined
        : new Edge(this, 'Edge', {
            http: this.http,
            webAclArn: props.edge.webAclArn,
            domain:
              settings.domainName === undefined || settings.edgeCertificateArn === undefined
                ? undefined
                : { name: settings.domainName, certificateArn: settings.edgeCertificateArn },
          });
    if (this.edge !== undefined)
      for (const { name } of httpFunctions) {
        const lambda = mustGet(functions, name, 'function').lambda;
        lambda.addEnvironment(EDGE_ORIGIN_SECRET_ENV, this.edge.originSecret.secretValue.unsafeUnwrap());
        lambda.addEnvironment(EDGE_PUBLIC_HOST_ENV, this.edge.publicHost);
      }
    // Where viewers reach the service: through CloudFront with the edge, else the API itself.
    const publicUrl = this.edge?.url ?? this.http?.url;

    // Functions that link to the API (e-mails with action links) learn its URL. None of them is behind the
    // API itself, so this adds no cycle.
    if (publicUrl !== undefined)
      for (const [name, fn] of Object.entries(declaration.functions))
        if (fn.linksToApi)
          mustGet(functions, name, 'function').lambda.addEnvironment(PUBLIC_BASE_URL_ENV, publicUrl);
    new QueueTriggers(this, 'QueueTriggers', {
      functions: triggered('queue').map((t) => {
        const sender = mailPlan.get(t.name);
        return sender === undefined
          ? t
          : { ...t, trigger: { ...t.trigger, maxConcurrency: sender.maxConcurrency } };
      }),
      queues,
    });
    this.schedules = new ScheduleTriggers(this, 'Schedules', { functions: triggered('schedule') });

    this.observability = new Observability(this, 'Observability', {
      namespace: metricsNamespace,
      functions: Object.entries(declaration.functions).map(([name, fn]) => ({
        name,
        fn: mustGet(functions, name, 'function').lambda,
        declaration: fn,
      })),
      queues: this.queues.queues,
      api: this.http?.api,
      mail: this.mail,
      departments: municipality.departments.map((d) => ({ id: d.id, name: d.name.nl })),
      alarmEmail: settings.alarmEmail,
      failedRuns: this.schedules.failedRuns,
      businessEmail: settings.businessEmail ?? municipality.coordinator.email,
    });

    if (publicUrl !== undefined) new CfnOutput(this, 'ApiUrl', { value: publicUrl });
    const apiDomain = this.http?.domain;
    if (this.edge !== undefined) {
      const distributionDomain = this.edge.distribution.distributionDomainName;
      new CfnOutput(this, 'EdgeDistributionDomain', {
        description: 'The CloudFront distribution in front of the API (edge=true)',
        value: distributionDomain,
      });
      if (settings.domainName !== undefined) {
        // Behind the edge the domain points at CloudFront, not at the API.
        new CfnOutput(this, 'ApiDomainTarget', {
          description: `Point ${settings.domainName} here: a CNAME record, or a Route 53 alias record`,
          value: distributionDomain,
        });
        new CfnOutput(this, 'ApiDomainHostedZoneId', {
          description: 'The hosted zone of ApiDomainTarget, for a Route 53 alias record (CloudFront)',
          value: CloudFrontTarget.getHostedZoneId(this),
        });
      }
    } else if (apiDomain !== undefined && settings.domainName !== undefined) {
      // The DNS record that makes the domain reach the API: a CNAME, or a Route 53 alias (A) record.
      new CfnOutput(this, 'ApiDomainTarget', {
        description: `Point ${settings.domainName} here: a CNAME record, or a Route 53 alias record`,
        value: apiDomain.regionalDomainName,
      });
      new CfnOutput(this, 'ApiDomainHostedZoneId', {
        description: 'The hosted zone of ApiDomainTarget, for a Route 53 alias record',
        value: apiDomain.regionalHostedZoneId,
      });
    }
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
    new CfnOutput(this, 'BusinessTopicArn', { value: this.observability.businessTopic.topicArn });
    // What the router and the SLA job are paced for: `npm run doctor` sets it against the account's rate.
    new CfnOutput(this, 'SesMaxSendRate', { value: String(settings.sesMaxSendRate) });
    new CfnOutput(this, 'MailConfigurationSetName', {
      value: this.mail.configurationSet.configurationSetName,
    });
    for (const [name, table] of tables)
      new CfnOutput(this, `${pascal(name)}TableName`, { value: table.tableName });
    for (const [name, { queue, deadLetterQueue }] of this.queues.queues) {
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
  }
}

function isTriggeredBy<K extends Trigger['kind']>(
  fn: FunctionDeclaration,
  kind: K,
): fn is FunctionDeclaration & { trigger: Extract<Trigger, { kind: K }> } {
  return fn.trigger.kind === kind;
}
