import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type Mailer, MailRejectedError } from '../domain/ports.js';

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
          if (answered !== undefined && answered >= 400)
            throw new MailRejectedError(`SES refused the e-mail (${(error as Error).name})`, error);
          throw error;
        });
      if (result.MessageId === undefined) throw new Error('SES returned no MessageId');
      return result.MessageId;
    },
  };
}
