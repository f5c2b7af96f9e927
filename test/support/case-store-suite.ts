import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../../functions/adapters/cases.js';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import { declaration } from '../../functions/declaration.js';
import {
  assign,
  chooseContact,
  ROUTING_GRACE_MS,
  SENDING_LEASE_MS,
  tagDepartments,
} from '../../functions/domain/case.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { ensureTable } from '../../infra/local/provision.js';
import { required, SUBMITTED_AT, submittedCase } from './cases.js';

/** A DynamoDB endpoint for the suite, and how to stop it. */
export interface DynamoEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The DynamoDB adapter's conditional writes and sparse indexes, against a DynamoDB on `start()`'s endpoint:
 * the embedded dynalite (`test/integration/case-store.test.ts`) and moto server (`test/moto/`).
 */
export function describeCaseStore(
  name: string,
  start: () => Promise<DynamoEndpoint>,
  options: {
    /**
     * Whether the endpoint checks a condition and writes atomically when requests arrive at the same time
     * (DynamoDB and dynalite do; moto server handles requests in threads without a lock around its
     * DynamoDB update, so two racing conditional writes can both pass). When false, the "racing" writes
     * are sent one after the other: the condition is still checked, the race is not.
     */
    readonly atomicUnderConcurrency?: boolean;
  } = {},
): void {
  const atomic = options.atomicUnderConcurrency ?? true;
  describe(`the case store on DynamoDB (${name})`, () => {
    let dynamo: DynamoEndpoint | undefined;
    let client: DynamoDBClient;
    let store: CaseStore;
    let tableCount = 0;
    const cases = required(declaration.tables.cases, 'cases table');

    beforeAll(async () => {
      dynamo = await start();
      client = new DynamoDBClient({
        region: 'eu-west-1',
        endpoint: dynamo.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
    });
    afterAll(async () => {
      client?.destroy();
      await dynamo?.stop();
    });

    async function freshStore() {
      const name = `cases-${++tableCount}`;
      await ensureTable(client, name, cases);
      const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
      store = dynamoCaseStore(db, name);
      return { store, db, name };
    }

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

      const first = await store.claimNotification('AP-2345-6789', 'assignment', now, SENDING_LEASE_MS);
      const second = await store.claimNotification('AP-2345-6789', 'assignment', now, SENDING_LEASE_MS);
      const afterLease = new Date(now.getTime() + SENDING_LEASE_MS);
      const takeover = await store.claimNotification(
        'AP-2345-6789',
        'assignment',
        afterLease,
        SENDING_LEASE_MS,
      );
      await store.recordNotification('AP-2345-6789', 'assignment', 'ses-1', afterLease);
      const later = await store.claimNotification(
        'AP-2345-6789',
        'assignment',
        new Date('2025-03-04T00:00:00Z'),
        SENDING_LEASE_MS,
      );

      expect([first, second, takeover, later]).toEqual(['claimed', 'busy', 'claimed', 'sent']);
      const stored = required(await store.get('AP-2345-6789'), 'case');
      expect(stored.notifications.assignment?.messageId).toBe('ses-1');
      expect(stored.sending).toEqual({});
      expect(await store.recordNotification('AP-2345-6789', 'assignment', 'ses-2', afterLease)).toBe(false);
    });

    it('finds only due cases in the sparse index, oldest first, and drops a case without a next moment', async () => {
      const { store } = await freshStore();
      await store.create(submittedCase('AP-2345-6789')); // nextAt = submitted + 5 min
      await store.create(submittedCase('AP-3456-789A'));
      await store.assign(routed('AP-3456-789A', new Date('2025-03-03T09:01:00Z'))); // nextAt = 09:06
      const early = new Date(SUBMITTED_AT.getTime() + 60_000);
      const late = new Date(SUBMITTED_AT.getTime() + 10 * 60_000);

      expect(await store.due(early, 10)).toEqual([]);
      expect(await store.due(late, 10)).toEqual(['AP-2345-6789', 'AP-3456-789A']);

      await store.postpone('AP-2345-6789', new Date(late.getTime() + 60_000));
      await store.scheduleNext('AP-3456-789A', undefined);
      expect(await store.due(late, 10)).toEqual([]);
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

    it('seeds the officials once, keeping changes made since', async () => {
      const { db, name } = await freshStore();
      const directory = dynamoOfficialDirectory(db, name, { cacheMs: 0 });

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
