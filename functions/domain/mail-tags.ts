import { type NotificationKind, notificationKey, parseNotificationKey } from './notification-kind.js';

/**
 * The tags an e-mail of a case carries (SES message tags), so that what SES later tells of it (a bounce, a
 * complaint) finds its case and its kind: `case` is the case's reference, `notification` the kind's stored key
 * (`notificationKey`) in base64url, since a tag value takes only letters, digits, `_` and `-` and a key holds
 * `:` and a department's id. Nothing personal goes in a tag: SES publishes tags with every event.
 */
export interface MailTags {
  readonly reference: string;
  readonly kind: NotificationKind;
}

const CASE_TAG = 'case';
const NOTIFICATION_TAG = 'notification';
/** What a tag value may hold (SES: at most 256 of letters, digits, `_`, `-`). */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/** The message tags of an e-mail of this case and kind, as name and value pairs. */
export function mailTagsOf({ reference, kind }: MailTags): { name: string; value: string }[] {
  const tags = [
    { name: CASE_TAG, value: reference },
    { name: NOTIFICATION_TAG, value: Buffer.from(notificationKey(kind)).toString('base64url') },
  ];
  return tags.filter((tag) => TAG_VALUE.test(tag.value));
}

/** The case and kind an event's tags name (SES gives each tag as a list of values); undefined when none. */
export function mailTagsFrom(tags: Readonly<Record<string, readonly string[]>>): MailTags | undefined {
  const [reference] = tags[CASE_TAG] ?? [];
  const [encoded] = tags[NOTIFICATION_TAG] ?? [];
  if (reference === undefined || encoded === undefined || !TAG_VALUE.test(encoded)) return undefined;
  const kind = parseNotificationKey(Buffer.from(encoded, 'base64url').toString('utf8'));
  return kind === undefined ? undefined : { reference, kind };
}
