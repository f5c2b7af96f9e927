import * as z from 'zod';

/**
 * An e-mail sending event as SES publishes it through a configuration set's event destination (SNS with raw
 * message delivery, so the SQS body is this JSON itself), as far as the mail-events function reads it. Only
 * the fields it acts on are checked; the rest of SES's record (headers, reporting MTA, ...) passes unread.
 * On AWS SES writes these; locally the runtime writes the same shape for the mailbox simulator's addresses
 * (infra/local/mail-simulator.ts), so one handler and one test serve both.
 *
 * | eventType   | what it says                                         | the object it carries |
 * | ----------- | ---------------------------------------------------- | --------------------- |
 * | `Bounce`    | the receiving server refused it, for good or for now | `bounce`              |
 * | `Complaint` | the recipient marked it as spam                      | `complaint`           |
 * | `Delivery`  | the receiving server took it (also an out-of-office) | `delivery`            |
 * | other       | `Send`, `Reject`, `DeliveryDelay`, ...: counted only | -                     |
 */

const address = z.string().min(3).max(320);
const moment = z.iso.datetime({ offset: true });

/**
 * The message tags of the e-mail: SES's own (`ses:configuration-set`, ...) and the ones we set when sending
 * (`mailTags` in functions/domain/mail-tags.ts), each a list of values.
 */
const tags = z.record(z.string(), z.array(z.string())).default({});

const mail = z.looseObject({
  messageId: z.string().min(1).max(200),
  timestamp: moment,
  destination: z.array(address).min(1),
  tags,
});

const recipient = z.looseObject({ emailAddress: address });

export const bounceEventSchema = z.looseObject({
  eventType: z.literal('Bounce'),
  mail,
  bounce: z.looseObject({
    /** `Permanent`: the address does not work; `Transient` (mailbox full, ...) and `Undetermined`: it may. */
    bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
    bounceSubType: z.string().max(100),
    bouncedRecipients: z.array(recipient).min(1),
    timestamp: moment,
  }),
});

export const complaintEventSchema = z.looseObject({
  eventType: z.literal('Complaint'),
  mail,
  complaint: z.looseObject({
    complainedRecipients: z.array(recipient).min(1),
    timestamp: moment,
  }),
});

export const deliveryEventSchema = z.looseObject({
  eventType: z.literal('Delivery'),
  mail,
  delivery: z.looseObject({ recipients: z.array(address).min(1), timestamp: moment }),
});

/** The event types SES publishes that the function counts without acting on them. */
export const OTHER_EVENT_TYPES = [
  'Send',
  'Reject',
  'DeliveryDelay',
  'Open',
  'Click',
  'Rendering Failure',
  'Subscription',
] as const;

export const otherEventSchema = z.looseObject({ eventType: z.enum(OTHER_EVENT_TYPES), mail });

export const sesEventSchema = z.discriminatedUnion('eventType', [
  bounceEventSchema,
  complaintEventSchema,
  deliveryEventSchema,
  otherEventSchema,
]);
export type SesEvent = z.infer<typeof sesEventSchema>;
export type BounceEvent = z.infer<typeof bounceEventSchema>;
export type ComplaintEvent = z.infer<typeof complaintEventSchema>;
