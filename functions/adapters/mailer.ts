import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mailTagsOf } from '../domain/mail-tags.js';
import { MailDeferredError, type Mailer, MailRejectedError, type MailWaitReason } from '../domain/ports.js';

/**
 * Whether an error SES answered SendEmail with passes by itself, and why (SES v2's SendEmail errors):
 * - throttled: `TooManyRequestsException` (the sending rate), `LimitExceededException` (a quota, e.g. the
 *   day's), or a throttling error of the API itself;
 * - notVerified: `MailFromDomainNotVerifiedException`, or `MessageRejected` saying that an address or domain
 *   is not verified (the sender's identity, or in the sandbox the recipient), until DNS or a click verifies it;
 * - paused: `SendingPausedException` (the account's or the configuration set's sending is paused).
 * Anything else (`BadRequestException`, `MessageRejected` for its content, `NotFoundException`,
 * `AccountSuspendedException`) does not pass by waiting: undefined.
 */
export function mailWaitReasonOf(error: unknown): MailWaitReason | undefined {
  const { name = '', message = '' } = error as { name?: string; message?: string };
  switch (name) {
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'ThrottlingException':
    case 'Throttling':
      return 'throttled';
    case 'MailFromDomainNotVerifiedException':
      return 'notVerified';
    case 'MessageRejected':
      return /not verified/i.test(message) ? 'notVerified' : undefined;
    case 'SendingPausedException':
      return 'paused';
    default:
      return undefined;
  }
}

export function sesMailer(ses: SESv2Client, options: { configurationSet?: string } = {}): Mailer {
  return {
    async send(mail) {
      const result = await ses
        .send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: [mail.to] },
            ReplyToAddresses: mail.replyTo === undefined ? undefined : [mail.replyTo],
            ConfigurationSetName: options.configurationSet,
            // The case and kind come back with each event SES publishes of this e-mail (bounce, complaint).
            EmailTags:
              mail.tags === undefined
                ? undefined
                : mailTagsOf(mail.tags).map(({ name, value }) => ({ Name: name, Value: value })),
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: mail.text, Charset: 'UTF-8' },
                  Html: { Data: mail.html, Charset: 'UTF-8' },
                },
              },
            },
          }),
        )
        .catch((error: unknown) => {
          // SES answered with an error (throttling, a refused address): it did not take the e-mail.
          const answered = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (answered !== undefined && answered >= 400) {
            const reason = mailWaitReasonOf(error);
            const what = `SES refused the e-mail (${(error as Error).name})`;
            throw reason === undefined
              ? new MailRejectedError(what, error)
              : new MailDeferredError(reason, `${what}: ${reason}`, error);
          }
          throw error;
        });
      if (result.MessageId === undefined) throw new Error('SES returned no MessageId');
      return result.MessageId;
    },
  };
}
