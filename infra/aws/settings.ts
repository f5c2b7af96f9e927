import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { ConfigError } from '../../config/error.js';

/** `true`/`false` as JSON (cdk.json) or as text (`-c key=false` arrives as the string "false"). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a domain name')
  .transform((name) => name.toLowerCase());

/** An ACM certificate's ARN, as `aws acm list-certificates` prints it. */
const certificateArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
    'an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
  );

/**
 * Deployment settings read from CDK context (`cdk.json` or `cdk synth -c key=value`).
 * Values given on the command line arrive as strings, hence the coercion. Defaults live here, once.
 */
const settingsSchema = z.strictObject({
  /**
   * The municipality config file to deploy (JSON, as config/municipalities/example.json), relative to the
   * project folder: `-c municipality=config/municipalities/zuidstad.json`. Default: the file
   * `MUNICIPALITY_CONFIG` names, else the demo config, which the stack refuses (its addresses are on reserved
   * domains).
   */
  municipality: z.string().min(1).optional(),
  /** Steady-state requests per second the HTTP API accepts (all routes together, per account limits apart). */
  apiRateLimit: z.coerce.number().positive().default(50),
  /** Burst of requests the HTTP API accepts above the rate. */
  apiBurstLimit: z.coerce.number().int().positive().default(100),
  /** How long function and API access logs are kept (a value CloudWatch Logs allows, e.g. 7, 14, 30, 90). */
  logRetentionDays: z.coerce.number().pipe(z.enum(RetentionDays)).default(RetentionDays.ONE_MONTH),
  /**
   * The SES identity the functions send as: a domain (`voorbeeld.nl`, DKIM records to publish) or one
   * address (`aanspreekpunt@voorbeeld.nl`, SES mails a verification link). It must cover the municipality
   * config's `sender`. Default: the sender's domain.
   */
  senderIdentity: z.union([z.email(), domainName]).optional(),
  /**
   * `true` when the identity is already verified in the account and region (shared with other systems):
   * the stack then only refers to it instead of creating it.
   */
  senderIdentityExists: flag.default(false),
  /**
   * The account's SES maximum sending rate in this Region, e-mails per second (`aws sesv2 get-account`:
   * `SendQuota.MaxSendRate`; 1 in the sandbox, about 14 for a new production account). The functions that
   * send mail share it (infra/aws/mail-rate.ts): the router's maximum concurrency and each instance's pace
   * follow it. Set it again when AWS raises the quota.
   */
  sesMaxSendRate: z.coerce.number().positive().max(100_000).default(14),
  /**
   * The API's own domain (`aanspreekpunt.zuidstad.nl`), with `certificateArn`: the links in e-mails use it
   * and the default `*.execute-api.amazonaws.com` endpoint is switched off. Point the name at the output
   * `ApiDomainTarget` (a CNAME, or an alias in Route 53 with `ApiDomainHostedZoneId`).
   */
  domainName: domainName.optional(),
  /**
   * The ACM certificate for `domainName`, in the stack's own Region (a regional API endpoint takes no
   * certificate from another Region): `aws acm request-certificate --domain-name <domainName>`.
   */
  certificateArn: certificateArn.optional(),
  /**
   * The custom MAIL FROM domain (the envelope sender that receives bounces), a subdomain of the sender
   * identity's domain. It makes SPF align with the sender's domain for DMARC. Default:
   * `bounce.<identity domain>`. Publish the outputs `MailFromMxRecord` and `MailFromSpfRecord`.
   */
  mailFromDomain: domainName.optional(),
  /**
   * `true` puts CloudFront with an AWS WAF web ACL in front of the API (README, Edge protection): a rate-based
   * rule per client IP and the AWS managed common rule set. The web ACL lives in a second stack in us-east-1
   * (`AanspreekpuntEdge`), so both stacks need a concrete account and Region (`account`, `region`).
   */
  edge: flag.default(false),
  /**
   * With `edge`: requests one client IP may send in any 5 minutes (all routes together) before WAF answers
   * 429 until its rate falls below. 300 is one a second on average: a person filling in the form sends
   * about five, and a municipal NAT that many officials share stays far below it.
   */
  edgeRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(300),
  /**
   * With `edge`: `true` logs each request WAF blocks or counts (client IP, country, rule; path and query
   * redacted) to CloudWatch Logs for `logRetentionDays`. WAF takes a log group in the web ACL's Region only, so
   * these IP addresses are stored in us-east-1, outside the EU: off by default, for the privacy officer to decide.
   */
  edgeLogging: flag.default(false),
  /**
   * With `edge` and `domainName`: the ACM certificate of `domainName` in us-east-1, for CloudFront (which takes
   * certificates from that Region only); `certificateArn` stays the API's own, in the stack's Region.
   */
  edgeCertificateArn: certificateArn
    .refine(
      (arn) => arn.split(':')[3] === 'us-east-1',
      'a certificate in us-east-1 (CloudFront takes no other)',
    )
    .optional(),
  /**
   * With `edge`: the AWS account to deploy to (12 digits). Default: the account of the CLI's credentials.
   * Without `edge` the stack is environment-agnostic and this key is refused.
   */
  account: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id (12 digits)')
    .optional(),
  /**
   * With `edge`: the Region of the main stack (`eu-west-1`). Default: the CLI's Region (`AWS_REGION`, the
   * profile). Without `edge` this key is refused.
   */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS Region (eu-west-1)')
    .optional(),
  /** Who receives the alarms (an SNS e-mail subscription, confirmed by a link). None: alarms go to the topic only. */
  alarmEmail: z.email().optional(),
  /**
   * Who receives the business signals (a case past its promised date, a case no official could take): the
   * organisation, apart from ops. Default: the municipality config's coordinator.
   */
  businessEmail: z.email().optional(),
});

/**
 * The custom domain takes both its name and its certificate, or neither; behind the edge it takes a
 * certificate in us-east-1 too. The edge's keys are refused without the edge.
 */
const settingsRules = settingsSchema.superRefine((settings, context) => {
  const issue = (path: keyof Settings, message: string) =>
    context.addIssue({ code: 'custom', path: [path], message });
  if ((settings.domainName === undefined) !== (settings.certificateArn === undefined))
    issue(
      settings.domainName === undefined ? 'domainName' : 'certificateArn',
      'domainName and certificateArn go together: give both (a domain of its own) or neither',
    );
  if (settings.edge && settings.domainName !== undefined && settings.edgeCertificateArn === undefined)
    issue(
      'edgeCertificateArn',
      `edge=true with domainName needs a certificate for ${settings.domainName} in us-east-1 for CloudFront: aws acm request-certificate --region us-east-1 --domain-name ${settings.domainName}`,
    );
  if (settings.edgeLogging && !settings.edge) issue('edgeLogging', 'is used with edge=true only');
  if (settings.edgeCertificateArn !== undefined && !(settings.edge && settings.domainName !== undefined))
    issue('edgeCertificateArn', 'is used with edge=true and domainName only');
  for (const key of ['account', 'region'] as const)
    if (settings[key] !== undefined && !settings.edge)
      issue(key, 'is used with edge=true only (without it the stack is environment-agnostic)');
});

export type Settings = z.infer<typeof settingsSchema>;

/** Context keys this app reads. */
export const settingKeys = Object.keys(settingsSchema.shape) as (keyof Settings)[];

/** Reads and validates the settings from a construct node's context; fails with every bad key named. */
export function settingsFrom(node: Node): Settings {
  const raw: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  const result = settingsRules.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`CDK context is invalid:\n${lines.join('\n')}`);
}

/** The SES identity mail is sent as: a whole domain, or one address. */
export interface SenderIdentity {
  readonly kind: 'domain' | 'address';
  /** The identity's name in SES (and in its ARN): the domain or the address. */
  readonly name: string;
}

/**
 * The identity to send `sender` as: the one given in context, or the sender's domain. Fails when the given
 * identity does not cover the sender (SES would refuse every e-mail): an address must be the sender itself,
 * a domain the sender's domain or a parent of it.
 */
export function senderIdentityFor(sender: string, configured: string | undefined): SenderIdentity {
  const senderDomain = sender.slice(sender.lastIndexOf('@') + 1).toLowerCase();
  if (configured === undefined) return { kind: 'domain', name: senderDomain };
  const name = configured.toLowerCase();
  if (name.includes('@')) {
    if (name !== sender.toLowerCase())
      throw new ConfigError(
        `CDK context is invalid:\n  senderIdentity: ${configured} is not the sender ${sender}`,
      );
    return { kind: 'address', name: sender };
  }
  if (senderDomain !== name && !senderDomain.endsWith(`.${name}`))
    throw new ConfigError(
      `CDK context is invalid:\n  senderIdentity: ${configured} does not cover the sender ${sender}`,
    );
  return { kind: 'domain', name };
}

/**
 * The custom MAIL FROM domain of an identity: the one given in context, or `bounce.` + the identity's
 * domain (an address identity: its domain). Fails on one SES refuses: not a subdomain of that domain, or
 * the sender's own domain (the MAIL FROM domain receives bounces only, never the mail itself).
 */
export function mailFromDomainFor(
  sender: string,
  identity: SenderIdentity,
  configured: string | undefined,
): string {
  const identityDomain = identity.name.slice(identity.name.lastIndexOf('@') + 1);
  if (configured === undefined) return `bounce.${identityDomain}`;
  const invalid = (why: string) =>
    new ConfigError(`CDK context is invalid:\n  mailFromDomain: ${configured} ${why}`);
  if (!configured.endsWith(`.${identityDomain}`))
    throw invalid(`is not a subdomain of ${identityDomain}, the sender identity's domain`);
  if (configured === sender.slice(sender.lastIndexOf('@') + 1).toLowerCase())
    throw invalid(
      `is the sender's own domain; take a subdomain that receives no mail, e.g. bounce.${identityDomain}`,
    );
  return configured;
}
