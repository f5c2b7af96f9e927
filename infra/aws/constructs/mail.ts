import { ArnFormat, Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
} from 'aws-cdk-lib/aws-ses';
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
}

/** SES's own dimension for events published per configuration set (an auto-tag, filled in by SES). */
const CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

/**
 * Sending e-mail: the SES sender identity, and the configuration set every e-mail goes through. The set
 * requires TLS to the receiving mail server (the e-mails carry personal data), publishes reputation
 * metrics, and sends its send, delivery, bounce, complaint, reject and delay events to CloudWatch as
 * metrics (namespace AWS/SES, dimension `ses:configuration-set`), which the observability alarms watch.
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
  private readonly sender: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.sender = props.sender;
    const stack = Stack.of(this);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
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
