import { randomBytes } from 'node:crypto';
import type { StoredOfficial } from '../../config/schema.js';
import type { RouteMessage } from '../../events/route-message.js';
import { type ManagedOfficialDirectory, UnknownOfficialError } from '../../functions/adapters/officials.js';
import {
  type ActionLinkMaker,
  actionLinkMaker,
  type MyCasesLinkMaker,
  myCasesLinkMaker,
  type SatisfactionLinkMaker,
  satisfactionLinkMaker,
} from '../../functions/domain/action-link.js';
import { assignedCase, type Case, closedAt } from '../../functions/domain/case.js';
import type { DigestKey } from '../../functions/domain/digest.js';
import type { Allowance } from '../../functions/domain/intake-limits.js';
import type { Mail } from '../../functions/domain/mail/render.js';
import { notificationKey } from '../../functions/domain/notification-kind.js';
import type {
  CaseStore,
  Counter,
  DigestLedger,
  DigestQueue,
  DigestRecord,
  Log,
  Mailer,
  RequestCounter,
  RequestCounts,
  RouteQueue,
  SuppressionEntry,
} from '../../functions/domain/ports.js';
import { type AnonymisedCase, type DeletionRecord, nextRetention } from '../../functions/domain/retention.js';

/** In-memory fakes of the ports, with the same conditional semantics as the DynamoDB adapter. */
export function memoryCaseStore(): CaseStore & { items: Map<string, Case> } {
  const items = new Map<string, Case>();
  /** Cases whose personal data were removed, and the deletion records of destroyed ones. */
  const anonymised = new Map<string, AnonymisedCase>();
  const destroyed = new Map<string, DeletionRecord>();
  const fingerprints = new Map<string, { reference: string; at: number }>();
  const departmentsFull = new Map<string, string>();
  /** The suppression list, by address in lower case. */
  const suppressions = new Map<string, SuppressionEntry>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    items,
    async create(c) {
      if (items.has(c.reference)) return 'exists';
      items.set(c.reference, copy(c));
      return 'created';
    },
    async claimFingerprint(fingerprint, reference, now, windowMs, force = false) {
      const claim = fingerprints.get(fingerprint);
      if (force || claim === undefined || claim.at < now.getTime() - windowMs) {
        fingerprints.set(fingerprint, { reference, at: now.getTime() });
        return reference;
      }
      return claim.reference;
    },
    async addToken(reference, tokenHash, same, max) {
      const c = items.get(reference);
      if (c === undefined) return 'missing';
      if (c.requestHash !== same.requestHash && c.fingerprint !== same.fingerprint) return 'different';
      if (c.tokenHashes.length >= max) return 'full';
      c.tokenHashes.push(tokenHash);
      return 'added';
    },
    async get(reference) {
      const c = items.get(reference);
      return c === undefined ? undefined : copy(c);
    },
    async getMany(references) {
      return references.flatMap((reference) => {
        const c = items.get(reference);
        return c === undefined ? [] : [copy(c)];
      });
    },
    async assign(a, claim) {
      const c = items.get(a.reference);
      if (c === undefined || c.status !== 'submitted') return undefined;
      const next = assignedCase(c, a);
      for (const kind of claim?.kinds ?? []) next.sending[notificationKey(kind)] = claim?.until ?? '';
      items.set(a.reference, next);
      return copy(next);
    },
    async claimNotification(reference, kind, now, leaseMs) {
      const c = items.get(reference);
      if (c === undefined) throw new Error(`case ${reference} not found`);
      const key = notificationKey(kind);
      if (c.notifications[key] !== undefined) return 'sent';
      const held = c.sending[key];
      if (held !== undefined && held > now.toISOString()) return 'busy';
      c.sending[key] = new Date(now.getTime() + leaseMs).toISOString();
      return 'claimed';
    },
    async releaseNotification(reference, kind, now, leaseMs) {
      const c = items.get(reference);
      const key = notificationKey(kind);
      if (c !== undefined && c.sending[key] === new Date(now.getTime() + leaseMs).toISOString())
        delete c.sending[key];
    },
    async noteBounce(reference, kind, at) {
      const c = items.get(reference);
      if (c === undefined) return { outcome: 'missing' };
      const record = c.notifications[notificationKey(kind)];
      if (record === undefined) return { outcome: 'unrecorded' };
      if (record.bounced !== undefined) return { outcome: 'again', c: copy(c) };
      record.bounced = at.toISOString();
      return { outcome: 'noted', c: copy(c) };
    },
    async suppressed(addresses) {
      return new Set(addresses.filter((a) => suppressions.has(a.trim().toLowerCase())));
    },
    async suppress(address, reason, at) {
      const key = address.trim().toLowerCase();
      if (suppressions.has(key)) return false;
      suppressions.set(key, { reason, since: at.toISOString() });
      return true;
    },
    async suppression(address) {
      const entry = suppressions.get(address.trim().toLowerCase());
      return entry === undefined ? undefined : { ...entry };
    },
    async recordNotification(reference, kind, messageId, at) {
      const c = items.get(reference);
      const key = notificationKey(kind);
      if (c === undefined || c.notifications[key] !== undefined) return false;
      delete c.sending[key];
      c.notifications[key] = { at: at.toISOString(), messageId };
      return true;
    },
    async claimNotifications(reference, kinds, now, leaseMs) {
      const c = items.get(reference);
      if (c === undefined) return false;
      const free = (key: string) =>
        c.notifications[key] === undefined && (c.sending[key] ?? '') <= now.toISOString();
      const keys = kinds.map(notificationKey);
      if (!keys.every(free)) return false;
      for (const key of keys) c.sending[key] = new Date(now.getTime() + leaseMs).toISOString();
      return true;
    },
    async recordNotifications(reference, sent, at, schedule) {
      const c = items.get(reference);
      if (c === undefined) return false;
      if (sent.some((s) => c.notifications[notificationKey(s.kind)] !== undefined)) return false;
      if (schedule !== undefined && c.history.length !== schedule.historyLength) return false;
      for (const { kind, messageId } of sent) {
        const key = notificationKey(kind);
        delete c.sending[key];
        c.notifications[key] = { at: at.toISOString(), messageId };
      }
      if (schedule !== undefined) {
        if (schedule.nextAt === undefined) delete c.nextAt;
        else c.nextAt = schedule.nextAt;
      }
      return true;
    },
    async lastContactOf(kvkNumber, except) {
      return [...items.values()]
        .filter((c) => c.request.organisation.kvkNumber === kvkNumber && c.reference !== except && c.contact)
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0]?.contact?.id;
    },
    async openCaseCount(officialId, atMost) {
      const open = [...items.values()].filter((c) => c.status === 'assigned' && c.contact?.id === officialId);
      return Math.min(open.length, atMost);
    },
    async noteDepartmentFull(department, day) {
      if (departmentsFull.get(department) === day) return false;
      departmentsFull.set(department, day);
      return true;
    },
    async openCaseSubmissions(contactIds) {
      const ids = new Set(contactIds);
      return [...items.values()]
        .filter((c) => c.status === 'assigned' && c.contact !== undefined && ids.has(c.contact.id))
        .map((c) => c.submittedAt);
    },
    async openCaseReferences(contactId) {
      return [...items.values()]
        .filter((c) => c.status === 'assigned' && c.contact?.id === contactId)
        .map((c) => c.reference);
    },
    async closedCaseReferences(officialId, since) {
      const closed = [...items.values()].flatMap((c) => {
        const at = closedAt(c);
        return at !== undefined && c.contact?.id === officialId && at >= since.toISOString()
          ? [{ reference: c.reference, at }]
          : [];
      });
      return closed.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((c) => c.reference);
    },
    async due(now, limit, after) {
      // Ordered as the index is (nextAt, then the reference); the cursor is the last item's keys.
      const order = (c: Case) => `${c.nextAt ?? ''}|${c.reference}`;
      const due = [...items.values()]
        .filter((c) => c.nextAt !== undefined && c.nextAt <= now.toISOString())
        .filter((c) => after === undefined || order(c) > after)
        .sort((a, b) => order(a).localeCompare(order(b)));
      const page = due.slice(0, limit);
      const last = page[page.length - 1];
      const references = page.map((c) => c.reference);
      return due.length > limit && last !== undefined ? { references, next: order(last) } : { references };
    },
    async postpone(reference, nextAt) {
      const c = items.get(reference);
      if (c === undefined || (c.status === 'resolved' && c.nextAt === undefined)) return false;
      c.nextAt = nextAt.toISOString();
      return true;
    },
    async scheduleNext(reference, nextAt) {
      const c = items.get(reference);
      if (c === undefined) throw new Error(`case ${reference} not found`);
      if (nextAt === undefined) delete c.nextAt;
      else c.nextAt = nextAt;
    },
    async clearNextAt(reference) {
      const c = items.get(reference);
      if (c !== undefined) delete c.nextAt;
    },
    async applyAction(change) {
      const c = items.get(change.reference);
      if (
        c === undefined ||
        (change.official === undefined ? c.status === 'resolved' : c.status !== 'assigned') ||
        (change.official !== undefined && c.contact?.id !== change.official) ||
        c.usedLinks[change.linkId] !== undefined ||
        change.requireRunning.some((clock) => c.clocks[clock]?.stoppedAt !== undefined) ||
        change.rewrite.some(
          (r) => c.clocks[r.name]?.stoppedAt !== undefined || c.clocks[r.name]?.pausedAt !== r.pausedAt,
        )
      )
        return false;
      for (const r of change.rewrite) c.clocks[r.name] = structuredClone(r.clock);
      c.usedLinks[change.linkId] = change.at;
      c.history.push(change.history);
      for (const name of change.stop) {
        const clock = c.clocks[name];
        if (clock !== undefined && clock.stoppedAt === undefined) clock.stoppedAt = change.at;
      }
      if (change.status !== undefined) c.status = change.status;
      if (change.contact === null) delete c.contact;
      else if (change.contact !== undefined) c.contact = structuredClone(change.contact);
      if (change.nextAt === undefined) delete c.nextAt;
      else c.nextAt = change.nextAt;
      if (change.archive !== undefined) c.archive = structuredClone(change.archive);
      if (change.anonymiseOn !== undefined) c.anonymiseOn = change.anonymiseOn;
      return true;
    },
    async answerQuestion(change) {
      const c = items.get(change.reference);
      if (
        c === undefined ||
        c.status !== 'assigned' ||
        change.rewrite.some(
          (r) => c.clocks[r.name]?.stoppedAt !== undefined || c.clocks[r.name]?.pausedAt !== r.pausedAt,
        )
      )
        return false;
      for (const r of change.rewrite) c.clocks[r.name] = structuredClone(r.clock);
      c.history.push(change.history);
      if (change.nextAt === undefined) delete c.nextAt;
      else c.nextAt = change.nextAt;
      return true;
    },
    async recordRating(change) {
      const c = items.get(change.reference);
      if (c === undefined || c.status !== 'resolved' || c.history.length !== change.historyLength)
        return false;
      c.history.push(copy(change.history));
      return true;
    },
    async record(reference) {
      const c = items.get(reference);
      if (c !== undefined) return { kind: 'case', c: copy(c) };
      const a = anonymised.get(reference);
      if (a !== undefined) return { kind: 'anonymised', c: copy(a) };
      const d = destroyed.get(reference);
      return d === undefined ? undefined : { kind: 'destroyed', record: copy(d) };
    },
    async retentionDue(day, limit, after) {
      const due = [...items.values(), ...anonymised.values()]
        .flatMap((c) => {
          const next = nextRetention(c);
          return next !== undefined && next.on <= day ? [{ on: next.on, reference: c.reference }] : [];
        })
        .sort((a, b) => a.on.localeCompare(b.on) || a.reference.localeCompare(b.reference));
      const start = after === undefined ? 0 : Number(after);
      const references = due.slice(start, start + limit).map((d) => d.reference);
      return start + limit < due.length ? { references, next: String(start + limit) } : { references };
    },
    async anonymise(c, record) {
      const current = items.get(c.reference);
      if (current === undefined || current.history.length !== c.history.length) return false;
      if (fingerprints.get(c.fingerprint)?.reference === c.reference) fingerprints.delete(c.fingerprint);
      items.delete(c.reference);
      anonymised.set(c.reference, copy(record));
      return true;
    },
    async destroy(c, deletion) {
      if (!destroyed.has(c.reference)) destroyed.set(c.reference, copy(deletion));
      if ('fingerprint' in c && fingerprints.get(c.fingerprint)?.reference === c.reference)
        fingerprints.delete(c.fingerprint);
      return items.delete(c.reference) || anonymised.delete(c.reference);
    },
    async destroyedIn(year) {
      return [...destroyed.values()].filter((d) => new Date(d.destroyedAt).getUTCFullYear() === year);
    },
  };
}

/**
 * A memory case store wrapped so that each call of a port operation is counted: `calls` maps the
 * operation's name to how often it was called (`calls.clear()` starts the count afresh).
 */
export function countedStore(): { cases: ReturnType<typeof memoryCaseStore>; calls: Map<string, number> } {
  const cases = memoryCaseStore();
  const calls = new Map<string, number>();
  const counted = new Proxy(cases, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { cases: counted, calls };
}

/** The official directory in memory, as the DynamoDB one behaves with no cache. */
export function memoryOfficialDirectory(): ManagedOfficialDirectory {
  const officials = new Map<string, StoredOfficial>();
  return {
    list: async () => structuredClone([...officials.values()]),
    get: async (id) => structuredClone(officials.get(id)),
    async setAbsences(id, absences) {
      const official = officials.get(id);
      if (official === undefined) throw new UnknownOfficialError(id);
      official.absences = structuredClone([...absences]);
      return structuredClone(official);
    },
    async markUnreachable(id, since) {
      const official = officials.get(id);
      if (official === undefined || official.unreachable !== undefined) return false;
      official.unreachable = { since: since.toISOString() };
      return true;
    },
    async markReachable(id) {
      const official = officials.get(id);
      if (official?.unreachable === undefined) return false;
      delete official.unreachable;
      return true;
    },
    async seed(seeded) {
      const added = seeded.filter((o) => !officials.has(o.id));
      for (const official of added) officials.set(official.id, structuredClone(official));
      return added.length;
    },
    async save(official) {
      const { deputy, ...details } = structuredClone(official);
      officials.set(official.id, {
        ...details,
        ...(deputy === undefined ? {} : { deputy }),
        absences: officials.get(official.id)?.absences ?? [],
        ...(officials.get(official.id)?.unreachable === undefined
          ? {}
          : { unreachable: officials.get(official.id)?.unreachable }),
      });
    },
  };
}

/** The route queue in memory: what was sent, and each message's delay (undefined: none). */
export function memoryQueue(): RouteQueue & { sent: RouteMessage[]; delays: (number | undefined)[] } {
  const sent: RouteMessage[] = [];
  const delays: (number | undefined)[] = [];
  return {
    sent,
    delays,
    async send(message, options) {
      sent.push(message);
      delays.push(options?.delaySeconds);
    },
  };
}

export function memoryMailer(): Mailer & { sent: (Mail & { from: string })[] } {
  const sent: (Mail & { from: string })[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      return `message-${sent.length}`;
    },
  };
}

/**
 * A mailer that throws for every e-mail `fails` picks (as SES does when throttling) and delivers the
 * rest into `sent`; `attempts` counts every call, failed or not.
 */
export function failingMailer(
  fails: (mail: Mail) => boolean,
): Mailer & { sent: (Mail & { from: string })[]; attempts: number } {
  const delivered = memoryMailer();
  const mailer = {
    sent: delivered.sent,
    attempts: 0,
    async send(mail: Mail & { from: string }) {
      mailer.attempts++;
      if (fails(mail)) throw new Error('SES throttled');
      return delivered.send(mail);
    },
  };
  return mailer;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Metrics in memory: `counts` by name, and by name with its dimensions (`SlaMet{department=werk}`);
 * `durations` every duration recorded, by name.
 */
export function countingMetrics(): Counter & {
  counts: Map<string, number>;
  durations: Map<string, number[]>;
} {
  const counts = new Map<string, number>();
  const durations = new Map<string, number[]>();
  const add = (key: string, value: number) => counts.set(key, (counts.get(key) ?? 0) + value);
  return {
    counts,
    durations,
    count: (metric, value = 1, dimensions) => {
      add(metric, value);
      if (dimensions !== undefined)
        add(
          `${metric}{${Object.entries(dimensions)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}}`,
          value,
        );
    },
    duration: (metric, ms) => durations.set(metric, [...(durations.get(metric) ?? []), ms]),
  };
}

/** The key the unit tests sign action links with (32 bytes, never used anywhere else). */
export const TEST_LINK_KEY = new Uint8Array(Buffer.from('aanspreekpunt-test-key-of-32-bytes!!', 'utf8'));
export const TEST_BASE_URL = 'https://aanspreekpunt.voorbeeld.example';

/** Action links as the functions make them, signed with the test key, valid 30 days from `now`. */
export const testLinks = (now: () => Date = () => new Date()): ActionLinkMaker =>
  actionLinkMaker({ key: TEST_LINK_KEY, baseUrl: TEST_BASE_URL, clock: now, randomBytes });

/** Links to the enterprises' satisfaction forms, signed with the test key, valid 30 days from `now`. */
export const testSatisfactionLinks = (now: () => Date = () => new Date()): SatisfactionLinkMaker =>
  satisfactionLinkMaker({ key: TEST_LINK_KEY, baseUrl: TEST_BASE_URL, clock: now });

/** Links to the officials' "Mijn zaken" pages, signed with the test key. */
export const testMyCasesLinks = (): MyCasesLinkMaker =>
  myCasesLinkMaker({ key: TEST_LINK_KEY, baseUrl: TEST_BASE_URL });

/**
 * The intake's request counts in memory, by kind, key and window, as the DynamoDB counter keeps them (each
 * until a day after its window).
 */
export function memoryRequestCounter(): RequestCounter & RequestCounts & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const windows = new Map<string, { windowStart: string; expiresAt: string }>();
  return {
    counts,
    async take(allowance: Allowance) {
      const key = `${allowance.kind}#${allowance.key}#${allowance.windowStart.toISOString()}`;
      const count = counts.get(key) ?? 0;
      if (count >= allowance.max) return false;
      counts.set(key, count + 1);
      windows.set(key, {
        windowStart: allowance.windowStart.toISOString(),
        expiresAt: new Date(allowance.windowEnd.getTime() + 86_400_000).toISOString(),
      });
      return true;
    },
    async countsOf(kind, key) {
      return [...counts.entries()].flatMap(([stored, requests]) => {
        const window = windows.get(stored);
        return stored.startsWith(`${kind}#${key}#`) && window !== undefined ? [{ ...window, requests }] : [];
      });
    },
  };
}

/** The digests' entries and records in memory, with the DynamoDB adapter's conditions. */
export function memoryDigestStore(): DigestQueue &
  DigestLedger & { entries: Map<string, { queuedAt: string; listedIn?: string }> } {
  const entries = new Map<string, { queuedAt: string; listedIn?: string }>();
  const records = new Map<string, { -readonly [K in keyof DigestRecord]: DigestRecord[K] }>();
  const leases = new Map<string, string>();
  const entryKey = (department: string, reference: string) => `${department}\n${reference}`;
  const recordKey = (key: DigestKey) => `${key.audience}\n${key.id}\n${key.period}`;
  return {
    entries,
    async enqueue(department, reference, at) {
      const k = entryKey(department, reference);
      if (!entries.has(k)) entries.set(k, { queuedAt: at.toISOString() });
    },
    async waiting(department) {
      return [...entries]
        .filter(([k, e]) => k.startsWith(`${department}\n`) && e.listedIn === undefined)
        .sort(([, a], [, b]) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0))
        .map(([k]) => k.slice(department.length + 1));
    },
    async markListed(department, references, period) {
      for (const reference of references) {
        const entry = entries.get(entryKey(department, reference));
        if (entry !== undefined) entry.listedIn = period;
      }
    },
    async claimDigest(key, now, leaseMs) {
      const k = recordKey(key);
      if (records.has(k)) return 'sent';
      const lease = leases.get(k);
      if (lease !== undefined && lease > now.toISOString()) return 'busy';
      leases.set(k, new Date(now.getTime() + leaseMs).toISOString());
      return 'claimed';
    },
    async releaseDigest(key, now, leaseMs) {
      const k = recordKey(key);
      if (leases.get(k) === new Date(now.getTime() + leaseMs).toISOString()) leases.delete(k);
    },
    async recordDigest(key, record) {
      const k = recordKey(key);
      if (records.has(k)) return false;
      records.set(k, { ...record, references: [...record.references] });
      leases.delete(k);
      return true;
    },
    async completeDigest(key, at) {
      const record = records.get(recordKey(key));
      if (record === undefined) throw new Error('no such digest record');
      record.completedAt ??= at.toISOString();
    },
    async digestRecord(key) {
      const record = records.get(recordKey(key));
      return record === undefined ? undefined : { ...record, references: [...record.references] };
    },
  };
}
