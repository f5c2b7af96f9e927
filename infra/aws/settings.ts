import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * Deployment settings read from CDK context (`cdk.json` or `cdk synth -c key=value`).
 * Values given on the command line arrive as strings, hence the coercion. Defaults live here, once.
 */
const settingsSchema = z.strictObject({
  /** Steady-state requests per second the HTTP API accepts (all routes together, per account limits apart). */
  apiRateLimit: z.coerce.number().positive().default(50),
  /** Burst of requests the HTTP API accepts above the rate. */
  apiBurstLimit: z.coerce.number().int().positive().default(100),
  /** How long function logs are kept (a value CloudWatch Logs allows, e.g. 7, 14, 30, 90). */
  logRetentionDays: z.coerce.number().pipe(z.enum(RetentionDays)).default(RetentionDays.ONE_MONTH),
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
  throw new Error(`CDK context is invalid:\n${lines.join('\n')}`);
}

/** The SES identities a sender may use: the domain identity and the address identity. */
export function senderIdentities(sender: string): { readonly domain: string; readonly address: string } {
  return { domain: sender.slice(sender.indexOf('@') + 1), address: sender };
}
