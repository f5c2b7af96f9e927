import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { secretEnv } from '../../functions/declaration.js';
import { type MyCasesClaims, signMyCases } from '../../functions/domain/action-link.js';
import { IN_DIGEST } from '../../functions/domain/digest.js';
import type { DigestRun } from '../../functions/use-cases/run-digest-job.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter, type StoredEmail } from '../support/mailbox.js';
import { informingAtOnce } from '../support/municipalities.js';

/** A description in which no keyword rule of the example finds anything. */
const PLAIN = 'Wij repareren fietsen met mensen die lang thuis zaten';

const mailboxOf = (department: string) =>
  required(
    municipality.departments.find((d) => d.id === department),
    `department ${department}`,
  ).mailbox;
const DEPARTMENT_MAILBOXES = new Set(municipality.departments.map((d) => d.mailbox));
const toDepartments = (mails: readonly StoredEmail[]) =>
  mails.filter((m) => m.destination.to.some((to) => DEPARTMENT_MAILBOXES.has(to)));

// Replayed moments: a Tuesday and the Wednesday after it (no holidays), before and after 08:00.
const TUESDAY_0805 = '2030-03-05T08:05:00+01:00';
const TUESDAY_1130 = '2030-03-05T11:30:00+01:00';
const WEDNESDAY_0745 = '2030-03-06T07:45:00+01:00';
const WEDNESDAY_0800 = '2030-03-06T08:00:00+01:00';

describe('department digests on the local system (informed daily, the default)', () => {
  let local: RoutingSystem;
  const runDigest = async (moment: string) =>
    (await local.system.invoke('digest', { scheduledTime: moment })) as DigestRun;

  beforeAll(async () => {
    local = await startRoutingSystem('digest');
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('sends no e-mail per case to a department, then one digest per department listing its new cases, once', async () => {
    // Prepare: two cases that inform duurzaamheid (werk leads; Anouk Jansen covers werk and economie), and
    // one that informs others (zorg leads; housing involves wonen)
    const work = requestBody({
      kvkNumber: '32000001',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: `${PLAIN} (eerste verzoek).`,
    });
    const second = requestBody({
      kvkNumber: '32000002',
      goals: ['work', 'environment'],
      requestType: 'question',
      description: `${PLAIN} (tweede verzoek).`,
    });
    const care = requestBody({
      kvkNumber: '32000003',
      goals: ['care', 'youth'],
      requestType: 'housing',
      description: `${PLAIN} (derde verzoek).`,
    });

    // Act: submit and route
    const accepted = [];
    for (const body of [work, second, care]) accepted.push(await local.submit(body));
    const routed = await Promise.all(accepted.map(({ reference }) => local.routed(reference)));

    // Assess: no per-case e-mail to any department mailbox; each informed department is recorded as "in digest"
    expect(toDepartments(await local.mails())).toEqual([]);
    const informed = new Map<string, string[]>();
    for (const { c } of routed) {
      const departments = Object.entries(c.notifications)
        .filter(([kind]) => kind.startsWith('department:'))
        .map(([kind, record]) => {
          expect(record.messageId, `${c.reference} ${kind}`).toBe(IN_DIGEST);
          return kind.slice('department:'.length);
        });
      expect(departments.length, c.reference).toBeGreaterThan(0);
      for (const d of departments) informed.set(d, [...(informed.get(d) ?? []), c.reference]);
    }
    expect(informed.get('duurzaamheid')).toEqual([accepted[0]?.reference, accepted[1]?.reference]);

    // Act: the digest moment of Tuesday, twice
    const first = await runDigest(TUESDAY_0805);
    const again = await runDigest(TUESDAY_0805);

    // Assess: one digest per informed department, listing exactly its cases; the second run sends nothing
    expect(first.departmentPeriod).toBe('2030-03-05');
    expect(first.failed).toEqual([]);
    for (const [department, references] of informed)
      expect(first.departments[department], department).toEqual({
        outcome: 'sent',
        cases: references.length,
      });
    for (const d of municipality.departments.filter((x) => !informed.has(x.id)))
      expect(first.departments[d.id], d.id).toEqual({ outcome: 'nothing' });
    expect(Object.values(again.departments).every((d) => d.outcome === 'recorded')).toBe(true);
    const digests = toDepartments(await local.mails());
    expect(digests.map((m) => m.destination.to).sort()).toEqual(
      [...informed.keys()].map((d) => [mailboxOf(d)]).sort(),
    );
    for (const [department, references] of informed) {
      const mail = required(
        digests.find((m) => m.destination.to.includes(mailboxOf(department))),
        `digest of ${department}`,
      );
      expect(mail.subject).toMatch(/^Dagoverzicht .+ 5 maart 2030: \d+ nieuwe aanvra/);
      const others = [...informed.values()].flat().filter((r) => !references.includes(r));
      for (const reference of references) expect(mail.body.text).toContain(reference);
      for (const reference of others) expect(mail.body.text).not.toContain(reference);
      for (const { c, contact } of routed.filter((r) => references.includes(r.c.reference))) {
        expect(mail.body.text).toContain(`${c.reference}: ${c.request.organisation.name}`);
        expect(mail.body.text).toContain(`Aanspreekpunt: ${contact.name} (${contact.email})`);
      }
      expect(mail.body.text).toContain('Waarom uw afdeling: ');
    }

    // Act: later that day a new case; the day's digest ran already
    const fourth = await local.submit(
      requestBody({
        kvkNumber: '32000004',
        goals: ['environment', 'work'],
        requestType: 'partnership',
        description: `${PLAIN} (vierde verzoek).`,
      }),
    );
    const { c: late } = await local.routed(fourth.reference);
    const sameDay = await runDigest(TUESDAY_1130);
    const beforeEight = await runDigest(WEDNESDAY_0745);
    const countBefore = toDepartments(await local.mails()).length;
    const wednesday = await runDigest(WEDNESDAY_0800);

    // Assess: it waits for Wednesday's digest, which lists it alone
    expect(Object.values(sameDay.departments).every((d) => d.outcome === 'recorded')).toBe(true);
    expect(beforeEight.departmentPeriod).toBe('2030-03-05');
    expect(countBefore).toBe(digests.length);
    expect(wednesday.departmentPeriod).toBe('2030-03-06');
    const lateDepartments = Object.keys(late.notifications)
      .filter((kind) => kind.startsWith('department:'))
      .map((kind) => kind.slice('department:'.length));
    for (const d of lateDepartments)
      expect(wednesday.departments[d], d).toEqual({ outcome: 'sent', cases: 1 });
    const newest = toDepartments(await local.mails()).slice(digests.length);
    expect(newest).toHaveLength(lateDepartments.length);
    for (const mail of newest) {
      expect(mail.body.text).toContain(late.reference);
      for (const { c } of routed) expect(mail.body.text).not.toContain(c.reference);
    }
  });
});

describe("officials' digests on the local system (weekly, Monday 08:00)", () => {
  let local: RoutingSystem;
  const MONDAY_0805 = '2030-03-04T08:05:00+01:00';
  const WEDNESDAY_1000 = '2030-03-06T10:00:00+01:00';
  const runDigest = async (moment: string) =>
    (await local.system.invoke('digest', { scheduledTime: moment })) as DigestRun;

  beforeAll(async () => {
    local = await startRoutingSystem('digest-officials');
  });

  afterAll(async () => {
    await local?.stop();
  });

  it("gives each official one digest with exactly their open cases in due order, the absent one's to the deputy, none without cases", async () => {
    // Prepare: cases for several departments, routed to several officials; two enterprises ask twice, so
    // their contact (kept for continuity) has two cases, due one after the other
    const enterprise = [0, 1, 2, 0, 4, 1, 6];
    const goals = [
      ['work'],
      ['care'],
      ['environment'],
      ['work'],
      ['neighbourhood'],
      ['care'],
      ['environment'],
    ];
    const routed = [];
    for (const [i, g] of goals.entries()) {
      const { reference } = await local.submit(
        requestBody({
          kvkNumber: `3300000${enterprise[i]}`,
          goals: g,
          requestType: 'question',
          description: `${PLAIN} (overzicht ${i}).`,
        }),
      );
      routed.push(await local.routed(reference));
    }
    const byContact = new Map<string, string[]>();
    for (const { c, contact } of routed)
      byContact.set(contact.id, [...(byContact.get(contact.id) ?? []), c.reference]);
    expect(byContact.size).toBeGreaterThanOrEqual(3);
    expect([...byContact.values()].filter((list) => list.length >= 2)).toHaveLength(2);
    // One official with cases is away that week; their deputy (present, reachable) stands in
    const officials = await local.officials.list();
    const away = required(
      officials.find((o) => byContact.has(o.id) && officials.some((d) => d.id === o.deputy && d.id !== o.id)),
      'an official with cases and a deputy',
    );
    const deputy = required(
      officials.find((o) => o.id === away.deputy),
      'the deputy',
    );
    await local.officials.setAbsences(away.id, [{ from: '2030-03-04', to: '2030-03-08' }]);

    // Act: the weekly moment, twice, and again later in the week
    const first = await runDigest(MONDAY_0805);
    const again = await runDigest(MONDAY_0805);
    const later = await runDigest(WEDNESDAY_1000);

    // Assess: the outcomes per official
    expect(first.officialPeriod).toBe('2030-03-04');
    expect(first.failed).toEqual([]);
    expect(first.officials[away.id]).toEqual({ outcome: 'away' });
    const standsIn = byContact.get(away.id) ?? [];
    for (const o of officials) {
      if (o.id === away.id) continue;
      const mine = [...(byContact.get(o.id) ?? []), ...(o.id === deputy.id ? standsIn : [])];
      expect(first.officials[o.id], o.id).toEqual(
        mine.length === 0 ? { outcome: 'nothing' } : { outcome: 'sent', cases: mine.length },
      );
      if (o.id !== away.id) expect(again.officials[o.id], o.id).toEqual({ outcome: 'recorded' });
      if (o.id !== away.id) expect(later.officials[o.id], o.id).toEqual({ outcome: 'recorded' });
    }

    // Assess: the e-mails, one per official with cases, each with exactly their references, in due order
    // (The embedded SES emulator's store is one per process: this file's other systems' digests are in it too.)
    const all = routed.map(({ c }) => c.reference);
    const digests = (await local.mails()).filter(
      (m) =>
        /^(Weekoverzicht|Weekly overview) /.test(m.subject) &&
        all.some((reference) => m.body.text?.includes(reference)),
    );
    const addresses = digests.flatMap((m) => m.destination.to).sort();
    const expectedOfficials = officials.filter(
      (o) =>
        o.id !== away.id &&
        ((byContact.get(o.id)?.length ?? 0) > 0 || (o.id === deputy.id && standsIn.length > 0)),
    );
    expect(addresses).toEqual(expectedOfficials.map((o) => o.email).sort());
    for (const o of expectedOfficials) {
      const mail = required(
        digests.find((m) => m.destination.to.includes(o.email)),
        `digest of ${o.id}`,
      );
      const text = mail.body.text ?? '';
      const own = byContact.get(o.id) ?? [];
      const mine = [...own, ...(o.id === deputy.id ? standsIn : [])];
      for (const reference of all)
        if (mine.includes(reference)) expect(text, `${o.id} ${reference}`).toContain(`${reference}: `);
        else expect(text, `${o.id} ${reference}`).not.toContain(reference);
      // In due order: submitted one after the other, so each first-contact promise is due in that order
      for (const list of [own, o.id === deputy.id ? standsIn : []]) {
        const positions = list.map((reference) => text.indexOf(`${reference}: `));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
      expect(text).toMatch(
        /(Eerste contact uiterlijk|First contact by) .+: (\d+ werkdagen over de termijn|\d+ working days past the term)/,
      );
      if (own.length > 0) expect(text).toMatch(/(Afronden|Resolve): AP-/);
      if (o.id === deputy.id) {
        expect(text).toContain(
          o.language === 'nl'
            ? `Waarneming voor ${away.name} (afwezig)`
            : `Standing in for ${away.name} (away)`,
        );
        // A case stood in for carries the hand-over link only
        const section = text.slice(text.indexOf(o.language === 'nl' ? 'Waarneming voor' : 'Standing in for'));
        expect(section).toMatch(/(Overdragen|Hand over): AP-/);
        expect(section).not.toMatch(/(Afronden|Resolve): AP-/);
      }
    }
    // The coordinator's digest of that day lists the broken promises (every case is long past its first contact)
    expect(first.coordinator).toEqual({ outcome: 'sent', cases: all.length });
    expect(again.coordinator).toEqual({ outcome: 'recorded' });
    const coordination = (await local.mails()).filter(
      (m) =>
        m.destination.to.includes(local.municipality.coordinator.email) &&
        m.subject.startsWith('Coördinatie 4 maart 2030: ') &&
        all.some((reference) => m.body.text?.includes(reference)),
    );
    expect(coordination).toHaveLength(1);
    for (const reference of all) expect(coordination[0]?.body.text).toContain(`${reference}: `);
    // A link of the digest works like the one in the assignment e-mail: GET shows its page
    const sample = required(digests[0], 'a digest');
    const link = linkAfter(sample.body.text ?? '', /^(Overdragen|Hand over): AP-/);
    expect((await fetch(link)).status).toBe(200);
  });
});

describe('"Mijn zaken / My cases": the read-only page behind the link in an official\'s digest', () => {
  let local: RoutingSystem;
  const MONDAY_0805 = '2030-03-04T08:05:00+01:00';

  beforeAll(async () => {
    local = await startRoutingSystem('digest-my-cases');
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('lists the open cases in due order and those resolved lately, changes nothing, and shows nothing for a changed, expired or other link', async () => {
    // Prepare: one enterprise asks three times (its contact is kept for continuity); the first is resolved
    const references: string[] = [];
    const routed = [];
    for (const i of [0, 1, 2]) {
      const { reference } = await local.submit(
        requestBody({
          kvkNumber: '34000001',
          goals: ['work'],
          requestType: 'question',
          description: `${PLAIN} (mijn zaken ${i}).`,
        }),
      );
      references.push(reference);
      // Routed before the next is submitted: the next goes to the same contact
      routed.push(await local.routed(reference));
    }
    const contact = required(routed[0], 'the first case').contact;
    expect(routed.map((r) => r.contact.id)).toEqual([contact.id, contact.id, contact.id]);
    const [closedRef, nextRef, lastRef] = references;
    const assignment = required(
      routed[0]?.mails.find((m) => m.destination.to.includes(contact.email)),
      'the assignment e-mail',
    );
    const resolved = await fetch(linkAfter(assignment.body.text ?? '', /^(Afronden|Resolve)/), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ result: 'granted', outcome: 'Beantwoord.' }).toString(),
    });
    expect(resolved.status).toBe(200);
    const run = (await local.system.invoke('digest', { scheduledTime: MONDAY_0805 })) as DigestRun;
    expect(run.officials[contact.id]).toEqual({ outcome: 'sent', cases: 2 });
    const digest = required(
      (await local.mails()).find(
        (m) => m.destination.to.includes(contact.email) && m.body.text?.includes(`${nextRef}: `),
      ),
      'the digest',
    );
    const link = linkAfter(digest.body.text ?? '', /^(Mijn zaken|My cases): /);
    const before = await Promise.all(references.map((r) => local.cases.get(r)));

    // Act: open the page (in both languages), and try it in ways it must not work
    const page = await fetch(`${link}?lang=nl`);
    const html = await page.text();
    const english = await (await fetch(`${link}?lang=en`)).text();
    const post = await fetch(link, { method: 'POST', body: '' });
    const after = await Promise.all(references.map((r) => local.cases.get(r)));
    const token = link.slice(link.lastIndexOf('/') + 1);
    const base = link.slice(0, link.lastIndexOf('/my-cases/'));
    const key = Buffer.from(
      required(process.env[secretEnv('actionLinkKey')], 'the action link key'),
      'base64',
    );
    const signedFor = (changes: Partial<MyCasesClaims>) =>
      `${base}/my-cases/${signMyCases(
        {
          page: 'my-cases',
          official: contact.id,
          lang: 'nl',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          ...changes,
        },
        key,
      )}`;
    const actionToken =
      linkAfter(digest.body.text ?? '', /^(Afronden|Resolve): /).split('/actions/')[1] ?? '';
    const answer = async (url: string) => {
      const response = await fetch(url);
      return { status: response.status, text: await response.text() };
    };
    const refused = {
      changed: await answer(`${base}/my-cases/${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`),
      expired: await answer(signedFor({ expiresAt: new Date(Date.now() - 1000).toISOString() })),
      unknownOfficial: await answer(signedFor({ official: 'nobody' })),
      actionLink: await answer(`${base}/my-cases/${actionToken}`),
      asAction: await answer(`${base}/actions/${token}`),
    };

    // Assess: the official's open cases in due order, then the one they resolved; no action links
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(html).toContain('<h1 class="utrecht-heading-1">Mijn zaken</h1>');
    expect(html).toContain('Open aanvragen (2)');
    expect(html).toContain('Afgerond in de laatste 30 dagen (1)');
    const [open, closed] = html.split('Afgerond in de laatste 30 dagen');
    expect(open?.indexOf(`${nextRef}: `)).toBeGreaterThan(-1);
    expect(open?.indexOf(`${nextRef}: `)).toBeLessThan(open?.indexOf(`${lastRef}: `) ?? -1);
    expect(open).not.toContain(`${closedRef}`);
    expect(closed).toContain(`${closedRef}: `);
    expect(closed).toMatch(/Resultaat: \S/);
    expect(html).not.toContain('/actions/');
    expect(html).not.toContain('method="post"');
    expect(english).toContain('Open requests (2)');
    expect(english).toContain('Resolved in the last 30 days (1)');
    // Read only: nothing changed by opening it; a POST is no route
    expect(post.status).toBe(404);
    expect(after).toEqual(before);
    expect(refused.changed.status).toBe(403);
    expect(refused.expired.status).toBe(410);
    expect(refused.expired.text).toContain('Link verlopen');
    expect(refused.unknownOfficial.status).toBe(403);
    expect(refused.actionLink.status).toBe(403);
    expect(refused.asAction.status).toBe(403);
    for (const { text } of Object.values(refused)) expect(text).not.toContain(nextRef);
  });
});

describe('npm run digest -- --at: the digest job once, against the local system', () => {
  let local: RoutingSystem;

  beforeAll(async () => {
    local = await startRoutingSystem('digest-cli');
  });

  afterAll(async () => {
    await local?.stop();
  });

  /** `npm run digest -- <args>` against the local system's ports: its exit code, its JSON summary, stderr. */
  const digest = async (...args: string[]) => {
    const port = (url: string) => new URL(url).port;
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DYNAMODB_PORT: port(local.system.urls.dynamodb),
      SQS_PORT: port(local.system.urls.sqs),
      MAIL_PORT: port(local.system.urls.ses),
      PORT: port(local.system.urls.intake),
      DATA_DIR: local.dataDir,
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/digest.ts', ...args],
        { env },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  it('replays a digest moment: the digests due then go out, once; a wrong moment exits 2', async () => {
    // Prepare: a routed case that informs duurzaamheid
    const { reference } = await local.submit(
      requestBody({
        kvkNumber: '32000021',
        goals: ['work', 'environment'],
        requestType: 'partnership',
        description: `${PLAIN} (via npm run digest).`,
      }),
    );
    await local.routed(reference);

    // Act
    const first = await digest('--at', TUESDAY_0805);
    const second = await digest('--at', TUESDAY_0805);
    const wrong = await digest('--at', 'dinsdag');

    // Assess
    expect(first.code, first.stderr).toBe(0);
    const run = JSON.parse(first.stdout) as DigestRun;
    expect(run.departmentPeriod).toBe('2030-03-05');
    expect(run.departments.duurzaamheid).toEqual({ outcome: 'sent', cases: 1 });
    expect((JSON.parse(second.stdout) as DigestRun).departments.duurzaamheid).toEqual({
      outcome: 'recorded',
    });
    const digests = toDepartments(await local.mails()).filter((m) => m.body.text?.includes(reference));
    expect(digests.map((m) => m.destination.to)).toEqual([[mailboxOf('duurzaamheid')]]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('digest: --at: expected a moment like 2027-01-15T09:00:00+01:00');
  });
});

describe("a department joins a case through its digest's link ('Wij denken mee')", () => {
  let local: RoutingSystem;

  beforeAll(async () => {
    local = await startRoutingSystem('digest-join');
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('GET changes nothing; POST records the department, e-mails the contact once, and the status page shows it', async () => {
    // Prepare: a case that informs duurzaamheid, and that department's digest
    const { reference, statusUrl } = await local.submit(
      requestBody({
        kvkNumber: '32000031',
        goals: ['work', 'environment'],
        requestType: 'partnership',
        description: `${PLAIN} (meedenken).`,
      }),
    );
    const { contact } = await local.routed(reference);
    const run = (await local.system.invoke('digest', { scheduledTime: TUESDAY_0805 })) as DigestRun;
    expect(run.departments.duurzaamheid).toEqual({ outcome: 'sent', cases: 1 });
    const digest = required(
      toDepartments(await local.mails()).find(
        (m) => m.destination.to.includes(mailboxOf('duurzaamheid')) && m.body.text?.includes(reference),
      ),
      "duurzaamheid's digest",
    );
    const link = linkAfter(
      digest.body.text ?? '',
      new RegExp(`^Wij denken mee / We want to be involved: ${reference}`),
    );
    const before = await local.cases.get(reference);

    // Act: a mail scanner opens the link; then the department confirms, twice
    const shown = await fetch(link);
    const shownPage = await shown.text();
    const unchanged = await local.cases.get(reference);
    const post = () =>
      fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
    const joined = await post();
    const joinedPage = await joined.text();
    const again = await post();

    // Assess: the GET showed the question and changed nothing
    expect(shown.status).toBe(200);
    expect(shownPage).toContain('Wij denken mee');
    expect(shownPage).toContain('method="post"');
    expect(unchanged).toEqual(before);
    // The POST recorded the department as involved, once
    expect(joined.status).toBe(200);
    expect(joinedPage).toContain('Vastgelegd: uw afdeling denkt mee');
    expect(again.status).toBe(409);
    const after = required(await local.cases.get(reference), 'the case');
    expect(after.history.filter((h) => h.type === 'joined')).toEqual([
      expect.objectContaining({ type: 'joined', department: 'duurzaamheid' }),
    ]);
    // The contact gets one e-mail about it, with the department's mailbox to reply to
    const told = await eventually(async () => {
      const found = (await local.mailsOf(reference)).filter((m) =>
        / denkt mee bij aanvraag | wants to be involved in request /.test(m.subject),
      );
      return found.length > 0 ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a duplicate to show up
    expect((await local.mailsOf(reference)).filter((m) => m.subject === told[0]?.subject)).toHaveLength(1);
    expect(told[0]?.destination.to).toEqual([contact.email]);
    expect(told[0]?.body.text).toContain(mailboxOf('duurzaamheid'));
    // The enterprise's status page shows the department as involved
    const status = await (await fetch(statusUrl)).text();
    expect(status).toContain('(denkt mee)');
    expect(status).toContain('denkt mee</dt>');
    expect(local.errors).toEqual([]);
  });
});

describe('department digests when every department is informed immediately', () => {
  let local: RoutingSystem;

  beforeAll(async () => {
    local = await startRoutingSystem('digest-immediate', { municipality: informingAtOnce(municipality) });
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('e-mails each informed department per case, as before, and the digest job sends nothing', async () => {
    // Prepare
    const mailsBefore = toDepartments(await local.mails()).length;

    // Act
    const { reference } = await local.submit(
      requestBody({
        kvkNumber: '32000011',
        goals: ['work', 'environment'],
        requestType: 'partnership',
        description: `${PLAIN} (direct).`,
      }),
    );
    const { c, mails } = await local.routed(reference);
    const run = (await local.system.invoke('digest', { scheduledTime: TUESDAY_0805 })) as DigestRun;

    // Assess
    expect(mails.flatMap((m) => m.destination.to)).toContain(mailboxOf('duurzaamheid'));
    expect(c.notifications['department:duurzaamheid']?.messageId).not.toBe(IN_DIGEST);
    expect(run.departments).toEqual({});
    const informed = Object.keys(c.notifications).filter((kind) => kind.startsWith('department:'));
    expect(informed.length).toBeGreaterThan(0);
    // (The embedded SES emulator's store is one per process: this file's other system's e-mails are in it too.)
    expect(toDepartments(await local.mailsOf(reference))).toHaveLength(informed.length);
    expect(toDepartments(await local.mails()).length).toBe(mailsBefore + informed.length);
  });
});
