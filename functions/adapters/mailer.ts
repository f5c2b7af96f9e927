import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../domain/ports.js';

export function sesMailer(ses: SESv2Client, options: { configurationSet?: string } = {}): Mailer {
  return {
    async send(mail) {
      const result = await ses.send(
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
      );
      if (result.MessageId === undefined) throw new Error('SES returned no MessageId');
      return result.MessageId;
    },
  };
}
