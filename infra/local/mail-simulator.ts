import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SesEvent } from '../../events/ses-event.js';
import { mailTagsOf } from '../../functions/domain/mail-tags.js';
import type { Mailer, OutgoingMail } from '../../functions/domain/ports.js';

/**
 * The SES mailbox simulator, locally. On AWS an e-mail to one of these addresses (also with a label:
 * `bounce+anything@...`) makes SES publish the event that address stands for, through the configuration set's
 * event destination, to the mail-events queue. The local SES emulator publishes no events, so this wrapper of a
 * function's mailer does: once the emulator took such an e-mail, it puts the event SES would publish on the
 * mail-events queue, a second later (SES tells of a bounce after the send, never before it). Other addresses
 * produce no event, as a real inbox that takes the e-mail tells nothing here either.
 *
 * | address                                    | events                                        |
 * | ------------------------------------------ | --------------------------------------------- |
 * | `success@simulator.amazonses.com`          | Delivery                                      |
 * | `ooto@simulator.amazonses.com`             | Delivery (the out-of-office reply goes to the |
 * |                                            | sender's MAIL FROM; SES publishes no event)   |
 * | `bounce@simulator.amazonses.com`           | Bounce, Permanent (General)                   |
 * | `suppressionlist@simulator.amazonses.com`  | Bounce, Permanent (OnAccountSuppressionList)  |
 * | `complaint@simulator.amazonses.com`        | Delivery, then Complaint                      |
 */

export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';
type Simulated = 'success' | 'ooto' | 'bounce' | 'suppressionlist' | 'complaint';
const SIMULATED: readonly Simulated[] = ['success', 'ooto', 'bounce', 'suppressionlist', 'complaint'];

/** The simulator address an e-mail goes to (its local part before any `+label`), if it is one. */
export function simulatorAddressOf(address: string): Simulated | undefined {
  const [local = '', domain = ''] = address.trim().toLowerCase().split('@');
  const box = local.split('+')[0];
  return domain === SIMULATOR_DOMAIN ? SIMULATED.find((s) => s === box) : undefined;
}

/** The events SES publishes for an e-mail to a simulator address, at `at` (in the order SES sends them). */
export function simulatedEvents(mail: OutgoingMail, messageId: string, at: Date): SesEvent[] {
  const box = simulatorAddressOf(mail.to);
  if (box === undefined) return [];
  const timestamp = at.toISOString();
  const tags: Record<string, string[]> = { 'ses:configuration-set': ['local'] };
  for (const { name, value } of mail.tags === undefined ? [] : mailTagsOf(mail.tags)) tags[name] = [value];
  const common = { mail: { messageId, timestamp, destination: [mail.to], tags } };
  const delivery: SesEvent = {
    eventType: 'Delivery',
    ...common,
    delivery: { recipients: [mail.to], timestamp },
  };
  switch (box) {
    case 'success':
    case 'ooto':
      return [delivery];
    case 'complaint':
      return [
        delivery,
        {
          eventType: 'Complaint',
          ...common,
          complaint: { complainedRecipients: [{ emailAddress: mail.to }], timestamp },
        },
      ];
    case 'bounce':
    case 'suppressionlist':
      return [
        {
          eventType: 'Bounce',
          ...common,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: box === 'bounce' ? 'General' : 'OnAccountSuppressionList',
            bouncedRecipients: [{ emailAddress: mail.to }],
            timestamp,
          },
        },
      ];
  }
}

/** How long after the send the local events become visible on the mail-events queue. */
const EVENT_DELAY_SECONDS = 1;

/**
 * A mailer that, after each e-mail the wrapped one sent to a simulator address, publishes that address's
 * events to the mail-events queue. A failure to publish is reported, never thrown: the e-mail went out.
 */
export function simulatingMailer(
  mailer: Mailer,
  queue: { readonly sqs: SQSClient; readonly url: string },
  onError: (error: unknown) => void,
  clock: () => Date = () => new Date(),
): Mailer {
  return {
    async send(mail) {
      const messageId = await mailer.send(mail);
      for (const event of simulatedEvents(mail, messageId, clock()))
        await queue.sqs
          .send(
            new SendMessageCommand({
              QueueUrl: queue.url,
              MessageBody: JSON.stringify(event),
              DelaySeconds: EVENT_DELAY_SECONDS,
            }),
          )
          .catch(onError);
      return messageId;
    },
  };
}
