import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { municipality } from '../../config/index.js';
import type { Municipality } from '../../config/schema.js';
import type { CaseRequest } from '../../events/case-request.js';
import { dynamoCaseStore } from '../../functions/adapters/cases.js';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import { type Declaration, declaration } from '../../functions/declaration.js';
import type { Case, Contact } from '../../functions/domain/case.js';
import { informedAtOnce } from '../../functions/domain/digest.js';
import { routingDigests } from '../../functions/domain/mail/notifications.js';
import type { Instrumentation } from '../../infra/local/instrumentation/index.js';
import { type EmulatorChoice, type LocalSystem, startLocal } from '../../infra/local/runtime.js';
import { sampleRequest } from './cases.js';
import { eventually, readMailbox, readMotoMailbox, type StoredEmail } from './mailbox.js';

/** What a routing scenario changes in the sample request; the rest stays as the sample has it. */
export interface RequestInput {
  readonly kvkNumber: string;
  readonly goals: string[];
  readonly requestType: string;
  readonly description: string;
  readonly language?: 'nl' | 'en';
}

/** A `POST /cases` body: the enterprise's e-mail address is unique per KvK number, to tell its mail apart. */
export function requestBody(input: RequestInput): CaseRequest {
  const sample = sampleRequest();
  return {
    ...sample,
    organisation: { name: `Onderneming ${input.kvkNumber}`, kvkNumber: input.kvkNumber },
    contact: { ...sample.contact, email: `kvk${input.kvkNumber}@onderneming.example` },
    language: input.language ?? 'nl',
    goals: input.goals,
    requestType: input.requestType,
    description: input.description,
  };
}

/**
 * Who gets an e-mail about a routed case (to know when routing is done; tests name the recipients themselves):
 * the contact, each tagged department outside theirs that is informed by an e-mail per case (`immediate`), the
 * enterprise. The departments informed `daily` get the case in their digest instead.
 */
export function expectedRecipients(c: Case, contact: Contact, m: Municipality = municipality): string[] {
  const own = new Set(contact.departments ?? []);
  const departments = c.tags
    .filter((t) => !own.has(t.department) && informedAtOnce(m, t.department))
    .map((t) => m.departments.find((d) => d.id === t.department)?.mailbox ?? `?${t.department}`);
  return [contact.email, ...departments, c.request.contact.email].sort();
}

/**
 * One local system for a test file: emulators on free ports, a temporary data folder, the queue poller
 * quick and the schedules off; errors no caller sees are collected instead of printed.
 */
export async function startRoutingSystem(
  name: string,
  options: {
    readonly declaration?: Declaration;
    readonly pollIdleMs?: number;
    /** An external AWS-compatible endpoint (moto server) instead of the embedded emulators. */
    readonly emulators?: EmulatorChoice;
    /** What the functions are composed with (faults a test injects); default: none. */
    readonly instrumentation?: Instrumentation;
    /** The municipality the functions serve (a run's own intake limits); default: the configured one. */
    readonly municipality?: Municipality;
  } = {},
) {
  const served = options.municipality ?? municipality;
  const dataDir = await mkdtemp(join(tmpdir(), `aanspreekpunt-${name}-`));
  const errors: unknown[] = [];
  let system: LocalSystem;
  try {
    system = await startLocal({
      dataDir,
      port: 0,
      ports: { dynamodb: 0, sqs: 0, ses: 0 },
      pollIdleMs: options.pollIdleMs ?? 50,
      schedules: false,
      declaration: options.declaration,
      emulators: options.emulators,
      instrumentation: options.instrumentation,
      municipality: options.municipality,
      onError: (error) => errors.push(error),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const client = new DynamoDBClient({
    endpoint: system.urls.dynamodb,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const db = DynamoDBDocumentClient.from(client);
  const cases = dynamoCaseStore(db, system.tables.cases);
  const officials = dynamoOfficialDirectory(db, system.tables.cases, { cacheMs: 0 });

  async function submit(body: CaseRequest): Promise<{ reference: string; statusUrl: string }> {
    const response = await fetch(`${system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 202) throw new Error(`POST /cases answered ${response.status}`);
    return (await response.json()) as { reference: string; statusUrl: string };
  }

  /** Every e-mail the SES emulator took. */
  const mails = (): Promise<StoredEmail[]> =>
    system.emulators === 'embedded' ? readMailbox(system.urls.mailbox) : readMotoMailbox(system.urls.ses);

  /** Every e-mail in the SES emulator about this case (each subject names the reference). */
  const mailsOf = async (reference: string): Promise<StoredEmail[]> =>
    (await mails()).filter((m) => m.subject.includes(reference));

  /**
   * Waits until the case is assigned and has recorded every e-mail it needs, then a little longer so a
   * duplicate e-mail would show up, and returns the case and its e-mails.
   */
  async function routed(reference: string): Promise<{ c: Case; contact: Contact; mails: StoredEmail[] }> {
    const done = await eventually(async () => {
      const c = await cases.get(reference);
      const contact = c?.contact;
      if (c === undefined || contact === undefined) return undefined;
      const wanted = expectedRecipients(c, contact, served).length;
      const records = wanted + routingDigests(c, contact, served).length;
      const mails = await mailsOf(reference);
      return Object.keys(c.notifications).length >= records && mails.length >= wanted ? c : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const c = (await cases.get(reference)) ?? done;
    const contact = c.contact ?? done.contact;
    if (contact === undefined) throw new Error(`case ${reference} lost its contact`);
    return { c, contact, mails: await mailsOf(reference) };
  }

  async function stop() {
    client.destroy();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  return {
    system,
    errors,
    db,
    cases,
    officials,
    submit,
    mails,
    mailsOf,
    routed,
    stop,
    municipality: served,
    /** The system's data folder (its action-link key is kept there). */
    dataDir,
  };
}

export type RoutingSystem = Awaited<ReturnType<typeof startRoutingSystem>>;

/** `YYYY-MM-DD`, `days` from the given day (UTC calendar arithmetic on a plain date). */
export function dayFrom(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The declaration with the route queue's visibility timeout cut to `seconds`, so that redelivery and the
 * DLQ (after the declared maxReceiveCount) show within seconds instead of minutes.
 */
export function withQuickRedelivery(seconds = 1): Declaration {
  const route = declaration.queues.route;
  if (route === undefined) throw new Error('the declaration has no route queue');
  return {
    ...declaration,
    queues: { ...declaration.queues, route: { ...route, visibilityTimeoutSeconds: seconds } },
  };
}
