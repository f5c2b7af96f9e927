import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMunicipalityFile } from '../../config/file.js';
import { eventually, readMailbox } from '../support/mailbox.js';
import { DEPLOYABLE_MUNICIPALITY } from '../support/municipalities.js';
import { npmStart, type Started } from '../support/start-process.js';

/** `MUNICIPALITY_CONFIG=<file> npm start`, as a municipality runs its own config locally. */
describe('npm start with MUNICIPALITY_CONFIG', () => {
  const lindehoven = readMunicipalityFile(DEPLOYABLE_MUNICIPALITY);
  let dataDir: string;
  const running: Started[] = [];
  const env = (config: string) => ({
    DATA_DIR: dataDir,
    PORT: '0',
    MAIL_PORT: '0',
    DYNAMODB_PORT: '0',
    SQS_PORT: '0',
    MUNICIPALITY_CONFIG: config,
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-own-'));
  });
  afterAll(async () => {
    for (const started of running) await started.interrupt();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves that municipality (its name, goals, request types) and routes to its officials', async () => {
    // Prepare
    const started = await npmStart(env(DEPLOYABLE_MUNICIPALITY)).ready;
    running.push(started);
    const intake = started.urls.intake ?? '';
    const mailbox = (started.urls.mailbox ?? '').replace(/\/$/, '');
    expect(started.output()).toContain(`municipality: Gemeente Lindehoven (${DEPLOYABLE_MUNICIPALITY})`);

    // Act: the form, then a request for jobs and a greener site, about a subsidy
    const form = await (await fetch(intake, { headers: { 'accept-language': 'nl' } })).text();
    const response = await fetch(new URL('/cases', intake), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisation: { name: 'Kringloop De Linde', kvkNumber: '87654321' },
        contact: { name: 'Sem de Boer', email: 'sem@kringloopdelinde.example', phone: '+31 6 87654321' },
        language: 'nl',
        goals: ['jobs', 'green'],
        requestType: 'subsidy',
        description: 'Wij willen een circulaire werkplaats openen met leerwerkplekken voor statushouders.',
        consent: true,
      }),
    });

    // Assess: the page is Lindehoven's, not the demo's
    expect(form).toContain('Gemeente Lindehoven');
    for (const goal of lindehoven.goals) expect(form).toContain(goal.name.nl);
    expect(form).toContain('Subsidie');
    expect(form).not.toContain('Gemeente Voorbeeld');
    expect(form).not.toContain('Samenwerking');

    // Assess: accepted, and routed to a Lindehoven official of the lead department, sent as Lindehoven
    expect(response.status).toBe(202);
    const { reference } = (await response.json()) as { reference: string };
    const ondernemen = lindehoven.officials.filter((o) => o.departments.includes('ondernemen'));
    // The e-mails of one delivery go out together, in any order: wait for the enterprise's and the contact's
    const mails = await eventually(async () => {
      const found = (await readMailbox(mailbox)).filter((m) => m.subject.includes(reference));
      const toContact = found.some((m) => ondernemen.some((o) => m.destination.to.includes(o.email)));
      return toContact && found.some((m) => m.destination.to.includes('sem@kringloopdelinde.example'))
        ? found
        : undefined;
    });
    const assignment = mails.find((m) => ondernemen.some((o) => m.destination.to.includes(o.email)));
    expect(assignment, mails.map((m) => m.destination.to.join(',')).join('; ')).toBeDefined();
    const known = new Set([
      ...lindehoven.officials.map((o) => o.email),
      ...lindehoven.departments.map((d) => d.mailbox),
      'sem@kringloopdelinde.example',
    ]);
    for (const mail of mails) {
      expect(mail.from).toContain(lindehoven.sender);
      for (const to of mail.destination.to) expect(known.has(to), to).toBe(true);
    }
    expect([0, 'SIGINT']).toContain(await started.interrupt());
  }, 90_000);

  it('stops with the file and each bad path named when the config is invalid, without a stack trace', async () => {
    // Prepare: Lindehoven with a goal that leads to no department
    const raw = JSON.parse(await readFile(DEPLOYABLE_MUNICIPALITY, 'utf8'));
    raw.goals[0].department = 'havens';
    const broken = join(dataDir, 'broken.json');
    await writeFile(broken, JSON.stringify(raw));

    // Act
    const start = npmStart(env(broken));

    // Assess
    expect(await start.exited).toBe(1);
    expect(start.output()).toContain(`${broken} is invalid:`);
    expect(start.output()).toContain('goals.0.department: unknown department "havens"');
    expect(start.output()).not.toMatch(/^\s+at /m);
  }, 30_000);
});
