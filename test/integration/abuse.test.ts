import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { sampleBody } from '../support/cases.js';
import { eventually, readMailbox } from '../support/mailbox.js';
import { npmStart, type Started } from '../support/start-process.js';

/** One answer of `POST /cases`: its status, its Retry-After header and its JSON body. */
interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: { error?: string; message?: string; errors?: { field: string; message: string }[] };
}

/** `POST /cases` with a JSON body, from a given local source address (127.0.0.x reaches 127.0.0.1 on loopback). */
function post(intake: string, body: unknown, source = '127.0.0.1'): Promise<Answer> {
  const url = new URL('/cases', intake);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: source,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            body: JSON.parse(text) as Answer['body'],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const VICTIMS = 40;
const PLANTED = 'Klik hier http://evil.example/login voor subsidie';
const limits = municipality.intakeLimits;
const victim = (i: number, round: string) => `slachtoffer-${round}-${i}@voorbeeld.example`;
/** Whether two moments fall in different windows of `size` (the run crossed a limit's window boundary). */
const crossed = (from: number, to: number, size: number) => Math.floor(from / size) !== Math.floor(to / size);

/**
 * The abuse run of issue 15 on `npm start` with the demo config and its default limits: one source
 * sends 40 requests, each with another victim's address; with a link planted in the organisation's name,
 * then with clean names. Then one address from several sources.
 */
describe('abuse at the intake (npm start, the default limits)', () => {
  let dataDir: string;
  let started: Started;
  let intake: string;
  let mailbox: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-abuse-'));
    started = await npmStart({
      DATA_DIR: dataDir,
      PORT: '0',
      MAIL_PORT: '0',
      DYNAMODB_PORT: '0',
      SQS_PORT: '0',
    }).ready;
    intake = started.urls.intake ?? '';
    mailbox = (started.urls.mailbox ?? '').replace(/\/$/, '');
  });
  afterAll(async () => {
    await started?.interrupt();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a planted link in the name with 400 and a message for that field, and counts none of them', async () => {
    // Act
    const answers: Answer[] = [];
    for (let i = 0; i < VICTIMS; i++) {
      const body = sampleBody();
      answers.push(
        await post(intake, {
          ...body,
          organisation: { ...body.organisation, name: PLANTED },
          contact: { ...body.contact, email: victim(i, 'link') },
        }),
      );
    }
    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          field: 'organisation.name',
          message: 'Een naam mag geen webadres bevatten (zoals www.… of iets.nl).',
        },
      ]);
    }
  });

  it('accepts at most the per-source limit of clean requests from one source, the rest 429 with Retry-After, nothing 5xx', async () => {
    // Act
    const from = Date.now();
    const answers: Answer[] = [];
    for (let i = 0; i < VICTIMS; i++) {
      const body = sampleBody();
      answers.push(
        await post(intake, {
          ...body,
          organisation: { name: `Onderneming ${i}`, kvkNumber: String(20_000_000 + i) },
          contact: { ...body.contact, email: victim(i, 'clean') },
          description: `${body.description} Verzoek ${i}.`,
        }),
      );
    }
    // Assess: the 400s before counted nothing, so exactly the limit is accepted (unless an hour began).
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    const accepted = statuses.filter((s) => s === 202).length;
    if (!crossed(from, Date.now(), 3_600_000)) {
      expect(accepted).toBe(limits.requestsPerSourcePerHour);
      expect(statuses.slice(0, accepted).every((s) => s === 202)).toBe(true);
    }
    for (const limited of answers.filter((a) => a.status === 429)) {
      expect(limited.body.error).toBe('tooManyRequests');
      expect(limited.body.message).toMatch(
        /^Vanaf uw internetverbinding zijn het afgelopen uur al zoveel aanvragen/,
      );
      const seconds = Number(limited.retryAfter);
      expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600, limited.retryAfter).toBe(true);
    }

    // Assess: the e-mails. Each accepted request's enterprise gets its one confirmation, which repeats none
    // of the request's free text; no victim of the planted link and none of the refused gets any.
    const confirmations = await eventually(async () => {
      const mails = (await readMailbox(mailbox)).filter((m) =>
        m.destination.to.some((to) => to.startsWith('slachtoffer-')),
      );
      return mails.length >= accepted ? mails : undefined;
    });
    const recipients = confirmations.flatMap((m) => m.destination.to).sort();
    const acceptedVictims = answers.flatMap((a, i) => (a.status === 202 ? [victim(i, 'clean')] : []));
    expect(recipients).toEqual(acceptedVictims.sort());
    const description = sampleBody().description;
    for (const mail of confirmations) {
      const text = mail.body.text ?? '';
      expect(text).toContain(
        'Dit is een automatische bevestiging van een aanvraag die met dit e-mailadres is gedaan op de website van',
      );
      expect(text).not.toContain(description);
      expect(text).not.toContain('evil.example');
    }
  });

  it('accepts at most the per-address limit of requests for one e-mail address, from any source', async () => {
    // Act: one address, from as many sources as it takes (each source far below its own limit)
    const from = Date.now();
    const answers: Answer[] = [];
    for (let i = 0; i <= limits.requestsPerEmailPerDay; i++) {
      const body = sampleBody();
      answers.push(
        await post(
          intake,
          {
            ...body,
            organisation: { ...body.organisation, kvkNumber: String(10_000_000 + i) },
            contact: { ...body.contact, email: 'een-adres@voorbeeld.example' },
            description: `${body.description} Verzoek ${i}.`,
          },
          `127.0.0.${i + 2}`,
        ),
      );
    }
    // Assess
    if (crossed(from, Date.now(), 86_400_000)) return;
    expect(answers.map((a) => a.status)).toEqual([...Array(limits.requestsPerEmailPerDay).fill(202), 429]);
    const last = answers.at(-1);
    expect(last?.body.message).toMatch(/^Met dit e-mailadres zijn vandaag al zoveel aanvragen gedaan/);
    expect(Number(last?.retryAfter)).toBeGreaterThan(0);
  });
});
