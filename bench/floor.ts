import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type AttributeValue,
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateScan,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResultV2, SQSBatchItemFailure, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { municipality } from '../config/index.js';
import { caseRequestSchema } from '../events/case-request.js';
import { declaration } from '../functions/declaration.js';
import { DUPLICATE_WINDOW_MS } from '../functions/domain/submission.js';
import { catalogOf } from '../functions/intake/form.js';
import { type GatewayRoute, type HttpHandler, startGateway } from '../infra/local/gateway.js';
import type { CallSnapshot } from '../infra/local/instrumentation/call-counter.js';
import {
  clientInstrumentationFromEnv,
  instrumentationFromEnv,
} from '../infra/local/instrumentation/index.js';
import { itemBytes, valueBytes } from '../infra/local/instrumentation/item-size.js';
import { lambdaContext } from '../infra/local/lambda-context.js';
import { type SqsHandler, startPoller } from '../infra/local/poller.js';
import { ensureQueue, ensureTable } from '../infra/local/provision.js';
import { type LocalSystem, pollerConcurrency } from '../infra/local/runtime.js';
import { type Clients, postCases, queueDepth, type StoredMail, waitUntilDrained } from './pipeline.js';
import type { Progress } from './progress.js';

/**
 * The floor of figure 1: the least any correct implementation of the mission must do for a case, run through
 * the same pieces as the pipeline (the local HTTP gateway, the SQS poller with the same batch size and
 * concurrency, SDK clients with the same timeouts and the same instrumentation, so the same round trips with
 * `--latency aws`), with items of the size the pipeline's own cases measured and their index attributes, in a
 * table with the same keys and indexes:
 * - intake (`POST /cases`): the request validated by the intake's schema, one conditional PutItem, one
 *   SendMessage, a 202;
 * - router (per record, the records of a batch in parallel): one consistent GetItem, one conditional
 *   UpdateItem (assign, claim the e-mails), the case's e-mails in parallel (as many, and as large, as the
 *   pipeline sent for a case), one UpdateItem (the e-mails sent).
 * Nothing is rendered or decided: the e-mails are the pipeline's own, sent again.
 */

/** What the floor copies of the pipeline: its case items' sizes and index attributes, and its e-mails. */
export interface CaseShape {
  /** The case item as the intake put it: mean size (DynamoDB's count) and its attribute names. */
  readonly submitted: { readonly bytes: number; readonly attributes: readonly string[] };
  /** The case item after routing (its e-mails recorded): mean size, and one such item. */
  readonly routed: { readonly bytes: number; readonly sample: Readonly<Record<string, AttributeValue>> };
  /** The e-mails of each case, as the SES emulator stored them. */
  readonly emails: readonly (readonly StoredMail[])[];
  /** The router's open-case count queries per case (its Query calls beyond the earlier-contact one). */
  readonly countsPerCase: number;
}

/**
 * Which floor: `issue` is the least a case needs as issue 13 states it; `mission` adds the reads and writes the
 * mission itself asks of any correct implementation, each as the pipeline makes it: the intake's two counts
 * against its abuse limits and its conditional claim of a duplicate fingerprint, the router's query of the enterprise's earlier contact (continuity),
 * its bounded open-case counts (capacity), as many per case as the pipeline made, and its one read of the
 * suppression list for the case's recipients (no e-mail to an address that bounced or complained).
 */
export type FloorKind = 'issue' | 'mission';

const CASES = declaration.tables.cases;
const ROUTER = declaration.functions.router;

/**
 * The attributes an index keys on or copies (`include`), and the retention's: what a floor item must carry as
 * the real one does, so that its writes maintain the same index entries.
 */
export const INDEXED_ATTRIBUTES: readonly string[] = (() => {
  if (CASES === undefined) throw new Error('no cases table declared');
  return [
    ...new Set([
      ...Object.values(CASES.indexes).flatMap((index) => [
        index.partitionKey,
        index.sortKey,
        ...(index.attributes ?? []),
      ]),
      CASES.timeToLiveAttribute,
    ]),
  ];
})();

/** A string attribute of `bytes` bytes (with its name) that brings an item from `have` to `want` bytes. */
export function padding(name: string, have: number, want: number): AttributeValue {
  return { S: 'x'.repeat(Math.max(0, want - have - Buffer.byteLength(name))) };
}

/** The mean of the sizes, and the last item read, of the routed case items (`CASE#...`) in a table. */
export async function measureRoutedCases(dynamo: DynamoDBClient, table: string) {
  let bytes = 0;
  let count = 0;
  let sample: Record<string, AttributeValue> | undefined;
  const pages = paginateScan(
    { client: dynamo },
    {
      TableName: table,
      FilterExpression: 'begins_with(pk, :case) AND #status <> :submitted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':case': { S: 'CASE#' }, ':submitted': { S: 'submitted' } },
    },
  );
  for await (const page of pages)
    for (const item of page.Items ?? []) {
      bytes += itemBytes(item);
      count += 1;
      sample = item;
    }
  if (sample === undefined) throw new Error('no routed case to measure');
  return { bytes: bytes / count, sample };
}

/** The intake's case items (PutItem of kind `CASE`) the counter saw: mean size and attribute names. */
export function submittedCases(snapshot: CallSnapshot) {
  const cases = snapshot.written.find((w) => w.fn === 'intake' && w.kind === 'CASE');
  if (cases === undefined || cases.count === 0) throw new Error('the intake put no case item');
  return { bytes: cases.bytes / cases.count, attributes: cases.attributes };
}

/** The router's count queries per case in a snapshot: its Query calls less one earlier-contact query a case. */
export function countsPerCase(snapshot: CallSnapshot, cases: number): number {
  const queries = snapshot.calls
    .filter((call) => call.fn === 'router' && call.service === 'dynamodb' && call.operation === 'Query')
    .reduce((sum, call) => sum + call.calls, 0);
  return cases > 0 ? Math.max(0, queries / cases - 1) : 0;
}

/** The stored e-mails grouped by the case reference in their subject (mails without one are left out). */
export function emailsByCase(mails: readonly StoredMail[]): StoredMail[][] {
  const byCase = new Map<string, StoredMail[]>();
  for (const mail of mails) {
    const reference = /AP-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(mail.subject)?.[0];
    if (reference === undefined) continue;
    byCase.set(reference, [...(byCase.get(reference) ?? []), mail]);
  }
  return [...byCase.values()];
}

/** The floor's case items: the submitted one and the two updates of routing, sized as the pipeline's. */
export function floorItems(
  shape: CaseShape,
  c: { reference: string; request: string; at: string; emails: number; kvkNumber?: string },
) {
  const { reference, request, at } = c;
  // The mission's floor gives each case its own enterprise, as the pipeline's cases have.
  const attributeOf = (name: string): AttributeValue =>
    name === 'kvkNumber' && c.kvkNumber !== undefined
      ? { S: c.kvkNumber }
      : (shape.routed.sample[name] ?? { S: at });
  const indexed = (names: readonly string[]) =>
    Object.fromEntries(
      names
        .filter((name) => INDEXED_ATTRIBUTES.includes(name))
        .map((name): [string, AttributeValue] => [name, attributeOf(name)]),
    );
  const key = { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } };
  const base: Record<string, AttributeValue> = {
    ...key,
    ...indexed(shape.submitted.attributes),
    status: { S: 'submitted' },
    request: { S: request },
  };
  const submitted = { ...base, body: padding('body', itemBytes(base), shape.submitted.bytes) };

  // Routing sets the routed item's index attributes and removes those it no longer has.
  const routedIndexed = indexed(Object.keys(shape.routed.sample));
  const removed = Object.keys(submitted).filter(
    (name) => INDEXED_ATTRIBUTES.includes(name) && !(name in routedIndexed),
  );
  const sent: AttributeValue = {
    M: Object.fromEntries(
      Array.from({ length: c.emails }, (_, e) => [
        `e${e}`,
        { M: { at: { S: at }, messageId: { S: randomUUID() } } },
      ]),
    ),
  };
  const afterAssign: Record<string, AttributeValue> = {
    ...submitted,
    ...routedIndexed,
    status: { S: 'assigned' },
  };
  for (const name of removed) delete afterAssign[name];
  const routing = padding(
    'routing',
    itemBytes(afterAssign) + 'sent'.length + valueBytes(sent),
    shape.routed.bytes,
  );
  return { key, submitted, routedIndexed, removed, routing };
}

/** The floor's own table (the declared keys and indexes) and queue (the route queue's settings). */
async function floorResources(clients: { dynamo: DynamoDBClient; sqs: SQSClient }) {
  const route = declaration.queues.route;
  if (CASES === undefined || route === undefined) throw new Error('no cases table or route queue declared');
  const table = `aanspreekpunt-bench-floor-${Date.now()}`;
  await ensureTable(clients.dynamo, table, CASES);
  const queue = await ensureQueue(
    clients.sqs,
    { queue: `${table}-route`, deadLetter: `${table}-route-dlq` },
    route,
  );
  return { table, queue };
}

/** SDK clients as a function builds them (timeouts, retries), with the instrumentation the run asks for. */
function floorClients(system: LocalSystem) {
  const common = {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
    maxAttempts: 3,
  };
  const instrument = clientInstrumentationFromEnv();
  return {
    dynamo: instrument.dynamodb(new DynamoDBClient({ ...common, endpoint: system.urls.dynamodb })),
    sqs: instrument.sqs(new SQSClient({ ...common, endpoint: system.urls.sqs })),
    ses: instrument.ses(new SESv2Client({ ...common, endpoint: system.urls.ses })),
    /** The poller's own client, as the runtime's pollers have one (no round trip: the mapping's side). */
    poller: new SQSClient({ ...common, endpoint: system.urls.sqs }),
  };
}

const floorMessageSchema = z.strictObject({ reference: z.string(), n: z.number().int().min(0) });

function floorIntake(
  shape: CaseShape,
  clients: ReturnType<typeof floorClients>,
  resources: { table: string; queueUrl: string },
  kind: FloorKind,
): HttpHandler {
  const schema = caseRequestSchema(catalogOf(municipality));
  let n = 0;
  return async (event): Promise<APIGatewayProxyResultV2> => {
    const parsed = schema.safeParse(JSON.parse(event.body ?? '{}'));
    if (!parsed.success) return { statusCode: 400, body: '{"message":"invalid request"}' };
    const reference = `FL-${randomUUID()}`;
    const now = new Date();
    const { submitted } = floorItems(shape, {
      reference,
      request: JSON.stringify(parsed.data),
      at: now.toISOString(),
      emails: 0,
      kvkNumber: kind === 'mission' ? reference : undefined,
    });
    // The mission's intake counts each request against its abuse limits (issue 15), as the pipeline does: two
    // conditional updates (source per hour, address per day) side by side, before anything is stored.
    if (kind === 'mission')
      await Promise.all(
        [`LIMIT#source#${reference}`, `LIMIT#email#${reference}`].map((pk) =>
          clients.dynamo.send(
            new UpdateItemCommand({
              TableName: resources.table,
              Key: { pk: { S: pk }, sk: { S: now.toISOString() } },
              UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
              ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
              ExpressionAttributeNames: { '#count': 'requests' },
              ExpressionAttributeValues: {
                ':one': { N: '1' },
                ':max': { N: '1000000' },
                ':expiresAt': { N: String(Math.ceil(now.getTime() / 1000) + 2 * 86_400) },
              },
            }),
          ),
        ),
      );
    if (kind === 'mission')
      await clients.dynamo.send(
        new PutItemCommand({
          TableName: resources.table,
          Item: {
            pk: { S: `FINGERPRINT#${reference}` },
            sk: { S: 'FINGERPRINT' },
            reference: { S: reference },
            claimedAt: { S: now.toISOString() },
            expiresAt: { N: String(Math.ceil((now.getTime() + DUPLICATE_WINDOW_MS) / 1000)) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR claimedAt < :windowStart',
          ExpressionAttributeValues: {
            ':windowStart': { S: new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString() },
          },
        }),
      );
    await clients.dynamo.send(
      new PutItemCommand({
        TableName: resources.table,
        Item: submitted,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.queueUrl,
        MessageBody: JSON.stringify({ reference, n: n++ }),
      }),
    );
    return {
      statusCode: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference }),
    };
  };
}

/** The most open cases a count reads: the largest capacity of the config's officials. */
const COUNT_LIMIT = Math.max(...municipality.officials.map((official) => official.capacity));

function floorRouter(
  shape: CaseShape,
  clients: ReturnType<typeof floorClients>,
  resources: { table: string },
  kind: FloorKind,
): SqsHandler {
  const TableName = resources.table;
  /** The count queries of the n-th case: on average `countsPerCase`, spread evenly over the cases. */
  const countsOf = (n: number) =>
    Math.floor((n + 1) * shape.countsPerCase) - Math.floor(n * shape.countsPerCase);
  const routeOne = async (record: SQSRecord) => {
    const { reference, n } = floorMessageSchema.parse(JSON.parse(record.body));
    const at = new Date().toISOString();
    const mails = shape.emails[n % Math.max(1, shape.emails.length)] ?? [];
    const { key, routedIndexed, removed, routing } = floorItems(shape, {
      reference,
      request: '',
      at,
      emails: mails.length,
      kvkNumber: kind === 'mission' ? reference : undefined,
    });
    const { Item: item } = await clients.dynamo.send(
      new GetItemCommand({ TableName, Key: key, ConsistentRead: true }),
    );
    if (item === undefined) throw new Error(`floor case ${reference} not found`);
    if (item.status?.S !== 'submitted') return;
    if (kind === 'mission') {
      // The enterprise's earlier contact, as the router asks it.
      await clients.dynamo.send(
        new QueryCommand({
          TableName,
          IndexName: 'byEnterprise',
          KeyConditionExpression: 'kvkNumber = :kvk',
          ExpressionAttributeValues: { ':kvk': { S: reference } },
          ScanIndexForward: false,
          Limit: 20,
        }),
      );
      // The open-case counts, keys only and bounded, one after the other as the rank order reads them.
      const official = routedIndexed.openAssignee ?? { S: 'floor-official' };
      for (let i = 0; i < countsOf(n); i++)
        await clients.dynamo.send(
          new QueryCommand({
            TableName,
            IndexName: 'openByOfficial',
            KeyConditionExpression: 'openAssignee = :id',
            ExpressionAttributeValues: { ':id': official },
            Select: 'COUNT',
            Limit: COUNT_LIMIT,
          }),
        );
    }
    const names = Object.keys(routedIndexed);
    await clients.dynamo.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        ConditionExpression: '#status = :submitted',
        UpdateExpression: `SET #status = :assigned, routing = :routing${names
          .map((_, i) => `, #a${i} = :a${i}`)
          .join('')}${removed.length > 0 ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: {
          '#status': 'status',
          ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
          ...Object.fromEntries(removed.map((name, i) => [`#r${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':submitted': { S: 'submitted' },
          ':assigned': { S: 'assigned' },
          ':routing': routing,
          ...Object.fromEntries(
            names.map((name, i): [string, AttributeValue] => [`:a${i}`, routedIndexed[name] ?? { S: at }]),
          ),
        },
      }),
    );
    if (kind === 'mission' && mails.length > 0)
      // The suppression list, read once for all the case's recipients before sending (issue 15), as the router
      // reads it: nothing goes to an address that bounced for good or complained.
      await clients.dynamo.send(
        new BatchGetItemCommand({
          RequestItems: {
            [TableName]: {
              Keys: [...new Set(mails.flatMap((mail) => mail.destination.to))].map((to) => ({
                pk: { S: `SUPPRESSED#${createHash('sha256').update(to.toLowerCase()).digest('base64url')}` },
                sk: { S: 'SUPPRESSED' },
              })),
              ProjectionExpression: 'pk',
            },
          },
        }),
      );
    const ids = await Promise.all(
      mails.map(async (mail) => {
        const sent = await clients.ses.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: [...mail.destination.to] },
            ReplyToAddresses: mail.replyTo.length > 0 ? [...mail.replyTo] : undefined,
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: mail.body.text ?? '', Charset: 'UTF-8' },
                  Html: { Data: mail.body.html ?? '', Charset: 'UTF-8' },
                },
              },
            },
          }),
        );
        return sent.MessageId ?? '';
      }),
    );
    await clients.dynamo.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET sent = :sent',
        ExpressionAttributeValues: {
          ':sent': {
            M: Object.fromEntries(
              ids.map((id, e) => [`e${e}`, { M: { at: { S: at }, messageId: { S: id } } }]),
            ),
          },
        },
      }),
    );
  };
  return async (event) => {
    const outcomes = await Promise.allSettled(event.Records.map(routeOne));
    const batchItemFailures: SQSBatchItemFailure[] = event.Records.flatMap((record, i) =>
      outcomes[i]?.status === 'rejected' ? [{ itemIdentifier: record.messageId }] : [],
    );
    return { batchItemFailures };
  };
}

export interface FloorRun {
  readonly wallMs: number;
  readonly deadLetters: number;
}

/**
 * `count` cases through the floor: posted to its gateway by `concurrency` clients as the pipeline's are, routed
 * by its poller, until its queue is empty.
 */
export async function runFloor(
  system: LocalSystem,
  bench: Clients,
  shape: CaseShape,
  options: {
    count: number;
    concurrency: number;
    idleMs: number;
    progress?: Progress;
    onError: (error: unknown, where: string) => void;
    /** Which floor (default `issue`). */
    kind?: FloorKind;
  },
): Promise<FloorRun> {
  const kind = options.kind ?? 'issue';
  if (ROUTER === undefined || ROUTER.trigger.kind !== 'queue') throw new Error('no queue-triggered router');
  const clients = floorClients(system);
  const { table, queue } = await floorResources(clients);
  const instrumentation = instrumentationFromEnv();
  const intake = floorIntake(shape, clients, { table, queueUrl: queue.url }, kind);
  const router = floorRouter(shape, clients, { table }, kind);
  const routes: GatewayRoute[] = [
    {
      routeKey: 'POST /cases',
      handler: (event, context) => instrumentation.invocation('floor-intake', () => intake(event, context)),
      context: () => lambdaContext('floor-intake', 10, 512, 'eu-west-1'),
    },
  ];
  const gateway = await startGateway(routes, {
    host: '127.0.0.1',
    port: 0,
    onError: (error) => options.onError(error, 'floor-intake'),
  });
  const poller = startPoller({
    sqs: clients.poller,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: 'eu-west-1',
    batchSize: ROUTER.trigger.batchSize,
    visibilityTimeoutSeconds: declaration.queues.route?.visibilityTimeoutSeconds ?? 180,
    timeoutSeconds: ROUTER.timeoutSeconds,
    handler: (event, context) => instrumentation.invocation('floor-router', () => router(event, context)),
    context: () => lambdaContext('floor-router', ROUTER.timeoutSeconds, ROUTER.memoryMb, 'eu-west-1'),
    concurrency: pollerConcurrency(ROUTER.trigger),
    idleMs: options.idleMs,
    onError: (error) => options.onError(error, 'floor-router'),
  });
  try {
    options.progress?.tick(0);
    const started = performance.now();
    await postCases(gateway.url, { count: options.count, concurrency: options.concurrency, first: 0 });
    await waitUntilDrained(bench.sqs, queue.url, options.count, options.progress);
    const wallMs = performance.now() - started;
    return { wallMs, deadLetters: await queueDepth(bench.sqs, queue.deadLetterUrl) };
  } finally {
    await poller.stop();
    await gateway.stop();
    for (const client of Object.values(clients)) client.destroy();
  }
}
