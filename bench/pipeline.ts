import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import sample from '../events/samples/case-request.json' with { type: 'json' };
import type { LocalSystem } from '../infra/local/runtime.js';
import type { Progress } from './progress.js';

export interface Clients {
  readonly db: DynamoDBDocumentClient;
  /** The client `db` wraps, for reads that want the items as DynamoDB holds them. */
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
  destroy(): void;
}

/** The bench's own SDK clients against the emulators (never counted: the counter is in the functions). */
export function benchClients(system: LocalSystem): Clients {
  const common = { region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = new DynamoDBClient({ ...common, endpoint: system.urls.dynamodb });
  const sqs = new SQSClient({ ...common, endpoint: system.urls.sqs });
  const ses = new SESv2Client({ ...common, endpoint: system.urls.ses });
  return {
    db: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    dynamo,
    sqs,
    ses,
    destroy() {
      dynamo.destroy();
      sqs.destroy();
      ses.destroy();
    },
  };
}

/** A `POST /cases` body: the sample, with its own KvK number, e-mail address and description per case. */
export function requestBody(n: number) {
  const kvkNumber = String(30_000_000 + n);
  return {
    ...sample,
    organisation: { name: `Onderneming ${kvkNumber}`, kvkNumber },
    contact: { ...sample.contact, email: `kvk${kvkNumber}@onderneming.example` },
    description: `${sample.description} (aanvraag ${n})`,
  };
}

/** Runs `work(i)` for i in [0, count) with `concurrency` workers. */
export async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Messages in a queue, visible and in flight. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** An e-mail as the SES emulator stores it (the fields the bench reads). */
export interface StoredMail {
  readonly from: string;
  readonly replyTo: readonly string[];
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
}
export async function readMailbox(system: LocalSystem): Promise<StoredMail[]> {
  const response = await fetch(`${system.urls.mailbox}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
}
export async function clearMailbox(system: LocalSystem) {
  await fetch(`${system.urls.mailbox}/clear-store`, { method: 'POST' });
}

/**
 * `count` cases posted to `<url>/cases` by `concurrency` clients, numbered from `first`; the latency of each
 * as the client saw it. Throws unless each is answered 202.
 */
export async function postCases(
  url: string,
  options: { count: number; concurrency: number; first: number; body?: (n: number) => unknown },
): Promise<number[]> {
  const latenciesMs: number[] = [];
  const body = options.body ?? requestBody;
  await inParallel(options.count, options.concurrency, async (i) => {
    const t0 = performance.now();
    const response = await fetch(`${url}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body(options.first + i)),
    });
    await response.arrayBuffer();
    latenciesMs.push(performance.now() - t0);
    if (response.status !== 202) throw new Error(`POST /cases answered ${response.status}`);
  });
  return latenciesMs;
}

/** Waits until a queue is empty (every message handled and deleted), ticking the progress as it drains. */
export async function waitUntilDrained(sqs: SQSClient, queueUrl: string, count: number, progress?: Progress) {
  const started = performance.now();
  let reported = 0;
  for (;;) {
    const waiting = await queueDepth(sqs, queueUrl);
    const done = count - Math.min(waiting, count);
    progress?.tick(Math.max(0, done - reported));
    reported = Math.max(reported, done);
    if (waiting === 0) return;
    if (performance.now() - started > 600_000)
      throw new Error(`${waiting} messages still queued after 10 min`);
    await sleep(20);
  }
}

export interface PipelineRun {
  readonly cases: number;
  readonly wallMs: number;
  /** Latency of each `POST /cases` as the client saw it. */
  readonly latenciesMs: readonly number[];
  readonly emails: number;
  /** The e-mails in the SES emulator (each subject names the case's reference). */
  readonly mails: readonly StoredMail[];
  /** Cases with at least one e-mail in the SES emulator. */
  readonly routed: number;
  readonly deadLetters: number;
}

/**
 * Figure 1 (and 6): `count` cases posted to `POST /cases` by `concurrency` clients, until the route queue is
 * empty (every message routed and deleted) and so every case assigned and its e-mails sent.
 */
export async function runPipeline(
  system: LocalSystem,
  clients: Clients,
  options: {
    count: number;
    concurrency: number;
    first: number;
    progress?: Progress;
    body?: (n: number) => unknown;
  },
): Promise<PipelineRun> {
  const queue = system.queues.route;
  options.progress?.tick(0);
  const started = performance.now();
  const latenciesMs = await postCases(system.urls.intake, options);
  await waitUntilDrained(clients.sqs, queue.url, options.count, options.progress);
  const wallMs = performance.now() - started;
  const mails = await readMailbox(system);
  const references = new Set(mails.flatMap((m) => m.subject.match(/AP-[2-9A-Z]{4}-[2-9A-Z]{4}/g) ?? []));
  return {
    cases: options.count,
    wallMs,
    latenciesMs,
    emails: mails.length,
    mails,
    routed: references.size,
    deadLetters: await queueDepth(clients.sqs, queue.deadLetterUrl),
  };
}
