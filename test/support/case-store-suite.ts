import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../../functions/adapters/cases.js';
import {
  dynamoOfficialDirectory,
  type ManagedOfficialDirectory,
} from '../../functions/adapters/officials.js';
import { declaration } from '../../functions/declaration.js';
import { planAction } from '../../functions/domain/actions.js';
import { resolutionFor } from '../../functions/domain/archive.js';
import {
  assign,
  type Case,
  chooseContact,
  historyOf,
  ROUTING_GRACE_MS,
  SENDING_LEASE_MS,
  tagDepartments,
} from '../../functions/domain/case.js';
import type { NotificationKind } from '../../functions/domain/notification-kind.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { anonymise, deletionRecordOf } from '../../functions/domain/retention.js';
import { planRating } from '../../functions/domain/satisfaction.js';
import { SUPERSEDED } from '../../functions/domain/sla.js';
import { ensureTable } from '../../infra/local/provision.js';
import { required, resolvedCase, SUBMITTED_AT, submittedCase } from './cases.js';

/** A DynamoDB endpoint for the suite, and how to stop it. */
export interface DynamoEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A case store under test, fresh (empty) for each test, with the official directory on the same data. */
export interface CaseStoreBackend {
  fresh(): Promise<{ store: CaseStore; officials: ManagedOfficialDirectory }>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /**
   * Whether the store checks a condition and writes atomically when requests arrive at the same time
   * (default true). When false, the "racing" writes are sent one after the other: the condition is still
   * checked, the race is not.
   */
  readonly atomicUnderConcurrency?: boolean;
}

/**
 * The DynamoDB adapter's conditional writes and sparse indexes, against a DynamoDB on `start()`'s endpoint:
 * the embedded dynalite (`test/integration/case-store.test.ts`) and moto server (`test/moto/`).
 */
const ASSIGNMENT: NotificationKind = { type: 'assignment' };
const ENTERPRISE: NotificationKind = { type: 'enterprise' };
const REMINDER: NotificationKind = { type: 'step', clock: 'firstContact', step: 'reminder', to: 'contact' };

export function describeCaseStore(
  name: string,
  start: () => Promise<DynamoEndpoint>,
  options: {
    /**
     * Whether the endpoint checks a condition and writes atomically when requests arrive at the same time
     * (DynamoDB and dynalite do; moto server handles requests in threads without a lock around its
     * DynamoDB update, so two racing conditional writes can both pass).
     */
    readonly atomicUnderConcurrency?: boolean;
  } = {},
): void {
  let dynamo: DynamoEndpoint | undefined;
  let client: DynamoDBClient | undefined;
  let tableCount = 0;
  const cases = required(declaration.tables.cases, 'cases table');
  describeCaseStoreContract(`the case store on DynamoDB (${name})`, {
    atomicUnderConcurrency: options.atomicUnderConcurrency,
    async setUp() {
      dynamo = await start();
      client = new DynamoDBClient({
        region: 'eu-west-1',
        endpoint: dynamo.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
    },
    async tearDown() {
      client?.destroy();
      await dynamo?.stop();
    },
    async fresh() {
      const dynamoClient = required(client, 'a DynamoDB client (setUp)');
      const table = `cases-${++tableCount}`;
      await ensureTable(dynamoClient, table, cases);
      const db = DynamoDBDocumentClient.from(dynamoClient, {
        marshallOptions: { removeUndefinedValues: true },
      });
      return {
        store: dynamoCaseStore(db, table),
        officials: dynamoOfficialDirectory(db, table, { cacheMs: 0 }),
      };
    },
  });
}

/**
 * The contract of the case store port (`CaseStore`): conditional writes, claims, the due and open-case
 * queries. Every implementation passes it: the DynamoDB adapter (`describeCaseStore`) and the in-memory
 * fake of the unit tests (`test/unit/memory-case-store.test.ts`).
 */
export function describeCaseStoreContract(title: string, backend: CaseStoreBackend): void {
  const atomic = backend.atomicUnderConcurrency ?? true;
  describe(title, () => {
    beforeAll(async () => {
      await backend.setUp?.();
    });
    afterAll(async () => {
      await backend.tearDown?.();
    });

    const freshStore = () => backend.fresh();

    const routed = (reference: string, now: Date) => {
      const c = submittedCase(reference);
      const tags = tagDepartments(c.request, municipality);
      const chosen = chooseContact({
        tags,
        officials: municipality.officials,
        openCases: new Map(),
        now,
        municipality,
      });
      return assign(c, tags, chosen, now, municipality.sla);
    };

    it('creates a case once: the same reference again is reported as taken', async () => {
      const { store } = await freshStore();
      expect(await store.create(submittedCase('AP-2345-6789'))).toBe('created');
      expect(await store.create(submittedCase('AP-2345-6789'))).toBe('exists');
      expect((await store.get('AP-2345-6789'))?.status).toBe('submitted');
    });

    it(`lets exactly one of two ${atomic ? 'racing' : 'successive'} routers assign a case`, async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const first = () => store.assign(routed('AP-2345-6789', new Date('2025-03-03T09:01:00Z')));
      const second = () => store.assign(routed('AP-2345-6789', new Date('2025-03-03T09:01:01Z')));

      const results = atomic ? await Promise.all([first(), second()]) : [await first(), await second()];

      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      const stored = required(await store.get('AP-2345-6789'), 'case');
      expect(stored.history.filter((h) => h.type === 'assigned')).toHaveLength(1);
      // The SLA job looks once the routing grace has passed (were all the e-mails sent?).
      expect(stored.nextAt).toBe(
        new Date(Date.parse(stored.assignedAt ?? '') + ROUTING_GRACE_MS).toISOString(),
      );
    });

    it('gives the claim to send an e-mail to one sender at a time, and none after it was recorded', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const now = new Date('2025-03-03T09:01:00Z');

      const first = await store.claimNotification('AP-2345-6789', ASSIGNMENT, now, SENDING_LEASE_MS);
      const second = await store.claimNotification('AP-2345-6789', ASSIGNMENT, now, SENDING_LEASE_MS);
      const afterLease = new Date(now.getTime() + SENDING_LEASE_MS);
      const takeover = await store.claimNotification(
        'AP-2345-6789',
        ASSIGNMENT,
        afterLease,
        SENDING_LEASE_MS,
      );
      await store.recordNotification('AP-2345-6789', ASSIGNMENT, 'ses-1', afterLease);
      const later = await store.claimNotification(
        'AP-2345-6789',
        ASSIGNMENT,
        new Date('2025-03-04T00:00:00Z'),
        SENDING_LEASE_MS,
      );

      expect([first, second, takeover, later]).toEqual(['claimed', 'busy', 'claimed', 'sent']);
      const stored = required(await store.get('AP-2345-6789'), 'case');
      expect(stored.notifications.assignment?.messageId).toBe('ses-1');
      expect(stored.sending).toEqual({});
      expect(await store.recordNotification('AP-2345-6789', ASSIGNMENT, 'ses-2', afterLease)).toBe(false);
    });

    it(`records the enterprise's satisfaction answer once (${atomic ? 'racing' : 'successive'} answers), only on a resolved case with its personal data`, async () => {
      const { store } = await freshStore();
      const closedAt = new Date('2025-03-10T10:00:00Z');
      const c = resolvedCase(municipality, { result: 'granted', closedAt, reference: 'AP-2345-6789' });
      const open = {
        ...resolvedCase(municipality, { result: 'granted', closedAt, reference: 'AP-3456-789A' }),
      };
      await store.create(c);
      await store.create({ ...open, status: 'assigned' });
      const claims = (reference: string) =>
        ({
          survey: 'satisfaction',
          case: reference,
          lang: 'nl',
          expiresAt: '2025-04-10T10:00:00.000Z',
        }) as const;
      const answer = (score: number) => () =>
        store.recordRating(planRating(c, claims(c.reference), { score, comment: 'Prima' }, closedAt));

      const results = atomic
        ? await Promise.all([answer(4)(), answer(1)()])
        : [await answer(4)(), await answer(1)()];
      const onOpen = await store.recordRating(
        planRating({ ...open, status: 'resolved' }, claims(open.reference), { score: 3 }, closedAt),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = required(await store.get(c.reference), 'case');
      expect(stored.history.filter((h) => h.type === 'rated')).toHaveLength(1);
      expect(onOpen).toBe(false);
      expect(required(await store.get(open.reference), 'case').history).toEqual(open.history);
      // Anonymised: no answer any more, even with the history as read.
      const fresh = required(await store.get(c.reference), 'case');
      await store.anonymise(fresh, anonymise(fresh, new Date('2026-03-11T02:00:00Z')));
      expect(await store.recordRating(planRating(fresh, claims(c.reference), { score: 2 }, closedAt))).toBe(
        false,
      );
    });

    it('moves the next look of a resolved case only while it is due (its satisfaction e-mail waits)', async () => {
      const { store } = await freshStore();
      const closedAt = new Date('2025-03-10T10:00:00Z');
      const c = resolvedCase(municipality, { result: 'granted', closedAt, reference: 'AP-2345-6789' });
      await store.create({ ...c, nextAt: '2025-03-10T10:05:00.000Z' });
      // Resolved, its e-mail recorded: out of the due index.
      const { nextAt: _nextAt, ...gone } = resolvedCase(municipality, {
        result: 'granted',
        closedAt,
        reference: 'AP-3456-789A',
      });
      await store.create(gone);

      const due = await store.postpone('AP-2345-6789', new Date('2025-03-10T10:10:00Z'));
      const left = await store.postpone('AP-3456-789A', new Date('2025-03-10T10:10:00Z'));

      expect([due, left]).toEqual([true, false]);
      expect((await store.get('AP-2345-6789'))?.nextAt).toBe('2025-03-10T10:10:00.000Z');
      expect((await store.get('AP-3456-789A'))?.nextAt).toBeUndefined();
    });

    it('finds only due cases in the sparse index, oldest first, and drops a case without a next moment', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789')); // nextAt = submitted + 5 min
      await store.create(submittedCase('AP-3456-789A'));
      await store.assign(routed('AP-3456-789A', new Date('2025-03-03T09:01:00Z'))); // nextAt = 09:06
      const early = new Date(SUBMITTED_AT.getTime() + 60_000);
      const late = new Date(SUBMITTED_AT.getTime() + 10 * 60_000);

      expect(await store.due(early, 10)).toEqual({ references: [] });
      expect((await store.due(late, 10)).references).toEqual(['AP-2345-6789', 'AP-3456-789A']);

      await store.postpone('AP-2345-6789', new Date(late.getTime() + 60_000));
      await store.scheduleNext('AP-3456-789A', undefined);
      expect((await store.due(late, 10)).references).toEqual([]);
    });

    it('pages through the due cases from where the last page ended, each case once', async () => {
      const { store } = await freshStore();
      const references = ['AP-2345-6781', 'AP-2345-6782', 'AP-2345-6783', 'AP-2345-6784', 'AP-2345-6785'];
      for (const [i, reference] of references.entries()) {
        await store.create(submittedCase(reference));
        await store.scheduleNext(reference, new Date(SUBMITTED_AT.getTime() + i * 60_000).toISOString());
      }
      const now = new Date(SUBMITTED_AT.getTime() + 60 * 60_000);

      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const page = await store.due(now, 2, after);
        pages.push(page.references);
        after = page.next;
      } while (after !== undefined && pages.length < 10);

      expect(pages.flat()).toEqual(references);
      expect(pages.slice(0, 2)).toEqual([references.slice(0, 2), references.slice(2, 4)]);
    });

    it('assigns a case and claims its e-mails in the same write, and claims nothing when the case was taken', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const until = new Date(Date.parse('2025-03-03T09:01:00Z') + SENDING_LEASE_MS).toISOString();
      const kinds: NotificationKind[] = [ASSIGNMENT, ENTERPRISE];

      const first = await store.assign(routed('AP-2345-6789', new Date('2025-03-03T09:01:00Z')), {
        kinds,
        until,
      });
      const second = await store.assign(routed('AP-2345-6789', new Date('2025-03-03T09:01:01Z')), {
        kinds: [ASSIGNMENT],
        until: '2099-01-01T00:00:00.000Z',
      });

      expect(first?.sending).toEqual({ assignment: until, enterprise: until });
      expect(second).toBeUndefined();
      expect(required(await store.get('AP-2345-6789'), 'case').sending).toEqual({
        assignment: until,
        enterprise: until,
      });
      // The claims hold: another sender finds them busy until the lease ends.
      expect(
        await store.claimNotifications(
          'AP-2345-6789',
          [ENTERPRISE],
          new Date('2025-03-03T09:01:30Z'),
          SENDING_LEASE_MS,
        ),
      ).toBe(false);
    });

    it('claims all kinds in one write, or none when one of them is held or sent', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const now = new Date('2025-03-03T09:01:00Z');
      await store.claimNotification('AP-2345-6789', ENTERPRISE, now, SENDING_LEASE_MS);

      const blocked = await store.claimNotifications(
        'AP-2345-6789',
        [ASSIGNMENT, ENTERPRISE],
        now,
        SENDING_LEASE_MS,
      );
      const before = required(await store.get('AP-2345-6789'), 'case').sending;
      const afterLease = new Date(now.getTime() + SENDING_LEASE_MS);
      const taken = await store.claimNotifications(
        'AP-2345-6789',
        [ASSIGNMENT, ENTERPRISE],
        afterLease,
        SENDING_LEASE_MS,
      );

      expect(blocked).toBe(false);
      expect(Object.keys(before)).toEqual(['enterprise']);
      expect(taken).toBe(true);
      const until = new Date(afterLease.getTime() + SENDING_LEASE_MS).toISOString();
      expect(required(await store.get('AP-2345-6789'), 'case').sending).toEqual({
        assignment: until,
        enterprise: until,
      });
    });

    it('records all e-mails and the next look in one write, and nothing when one was recorded or the case changed', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const at = new Date('2025-03-03T09:02:00Z');
      const c = required(await store.get('AP-2345-6789'), 'case');
      await store.claimNotifications('AP-2345-6789', [ASSIGNMENT, ENTERPRISE], at, SENDING_LEASE_MS);

      const stale = await store.recordNotifications(
        'AP-2345-6789',
        [{ kind: ASSIGNMENT, messageId: 'ses-1' }],
        at,
        { nextAt: '2025-03-10T09:00:00.000Z', historyLength: c.history.length + 1 },
      );
      const recorded = await store.recordNotifications(
        'AP-2345-6789',
        [
          { kind: ASSIGNMENT, messageId: 'ses-1' },
          { kind: ENTERPRISE, messageId: 'ses-2' },
          { kind: REMINDER, messageId: SUPERSEDED },
        ],
        at,
        { nextAt: '2025-03-10T09:00:00.000Z', historyLength: c.history.length },
      );
      const again = await store.recordNotifications(
        'AP-2345-6789',
        [{ kind: ENTERPRISE, messageId: 'ses-3' }],
        at,
      );

      expect([stale, recorded, again]).toEqual([false, true, false]);
      const stored = required(await store.get('AP-2345-6789'), 'case');
      expect(stored.notifications).toEqual({
        assignment: { at: at.toISOString(), messageId: 'ses-1' },
        enterprise: { at: at.toISOString(), messageId: 'ses-2' },
        'firstContact:reminder': { at: at.toISOString(), messageId: SUPERSEDED },
      });
      expect(stored.sending).toEqual({});
      expect(stored.nextAt).toBe('2025-03-10T09:00:00.000Z');
      // The records are the e-mails' one fact: the stored history is as it was, and the history shows the
      // two that went out (the superseded reminder was never sent).
      expect(stored.history).toEqual(c.history);
      expect(historyOf(stored).slice(c.history.length)).toEqual([
        { type: 'notified', version: 1, at: at.toISOString(), notification: 'assignment' },
        { type: 'notified', version: 1, at: at.toISOString(), notification: 'enterprise' },
      ]);
      expect((await store.due(new Date('2025-03-10T09:00:00Z'), 10)).references).toEqual(['AP-2345-6789']);
    });

    it('counts open cases no further than asked, and notes a full department once a day', async () => {
      const { store } = await freshStore();
      const now = new Date('2025-03-03T09:01:00Z');
      const references = ['AP-2345-6781', 'AP-2345-6782', 'AP-2345-6783'];
      for (const reference of references) {
        await store.create(submittedCase(reference));
        await store.assign(routed(reference, now));
      }
      const contact = required((await store.get('AP-2345-6781'))?.contact, 'contact').id;

      const counts = [
        await store.openCaseCount(contact, 2),
        await store.openCaseCount(contact, 3),
        await store.openCaseCount(contact, 10),
      ];
      const notes = [
        await store.noteDepartmentFull('werk', '2025-03-03'),
        await store.noteDepartmentFull('werk', '2025-03-03'),
        await store.noteDepartmentFull('zorg', '2025-03-03'),
        await store.noteDepartmentFull('werk', '2025-03-04'),
      ];

      expect(counts).toEqual([2, 3, 3]);
      expect(notes).toEqual([true, false, true, true]);
    });

    it('gives a request fingerprint to the first reference for 24 hours, then lets it go', async () => {
      const { store } = await freshStore();
      const now = new Date('2025-03-03T09:00:00Z');
      const day = 24 * 60 * 60_000;

      const first = await store.claimFingerprint('fp-1', 'AP-2345-6789', now, day);
      const second = await store.claimFingerprint(
        'fp-1',
        'AP-3456-789A',
        new Date(now.getTime() + day - 1000),
        day,
      );
      const afterWindow = await store.claimFingerprint(
        'fp-1',
        'AP-4567-89AB',
        new Date(now.getTime() + day + 1000),
        day,
      );

      expect([first, second, afterWindow]).toEqual(['AP-2345-6789', 'AP-2345-6789', 'AP-4567-89AB']);
    });

    it('adds a status link for a repeat of the same request, not for another request', async () => {
      const { store } = await freshStore();
      const c = submittedCase('AP-2345-6789');
      await store.create(c);

      const same = await store.addToken(
        'AP-2345-6789',
        'hash-2',
        { requestHash: c.requestHash, fingerprint: 'other' },
        20,
      );
      const other = await store.addToken(
        'AP-2345-6789',
        'hash-3',
        { requestHash: 'other', fingerprint: 'other' },
        20,
      );
      const full = await store.addToken(
        'AP-2345-6789',
        'hash-4',
        { requestHash: c.requestHash, fingerprint: c.fingerprint },
        2,
      );
      const missing = await store.addToken(
        'AP-9999-9999',
        'hash-5',
        { requestHash: c.requestHash, fingerprint: c.fingerprint },
        20,
      );

      expect([same, other, full, missing]).toEqual(['added', 'different', 'full', 'missing']);
      expect((await store.get('AP-2345-6789'))?.tokenHashes).toEqual([...c.tokenHashes, 'hash-2']);
    });

    it("counts an official's open cases and the enterprise's last contact from the stored cases; a resolved case is open no more", async () => {
      // Prepare: two cases of the same enterprise, routed to the same contact, the older one resolved.
      const { store } = await freshStore();
      const older = submittedCase('AP-2345-6789', undefined, new Date('2025-03-03T09:00:00Z'));
      const newer = submittedCase('AP-3456-789A', undefined, new Date('2025-03-03T10:00:00Z'));
      for (const c of [older, newer]) await store.create(c);
      const first = required(
        await store.assign(routed(older.reference, new Date('2025-03-03T09:01:00Z'))),
        'a',
      );
      const contact = required(first.contact, 'contact');
      await store.assign(routed(newer.reference, new Date('2025-03-03T10:01:00Z')));
      const claims = {
        id: 'link-resolve-0000001',
        reference: older.reference,
        official: contact.id,
        action: 'resolve' as const,
        lang: 'nl' as const,
        expiresAt: '2025-04-03T09:00:00Z',
      };
      const closedAt = new Date('2025-03-04T09:00:00Z');
      const resolved = resolutionFor(municipality, first.request.requestType, 'granted', closedAt);
      if (!resolved.ok) throw new Error(resolved.problem);
      const resolve = planAction(first, claims, closedAt, municipality.sla.calendar, {
        text: 'Afgehandeld',
        resolution: resolved.resolution,
      });
      // Act
      const applied = await store.applyAction(resolve);
      const counts = [await store.openCaseCount(contact.id, 10), await store.openCaseCount('nobody', 10)];
      const submissions = await store.openCaseSubmissions([contact.id]);
      const last = await store.lastContactOf(older.request.organisation.kvkNumber, newer.reference);
      // Assess
      expect(applied).toBe(true);
      expect(counts).toEqual([1, 0]);
      expect(submissions).toEqual([newer.submittedAt]);
      expect(last).toBe(contact.id);
    });

    it('applies an action link once, and only while its official is the contact', async () => {
      // Prepare
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789'));
      const assigned = required(
        await store.assign(routed('AP-2345-6789', new Date('2025-03-03T09:01:00Z'))),
        'assigned case',
      );
      const official = required(assigned.contact, 'contact').id;
      const claims = {
        id: 'link-contact-0000001',
        reference: 'AP-2345-6789',
        official,
        action: 'contact-made' as const,
        lang: 'nl' as const,
        expiresAt: '2025-04-03T09:00:00Z',
      };
      const now = new Date('2025-03-03T12:00:00Z');
      const change = planAction(assigned, claims, now, municipality.sla.calendar);
      // Act
      const byOther = await store.applyAction({ ...change, official: 'someone-else' });
      const once = await store.applyAction(change);
      const twice = await store.applyAction(change);
      // Assess
      expect([byOther, once, twice]).toEqual([false, true, false]);
      const stored = required(await store.get('AP-2345-6789'), 'case');
      expect(stored.usedLinks).toEqual({ [claims.id]: now.toISOString() });
      expect(stored.clocks.firstContact?.stoppedAt).toBe(now.toISOString());
      expect(stored.history.filter((h) => h.type === 'contacted')).toHaveLength(1);
    });

    it('lets a department join an open case once, whoever is its contact, and not a closed one', async () => {
      // Prepare: one case assigned, one handed back to routing (submitted, no contact), one resolved
      const { store } = await freshStore();
      for (const reference of ['AP-2345-678A', 'AP-2345-678B']) await store.create(submittedCase(reference));
      const assigned = required(
        await store.assign(routed('AP-2345-678A', new Date('2025-03-03T09:01:00Z'))),
        'assigned case',
      );
      const submitted = required(await store.get('AP-2345-678B'), 'submitted case');
      const now = new Date('2025-03-04T08:00:00Z');
      const join = (c: typeof assigned, id: string) =>
        planAction(
          c,
          {
            id,
            reference: c.reference,
            official: 'duurzaamheid',
            action: 'join',
            lang: 'nl',
            expiresAt: '2025-04-03T09:00:00Z',
          },
          now,
          municipality.sla.calendar,
        );
      // Act
      const once = await store.applyAction(join(assigned, 'link-join-000000001'));
      const twice = await store.applyAction(join(assigned, 'link-join-000000001'));
      const whileRouting = await store.applyAction(join(submitted, 'link-join-000000002'));
      const resolvedCase = required(await store.get('AP-2345-678B'), 'case');
      await store.applyAction({ ...join(resolvedCase, 'link-join-000000003'), status: 'resolved' });
      const closed = await store.applyAction(join(resolvedCase, 'link-join-000000004'));
      // Assess
      expect([once, twice, whileRouting, closed]).toEqual([true, false, true, false]);
      const stored = required(await store.get('AP-2345-678A'), 'case');
      expect(stored.history.filter((h) => h.type === 'joined')).toEqual([
        { type: 'joined', version: 1, at: now.toISOString(), department: 'duurzaamheid' },
      ]);
      expect(stored.contact?.id).toBe(assigned.contact?.id);
    });

    it('lists the cases an official resolved since a moment, the latest first, until their personal data are removed', async () => {
      // Prepare: three cases routed to one contact; two resolved a day apart, one still open
      const { store } = await freshStore();
      const references = ['AP-2345-678C', 'AP-2345-678D', 'AP-2345-678E'];
      const assigned: Case[] = [];
      for (const reference of references) {
        await store.create(submittedCase(reference));
        assigned.push(
          required(await store.assign(routed(reference, new Date('2025-03-03T09:01:00Z'))), reference),
        );
      }
      const official = required(assigned[0]?.contact, 'contact').id;
      expect(assigned.every((c) => c.contact?.id === official)).toBe(true);
      const resolveAt = async (c: Case, at: Date) => {
        const resolution = resolutionFor(municipality, c.request.requestType, 'granted', at);
        if (!resolution.ok) throw new Error(resolution.problem);
        const claims = {
          id: `link-closed-${c.reference}`,
          reference: c.reference,
          official,
          action: 'resolve' as const,
          lang: 'nl' as const,
          expiresAt: '2025-04-03T09:00:00Z',
        };
        return store.applyAction(
          planAction(c, claims, at, municipality.sla.calendar, {
            text: 'Afgehandeld',
            resolution: resolution.resolution,
          }),
        );
      };
      const [first, second] = assigned;
      expect(await resolveAt(required(first, 'first'), new Date('2025-03-04T09:00:00Z'))).toBe(true);
      expect(await resolveAt(required(second, 'second'), new Date('2025-03-05T09:00:00Z'))).toBe(true);
      // Act
      const sinceMonday = await store.closedCaseReferences(official, new Date('2025-03-03T00:00:00Z'));
      const sinceWednesday = await store.closedCaseReferences(official, new Date('2025-03-05T09:00:00Z'));
      const ofOther = await store.closedCaseReferences('nobody', new Date('2025-03-03T00:00:00Z'));
      const resolved = required(await store.get(references[1] ?? ''), 'resolved');
      await store.anonymise(resolved, anonymise(resolved, new Date('2026-03-05T02:00:00Z')));
      const afterAnonymising = await store.closedCaseReferences(official, new Date('2025-03-03T00:00:00Z'));
      // Assess
      expect(sinceMonday).toEqual([references[1], references[0]]);
      expect(sinceWednesday).toEqual([references[1]]);
      expect(ofOther).toEqual([]);
      expect(afterAnonymising).toEqual([references[0]]);
    });

    it('finds closed cases when their retention step is due, anonymises each once and destroys it keeping its record', async () => {
      // Prepare: two cases resolved on 4 March 2025, rejected (destroyed after a year) and granted (five)
      const { store } = await freshStore();
      const closedAt = new Date('2025-03-04T09:00:00Z');
      const resolvedWith = async (reference: string, result: string) => {
        await store.create(submittedCase(reference));
        await store.claimFingerprint(
          submittedCase(reference).fingerprint,
          reference,
          SUBMITTED_AT,
          86_400_000,
        );
        const c = required(
          await store.assign(routed(reference, new Date('2025-03-03T09:01:00Z'))),
          reference,
        );
        const resolution = resolutionFor(municipality, c.request.requestType, result, closedAt);
        if (!resolution.ok) throw new Error(resolution.problem);
        const claims = {
          id: `link-${reference}`,
          reference,
          official: required(c.contact, 'contact').id,
          action: 'resolve' as const,
          lang: 'nl' as const,
          expiresAt: '2025-04-03T09:00:00Z',
        };
        await store.applyAction(
          planAction(c, claims, closedAt, municipality.sla.calendar, {
            text: 'Afgehandeld',
            resolution: resolution.resolution,
          }),
        );
        return required(await store.get(reference), reference);
      };
      const rejected = await resolvedWith('AP-2345-6789', 'rejected');
      const granted = await resolvedWith('AP-3456-789A', 'granted');
      // Act
      const early = await store.retentionDue('2026-03-03', 10);
      const due = await store.retentionDue('2026-03-04', 10);
      const anonymisedAt = new Date('2026-03-04T02:00:00Z');
      const once = await store.anonymise(granted, anonymise(granted, anonymisedAt));
      const twice = await store.anonymise(granted, anonymise(granted, anonymisedAt));
      const record = deletionRecordOf(rejected, anonymisedAt);
      const destroyed = await store.destroy(rejected, record);
      const again = await store.destroy(rejected, { ...record, destroyedAt: '2026-03-05T02:00:00.000Z' });
      // Assess: due only from the day; the anonymised case waits for its archive action date (2030)
      expect(early.references).toEqual([]);
      expect([...due.references].sort()).toEqual([rejected.reference, granted.reference].sort());
      expect([once, twice]).toEqual([true, false]);
      expect(await store.get(granted.reference)).toBeUndefined();
      const left = await store.record(granted.reference);
      expect(left?.kind).toBe('anonymised');
      expect(left?.kind === 'anonymised' ? left.c.request : undefined).toEqual({
        organisation: granted.request.organisation,
        language: granted.request.language,
        goals: granted.request.goals,
        requestType: granted.request.requestType,
      });
      expect((await store.retentionDue('2030-03-03', 10)).references).toEqual([]);
      expect((await store.retentionDue('2030-03-04', 10)).references).toEqual([granted.reference]);
      // The fingerprint claim went with the personal data: the same request is a new case again
      expect(
        await store.claimFingerprint(granted.fingerprint, 'AP-4567-89AB', anonymisedAt, 86_400_000),
      ).toBe('AP-4567-89AB');
      expect([destroyed, again]).toEqual([true, false]);
      expect(await store.record(rejected.reference)).toEqual({ kind: 'destroyed', record });
      expect(await store.destroyedIn(2026)).toEqual([record]);
      expect(await store.destroyedIn(2025)).toEqual([]);
    });

    it('says why and since when an address is on the suppression list, in any case, and keeps the first reason', async () => {
      // Prepare: an address that bounced, then was reported as spam
      const { store } = await freshStore();
      const bounced = new Date('2025-03-04T09:00:00Z');
      await store.suppress('Anna.Jansen@Onderneming.example', 'bounce', bounced);
      await store.suppress('anna.jansen@onderneming.example', 'complaint', new Date('2025-03-05T09:00:00Z'));
      // Act
      const entry = await store.suppression('  ANNA.JANSEN@onderneming.example ');
      const other = await store.suppression('piet@onderneming.example');
      // Assess
      expect(entry).toEqual({ reason: 'bounce', since: bounced.toISOString() });
      expect(other).toBeUndefined();
    });

    it('seeds the officials once, keeping changes made since', async () => {
      const { officials: directory } = await freshStore();

      const added = await directory.seed(municipality.officials);
      const again = await directory.seed(municipality.officials);

      expect(added).toBe(municipality.officials.length);
      expect(again).toBe(0);
      expect((await directory.list()).map((o) => o.id).sort()).toEqual(
        municipality.officials.map((o) => o.id).sort(),
      );
    });
  });
}
