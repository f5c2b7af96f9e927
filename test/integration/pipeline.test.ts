import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../../functions/adapters/cases.js';
import { dynamoDigestStore } from '../../functions/adapters/digests.js';
import { submitCase } from '../../functions/domain/case.js';
import { AlreadyRunningError } from '../../infra/local/lock.js';
import { type LocalSystem, startLocal } from '../../infra/local/runtime.js';
import { eventually, readMailbox, type StoredEmail } from '../support/mailbox.js';

const sample = JSON.parse(
  await readFile(new URL('../../events/samples/case-request.json', import.meta.url), 'utf8'),
);

describe('the pipeline on the embedded emulators: intake -> DynamoDB -> SQS -> router -> SES', () => {
  let dataDir: string;
  let system: LocalSystem;
  const errors: unknown[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-pipeline-'));
    system = await startLocal({
      dataDir,
      port: 0,
      ports: { dynamodb: 0, sqs: 0, ses: 0 },
      pollIdleMs: 50,
      schedules: false,
      // This file sends a dozen requests for the sample's one address at once, more than the default
      // limits take from one person (those have their own run: abuse.test.ts): it sets limits of its own.
      municipality: {
        ...municipality,
        intakeLimits: { requestsPerEmailPerDay: 100, requestsPerSourcePerHour: 100 },
      },
      onError: (error) => errors.push(error),
    });
  });

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A client of the system's DynamoDB emulator. */
  const tableClient = () =>
    DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: system.urls.dynamodb,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );

  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('routes a submitted case to one official, who gets an e-mail naming the reference', async () => {
    // Prepare / Act
    const response = await submit(sample);
    const body = (await response.json()) as { reference: string; statusUrl: string };

    // Assess: accepted, then an e-mail to the assigned official in the SES emulator's mailbox
    expect(response.status).toBe(202);
    expect(body.reference).toMatch(/^AP-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(body.statusUrl).toBe(
      `${system.urls.intake}/cases/${body.reference}?token=${new URL(body.statusUrl).searchParams.get('token')}`,
    );
    // The case's e-mails go out in parallel: find the one to an official, whichever arrived first.
    const toOfficial = (m: StoredEmail) =>
      municipality.officials.find((o) => m.destination.to.includes(o.email));
    const mail = await eventually(async () =>
      (await readMailbox(system.urls.mailbox)).find(
        (m) => m.subject.includes(body.reference) && toOfficial(m) !== undefined,
      ),
    );
    const official = toOfficial(mail);
    expect(official?.departments).toContain('werk'); // the lead department: the first goal is `work`
    expect(mail.from).toBe(municipality.sender);
    expect(mail.body.text).toContain(body.reference);
    expect(mail.body.html).toContain('De Groene Fietsfabriek');

    // ...and the status shows that official as the one contact
    const status = await fetch(body.statusUrl, { headers: { accept: 'application/json' } });
    const shown = (await status.json()) as { status: string; contact: { name: string } | null };
    expect(status.status).toBe(200);
    expect(shown.status).toBe('assigned');
    expect(shown.contact?.name).toBe(official?.name);
    expect(errors).toEqual([]);
  });

  it('sends each e-mail of a case exactly once when several cases arrive at once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        submit({ ...sample, description: `${sample.description} (verzoek ${i + 1})` }),
      ),
    );
    const references = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { reference: string }).reference),
    );
    // Each case: the official and the enterprise; the one touched department the official is not part of
    // (duurzaamheid) has it in its digest.
    const perCase = 2;
    const ours = async () =>
      (await readMailbox(system.urls.mailbox)).filter((m) =>
        references.some((ref) => m.subject.includes(ref)),
      );

    await eventually(async () => ((await ours()).length >= references.length * perCase ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show up
    const mails = await ours();

    expect(responses.every((r) => r.status === 202)).toBe(true);
    expect(new Set(references).size).toBe(12);
    expect(mails).toHaveLength(references.length * perCase);
    for (const reference of references) {
      const recipients = mails.filter((m) => m.subject.includes(reference)).flatMap((m) => m.destination.to);
      expect(recipients.sort()).toEqual(['a.jansen@voorbeeld.example', sample.contact.email].sort());
    }
    const digests = await dynamoDigestStore(tableClient(), system.tables.cases).waiting('duurzaamheid');
    expect(references.every((reference) => digests.includes(reference))).toBe(true);
  });

  it('answers the curl checks: unknown field 400, 40 KB 413, text/plain 415, one Idempotency-Key one case', async () => {
    const unknown = await submit({ ...sample, nickname: 'x' });
    const large = await fetch(`${system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...sample, description: 'x'.repeat(40 * 1024) }),
    });
    const text = await fetch(`${system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hallo',
    });
    const keyed = { ...sample, description: `${sample.description} (met sleutel)` };
    const first = await submit(keyed, { 'idempotency-key': 'c0ffee00-1234-4abc-8def-000000000001' });
    const second = await submit(keyed, { 'idempotency-key': 'c0ffee00-1234-4abc-8def-000000000001' });

    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors).toContainEqual(
      expect.objectContaining({ field: 'nickname' }),
    );
    expect(large.status).toBe(413);
    expect(text.status).toBe(415);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as {
      reference: string;
      duplicate: boolean;
    }[];
    expect(b?.reference).toBe(a?.reference);
    expect([a?.duplicate, b?.duplicate]).toEqual([false, true]);
  });

  it('answers 400 with the fields that are wrong, in the language of the request', async () => {
    const response = await submit({
      ...sample,
      language: 'en',
      organisation: { name: 'X', kvkNumber: '1234' },
      extra: true,
    });
    const body = (await response.json()) as { errors: { field: string; message: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'organisation.kvkNumber',
          message: 'A KvK (Chamber of Commerce) number has exactly 8 digits.',
        },
        { field: 'extra', message: 'This field is not known.' },
      ]),
    );
  });

  it('queues a case again when its route message was lost, at the next run of the SLA job', async () => {
    // Prepare: a case stored as intake stores it, but whose message never reached the queue
    const store = dynamoCaseStore(tableClient(), system.tables.cases);
    const submittedAt = new Date(Date.now() - 10 * 60_000);
    const lost = submitCase({
      request: sample,
      reference: 'AP-2222-LQST',
      tokenHash: '00',
      now: submittedAt,
    });
    await store.create(lost);

    // Act: the scheduled job runs now
    const result = await system.invoke('sla', { scheduledTime: new Date().toISOString() });

    // Assess: it was queued again and routed
    expect(result).toMatchObject({ requeued: 1 });
    const mail = await eventually(async () =>
      (await readMailbox(system.urls.mailbox)).find((m) => m.subject.includes('AP-2222-LQST')),
    );
    expect(mail.destination.to).toHaveLength(1);
    expect((await store.get('AP-2222-LQST'))?.status).toBe('assigned');
  });

  it('refuses a second system on the same data folder, saying what runs there', async () => {
    await expect(
      startLocal({ dataDir, port: 0, ports: { dynamodb: 0, sqs: 0, ses: 0 }, schedules: false }),
    ).rejects.toThrow(AlreadyRunningError);
  });
});
