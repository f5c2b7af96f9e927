import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { ConfigError } from '../../config/error.js';

/** `true`/`false` as JSON (cdk.json) or as text (`-c key=false` arrives as the string "false"). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a domain name');

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
  /** Who receives the alarms (an SNS e-mail subscription, confirmed by a link). None: alarms go to the topic only. */
  alarmEmail: z.email().optional(),
  /**
   * Who receives the business signals (a case past its promised date, a case no official could take): the
   * organisation, apart from ops. Default: the municipality config's coordinator.
   */
  businessEmail: z.email().optional(),
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
  const result = settingsSchema.safeParse(raw);
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
