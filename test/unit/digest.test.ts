import { describe, expect, it } from 'vitest';
import { digestsSchema } from '../../config/digests.js';
import { municipality as configured } from '../../config/index.js';
import { parseMunicipality } from '../../config/schema.js';
import { myCasesPage } from '../../functions/actions/my-cases.js';
import {
  type MyCasesClaims,
  signMyCases,
  verifyAction,
  verifyMyCases,
} from '../../functions/domain/action-link.js';
import { planAction, refusalOf } from '../../functions/domain/actions.js';
import {
  assign,
  assignedCase,
  type Case,
  contactOf,
  joinedDepartments,
  tagDepartments,
} from '../../functions/domain/case.js';
import {
  dailyMailboxes,
  departmentDigestMoment,
  firstWorkingDayOfWeek,
  IN_DIGEST,
  inDueOrder,
  nextOfficialDigestMoment,
  officialDigestMoment,
  standsInFor,
  workingDaysLeft,
} from '../../functions/domain/digest.js';
import { departmentDigestMail } from '../../functions/domain/mail/department-digest.js';
import {
  routingDigests,
  routingNotifications,
  routingPending,
} from '../../functions/domain/mail/notifications.js';
import { notificationKey, parseNotificationKey } from '../../functions/domain/notification-kind.js';
import { MailDeferredError, type Mailer, MailRejectedError } from '../../functions/domain/ports.js';
import { runDigestJob } from '../../functions/use-cases/run-digest-job.js';
import { viewMyCases } from '../../functions/use-cases/view-my-cases.js';
import { fixedClock, required, sampleRequest, staticOfficials, submittedCase } from '../support/cases.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  silentLog,
  TEST_LINK_KEY,
  testLinks,
  testMyCasesLinks,
} from '../support/fakes.js';
import { linkAfter } from '../support/mailbox.js';
import { informingAtOnce } from '../support/municipalities.js';

const calendar = configured.sla.calendar;
const digests = digestsSchema.parse({});
const at = (moment: string) => new Date(moment);

describe('digest moments (Europe/Amsterdam, working days)', () => {
  it("gives the departments' digest of today once its time has passed, else the last working day's", () => {
    // Tuesday 4 March 2025, 08:00 in Amsterdam is 07:00 UTC
    expect(departmentDigestMoment(at('2025-03-04T07:00:00Z'), digests, calendar)).toEqual({
      period: '2025-03-04',
      at: at('2025-03-04T07:00:00Z'),
    });
    expect(departmentDigestMoment(at('2025-03-04T06:59:59Z'), digests, calendar)?.period).toBe('2025-03-03');
    // Monday before 08:00: Friday's; a Saturday: Friday's
    expect(departmentDigestMoment(at('2025-03-10T06:00:00Z'), digests, calendar)?.period).toBe('2025-03-07');
    expect(departmentDigestMoment(at('2025-03-08T12:00:00Z'), digests, calendar)?.period).toBe('2025-03-07');
    // King's Day (Saturday 26 April 2025 is a weekend anyway); Easter Monday 21 April 2025 is skipped
    expect(departmentDigestMoment(at('2025-04-21T10:00:00Z'), digests, calendar)?.period).toBe('2025-04-18');
    // Summer time: 08:00 is 06:00 UTC
    expect(departmentDigestMoment(at('2025-06-03T06:00:00Z'), digests, calendar)?.at).toEqual(
      at('2025-06-03T06:00:00Z'),
    );
  });

  it("gives the officials' weekly digest on the first working day of the week, and a daily one on each", () => {
    expect(firstWorkingDayOfWeek('2025-04-23', calendar)).toBe('2025-04-22'); // after Easter Monday
    expect(officialDigestMoment(at('2025-03-06T09:00:00Z'), digests, calendar)?.period).toBe('2025-03-03');
    expect(officialDigestMoment(at('2025-04-22T07:30:00Z'), digests, calendar)?.period).toBe('2025-04-22');
    expect(officialDigestMoment(at('2025-04-22T05:30:00Z'), digests, calendar)?.period).toBe('2025-04-14');
    const daily = digestsSchema.parse({ officials: { every: 'day' } });
    expect(officialDigestMoment(at('2025-03-06T09:00:00Z'), daily, calendar)?.period).toBe('2025-03-06');
  });

  it('defaults every department to the daily digest, and refuses a time that is no time of day', () => {
    expect(dailyMailboxes(configured).map((box) => box.id)).toEqual(configured.departments.map((d) => d.id));
    const raw = structuredClone(configured) as unknown as Record<string, unknown>;
    expect(() => parseMunicipality({ ...raw, digests: { departments: { at: '8 uur' } } })).toThrow(
      /digests\.departments\.at: a time of day like 08:00/,
    );
  });
});

/** The sample request routed to Anouk Jansen (werk, economie): duurzaamheid is the one other department. */
function routedSample(reference: string, m = configured): Case {
  const c = submittedCase(reference, sampleRequest());
  const anouk = required(
    m.officials.find((o) => o.id === 'a-jansen'),
    'Anouk Jansen',
  );
  const a = assign(
    c,
    tagDepartments(c.request, m),
    { contact: contactOf({ ...anouk, absences: [] }), choice: 'coverage' },
    at('2025-03-03T09:01:00Z'),
    m.sla,
  );
  return assignedCase(c, a);
}

describe('routing with daily digests', () => {
  it('e-mails the contact and the enterprise, and puts the other departments in their digest', () => {
    const c = routedSample('AP-3456-789X');
    const contact = required(c.contact, 'contact');

    expect(routingNotifications(c, contact, configured, undefined).map((n) => n.kind.type)).toEqual([
      'assignment',
      'enterprise',
    ]);
    expect(routingDigests(c, contact, configured)).toEqual([
      { type: 'department', department: 'duurzaamheid' },
    ]);
    expect(routingDigests(c, contact, informingAtOnce(configured))).toEqual([]);
    // Pending until the department's place in its digest is recorded too
    const mailed = Object.fromEntries(
      ['assignment', 'enterprise'].map((k) => [k, { at: c.submittedAt, messageId: `ses-${k}` }]),
    );
    expect(routingPending({ ...c, notifications: mailed }, configured)).toBe(true);
    expect(
      routingPending(
        {
          ...c,
          notifications: {
            ...mailed,
            'department:duurzaamheid': { at: c.submittedAt, messageId: IN_DIGEST },
          },
        },
        configured,
      ),
    ).toBe(false);
  });
});

describe('the digest job', () => {
  const TUESDAY = at('2025-03-04T07:05:00Z');
  const WEDNESDAY = at('2025-03-05T07:05:00Z');

  async function setup(mailer: Mailer = memoryMailer()) {
    const cases = memoryCaseStore();
    const store = memoryDigestStore();
    const metrics = countingMetrics();
    for (const reference of ['AP-3456-789A', 'AP-3456-789B']) {
      await cases.create(routedSample(reference));
      await store.enqueue('duurzaamheid', reference, at('2025-03-03T09:01:00Z'));
    }
    const deps = {
      cases,
      digests: store,
      officials: staticOfficials([]),
      links: testLinks(),
      myCases: testMyCasesLinks(),
      mailer,
      municipality: configured,
      clock: fixedClock('2025-03-04T07:05:00.000Z'),
      log: silentLog,
      metrics,
    };
    return { cases, store, metrics, deps };
  }

  it('sends one digest per department with what waits, once, and lists a case in one digest only', async () => {
    const mailer = memoryMailer();
    const { deps, store, metrics } = await setup(mailer);

    const first = await runDigestJob(deps, TUESDAY);
    const again = await runDigestJob(deps, TUESDAY);
    await store.enqueue('duurzaamheid', 'AP-3456-789B', at('2025-03-04T09:00:00Z')); // a retry of the router
    const next = await runDigestJob(deps, WEDNESDAY);

    expect(first.departments.duurzaamheid).toEqual({ outcome: 'sent', cases: 2 });
    expect(first.departments.werk).toEqual({ outcome: 'nothing' });
    expect(again.departments.duurzaamheid).toEqual({ outcome: 'recorded' });
    expect(next.departments.duurzaamheid).toEqual({ outcome: 'nothing' });
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail?.to).toBe('duurzaamheid@voorbeeld.example');
    expect(mail?.subject).toBe('Dagoverzicht Duurzaamheid en Milieu 4 maart 2025: 2 nieuwe aanvragen');
    expect(mail?.text).toContain('AP-3456-789A: ');
    expect(mail?.text).toContain('Aanspreekpunt: Anouk Jansen (a.jansen@voorbeeld.example)');
    expect(mail?.text).toContain('Waarom uw afdeling: doel: ');
    expect(await store.waiting('duurzaamheid')).toEqual([]);
    expect(metrics.counts.get('DepartmentDigestsSent')).toBe(1);
  });

  it('gives the claim up when the mail service refused, so the next run sends it; puts it off when SES throttles', async () => {
    let refuse: 'rejected' | 'deferred' | undefined = 'rejected';
    const delivered = memoryMailer();
    const mailer: Mailer = {
      async send(mail) {
        if (refuse === 'rejected') throw new MailRejectedError('refused', undefined);
        if (refuse === 'deferred') throw new MailDeferredError('throttled', 'slow down', undefined);
        return delivered.send(mail);
      },
    };
    const { deps, store } = await setup(mailer);

    const refused = await runDigestJob(deps, TUESDAY);
    refuse = 'deferred';
    const deferred = await runDigestJob(deps, TUESDAY);
    refuse = undefined;
    const sent = await runDigestJob(deps, TUESDAY);

    expect(refused.failed).toEqual(['department:duurzaamheid']);
    expect(deferred.failed).toEqual([]);
    expect(deferred.departments.duurzaamheid).toEqual({ outcome: 'deferred' });
    expect(sent.departments.duurzaamheid).toEqual({ outcome: 'sent', cases: 2 });
    expect(delivered.sent).toHaveLength(1);
    expect(await store.waiting('duurzaamheid')).toEqual([]);
  });

  it('keeps the claim after a timeout (the digest may have gone out), and finishes marking a recorded digest', async () => {
    const { deps, store } = await setup({
      async send() {
        throw new Error('socket hang up');
      },
    });

    const timedOut = await runDigestJob(deps, TUESDAY);
    const whileHeld = await runDigestJob(deps, TUESDAY);
    // A run on Wednesday that recorded the digest but ended before it marked what it listed
    const key = { audience: 'department', id: 'wijken', period: '2025-03-05' } as const;
    await store.enqueue('wijken', 'AP-3456-789C', at('2025-03-03T10:00:00Z'));
    await store.recordDigest(key, {
      sentAt: '2025-03-05T07:05:01.000Z',
      messageId: 'ses-1',
      references: ['AP-3456-789C'],
    });
    const finished = await runDigestJob(deps, WEDNESDAY);

    expect(timedOut.failed).toEqual(['department:duurzaamheid']);
    expect(whileHeld.departments.duurzaamheid).toEqual({ outcome: 'busy' });
    expect(await store.waiting('duurzaamheid')).toHaveLength(2);
    expect(finished.departments.wijken).toEqual({ outcome: 'recorded' });
    expect(await store.waiting('wijken')).toEqual([]);
    expect((await store.digestRecord(key))?.completedAt).toBeDefined();
  });

  it("sends departments that share a mailbox one digest, each case once with each department's reason and link", async () => {
    // Prepare: werk shares duurzaamheid's mailbox; a case waits for both, one for duurzaamheid only
    const shared = {
      ...configured,
      departments: configured.departments.map((d) =>
        d.id === 'werk' ? { ...d, mailbox: 'Duurzaamheid@voorbeeld.example' } : d,
      ),
    };
    const mailer = memoryMailer();
    const { deps, store } = await setup(mailer);
    await store.enqueue('werk', 'AP-3456-789A', at('2025-03-03T09:01:00Z'));

    const run = await runDigestJob({ ...deps, municipality: shared }, TUESDAY);
    const again = await runDigestJob({ ...deps, municipality: shared }, TUESDAY);

    expect(
      dailyMailboxes(shared)
        .find((b) => b.id === 'werk')
        ?.departments.map((d) => d.id),
    ).toEqual(['werk', 'duurzaamheid']);
    expect(run.departments.werk).toEqual({ outcome: 'sent', cases: 2 });
    expect(run.departments.duurzaamheid).toBeUndefined();
    expect(again.departments.werk).toEqual({ outcome: 'recorded' });
    expect(mailer.sent.map((m) => m.to)).toEqual(['Duurzaamheid@voorbeeld.example']);
    const text = required(mailer.sent[0], 'the digest').text;
    expect(mailer.sent[0]?.subject).toBe(
      'Dagoverzicht Werk en Inkomen en Duurzaamheid en Milieu 4 maart 2025: 2 nieuwe aanvragen',
    );
    expect(text.match(/^AP-3456-789A: /gm)).toHaveLength(1);
    const [first, second] = text.split(/^AP-3456-789B: /m);
    expect(first).toContain('Waarom Werk en Inkomen: ');
    expect(first).toContain('Waarom Duurzaamheid en Milieu: ');
    expect(first).toMatch(/^Wij denken mee \/ We want to be involved \(Werk en Inkomen\): AP-3456-789A: /m);
    expect(first).toMatch(
      /^Wij denken mee \/ We want to be involved \(Duurzaamheid en Milieu\): AP-3456-789A: /m,
    );
    expect(second).not.toContain('Waarom Werk en Inkomen');
    expect(await store.waiting('werk')).toEqual([]);
    expect(await store.waiting('duurzaamheid')).toEqual([]);
  });

  it('does not send to a mailbox on the suppression list, and records it', async () => {
    const mailer = memoryMailer();
    const { deps, cases, store, metrics } = await setup(mailer);
    await cases.suppress('duurzaamheid@voorbeeld.example', 'bounce', at('2025-01-01T00:00:00Z'));

    const run = await runDigestJob(deps, TUESDAY);

    expect(run.departments.duurzaamheid).toEqual({ outcome: 'suppressed' });
    expect(mailer.sent).toEqual([]);
    expect(metrics.counts.get('MailSuppressed')).toBe(1);
    expect(await store.waiting('duurzaamheid')).toEqual([]);
  });
});

describe("a department's digest e-mail", () => {
  it('names each case with why the department is involved and who coordinates, in Dutch and English', () => {
    const department = required(
      configured.departments.find((d) => d.id === 'duurzaamheid'),
      'duurzaamheid',
    );
    const c = routedSample('AP-3456-789A');

    const mail = departmentDigestMail({
      mailbox: { id: department.id, mailbox: department.mailbox, departments: [department] },
      cases: [{ c, departments: [department] }],
      period: '2025-03-04',
      m: configured,
    });

    expect(mail.subject).toBe('Dagoverzicht Duurzaamheid en Milieu 4 maart 2025: 1 nieuwe aanvraag');
    expect(mail.text).toContain('Daily digest for ');
    expect(mail.html).toContain('<h2>AP-3456-789A: ');
    expect(mail.html).toContain('<html lang="nl">');
  });
});

describe("an official's digest", () => {
  const MONDAY = at('2025-03-10T07:05:00Z');
  const withDue = (
    reference: string,
    due: string,
    changes: Partial<Case['clocks']['firstContact'] & object> = {},
  ) => {
    const c = routedSample(reference);
    const first = required(c.clocks.firstContact, 'first contact');
    const decision = required(c.clocks.decision, 'decision');
    return {
      ...c,
      clocks: {
        firstContact: { ...first, due, ...changes },
        decision: { ...decision, due: '2025-04-30T08:00:00.000Z' },
      },
    };
  };

  it('lists the cases by their next due moment, the broken promises first, those standing still last', () => {
    const later = withDue('AP-3456-789L', '2025-03-12T09:00:00.000Z');
    const broken = withDue('AP-3456-789B', '2025-03-05T09:00:00.000Z');
    const paused = withDue('AP-3456-789P', '2025-03-01T09:00:00.000Z', {
      pausedAt: '2025-03-03T10:00:00.000Z',
    });
    const sooner = withDue('AP-3456-789S', '2025-03-11T09:00:00.000Z');

    expect(inDueOrder([later, paused, sooner, broken]).map((c) => c.reference)).toEqual([
      'AP-3456-789B',
      'AP-3456-789S',
      'AP-3456-789L',
      // Its first-contact clock is paused; its decision is the running one
      'AP-3456-789P',
    ]);
    expect(workingDaysLeft(MONDAY, at('2025-03-12T09:00:00Z'), calendar)).toBe(2);
    expect(workingDaysLeft(MONDAY, at('2025-03-05T09:00:00Z'), calendar)).toBe(-3);
  });

  it('names who stands in: the deputy of an absent colleague; an absent official gets no digest', () => {
    const officials = configured.officials.map((o) =>
      o.id === 'a-jansen' ? { ...o, absences: [{ from: '2025-03-10', to: '2025-03-14' }] } : o,
    );
    const bakker = required(
      officials.find((o) => o.id === 'm-bakker'),
      'm-bakker',
    );
    const jansen = required(
      officials.find((o) => o.id === 'a-jansen'),
      'a-jansen',
    );

    expect(standsInFor(jansen, officials, MONDAY)).toBeUndefined();
    expect(standsInFor(bakker, officials, MONDAY)?.map((o) => o.id)).toEqual(['a-jansen']);
    expect(standsInFor(bakker, officials, at('2025-03-17T07:05:00Z'))).toEqual([]);
  });

  it("sends once per week: the official's own cases with all their links, an absent colleague's with the hand-over link only", async () => {
    const cases = memoryCaseStore();
    const mailer = memoryMailer();
    const officials = configured.officials.map((o) =>
      o.id === 'a-jansen' ? { ...o, absences: [{ from: '2025-03-10', to: '2025-03-14' }] } : o,
    );
    const bakker = required(
      officials.find((o) => o.id === 'm-bakker'),
      'm-bakker',
    );
    // Anouk Jansen's case, and one of Mohamed Bakker's own
    await cases.create(withDue('AP-3456-789A', '2025-03-06T09:00:00.000Z'));
    const own = withDue('AP-3456-789M', '2025-03-12T09:00:00.000Z');
    await cases.create({ ...own, contact: contactOf({ ...bakker, absences: [] }) });
    const deps = {
      cases,
      digests: memoryDigestStore(),
      officials: staticOfficials(officials),
      links: testLinks(fixedClock('2025-03-10T07:05:00.000Z')),
      myCases: testMyCasesLinks(),
      mailer,
      municipality: configured,
      clock: fixedClock('2025-03-10T07:05:00.000Z'),
      log: silentLog,
      metrics: countingMetrics(),
    };

    const run = await runDigestJob(deps, MONDAY);
    const again = await runDigestJob(deps, at('2025-03-12T12:00:00Z'));

    expect(run.officialPeriod).toBe('2025-03-10');
    expect(run.officials['a-jansen']).toEqual({ outcome: 'away' });
    expect(run.officials['m-bakker']).toEqual({ outcome: 'sent', cases: 2 });
    expect(run.officials['s-devries']).toEqual({ outcome: 'nothing' });
    expect(again.officials['m-bakker']).toEqual({ outcome: 'recorded' });
    const digests = mailer.sent.filter((m) => m.subject.startsWith('Weekoverzicht'));
    expect(digests.map((m) => m.to)).toEqual([bakker.email]);
    const text = required(digests[0], 'the digest').text;
    expect(digests[0]?.subject).toBe('Weekoverzicht 10 maart 2025: 2 open aanvragen, 1 over de termijn');
    expect(text).toContain(
      'Eerste contact uiterlijk donderdag 6 maart 2025 om 10:00: 2 werkdagen over de termijn',
    );
    expect(text).toContain('Eerste contact uiterlijk woensdag 12 maart 2025 om 10:00: nog 2 werkdagen');
    const [mine, standIn] = text.split('Waarneming voor Anouk Jansen (afwezig)');
    expect(mine).toMatch(/Afronden: AP-3456-789M: https?:\/\/\S+\/actions\//);
    expect(standIn).toMatch(/Overdragen: AP-3456-789A: https?:\/\/\S+\/actions\//);
    expect(standIn).not.toContain('Afronden');
    // The link to "Mijn zaken": read only, for this official, until the next week's digest (Monday 08:00)
    const myCases = linkAfter(text, /^Mijn zaken: /);
    expect(myCases).toMatch(/^https?:\/\/\S+\/my-cases\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyMyCases(myCases.slice(myCases.lastIndexOf('/') + 1), TEST_LINK_KEY, MONDAY)).toEqual({
      ok: true,
      claims: { page: 'my-cases', official: 'm-bakker', lang: 'nl', expiresAt: '2025-03-17T07:00:00.000Z' },
    });
  });

  it('lets the link to "Mijn zaken" work until the next digest: the next week\'s, or the next working day\'s', () => {
    expect(nextOfficialDigestMoment('2025-03-10', digests, calendar)).toEqual(at('2025-03-17T07:00:00Z'));
    // After Easter Monday (21 April 2025) the week's digest is on Tuesday
    expect(nextOfficialDigestMoment('2025-04-14', digests, calendar)).toEqual(at('2025-04-22T06:00:00Z'));
    const daily = digestsSchema.parse({ officials: { every: 'day' } });
    expect(nextOfficialDigestMoment('2025-03-07', daily, calendar)).toEqual(at('2025-03-10T07:00:00Z'));
  });
});

describe('"Mijn zaken / My cases": an official\'s page through the link in their digest', () => {
  const NOW = at('2025-03-12T10:00:00Z');
  const link = (changes: Partial<MyCasesClaims> = {}) =>
    signMyCases(
      {
        page: 'my-cases',
        official: 'm-bakker',
        lang: 'nl',
        expiresAt: '2025-03-17T07:00:00.000Z',
        ...changes,
      },
      TEST_LINK_KEY,
    );
  const officials = configured.officials.map((o) =>
    o.id === 'a-jansen' ? { ...o, absences: [{ from: '2025-03-10', to: '2025-03-14' }] } : o,
  );
  const bakker = contactOf({
    ...required(
      officials.find((o) => o.id === 'm-bakker'),
      'm-bakker',
    ),
    absences: [],
  });
  /** A case of `contact`, resolved by them at `on` (undefined: still open). */
  const caseOf = (reference: string, contact: Case['contact'], on?: string): Case => {
    const c = { ...routedSample(reference), contact };
    return on === undefined
      ? c
      : {
          ...c,
          status: 'resolved',
          history: [
            ...c.history,
            {
              type: 'resolved',
              version: 1,
              at: on,
              by: contact?.id ?? '',
              outcome: 'Klaar.',
              result: 'granted',
            },
          ],
        };
  };

  async function setup() {
    const cases = memoryCaseStore();
    for (const c of [
      caseOf('AP-3456-789M', bakker),
      // Anouk Jansen's (away this week; Mohamed Bakker is her deputy)
      caseOf('AP-3456-789A', routedSample('x').contact),
      caseOf('AP-3456-789C', bakker, '2025-02-11T10:00:00.000Z'),
      caseOf('AP-3456-789D', bakker, '2025-03-11T15:00:00.000Z'),
      // Closed more than 30 days ago; and one that another official closed
      caseOf('AP-3456-789E', bakker, '2025-02-10T09:00:00.000Z'),
      caseOf('AP-3456-789F', routedSample('x').contact, '2025-03-11T15:00:00.000Z'),
    ])
      await cases.create(c);
    return { cases, officials: staticOfficials(officials), key: TEST_LINK_KEY, clock: () => NOW };
  }

  it("shows their open cases, the absent colleague's they stand in for, and those they resolved in the last 30 days", async () => {
    const deps = await setup();
    const before = structuredClone([...deps.cases.items.values()]);

    const view = await viewMyCases(deps, link());

    expect(view.outcome).toBe('shown');
    if (view.outcome !== 'shown') return;
    expect(view.own.map((c) => c.reference)).toEqual(['AP-3456-789M']);
    expect(view.standingInFor.map((s) => [s.official.id, s.cases.map((c) => c.reference)])).toEqual([
      ['a-jansen', ['AP-3456-789A']],
    ]);
    expect(view.closed.map((c) => c.reference)).toEqual(['AP-3456-789D', 'AP-3456-789C']);
    expect([...deps.cases.items.values()]).toEqual(before);
    const page = myCasesPage({ lang: 'nl', municipality: configured, token: link(), view });
    expect(page).toContain('Open aanvragen (1)');
    expect(page).toContain('Waarneming voor Anouk Jansen, afwezig (1)');
    expect(page).toContain('Afgerond in de laatste 30 dagen (2)');
    expect(page.indexOf('AP-3456-789D')).toBeLessThan(page.indexOf('AP-3456-789C'));
    expect(page).not.toContain('/actions/');
  });

  it('shows nothing for a changed or expired link, another kind of link, or an official no longer listed', async () => {
    const deps = await setup();
    const token = link();
    const changed = `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`;
    const action = testLinks(() => NOW)({
      reference: 'AP-3456-789M',
      official: 'm-bakker',
      lang: 'nl',
      action: 'resolve',
    });

    expect(await viewMyCases(deps, changed)).toEqual({ outcome: 'invalid' });
    expect(await viewMyCases(deps, link({ expiresAt: '2025-03-12T09:59:59.000Z' }))).toEqual({
      outcome: 'expired',
    });
    expect(await viewMyCases(deps, action.slice(action.lastIndexOf('/') + 1))).toEqual({
      outcome: 'invalid',
    });
    expect(verifyAction(token, TEST_LINK_KEY, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(await viewMyCases(deps, link({ official: 'nobody' }))).toEqual({ outcome: 'invalid', lang: 'nl' });
  });
});

describe('a department joins a case (its digest link)', () => {
  const NOW = at('2025-03-04T08:00:00Z');
  const claims = (department: string, id = 'link-of-the-department-0001') => ({
    id,
    reference: 'AP-3456-789A',
    official: department,
    action: 'join' as const,
    lang: 'nl' as const,
    expiresAt: '2025-04-01T00:00:00.000Z',
  });

  it('is refused for a department the case does not touch, once joined, and once closed', () => {
    const c = routedSample('AP-3456-789A');
    const change = planAction(c, claims('duurzaamheid'), NOW, calendar);
    const joined = { ...c, history: [...c.history, change.history] };

    expect(refusalOf(c, claims('duurzaamheid'))).toBeUndefined();
    expect(refusalOf(c, claims('jeugd'))).toBe('notTouched');
    expect(refusalOf(joined, claims('duurzaamheid', 'another-link-of-the-dept-02'))).toBe('alreadyInvolved');
    expect(refusalOf({ ...c, status: 'resolved' }, claims('duurzaamheid'))).toBe('closed');
    // Handed back to routing (no contact for now): it still joins, and the next contact hears of it
    expect(
      refusalOf({ ...c, status: 'submitted', contact: undefined }, claims('duurzaamheid')),
    ).toBeUndefined();
    // Any contact's case: the link names the department, not the contact
    expect(change.official).toBeUndefined();
    expect(change.history).toEqual({
      type: 'joined',
      version: 1,
      at: NOW.toISOString(),
      department: 'duurzaamheid',
    });
    expect(joinedDepartments(joined)).toEqual(['duurzaamheid']);
  });

  it('tells the contact once, by an e-mail of its own kind, replying to the department', () => {
    const c = routedSample('AP-3456-789A');
    const contact = required(c.contact, 'contact');
    const joined = {
      ...c,
      history: [...c.history, planAction(c, claims('duurzaamheid'), NOW, calendar).history],
    };

    const immediate = informingAtOnce(configured);
    const notifications = routingNotifications(joined, contact, immediate, undefined);
    const told = notifications.filter((n) => n.kind.type === 'joined');

    expect(told.map((n) => notificationKey(n.kind))).toEqual(['joined:duurzaamheid']);
    expect(parseNotificationKey('joined:duurzaamheid')).toEqual({
      type: 'joined',
      department: 'duurzaamheid',
    });
    expect(told[0]?.mail.to).toBe(contact.email);
    expect(told[0]?.mail.replyTo).toBe('duurzaamheid@voorbeeld.example');
    expect(told[0]?.mail.subject).toBe(
      `Duurzaamheid en Milieu denkt mee bij aanvraag AP-3456-789A van ${c.request.organisation.name}`,
    );
    const mailed = Object.fromEntries(
      notifications.map((n) => [notificationKey(n.kind), { at: NOW.toISOString(), messageId: 'ses' }]),
    );
    expect(routingPending({ ...joined, notifications: mailed }, immediate)).toBe(false);
    expect(routingPending(joined, immediate)).toBe(true);
  });
});

describe("the coordinator's digest", () => {
  const TUESDAY = at('2025-03-11T07:05:00Z');

  it('lists the inbox, the broken promises, the escalations and the unreachable officials, and nothing when all is well', async () => {
    const cases = memoryCaseStore();
    const mailer = memoryMailer();
    const coordinator = { kind: 'coordinator' as const, ...configured.coordinator, id: 'coordinator' };
    const inInbox = { ...routedSample('AP-3456-789I'), contact: coordinator };
    const broken = routedSample('AP-3456-789K'); // its first contact was due on 6 March
    const escalated = {
      ...routedSample('AP-3456-789E'),
      notifications: { 'firstContact:escalation': { at: '2025-03-10T09:00:00.000Z', messageId: 'ses-1' } },
    };
    for (const c of [inInbox, broken, escalated]) await cases.create(c);
    const officials = configured.officials.map((o) =>
      o.id === 'r-bos' ? { ...o, unreachable: { since: '2025-03-10T10:00:00.000Z' } } : o,
    );
    const deps = {
      cases,
      digests: memoryDigestStore(),
      officials: staticOfficials(officials),
      links: testLinks(),
      myCases: testMyCasesLinks(),
      mailer,
      municipality: configured,
      clock: fixedClock('2025-03-11T07:05:00.000Z'),
      log: silentLog,
      metrics: countingMetrics(),
    };

    const run = await runDigestJob(deps, TUESDAY);
    const again = await runDigestJob(deps, TUESDAY);
    const calm = await runDigestJob(
      { ...deps, cases: memoryCaseStore(), officials: staticOfficials(configured.officials) },
      at('2025-03-12T07:05:00Z'),
    );

    expect(run.coordinator).toEqual({ outcome: 'sent', cases: 4 });
    expect(again.coordinator).toEqual({ outcome: 'recorded' });
    expect(calm.coordinator).toEqual({ outcome: 'nothing' });
    const mail = required(
      mailer.sent.find((m) => m.to === configured.coordinator.email),
      "the coordinator's digest",
    );
    expect(mailer.sent.filter((m) => m.to === configured.coordinator.email)).toHaveLength(1);
    const [, inbox = '', rest = ''] = mail.text.split(
      /In de coördinatorinbox[^\n]*\n|Toezegging verlopen:\n/,
    );
    expect(inbox).toContain('AP-3456-789I');
    expect(rest).toContain('AP-3456-789K');
    expect(mail.text).toMatch(/Geëscaleerd naar een wethouder:\n- AP-3456-789E: /);
    expect(mail.text).toContain('npm run officials -- reachable r-bos');
  });
});
