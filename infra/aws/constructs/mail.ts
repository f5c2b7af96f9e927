import { ArnFormat, Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_CONFIGURATION_SET_ENV } from '../../../functions/declaration.js';
import { mailFromDomainFor, type SenderIdentity } from '../settings.js';
import { pinLogicalId } from './ids.js';

export interface MailProps {
  /** The address every e-mail is sent from (the municipality config's `sender`). */
  readonly sender: string;
  /** The SES identity that covers `sender` (see `senderIdentityFor`). */
  readonly identity: SenderIdentity;
  /** The identity is already verified in the account: refer to it instead of creating it. */
  readonly identityExists: boolean;
  /** The custom MAIL FROM domain of a created identity (default `bounce.<identity domain>`). */
  readonly mailFromDomain?: string | undefined;
  /**
   * The queue SES's bounce, complaint and delivery events of this configuration set go to (through an SNS
   * topic, raw message delivery: each message body is one SES event): the declared `mailEvents` queue.
   */
  readonly eventsQueue: Queue;
}

/** SES's own dimension for events published per configuration set (an auto-tag, filled in by SES). */
const CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

/**
 * Sending e-mail: the SES sender identity, and the configuration set every e-mail goes through. The set
 * requires TLS to the receiving mail server (the e-mails carry personal data), publishes reputation
 * metrics, and sends its send, delivery, bounce, complaint, reject and delay events to CloudWatch as
 * metrics (namespace AWS/SES, dimension `ses:configuration-set`), which the observability alarms watch.
 * It also publishes each e-mail's bounce, complaint and delivery to an SNS topic, which delivers them raw
 * (the SQS body is SES's event JSON, `events/ses-event.ts`) to the events queue the mail-events function
 * consumes; an event SNS cannot deliver there is kept in a queue of its own (with an alarm). Addresses that
 * bounce permanently or complain go on the account-level suppression list for mail through this set, so
 * SES itself drops later e-mails to them, whatever our own list says.
 * `bind` is the one way a function gets to send: the configuration set's name in its environment and
 * `ses:SendEmail` on exactly this identity and configuration set, from exactly the sender address.
 */
export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  /** ARN of the sender identity (created here, or the existing one). */
  readonly identityArn: string;
  readonly configurationSetArn: string;
  /** The custom MAIL FROM domain of the identity created here; undefined for an existing identity. */
  readonly mailFromDomain: string | undefined;
  /** The topic SES publishes this set's bounce, complaint and delivery events to. */
  readonly eventsTopic: Topic;
  /** Events SNS could not deliver to the events queue after its retries: read by a person after its alarm. */
  readonly undeliveredEvents: Queue;
  private readonly sender: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.sender = props.sender;
    const stack = Stack.of(this);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      // An address that bounced permanently or complained: SES drops later e-mails to it (and publishes a
      // bounce for each), even one our own suppression list does not hold yet.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    pinLogicalId(this.configurationSet, 'MailConfigurationSet');
    this.configurationSet.addEventDestination('ToCloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        {
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          name: CONFIGURATION_SET_DIMENSION,
          defaultValue: this.configurationSet.configurationSetName,
        },
      ]),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
    });
    // What the mail-events function acts on. The topic is not KMS-encrypted, like the alarm topics: SES can
    // publish to an encrypted topic only with a customer managed key whose policy lets SES use it.
    this.eventsTopic = new Topic(this, 'EventsTopic', {
      displayName: `${stack.stackName}: bounces, complaints and deliveries of its e-mail`,
      enforceSSL: true,
    });
    pinLogicalId(this.eventsTopic, 'MailEventsTopic');
    // snsTopic also lets SES publish to the topic, from this account's configuration set only.
    const toTopic = this.configurationSet.addEventDestination('ToEventsTopic', {
      destination: EventDestination.snsTopic(this.eventsTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY],
    });
    pinLogicalId(toTopic, 'MailEventsDestination');
    this.undeliveredEvents = new Queue(this, 'UndeliveredEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    pinLogicalId(this.undeliveredEvents, 'MailEventsUndelivered');
    const reason =
      "The dead-letter queue of the mail events topic's subscription: SES events SNS could not deliver to the mailEvents queue after its retries, read by a person after its alarm. Nothing consumes it.";
    Validations.of(this.undeliveredEvents).acknowledge(
      { id: 'AwsSolutions-SQS3', reason },
      { id: 'Serverless-SQSRedrivePolicy', reason },
    );
    // Raw: the queue's message body is SES's event itself, not an SNS envelope around it. The queue's policy
    // lets this topic, and only it, send to it.
    const subscription = this.eventsTopic.addSubscription(
      new SqsSubscription(props.eventsQueue, {
        rawMessageDelivery: true,
        deadLetterQueue: this.undeliveredEvents,
      }),
    );
    pinLogicalId(subscription, 'MailEventsSubscription');

    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    if (props.identityExists) {
      // Its MAIL FROM domain, like its DNS, is set where it was created.
      this.mailFromDomain = undefined;
      this.identityArn = stack.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: props.identity.name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    } else {
      const mailFromDomain = mailFromDomainFor(props.sender, props.identity, props.mailFromDomain);
      this.mailFromDomain = mailFromDomain;
      const identity = new EmailIdentity(this, 'Identity', {
        identity:
          props.identity.kind === 'domain'
            ? Identity.domain(props.identity.name)
            : Identity.email(props.identity.name),
        // E-mails sent without naming a configuration set still go through this one.
        configurationSet: this.configurationSet,
        // Bounces go to a subdomain of the municipality's own, so SPF aligns with the sender for DMARC. Until
        // its MX record is published SES uses its own MAIL FROM: mail still goes out, aligned by DKIM alone.
        mailFromDomain,
        mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
      });
      // A replaced domain identity gets new DKIM tokens, and mail fails DKIM until DNS follows: pin its id.
      pinLogicalId(identity, 'SenderIdentity');
      // Its verification and DNS outlive the stack: a deleted stack leaves it, and a new one refers to it
      // (context senderIdentityExists=true) instead of verifying the domain again.
      identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
      new CfnOutput(this, 'MailFromMx', {
        description: `MX record to publish for the MAIL FROM domain ${mailFromDomain}`,
        value: `${mailFromDomain} MX 10 feedback-smtp.${Aws.REGION}.amazonses.com`,
      }).overrideLogicalId('MailFromMxRecord');
      new CfnOutput(this, 'MailFromSpf', {
        description: `SPF (TXT) record to publish for the MAIL FROM domain ${mailFromDomain}`,
        value: `${mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      }).overrideLogicalId('MailFromSpfRecord');
      this.identityArn = identity.emailIdentityArn;
      if (props.identity.kind === 'domain')
        // Easy DKIM: publish these three CNAME records in the domain's DNS to verify it and sign the mail.
        identity.dkimRecords.forEach((record, index) => {
          const output = new CfnOutput(this, `DkimRecord${index + 1}`, {
            description: `DKIM CNAME record ${index + 1} of 3 to publish for ${props.identity.name}`,
            value: `${record.name} CNAME ${record.value}`,
          });
          output.overrideLogicalId(`SenderDkimRecord${index + 1}`);
        });
    }
  }

  /** Lets a function send e-mail: the configuration set's name in its environment, and the permission. */
  bind(fn: LambdaFunction): void {
    fn.addEnvironment(MAIL_CONFIGURATION_SET_ENV, this.configurationSet.configurationSetName);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identityArn, this.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.sender } },
      }),
    );
  }

  /** A count of one kind of SES event of this configuration set (`Send`, `Delivery`, `Bounce`, `Complaint`…). */
  events(
    name: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject' | 'DeliveryDelay',
    period: Duration,
  ): Metric {
    return new Metric({
      namespace: 'AWS/SES',
      metricName: name,
      dimensionsMap: { [CONFIGURATION_SET_DIMENSION]: this.configurationSet.configurationSetName },
      statistic: 'Sum',
      period,
    });
  }

  /** SES's own reputation rate for this configuration set (a fraction: 0.05 is 5 %). */
  reputation(name: 'BounceRate' | 'ComplaintRate'): Metric {
    return new Metric({
      namespace: 'AWS/SES',
      metricName: `Reputation.${name}`,
      dimensionsMap: { [CONFIGURATION_SET_DIMENSION]: this.configurationSet.configurationSetName },
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
  }
}
