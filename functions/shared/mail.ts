import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { sesMailer } from '../adapters/mailer.js';
import { MAX_PACE_WAIT_MS, pacedMailer } from '../adapters/paced-mailer.js';
import { MAIL_CONFIGURATION_SET_ENV, MAIL_SEND_RATE_ENV } from '../declaration.js';
import type { Mailer } from '../domain/ports.js';
import type { CompositionOptions } from './composition.js';

/**
 * The mailer of a function that declares `sendsMail`: SES, through the configuration set the stack names
 * (none locally), at the pace the stack sets (`MAIL_SEND_RATE`: this instance's share of the account's
 * sending rate; unpaced locally), wrapped as `options` ask.
 */
export function mailerFor(
  env: NodeJS.ProcessEnv,
  ses: SESv2Client,
  options: CompositionOptions = {},
): Mailer {
  const direct = sesMailer(ses, { configurationSet: env[MAIL_CONFIGURATION_SET_ENV] || undefined });
  const perSecond = sendRateFrom(env);
  const mailer =
    perSecond === undefined ? direct : pacedMailer(direct, { perSecond, maxWaitMs: MAX_PACE_WAIT_MS });
  return options.mailer?.(mailer) ?? mailer;
}

/** `MAIL_SEND_RATE` as a positive number, or undefined when unset; anything else fails the cold start. */
function sendRateFrom(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[MAIL_SEND_RATE_ENV];
  if (value === undefined || value === '') return undefined;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new Error(
      `${MAIL_SEND_RATE_ENV}: expected e-mails per second above 0, got ${JSON.stringify(value)}`,
    );
  return rate;
}
