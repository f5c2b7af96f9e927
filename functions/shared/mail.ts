import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { sesMailer } from '../adapters/mailer.js';
import { MAIL_CONFIGURATION_SET_ENV } from '../declaration.js';
import type { Mailer } from '../domain/ports.js';
import type { CompositionOptions } from './composition.js';

/**
 * The mailer of a function that declares `sendsMail`: SES, through the configuration set the stack names
 * (none locally), wrapped as `options` ask.
 */
export function mailerFor(
  env: NodeJS.ProcessEnv,
  ses: SESv2Client,
  options: CompositionOptions = {},
): Mailer {
  const mailer = sesMailer(ses, { configurationSet: env[MAIL_CONFIGURATION_SET_ENV] || undefined });
  return options.mailer?.(mailer) ?? mailer;
}
