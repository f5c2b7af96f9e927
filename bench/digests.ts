import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { IN_DIGEST, parseNotificationKey } from '../functions/domain/notification-kind.js';

/** How many cases a working day the digest figures assume: the demo's municipality, about 2,000 a year. */
export const CASES_PER_WORKING_DAY = 8;

/** The department mailboxes' digests the routed cases make, at a day's volume. */
export interface DigestShare {
  /** The working days the cases are spread over (in submission order, `perDay` a day). */
  readonly days: number;
  /** The digests those days send: each day, one per mailbox a case of that day waits in a department of. */
  readonly digests: number;
  /** The information e-mails the same cases send in `immediate` mode: one per department a case waits in. */
  readonly informed: number;
  readonly cases: number;
  readonly perDay: number;
}

/**
 * The department digests of the bench's routed cases, read from what the router recorded (each department a
 * case waits in: its e-mail record `digest`): the cases in submission order, `perDay` a working day, and per
 * day one digest per mailbox (departments sharing one share a digest) any of that day's cases waits in. So the digests per case are those of a
 * municipality of that volume, not of one burst (where one digest would list every case). A Scan of the
 * bench's own table; `fromKvk` leaves the warm-up's cases out.
 */
export async function digestShare(
  db: DynamoDBDocumentClient,
  table: string,
  options: {
    readonly fromKvk: number;
    readonly perDay?: number;
    /** The digest a department's cases go to: its mailbox's first department (`dailyMailboxes`). */
    readonly digestOf: (department: string) => string;
  },
): Promise<DigestShare> {
  const perDay = options.perDay ?? CASES_PER_WORKING_DAY;
  const cases: { submittedAt: string; departments: string[] }[] = [];
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: 'begins_with(pk, :case) AND sk = :sk',
      ExpressionAttributeValues: { ':case': 'CASE#', ':sk': 'CASE' },
    },
  );
  for await (const page of pages)
    for (const found of page.Items ?? []) {
      const item = found as {
        submittedAt: string;
        kvkNumber: string;
        notifications?: Record<string, { messageId: string }>;
      };
      if (Number(item.kvkNumber) < options.fromKvk) continue;
      const departments = Object.entries(item.notifications ?? {}).flatMap(([key, record]) => {
        const kind = parseNotificationKey(key);
        return kind?.type === 'department' && record.messageId === IN_DIGEST
          ? [options.digestOf(kind.department)]
          : [];
      });
      cases.push({ submittedAt: item.submittedAt, departments });
    }
  cases.sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0));
  let digests = 0;
  let days = 0;
  const informed = cases.reduce((sum, c) => sum + c.departments.length, 0);
  for (let start = 0; start < cases.length; start += perDay, days++)
    digests += new Set(cases.slice(start, start + perDay).flatMap((c) => c.departments)).size;
  return { days, digests, informed, cases: cases.length, perDay };
}
