import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bounceEventSchema } from '../../../events/ses-event.js';
import type { FunctionDeclaration } from '../../../functions/declaration.js';
import { AGE_BUCKETS } from '../../../functions/domain/case.js';
import { pascal } from './ids.js';
import type { Mail } from './mail.js';
import type { DeclaredQueue } from './queues.js';

export interface ObservedFunction {
  readonly name: string;
  readonly fn: IFunction;
  readonly declaration: FunctionDeclaration;
}

export interface ObservabilityProps {
  /** CloudWatch namespace of the functions' Powertools (EMF) metrics; their one other dimension is `service`. */
  readonly namespace: string;
  readonly functions: readonly ObservedFunction[];
  /** The declared queues, by name. */
  readonly queues: ReadonlyMap<string, DeclaredQueue>;
  readonly api: HttpApi | undefined;
  readonly mail: Mail;
  /** The municipality's departments (id and Dutch name): the values of the `department` dimension. */
  readonly departments: readonly { readonly id: string; readonly name: string }[];
  /** Who gets the alarms by e-mail; none: the topic has no subscription (subscribe later). */
  readonly alarmEmail?: string | undefined;
  /** Per scheduled function: the queue of its failed runs and undelivered ticks. */
  readonly failedRuns: ReadonlyMap<string, IQueue>;
  /**
   * Who gets the business signals by e-mail (a case past its promise, no official available): the
   * organisation, not ops. None: the business topic has no subscription.
   */
  readonly businessEmail?: string | undefined;
}

/** Age buckets of open cases (days since submission): the values of the `age` dimension of `OpenCases`. */
export const openCaseAges = AGE_BUCKETS.map((bucket) => bucket.label);
/** SES's bounce types (`Permanent`, `Transient`, `Undetermined`): the values of `MailBounced`'s `bounceType`. */
export const bounceTypes = bounceEventSchema.shape.bounce.shape.bounceType.options;
/** The `service` of the function that acts on SES's events (the declared `mailEvents`). */
const MAIL_EVENTS_SERVICE = 'mailEvents';

const FIVE_MINUTES = Duration.minutes(5);
const FIFTEEN_MINUTES = Duration.minutes(15);
const HOUR = Duration.hours(1);
const DAY = Duration.days(1);

/**
 * What ops see and what wakes them: one CloudWatch dashboard (cases in and routed, routing latency, SLA met
 * and breached per department, reminders and escalations, open cases by age, e-mail delivery, the SES events
 * acted on and unreachable addresses, queue age and DLQ depth, function errors, throttles and p95 duration,
 * the API) and the alarms, which notify one SNS topic (with an e-mail subscription when `alarmEmail` is given)
 * when they fire and when they clear.
 * Every alarm's description says what it means and where to look first.
 */
export class Observability extends Construct {
  /** Ops: the system needs a person (a dead-letter queue, errors, throttles, e-mail that bounces). */
  readonly topic: Topic;
  /** The organisation: a promise to an enterprise broken, a case nobody could take. */
  readonly businessTopic: Topic;
  /** Notifications SNS could not deliver to an e-mail subscriber; undefined without subscriptions. */
  readonly undeliveredNotifications: Queue | undefined;
  readonly dashboard: Dashboard;
  readonly alarms: readonly Alarm[];
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.namespace = props.namespace;
    const stackName = Stack.of(this).stackName;

    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `${stackName} alarms`,
      enforceSSL: true,
    });
    this.businessTopic = new Topic(this, 'BusinessTopic', {
      displayName: `${stackName}: promises broken, cases nobody could take`,
      enforceSSL: true,
    });
    // A notification SNS could not deliver to a subscriber, after its retries, is kept here (with an alarm
    // below) instead of being dropped.
    const subscriptions = [
      { topic: this.topic, email: props.alarmEmail },
      { topic: this.businessTopic, email: props.businessEmail },
    ].filter((s): s is { topic: Topic; email: string } => s.email !== undefined);
    this.undeliveredNotifications =
      subscriptions.length === 0
        ? undefined
        : new Queue(this, 'UndeliveredNotifications', {
            encryption: QueueEncryption.SQS_MANAGED,
            enforceSSL: true,
            retentionPeriod: Duration.days(14),
          });
    if (this.undeliveredNotifications !== undefined) {
      const reason =
        "The dead-letter queue of the alarm and business topics' e-mail subscriptions: notifications SNS could not deliver after its retries, read by a person after its alarm. Nothing consumes it.";
      Validations.of(this.undeliveredNotifications).acknowledge(
        { id: 'AwsSolutions-SQS3', reason },
        { id: 'Serverless-SQSRedrivePolicy', reason },
      );
    }
    for (const { topic, email } of subscriptions)
      topic.addSubscription(new EmailSubscription(email, { deadLetterQueue: this.undeliveredNotifications }));

    const alarms: Alarm[] = [];
    const alarm = (
      alarmId: string,
      metric: IMetric,
      options: {
        readonly description: string;
        readonly threshold: number;
        readonly operator?: ComparisonOperator;
        readonly missing?: TreatMissingData;
        /** M of N: the alarm fires when `datapoints` of the last `periods` breach (default 1 of 1). */
        readonly periods?: number;
        readonly datapoints?: number;
        /** Whom it tells: ops (default), or the organisation (business signals). */
        readonly to?: 'ops' | 'business';
      },
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmName: `${stackName}-${alarmId}`,
        alarmDescription: options.description,
        metric,
        threshold: options.threshold,
        evaluationPeriods: options.periods ?? 1,
        datapointsToAlarm: options.datapoints ?? options.periods ?? 1,
        comparisonOperator: options.operator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      const action = new SnsAction(options.to === 'business' ? this.businessTopic : this.topic);
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
      return created;
    };

    // --- Alarms: the pipeline ------------------------------------------------------------------------
    for (const [name, { queue, deadLetterQueue }] of props.queues) {
      alarm(
        `${pascal(name)}DeadLetterQueueNotEmpty`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        {
          threshold: 1,
          description: `Messages in the ${name} dead-letter queue: cases that failed ${name} processing on every attempt and are not being handled. Read the function's log group for their errors, fix the cause, then redrive the messages to the ${name} queue (SQS console: "Start DLQ redrive").`,
        },
      );
      // The depth alarm above stays in ALARM while anything is in the DLQ, so a later failure would go
      // unnoticed. This one fires on every increase of the depth: a message moved to a DLQ by its redrive
      // policy is not counted in NumberOfMessagesSent, so the increase is read from the depth itself.
      const depth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      });
      alarm(
        `${pascal(name)}DeadLetterQueueNewMessages`,
        new MathExpression({
          expression: 'DIFF(depth)',
          usingMetrics: { depth },
          period: FIVE_MINUTES,
          label: `new messages in the ${name} dead-letter queue`,
        }),
        {
          threshold: 1,
          description: `New messages arrived in the ${name} dead-letter queue in the last 5 minutes, besides any already there: another case failed ${name} processing on every attempt. Read the function's log group for the errors, fix the cause, then redrive the messages to the ${name} queue (SQS console: "Start DLQ redrive").`,
        },
      );
      alarm(
        `${pascal(name)}QueueStuck`,
        queue.metricApproximateAgeOfOldestMessage({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        {
          threshold: 15 * 60,
          description: `The oldest message in the ${name} queue has waited 15 minutes or more: its consumer is failing or throttled, so new cases are not being routed. Check the consumer's errors and throttles on the dashboard.`,
        },
      );
    }
    for (const { name, fn } of props.functions) {
      const errors = fn.metricErrors({ period: FIFTEEN_MINUTES, statistic: 'Sum' });
      const invocations = fn.metricInvocations({ period: FIFTEEN_MINUTES, statistic: 'Sum' });
      alarm(
        `${pascal(name)}ErrorRate`,
        new MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: { errors, invocations },
          period: FIFTEEN_MINUTES,
          label: `${name} error rate (%)`,
        }),
        {
          threshold: 5,
          description: `5 % or more of the ${name} function's invocations failed in 15 minutes (unhandled errors or timeouts). Its log group has the error lines (JSON, level ERROR).`,
        },
      );
    }
    const throttles = Object.fromEntries(
      props.functions.map(({ name, fn }) => [
        name,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      ]),
    );
    alarm(
      'FunctionsThrottled',
      new MathExpression({
        expression: Object.keys(throttles).join(' + '),
        usingMetrics: throttles,
        period: FIVE_MINUTES,
        label: 'throttled invocations, all functions',
      }),
      {
        threshold: 1,
        // One throttled invocation in a burst is retried and passes; two 5-minute periods of three are a limit.
        periods: 3,
        datapoints: 2,
        description:
          "Lambda refused invocations for lack of concurrency in two of the last three 5-minute periods: the account's concurrency limit is reached (new accounts may have only 10). Intake requests then fail; ask AWS Support for a higher Lambda concurrency quota.",
      },
    );
    // The intake and the actions answer a failure of their dependencies with a 503 page (not an unhandled
    // error), so Lambda's error metric does not see it: the API's 5xx count does.
    if (props.api !== undefined)
      alarm('Api5xx', props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        threshold: 1,
        periods: 3,
        datapoints: 2,
        description:
          'The API answered 5xx (mostly 503: a dependency, DynamoDB or SQS, failed) in two of the last three 5-minute periods: enterprises cannot submit, or officials cannot act. The intake and actions log groups have the errors (level ERROR); the API access log has the routes and statuses.',
      });
    if (this.undeliveredNotifications !== undefined)
      alarm(
        'NotificationsUndelivered',
        this.undeliveredNotifications.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        {
          threshold: 1,
          description:
            'SNS could not deliver an alarm or business notification to its e-mail subscriber after its retries: the message is in the UndeliveredNotifications queue. Check the subscription (SNS console) and the address; read the message there, as nobody received it.',
        },
      );
    alarm(
      'MailEventsUndelivered',
      props.mail.undeliveredEvents.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      {
        threshold: 1,
        description:
          "SNS could not deliver an SES event (a bounce, complaint or delivery) to the mailEvents queue after its retries: it is in the MailEventsUndelivered queue and the mail-events function has not acted on it. Usually the mailEvents queue or its policy was changed by hand: redeploy the stack. Then read the messages there (SQS console): each is SES's event about one e-mail. Act on them by hand: an official whose address bounced permanently is not marked unreachable, so mark them absent (`npm run officials -- absent <id> --from <today>`) until it is fixed. SES's account-level suppression list holds the bounced or complained address already.",
      },
    );
    /** What is not done while a scheduled job does not run. */
    const undone = (name: string) =>
      name === 'retention'
        ? 'no personal data are removed and no case is destroyed on its date (the next run that works catches up)'
        : name === 'digest'
          ? 'no digest goes out: the departments informed daily hear of no new case (the next run that works sends what waits)'
          : 'no reminders, breaches or escalations go out';
    for (const [name, failed] of props.failedRuns)
      alarm(
        `${pascal(name)}FailedRuns`,
        failed.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        {
          threshold: 1,
          description: `A run of the ${name} job failed, or Scheduler could not deliver its tick: the message in its failed-runs queue has the error. The next run does the same work; if runs keep failing, ${undone(name)}.`,
        },
      );
    for (const { name, fn, declaration } of props.functions) {
      if (declaration.trigger.kind !== 'schedule') continue;
      const interval = declaration.trigger.rateMinutes;
      alarm(
        `${pascal(name)}NotRunning`,
        fn.metricInvocations({ period: Duration.minutes(Math.max(15, 3 * interval)), statistic: 'Sum' }),
        {
          threshold: 1,
          operator: ComparisonOperator.LESS_THAN_THRESHOLD,
          missing: TreatMissingData.BREACHING,
          description: `The ${name} job, scheduled every ${interval} minutes, has not run for ${Math.max(15, 3 * interval)} minutes: ${undone(name)}. Check the EventBridge Scheduler schedule (enabled?) and the function.`,
        },
      );
    }

    // --- Alarms: the service promise ----------------------------------------------------------------
    alarm('SlaBreaches', this.app('SlaBreaches', 'sla', HOUR), {
      threshold: 1,
      to: 'business',
      description:
        'A case passed its promised date (first contact or decision) in the last hour. The contact and the coordinator have been e-mailed; the dashboard shows which department.',
    });
    alarm('NoOfficialAvailable', this.app('NoOfficialAvailable', 'router', FIVE_MINUTES), {
      threshold: 1,
      to: 'business',
      description:
        'A case could not be assigned to an official (nobody covering its departments is available) and went to the coordinator inbox. Check absences and deputies (`npm run officials -- list --aws --table <CasesTableName>`).',
    });
    alarm('SlaJobFailures', this.app('SlaJobFailures', 'sla', FIFTEEN_MINUTES), {
      threshold: 1,
      description:
        "The SLA job could not handle one or more due cases; it retries them on the next run. If this persists, the sla function's log group names the cases and the errors.",
    });

    // --- Alarms: e-mail ----------------------------------------------------------------------------
    // One deferral is a throttle that passes; three 5-minute periods in a row is a cause a person must mend.
    alarm('MailWaiting', this.app('RoutingDeferred', 'router', FIVE_MINUTES), {
      threshold: 1,
      periods: 3,
      datapoints: 3,
      description:
        "For 15 minutes the router has put cases off because SES would not take their e-mails. The router's log names the reason (notVerified, throttled, paused): the sender identity is not verified yet (publish the DKIM records, or click the link SES mailed), the account is still in the SES sandbox (recipients must be verified; request production access), sending is paused, or sesMaxSendRate is above the account's rate. Nothing is lost: the cases wait on the route queue and are routed once SES takes their e-mails.",
    });
    alarm(
      'MailBounceRate',
      new MathExpression({
        expression: 'IF(sent >= 10, 100 * bounced / sent, 0)',
        usingMetrics: { sent: props.mail.events('Send', DAY), bounced: props.mail.events('Bounce', DAY) },
        period: DAY,
        label: 'bounce rate (%) of the last day',
      }),
      {
        threshold: 5,
        description:
          '5 % or more of the e-mails of the last day bounced (of at least 10 sent). SES reviews an account from 5 % and may pause sending from 10 %. Look for wrong official or department addresses in the municipality config, or an enterprise domain without TLS (the configuration set requires TLS).',
      },
    );
    // The account's own reputation, as SES reviews it (all of the account's mail, not only ours): SES
    // reviews from a 5 % bounce rate or a 0.1 % complaint rate and may pause sending from 10 % and 0.5 %.
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: HOUR });
    alarm('SesAccountBounceRate', reputation('Reputation.BounceRate'), {
      threshold: 0.05,
      description:
        "The SES account's bounce rate reached 5 %, where SES puts the account under review; from 10 % it may pause the account's sending. It counts all of the account's e-mail over a representative period, not only this stack's. Look at the MailBounceRate alarm and at the reputation page of the SES console.",
    });
    alarm('SesAccountComplaintRate', reputation('Reputation.ComplaintRate'), {
      threshold: 0.001,
      description:
        "The SES account's complaint rate reached 0.1 %, where SES puts the account under review; from 0.5 % it may pause the account's sending. It counts all of the account's e-mail over a representative period. Look at the MailComplaints alarm and at the reputation page of the SES console.",
    });
    alarm('MailComplaints', props.mail.events('Complaint', DAY), {
      threshold: 1,
      description:
        'A recipient marked an e-mail as spam in the last day. SES reviews an account from a 0.1 % complaint rate. Find out who (SES event) and why.',
    });
    alarm('OfficialUnreachable', this.app('OfficialUnreachable', MAIL_EVENTS_SERVICE, FIVE_MINUTES), {
      threshold: 1,
      description:
        "An official's address bounced permanently: they are marked unreachable and their cases handed on (to their deputy, or back to routing). The mail-events function's log names the official. Fix the address (in the officials table: `npm run officials -- import`) or have their mailbox mended, then run `npm run officials -- reachable <id>`.",
    });
    this.alarms = alarms;

    // --- Dashboard ----------------------------------------------------------------------------------
    const fns = props.functions;
    const labelled = (metric: Metric, label: string) => metric.with({ label });
    const departments = (metricName: string, service: string) =>
      props.departments.map((d) =>
        this.app(metricName, service, DAY, { department: d.id }).with({ label: d.name }),
      );
    const graph = (
      title: string,
      left: IMetric[],
      more: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {},
    ) => new GraphWidget({ title, left, width: 8, height: 6, ...more });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-ops`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 2,
        markdown: [
          `# ${stackName}: requests from social enterprises`,
          'Cases in and routed, the promises (SLA) per department, reminders, the queue and e-mail, and the health of each function. Counts are sums per hour unless a title says otherwise; the alarms are at the bottom.',
        ].join('\n'),
      }),
    );
    this.dashboard.addWidgets(
      graph('Cases submitted (per hour)', [
        labelled(this.app('CasesSubmitted', 'intake', HOUR), 'submitted'),
        labelled(this.app('DuplicateSubmissions', 'intake', HOUR), 'duplicate (same case returned)'),
        labelled(this.app('IntakeRejected', 'intake', HOUR), 'rejected (invalid request)'),
        labelled(this.app('HoneypotSubmissions', 'intake', HOUR), 'bot (honeypot)'),
        labelled(this.app('IntakeLimited', 'intake', HOUR), 'over the intake limits (429)'),
      ]),
      graph('Cases routed (per hour)', [
        labelled(this.app('CasesRouted', 'router', HOUR), 'routed to one official'),
        labelled(this.app('NoOfficialAvailable', 'router', HOUR), 'nobody available: coordinator'),
        labelled(this.app('CasesRequeued', 'sla', HOUR), 're-queued by the SLA job'),
        labelled(this.app('RouteEnqueueFailed', 'intake', HOUR), 'not queued at intake'),
        labelled(this.app('RoutingDeferred', 'router', HOUR), 'put off: SES cannot take the e-mails yet'),
      ]),
      graph('Routing latency: submitted to assigned (ms)', [
        this.app('RoutingLatency', 'router', HOUR, {}, 'p50').with({ label: 'p50' }),
        this.app('RoutingLatency', 'router', HOUR, {}, 'p95').with({ label: 'p95' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('SLA met per department (per day)', departments('SlaMet', 'actions'), {
        view: GraphWidgetView.BAR,
      }),
      graph('SLA breached per department (per day)', departments('SlaBreached', 'sla'), {
        view: GraphWidgetView.BAR,
      }),
      graph('Reminders and escalations (per hour)', [
        labelled(this.app('SlaReminders', 'sla', HOUR), 'reminders before due'),
        labelled(this.app('SlaBreaches', 'sla', HOUR), 'breaches'),
        labelled(this.app('SlaEscalations', 'sla', HOUR), "escalations to the wethouder's office"),
        labelled(this.app('SlaJobFailures', 'sla', HOUR), 'cases the job failed on'),
        labelled(this.app('SlaStepsDeferred', 'sla', HOUR), 'put off: SES cannot take the e-mails yet'),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Open cases by age since submission',
        openCaseAges.map((age) =>
          this.app('OpenCases', 'sla', HOUR, { age }, 'Maximum').with({ label: age.replace('d', ' days') }),
        ),
        { stacked: true },
      ),
      graph("Officials' actions (per hour)", [
        labelled(this.app('ActionsApplied', 'actions', HOUR), 'applied'),
        labelled(this.app('ActionLinksExpired', 'actions', HOUR), 'expired link'),
        labelled(this.app('ActionLinksInvalid', 'actions', HOUR), 'invalid link'),
        labelled(this.app('QuestionsAnswered', 'intake', HOUR), "enterprises' answers to a pause's question"),
      ]),
      graph('E-mail (per hour)', [
        labelled(this.app('EmailsSent', 'router', HOUR), 'sent by the router'),
        labelled(this.app('EmailsSent', 'sla', HOUR), 'sent by the SLA job'),
        labelled(this.app('EmailsSent', 'digest', HOUR), 'digests'),
        labelled(props.mail.events('Delivery', HOUR), 'delivered (SES)'),
        labelled(props.mail.events('Bounce', HOUR), 'bounced (SES)'),
        labelled(props.mail.events('Complaint', HOUR), 'complaints (SES)'),
        labelled(props.mail.events('DeliveryDelay', HOUR), 'delayed (SES)'),
      ]),
    );
    const senders = fns.filter(({ declaration }) => declaration.sendsMail);
    this.dashboard.addWidgets(
      graph('SES events acted on (per hour)', [
        ...bounceTypes.map((bounceType) =>
          labelled(
            this.app('MailBounced', MAIL_EVENTS_SERVICE, HOUR, { bounceType }),
            `bounced: ${bounceType.toLowerCase()}`,
          ),
        ),
        labelled(this.app('MailComplained', MAIL_EVENTS_SERVICE, HOUR), 'complained'),
        labelled(
          this.app('MailDelivered', MAIL_EVENTS_SERVICE, HOUR),
          'delivered (out-of-office replies too)',
        ),
      ]),
      graph('Unreachable addresses (per hour)', [
        labelled(
          this.app('OfficialUnreachable', MAIL_EVENTS_SERVICE, HOUR),
          'official: marked unreachable, cases handed on',
        ),
        labelled(
          this.app('EnterpriseUnreachable', MAIL_EVENTS_SERVICE, HOUR),
          "enterprise: its case's contact told",
        ),
      ]),
      graph(
        'E-mails not sent: address on our suppression list (per hour)',
        senders.map(({ name }) => labelled(this.app('MailSuppressed', name, HOUR), name)),
      ),
    );
    this.dashboard.addWidgets(
      graph('Retention (per day)', [
        labelled(this.app('CasesAnonymised', 'retention', DAY), 'personal data removed'),
        labelled(this.app('CasesDestroyed', 'retention', DAY), 'destroyed (deletion record kept)'),
        labelled(this.app('RetentionFailed', 'retention', DAY), 'failed (stays due; failed-runs alarm)'),
      ]),
      graph('Digests (per day)', [
        labelled(this.app('DepartmentDigestsSent', 'digest', DAY), "departments' daily digests sent"),
        labelled(this.app('OfficialDigestsSent', 'digest', DAY), "officials' digests sent"),
        labelled(
          this.app('DigestsFailed', 'digest', DAY),
          'failed (tried again next run; failed-runs alarm)',
        ),
      ]),
    );
    const queueWidgets = [...props.queues].flatMap(([name, { queue, deadLetterQueue }]) => [
      graph(
        `${pascal(name)} queue: age of the oldest message (s)`,
        [queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' })],
        {
          right: [
            queue.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              statistic: 'Maximum',
              label: 'waiting',
            }),
          ],
        },
      ),
      graph(`${pascal(name)} dead-letter queue depth`, [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'messages',
        }),
      ]),
    ]);
    this.dashboard.addWidgets(
      ...queueWidgets,
      graph('SES reputation of this configuration set (fraction)', [
        props.mail.reputation('BounceRate').with({ label: 'bounce rate' }),
        props.mail.reputation('ComplaintRate').with({ label: 'complaint rate' }),
      ]),
    );
    const byName = (metric: (fn: IFunction) => Metric) =>
      fns.map(({ name, fn }) => metric(fn).with({ label: name }));
    this.dashboard.addWidgets(
      graph(
        'Function errors (per 5 min)',
        byName((fn) => fn.metricErrors({ period: FIVE_MINUTES })),
      ),
      graph(
        'Function throttles (per 5 min)',
        byName((fn) => fn.metricThrottles({ period: FIVE_MINUTES })),
      ),
      graph(
        'Function duration p95 (ms)',
        byName((fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p95' })),
      ),
    );
    if (props.api !== undefined)
      this.dashboard.addWidgets(
        graph('HTTP API requests and errors (per 5 min)', [
          props.api.metricCount({ period: FIVE_MINUTES, label: 'requests' }),
          props.api.metricClientError({ period: FIVE_MINUTES, label: '4xx' }),
          props.api.metricServerError({ period: FIVE_MINUTES, label: '5xx' }),
        ]),
        graph('HTTP API latency p95 (ms)', [
          props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p95', label: 'p95' }),
        ]),
        new AlarmStatusWidget({ title: 'Alarms', alarms, width: 8, height: 6 }),
      );
    else this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 6 }));
  }

  /** A Powertools metric of one function (`service`), optionally with one more bounded dimension. */
  private app(
    metricName: string,
    service: string,
    period: Duration,
    dimensions: Readonly<Record<string, string>> = {},
    statistic = 'Sum',
  ): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { service, ...dimensions },
      statistic,
      period,
    });
  }
}
