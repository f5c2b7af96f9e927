import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { municipality } from '../config/index.js';
import sample from '../events/samples/case-request.json' with { type: 'json' };
import type { LocalSystem } from '../infra/local/runtime.js';
import type { Progress } from './progress.js';
import { spread } from './stats.js';

export interface Clients {
  readonly db: DynamoDBDocumentClient;
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
async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

interface StoredMail {
  subject: string;
}
async function readMailbox(system: LocalSystem): Promise<StoredMail[]> {
  const response = await fetch(`${system.urls.mailbox}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
}
export async function clearMailbox(system: LocalSystem) {
  await fetch(`${system.urls.mailbox}/clear-store`, { method: 'POST' });
}

export interface PipelineRun {
  readonly cases: number;
  readonly wallMs: number;
  /** Latency of each `POST /cases` as the client saw it. */
  readonly latenciesMs: readonly number[];
  readonly emails: number;
  /** Cases with at least one e-mail in the SES emulator (each subject names the reference). */
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
  options: { count: number; concurrency: number; first: number; progress?: Progress },
): Promise<PipelineRun> {
  const queue = system.queues.route;
  const latenciesMs: number[] = [];
  options.progress?.tick(0);
  const started = performance.now();
  await inParallel(options.count, options.concurrency, async (i) => {
    const t0 = performance.now();
    const response = await fetch(`${system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requestBody(options.first + i)),
    });
    await response.arrayBuffer();
    latenciesMs.push(performance.now() - t0);
    if (response.status !== 202) throw new Error(`POST /cases answered ${response.status}`);
  });
  let reported = 0;
  for (;;) {
    const waiting = await depth(clients.sqs, queue.url);
    const done = options.count - Math.min(waiting, options.count);
    options.progress?.tick(Math.max(0, done - reported));
    reported = Math.max(reported, done);
    if (waiting === 0) break;
    if (performance.now() - started > 600_000)
      throw new Error(`${waiting} messages still queued after 10 min`);
    await sleep(20);
  }
  const wallMs = performance.now() - started;
  const mails = await readMailbox(system);
  const references = new Set(mails.flatMap((m) => m.subject.match(/AP-[2-9A-Z]{4}-[2-9A-Z]{4}/g) ?? []));
  return {
    cases: options.count,
    wallMs,
    latenciesMs,
    emails: mails.length,
    routed: references.size,
    deadLetters: await depth(clients.sqs, queue.deadLetterUrl),
  };
}

/**
 * The floor of figure 1: per case only the SDK calls a case cannot do without, straight against the same
 * emulators and with the same shape of concurrency: `concurrency` clients each put the case (conditional)
 * and send its message; 2 consumers (the local poller's concurrency) receive batches of 10 and, record by
 * record, make one conditional update and send the case's e-mails, then delete the batch.
 */
export async function runFloor(
  system: LocalSystem,
  clients: Clients,
  options: { count: number; concurrency: number; emails: number; idleMs: number; progress?: Progress },
): Promise<{ wallMs: number }> {
  const table = system.tables.cases;
  const { QueueUrl: queueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: 'aanspreekpunt-bench-floor',
      Attributes: { VisibilityTimeout: '180' },
    }),
  );
  if (queueUrl === undefined) throw new Error('no floor queue');
  const emailsOf = spread(options.emails, options.count);
  const run = `${Date.now()}`;
  let processed = 0;

  const started = performance.now();
  const producers = inParallel(options.count, options.concurrency, async (i) => {
    const pk = `FLOOR#${run}#${i}`;
    await clients.db.send(
      new PutCommand({
        TableName: table,
        Item: { pk, sk: 'CASE', status: 'submitted', request: requestBody(i) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ pk, i }) }),
    );
  });
  const consumer = async () => {
    while (processed < options.count) {
      const { Messages: messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (messages.length === 0) {
        await sleep(options.idleMs);
        continue;
      }
      for (const message of messages) {
        const { pk, i } = JSON.parse(message.Body ?? '{}') as { pk: string; i: number };
        await clients.db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk, sk: 'CASE' },
            ConditionExpression: '#status = :submitted',
            UpdateExpression: 'SET #status = :assigned',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':submitted': 'submitted', ':assigned': 'assigned' },
          }),
        );
        for (let e = 0; e < (emailsOf[i] ?? 0); e++)
          await clients.ses.send(
            new SendEmailCommand({
              FromEmailAddress: municipality.sender,
              Destination: { ToAddresses: [`official${e}@voorbeeld.example`] },
              Content: {
                Simple: {
                  Subject: { Data: `Floor ${pk}` },
                  Body: { Text: { Data: 'floor' }, Html: { Data: '<p>floor</p>' } },
                },
              },
            }),
          );
      }
      await clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      processed += messages.length;
      options.progress?.tick(messages.length);
    }
  };
  await Promise.all([producers, consumer(), consumer()]);
  return { wallMs: performance.now() - started };
}
