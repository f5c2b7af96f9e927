import { z } from 'zod';

/** The sent mail as aws-ses-v2-local keeps it (`GET /store`). */
const storeSchema = z.object({
  emails: z.array(
    z.object({
      messageId: z.string(),
      from: z.string(),
      destination: z.object({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.object({ text: z.string().optional(), html: z.string().optional() }),
      at: z.number(),
    }),
  ),
});
export type StoredEmail = z.infer<typeof storeSchema>['emails'][number];

export async function readMailbox(mailboxUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${mailboxUrl}/store`);
  return storeSchema.parse(await response.json()).emails;
}

/**
 * The sent mail as moto server keeps it (`GET /moto-api/data.json`, `.ses.Message[]`): one body only (the
 * HTML part when a message has both; the text part is not kept) and no time of sending.
 */
const motoSchema = z.object({
  ses: z
    .object({
      Message: z.array(
        z.object({
          id: z.string(),
          source: z.string(),
          destinations: z.object({ ToAddresses: z.array(z.string()).default([]) }),
          subject: z.string(),
          body: z.string(),
        }),
      ),
    })
    .optional(),
});

/** moto's sent mail in the shape of `readMailbox` (`body.html` only; `at` is the time it was read). */
export async function readMotoMailbox(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  const at = Date.now() / 1000;
  return (motoSchema.parse(await response.json()).ses?.Message ?? []).map((m) => ({
    messageId: m.id,
    from: m.source,
    destination: { to: m.destinations.ToAddresses },
    subject: m.subject,
    body: { html: m.body },
    at,
  }));
}

/** Polls until `find` returns something or the time is up. */
export async function eventually<T>(
  find: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * The action link (or the link to "Mijn zaken", or to the satisfaction form) after a label in the text part of
 * an e-mail (a line `label: url`).
 */
export function linkAfter(text: string, label: RegExp): string {
  const line = text.split('\n').find((l) => label.test(l));
  const url = line?.match(/(https?:\/\/\S+\/(?:actions|my-cases|satisfaction)\/[A-Za-z0-9_.-]+)\s*$/)?.[1];
  if (url === undefined) throw new Error(`no link after ${label} in:\n${text}`);
  return url;
}
