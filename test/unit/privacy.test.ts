import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { resolutionFor } from '../../functions/domain/archive.js';
import type { Case } from '../../functions/domain/case.js';
import { allowancesFor } from '../../functions/domain/intake-limits.js';
import type { ContactCases } from '../../functions/domain/ports.js';
import {
  describeErasure,
  type Erasure,
  erasureStep,
  normalisedAddress,
  personalDataExport,
} from '../../functions/domain/privacy.js';
import { erasePersonalData } from '../../functions/use-cases/erase-personal-data.js';
import { exportPersonalData } from '../../functions/use-cases/export-personal-data.js';
import { anOfficial, required, sampleRequest, submittedCase } from '../support/cases.js';
import {
  memoryCaseStore,
  memoryOfficialDirectory,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

const ADDRESS = 'Anna.Jansen@Onderneming.example';
const CLOSED = new Date('2025-03-04T09:00:00Z');
const NOW = new Date('2025-06-02T10:00:00Z');

/** A case of the address (or another), as the intake stores it. */
const caseOf = (reference: string, email = ADDRESS): Case => {
  const request = sampleRequest();
  return submittedCase(reference, { ...request, contact: { ...request.contact, email } });
};

/** The case resolved with a result of the demo municipality on 4 March 2025. */
const resolved = (c: Case, result = 'granted'): Case => {
  const r = resolutionFor(municipality, c.request.requestType, result, CLOSED);
  if (!r.ok) throw new Error(r.problem);
  return {
    ...c,
    status: 'resolved',
    nextAt: undefined,
    archive: r.resolution.archive,
    anonymiseOn: r.resolution.anonymiseOn,
    history: [
      ...c.history,
      {
        type: 'resolved',
        version: 1,
        at: CLOSED.toISOString(),
        by: 'a-jansen',
        outcome: 'Jan belt.',
        result,
      },
    ],
  };
};

/** The cases of an address in a memory store, found as the scan would find them. */
const contactsOf = (cases: ReturnType<typeof memoryCaseStore>): ContactCases => ({
  async casesOfContact(address) {
    return [...cases.items.values()]
      .filter((c) => normalisedAddress(c.request.contact.email) === normalisedAddress(address))
      .map((c) => c.reference);
  },
});

describe('what erasing does with a case (erasureStep)', () => {
  it('anonymises a resolved case, keeps an open one and one closed before results existed', () => {
    // Prepare
    const granted = resolved(caseOf('AP-2345-6789'));
    const open = caseOf('AP-3456-789A');
    const old: Case = { ...caseOf('AP-4567-89AB'), status: 'resolved' };

    // Act and assess
    expect(erasureStep(granted)).toEqual({ step: 'anonymise', archive: granted.archive });
    expect(erasureStep(open)).toEqual({ step: 'keep', reason: 'open' });
    expect(erasureStep({ ...open, status: 'assigned' })).toEqual({ step: 'keep', reason: 'open' });
    expect(erasureStep(old)).toEqual({ step: 'keep', reason: 'noResult' });
  });
});

describe('the export of an address (personalDataExport)', () => {
  it('holds each case whole with its e-mails in the history, the suppression entry and the counts, by reference', () => {
    // Prepare: a case with an e-mail sent
    const sent = {
      ...caseOf('AP-3456-789A'),
      notifications: { enterprise: { at: '2025-03-03T09:01:00.000Z', messageId: 'm-1' } },
    };
    const counts = [
      { windowStart: '2025-06-02T00:00:00.000Z', requests: 2, expiresAt: '2025-06-04T00:00:00.000Z' },
      { windowStart: '2025-06-01T00:00:00.000Z', requests: 1, expiresAt: '2025-06-03T00:00:00.000Z' },
    ];

    // Act
    const exported = personalDataExport({
      address: ` ${ADDRESS} `,
      now: NOW,
      cases: [sent, caseOf('AP-2345-6789')],
      suppression: { reason: 'bounce', since: '2025-03-05T10:00:00.000Z' },
      requestCounts: counts,
      official: false,
    });

    // Assess
    expect(exported.address).toBe('anna.jansen@onderneming.example');
    expect(exported.exportedAt).toBe(NOW.toISOString());
    expect(exported.cases.map((c) => c.reference)).toEqual(['AP-2345-6789', 'AP-3456-789A']);
    expect(exported.cases[1]).toMatchObject({ request: sent.request, fingerprint: sent.fingerprint });
    expect(exported.cases[1]?.history).toEqual([
      { type: 'submitted', version: 1, at: sent.submittedAt },
      { type: 'notified', version: 1, at: '2025-03-03T09:01:00.000Z', notification: 'enterprise' },
    ]);
    expect(exported.suppressionList).toMatchObject({
      listed: true,
      reason: 'bounce',
      since: '2025-03-05T10:00:00.000Z',
    });
    expect(exported.requestCounts.map((r) => r.windowStart)).toEqual([
      '2025-06-01T00:00:00.000Z',
      '2025-06-02T00:00:00.000Z',
    ]);
    expect(exported.notes.some((n) => n.includes('official'))).toBe(false);
  });

  it("holds the enterprise's answer to a question (and the question) in the exported history", () => {
    // Prepare: a case paused with a question, answered by the enterprise
    const c = caseOf('AP-3456-789A');
    const answered: Case = {
      ...c,
      history: [
        ...c.history,
        {
          type: 'paused',
          version: 1,
          at: '2025-03-04T09:00:00.000Z',
          by: 'a-jansen',
          reason: 'Uw KvK-uittreksel?',
        },
        {
          type: 'answered',
          version: 1,
          at: '2025-03-05T09:00:00.000Z',
          answer: 'Anna stuurt het.',
          workingDays: 1,
        },
      ],
    };

    // Act
    const exported = personalDataExport({
      address: ADDRESS,
      now: NOW,
      cases: [answered],
      suppression: undefined,
      requestCounts: [],
      official: false,
    });

    // Assess
    expect(exported.cases[0]?.history).toContainEqual(
      expect.objectContaining({ type: 'answered', answer: 'Anna stuurt het.' }),
    );
    expect(exported.cases[0]?.history).toContainEqual(
      expect.objectContaining({ type: 'paused', reason: 'Uw KvK-uittreksel?' }),
    );
  });

  it('says when an official has the address that officials are out of scope, and when nothing is listed', () => {
    // Act
    const exported = personalDataExport({
      address: ADDRESS,
      now: NOW,
      cases: [],
      suppression: undefined,
      requestCounts: [],
      official: true,
    });

    // Assess
    expect(exported.suppressionList).toEqual({ listed: false });
    expect(exported.notes.some((n) => n.includes('officials are employees'))).toBe(true);
  });
});

describe('the erasure in words (describeErasure)', () => {
  const granted = resolved(caseOf('AP-2345-6789'));
  const archive = required(granted.archive, 'the archive consequences');
  const erasure: Erasure = {
    now: NOW.toISOString(),
    dryRun: false,
    cases: [
      { reference: 'AP-2345-6789', outcome: 'anonymised', archive },
      {
        reference: 'AP-3456-789A',
        outcome: 'kept',
        reason: 'open',
        status: 'assigned',
        official: 'A. Jansen',
      },
      { reference: 'AP-4567-89AB', outcome: 'kept', reason: 'noResult' },
      {
        reference: 'AP-5678-9ABC',
        outcome: 'failed',
        error: { name: 'InternalServerError', code: 'Internal' },
      },
    ],
    suppression: { reason: 'complaint', since: '2025-03-05T10:00:00.000Z' },
    requestCounts: [
      { windowStart: '2025-06-02T00:00:00.000Z', requests: 2, expiresAt: '2025-06-04T00:00:00.000Z' },
    ],
  };

  it('says per case what it did or kept and why, what stays of the address, and the totals', () => {
    // Act
    const lines = describeErasure(erasure, 'cases at http://127.0.0.1:8000');

    // Assess
    expect(lines).toEqual([
      'erase at 2025-06-02T10:00:00.000Z on cases at http://127.0.0.1:8000: 4 cases of the address',
      '  anonymised AP-2345-6789: its personal data are removed; the case itself stays, without personal data, until its archive action date 2030-03-04 (Selectielijst 2020 result 6.1, granted): the Archiefwet requires it (AVG art. 17(3)(b))',
      '  kept AP-3456-789A: open (assigned), the request is still being handled; the person can withdraw it with the official handling it (A. Jansen), and once it is resolved, erase removes its personal data',
      '  kept AP-4567-89AB: closed before results existed: ask the archivist (it has no archive consequences, so its personal data are not removed here)',
      '  FAILED AP-5678-9ABC: InternalServerError (Internal); nothing was written for it: run erase again',
      "  kept: the address's entry on the suppression list (its owner reported an e-mail as spam, since 2025-03-05T10:00:00.000Z): a hash of the address only, so that nothing is ever sent to it again",
      "  kept: 1 request count of the intake's limits: a hash of the address and a number, removed by 2025-06-04T00:00:00.000Z (a day after its window)",
      'anonymised 1, kept 2, failed 1',
    ]);
  });

  it('says in a dry run what it would do, a case kept for good, and that no case holds the address', () => {
    // Act
    const dry = describeErasure(
      {
        ...erasure,
        dryRun: true,
        cases: [
          {
            reference: 'AP-2345-6789',
            outcome: 'anonymised',
            archive: { ...archive, nomination: 'keep', period: undefined, actionDate: undefined },
          },
        ],
      },
      'cases on AWS',
    );
    const none = describeErasure(
      { ...erasure, cases: [], suppression: undefined, requestCounts: [] },
      'cases on AWS',
    );

    // Assess
    expect(dry[0]).toContain(', dry run: nothing changed: 1 case of the address');
    expect(dry[1]).toBe(
      '  would anonymise AP-2345-6789: its personal data would be removed; the case itself stays, without personal data, for good (blijvend bewaren, Selectielijst 2020 result 6.1, granted): the Archiefwet requires it (AVG art. 17(3)(b))',
    );
    expect(dry.at(-1)).toBe('would anonymise 1, kept 0, failed 0');
    expect(none).toEqual([
      'erase at 2025-06-02T10:00:00.000Z on cases on AWS: 0 cases of the address',
      '  no case holds the address (a case whose personal data were removed holds none)',
      'anonymised 0, kept 0, failed 0',
    ]);
  });
});

describe('exporting and erasing with the ports (exportPersonalData, erasePersonalData)', () => {
  /** A store with the address's resolved and open case, another's case, its suppression entry and a count. */
  async function prepare() {
    const cases = memoryCaseStore();
    const counts = memoryRequestCounter();
    const officials = memoryOfficialDirectory();
    const granted = resolved(caseOf('AP-2345-6789'));
    const open = caseOf('AP-3456-789A', ADDRESS.toLowerCase());
    const other = caseOf('AP-4567-89AB', 'piet@anders.example');
    for (const c of [granted, open, other]) await cases.create(c);
    await cases.suppress(ADDRESS, 'bounce', CLOSED);
    for (const allowance of allowancesFor(ADDRESS, '192.0.2.1', NOW, municipality.intakeLimits))
      await counts.take(allowance);
    return { cases, counts, officials, contacts: contactsOf(cases), granted, open, other };
  }

  it('exports the cases of the address, its suppression entry and its count of requests', async () => {
    // Prepare
    const deps = await prepare();
    await deps.officials.seed([anOfficial('a-jansen', ['work'], { email: ADDRESS.toUpperCase() })]);

    // Act
    const exported = await exportPersonalData(deps, ADDRESS, NOW);

    // Assess
    expect(exported.cases.map((c) => c.reference)).toEqual([deps.granted.reference, deps.open.reference]);
    expect(exported.suppressionList).toMatchObject({ listed: true, reason: 'bounce' });
    expect(exported.requestCounts).toEqual([
      { windowStart: '2025-06-02T00:00:00.000Z', requests: 1, expiresAt: '2025-06-04T00:00:00.000Z' },
    ]);
    expect(exported.notes.some((n) => n.includes('officials are employees'))).toBe(true);
  });

  it('anonymises the resolved case now and keeps the open one; a dry run writes nothing', async () => {
    // Prepare
    const deps = await prepare();
    const dryDeps = await prepare();

    // Act
    const dry = await erasePersonalData({ ...dryDeps, log: silentLog }, ADDRESS, NOW, { dryRun: true });
    const done = await erasePersonalData({ ...deps, log: silentLog }, ADDRESS, NOW);

    // Assess
    expect(dry.cases.map((c) => [c.reference, c.outcome])).toEqual([
      ['AP-2345-6789', 'anonymised'],
      ['AP-3456-789A', 'kept'],
    ]);
    expect(await dryDeps.cases.get(dryDeps.granted.reference)).toEqual(dryDeps.granted);
    expect(done.cases).toEqual([
      { reference: 'AP-2345-6789', outcome: 'anonymised', archive: deps.granted.archive },
      { reference: 'AP-3456-789A', outcome: 'kept', reason: 'open', status: 'submitted' },
    ]);
    const left = await deps.cases.record(deps.granted.reference);
    expect(left?.kind).toBe('anonymised');
    expect(left?.kind === 'anonymised' ? left.c.anonymisedAt : undefined).toBe(NOW.toISOString());
    expect(await deps.cases.get(deps.open.reference)).toEqual(deps.open);
    expect(await deps.cases.get(deps.other.reference)).toEqual(deps.other);
    expect(done.suppression).toEqual({ reason: 'bounce', since: CLOSED.toISOString() });
    expect(done.requestCounts).toHaveLength(1);
  });

  it('goes on after a case that fails or changed meanwhile, and reports each as failed', async () => {
    // Prepare: the store fails to anonymise the resolved case, and finds the second changed
    const deps = await prepare();
    const changed = resolved(caseOf('AP-5678-9ABC'));
    const third = resolved(caseOf('AP-6789-ABCD'));
    for (const c of [changed, third]) await deps.cases.create(c);
    const failing: typeof deps.cases = {
      ...deps.cases,
      async anonymise(c, anonymised) {
        if (c.reference === deps.granted.reference) throw Object.assign(new Error('down'), { code: 'Down' });
        return c.reference === changed.reference ? false : deps.cases.anonymise(c, anonymised);
      },
    };

    // Act
    const erasure = await erasePersonalData({ ...deps, cases: failing, log: silentLog }, ADDRESS, NOW);

    // Assess
    expect(erasure.cases).toEqual([
      { reference: 'AP-2345-6789', outcome: 'failed', error: { name: 'Error', code: 'Down' } },
      { reference: 'AP-3456-789A', outcome: 'kept', reason: 'open', status: 'submitted' },
      { reference: 'AP-5678-9ABC', outcome: 'failed' },
      { reference: 'AP-6789-ABCD', outcome: 'anonymised', archive: third.archive },
    ]);
    expect((await deps.cases.record(third.reference))?.kind).toBe('anonymised');
  });
});
