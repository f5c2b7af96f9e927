import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, readMailbox } from '../support/mailbox.js';
import { npmStart, type Started } from '../support/start-process.js';

const sample = await readFile(new URL('../../events/samples/case-request.json', import.meta.url), 'utf8');

describe('npm start, as a user runs it', () => {
  let dataDir: string;
  const running: Started[] = [];
  const env = () => ({ DATA_DIR: dataDir, PORT: '0', MAIL_PORT: '0', DYNAMODB_PORT: '0', SQS_PORT: '0' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-start-'));
  });
  afterAll(async () => {
    for (const started of running) await started.interrupt();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URLs and ready, keeps every case across Ctrl-C and a new start, and refuses a second start', async () => {
    // Prepare: start, submit a case, see it routed
    const first = await npmStart(env()).ready;
    running.push(first);
    expect(Object.keys(first.urls)).toEqual(['intake', 'ops', 'mailbox', 'dynamodb', 'sqs', 'ses', 'data']);
    expect(first.urls.ops).toBe(`${(first.urls.intake ?? '').replace(/\/$/, '')}/ops`);
    expect(first.urls.data).toBe(pathToFileURL(dataDir).href);
    const response = await fetch(new URL('/cases', first.urls.intake), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sample,
    });
    expect(response.status).toBe(202);
    const { reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string };
    await eventually(async () =>
      (await readMailbox((first.urls.mailbox ?? '').replace(/\/$/, ''))).find((m) =>
        m.subject.includes(reference),
      ),
    );

    // Act + Assess: a second start on the same data folder says the first is running, and exits 1
    const second = npmStart(env());
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('already running');

    // Act: Ctrl-C, then start again on the same data folder
    expect([0, 'SIGINT']).toContain(await first.interrupt());
    expect(first.output()).toMatch(/^stopped$/m);
    const again = await npmStart(env()).ready;
    running.push(again);

    // Assess: the case is still there, with its contact
    const path = new URL(statusUrl);
    const status = await fetch(new URL(`${path.pathname}${path.search}`, again.urls.intake), {
      headers: { accept: 'application/json' },
    });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      reference,
      status: 'assigned',
      contact: { name: expect.any(String) },
    });
    expect([0, 'SIGINT']).toContain(await again.interrupt());
    expect(again.output()).toMatch(/^stopped$/m);
  }, 90_000);
});
