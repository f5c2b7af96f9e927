import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { municipality } from '../../config/index.js';
import type { Municipality } from '../../config/schema.js';
import type { Clients } from '../../functions/adapters/clients.js';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import { createClients } from '../../functions/adapters/sdk/index.js';
import { compositions } from '../../functions/compositions.js';
import {
  type Declaration,
  declaration,
  environmentFor,
  type FunctionDeclaration,
  type FunctionName,
  localResourceNames,
  PUBLIC_BASE_URL_ENV,
  type QueueName,
  type SecretDeclaration,
  type SecretName,
  secretEnv,
  type TableName,
} from '../../functions/declaration.js';
import type { Composition } from '../../functions/shared/composition.js';
import { startEmulators } from './emulators.js';
import { type GatewayRoute, type HttpHandler, startGateway } from './gateway.js';
import { type Instrumentation, instrumentationFromEnv } from './instrumentation/index.js';
import { lambdaContext, withTimeout } from './lambda-context.js';
import { acquireLock } from './lock.js';
import { simulatingMailer } from './mail-simulator.js';
import { recentErrors } from './ops/errors.js';
import { createOpsHandler, OPS_ROUTES } from './ops/handler.js';
import { opsSource } from './ops/source.js';
import { type SqsHandler, startPoller } from './poller.js';
import { ensureEmailIdentity, ensureQueue, ensureTable, type ProvisionedQueue } from './provision.js';
import { startScheduler } from './scheduler.js';

/**
 * The whole system on one machine: the emulators, the tables and queues of the declaration, and the
 * declared functions behind a local gateway, queue poller and scheduler. Each function is built by the same
 * composition its Lambda entry calls (`functions/compositions.ts`), after the environment points the SDK at
 * the emulators.
 */
export interface LocalOptions {
  readonly dataDir: string;
  readonly host?: string;
  /** The intake gateway's port; 0 picks a free one. */
  readonly port: number;
  readonly ports: { readonly dynamodb: number; readonly sqs: number; readonly ses: number };
  /**
   * Which AWS services the system talks to: the emulators embedded in this process (default), or one
   * external AWS-compatible endpoint serving DynamoDB, SQS and SES together (e.g. moto server, for the
   * conformance run). With an external endpoint `ports` and the emulator restarts do not apply, and the
   * sender's SES identity is verified at provisioning (SES sends only from a verified identity).
   */
  readonly emulators?: EmulatorChoice;
  readonly region?: string;
  /** Pause of the queue poller after an empty receive (ms). */
  readonly pollIdleMs?: number;
  /** Run the scheduled functions on their rate (default true). */
  readonly schedules?: boolean;
  /**
   * Where the runtime reports errors that no caller sees (handler crashes, poll errors). They also go to
   * the ops page's recent errors, with the queue records a handler reported failed and HTTP 5xx answers.
   */
  readonly onError?: (error: unknown, where: string) => void;
  readonly declaration?: Declaration;
  /**
   * What the functions are composed with for the benchmark or the chaos run (call counting, faults).
   * Default: what the environment asks for (`instrumentationFromEnv`), nothing when it asks nothing.
   */
  readonly instrumentation?: Instrumentation;
  /**
   * The municipality the functions serve, when a run needs other settings than the configured one's (the
   * benchmark's and the chaos run's own intake limits). Default: the configured municipality.
   */
  readonly municipality?: Municipality;
}

export type EmulatorChoice = 'embedded' | { readonly endpoint: string };

export interface LocalSystem {
  /** `embedded`, or `external` when the system runs against the endpoint given in the options. */
  readonly emulators: 'embedded' | 'external';
  readonly urls: {
    readonly intake: string;
    /** The local ops page: cases, promises, queues and recent errors (local only). */
    readonly ops: string;
    readonly mailbox: string;
    readonly dynamodb: string;
    readonly sqs: string;
    readonly ses: string;
  };
  readonly tables: Readonly<Record<TableName, string>>;
  readonly queues: Readonly<Record<QueueName, ProvisionedQueue>>;
  /** Invokes a declared function directly, as `aws lambda invoke` would. */
  invoke(fn: string, event: unknown): Promise<unknown>;
  /**
   * Stops one emulator and starts it again on the same port, as a crashed and restarted service would (for
   * fault tests). DynamoDB keeps its data; SQS comes back empty, with the declared queues made again.
   */
  restart(service: 'dynamodb' | 'sqs'): Promise<void>;
  stop(): Promise<void>;
}

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Parallel polling loops of a queue poller: the event source mapping's declared maximum concurrency, as
 * Lambda would run at most that many batches at once. The bench's floor polls its queue with as many.
 */
export const pollerConcurrency = (trigger: { readonly maxConcurrency: number }): number =>
  trigger.maxConcurrency;

/** A declared function's handler as the runtime calls it (the event's type is the trigger's). */
type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;
type Endpoints = Readonly<Record<'dynamodb' | 'sqs' | 'ses', string>>;
/** The runtime's own SDK clients: provisioning, the official directory's seed, the queue pollers, ops. */
type AdminClients = Readonly<{ dynamo: DynamoDBClient; sqs: SQSClient; ses: SESv2Client }>;
interface Provisioned {
  readonly tables: Readonly<Record<TableName, string>>;
  readonly queues: Readonly<Record<QueueName, ProvisionedQueue>>;
}

/** What the steps of a start share: the settings, the error reporting and the cleanup list. */
interface Start {
  readonly options: LocalOptions;
  readonly declared: Declaration;
  readonly host: string;
  readonly region: string;
  readonly names: ReturnType<typeof localResourceNames>;
  /** The last errors, for the ops page; bounded, so a failing loop cannot grow memory. */
  readonly recent: ReturnType<typeof recentErrors>;
  readonly onError: (error: unknown, where: string) => void;
  /** What `stop` undoes, in reverse order. */
  readonly cleanup: (() => Promise<void>)[];
}

/**
 * Starts the system: the services (embedded emulators or an external endpoint), the declared tables, queues
 * and secrets, the gateway (intake, actions, ops), the functions composed with their environment, and the
 * queue pollers and schedules that trigger them.
 */
export async function startLocal(options: LocalOptions): Promise<LocalSystem> {
  const declared = options.declaration ?? declaration;
  const report = options.onError ?? ((error, where) => console.error(`[${where}]`, error));
  const recent = recentErrors({ capacity: 50 });
  const lock = await acquireLock(options.dataDir);
  const start: Start = {
    options,
    declared,
    host: options.host ?? '127.0.0.1',
    region: options.region ?? 'eu-west-1',
    names: localResourceNames(declared),
    recent,
    onError: (error, where) => {
      recent.record(error, where);
      report(error, where);
    },
    cleanup: [() => lock.release()],
  };
  const stop = async () => {
    for (const step of start.cleanup.splice(0).reverse()) await step();
  };
  try {
    const { emulators, endpoints } = await startServices(start);
    pointTheSdkAt(endpoints, start.region);
    const admin = adminClients(start, endpoints);
    const external = emulators === undefined;
    const provisioned = await provision(start, admin, external);
    await setSharedEnvironment(start);
    const instrumentation = options.instrumentation ?? instrumentationFromEnv();
    const clients = functionClients(start, instrumentation);

    // The gateway listens first, so its URL is known before the functions read PUBLIC_BASE_URL at cold
    // start; its routes look their handler up per request, once the functions are composed.
    const handlers = new Map<string, LocalHandler>();
    const handlerOf = (name: string) => {
      const handler = handlers.get(name);
      if (handler === undefined) throw new Error(`no function ${name}`);
      return handler;
    };
    const routes = [...functionRoutes(start, handlerOf), ...opsRoutes(start, admin, provisioned, external)];
    const gateway = await startGateway(routes, {
      host: start.host,
      port: options.port,
      onError: (error) => start.onError(error, 'gateway'),
    });
    start.cleanup.push(() => gateway.stop());
    process.env[PUBLIC_BASE_URL_ENV] = gateway.url;

    for (const [name, handler] of await composeFunctions(start, provisioned, clients, instrumentation, admin))
      handlers.set(name, handler);
    startTriggers(start, admin.sqs, provisioned, handlerOf);

    await lock.describe({ intake: gateway.url });
    return {
      emulators: external ? 'external' : 'embedded',
      urls: {
        intake: gateway.url,
        ops: `${gateway.url}/ops`,
        mailbox: endpoints.ses,
        dynamodb: endpoints.dynamodb,
        sqs: endpoints.sqs,
        ses: endpoints.ses,
      },
      tables: provisioned.tables,
      queues: provisioned.queues,
      async invoke(name, event) {
        const fn = declared.functions[name];
        if (fn === undefined) throw new Error(`no function ${name}`);
        return withTimeout(handlerOf(name)(event, contextFor(start, name, fn)()), name, fn.timeoutSeconds);
      },
      async restart(service) {
        if (emulators === undefined) throw new Error('only the embedded emulators can be restarted');
        await emulators.restart(service);
        if (service === 'sqs') await ensureQueues(start, admin.sqs);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The embedded emulators (stopped on stop), or the external endpoint the options name. */
async function startServices(start: Start) {
  const choice = start.options.emulators ?? 'embedded';
  if (choice !== 'embedded') return { emulators: undefined, endpoints: externalEndpoints(choice.endpoint) };
  const emulators = await startEmulators({
    dataDir: start.options.dataDir,
    host: start.host,
    ports: start.options.ports,
    region: start.region,
  });
  start.cleanup.push(() => emulators.stop());
  return { emulators, endpoints: emulators.endpoints };
}

/** The SDK in the functions reads these: the emulators, and credentials that are never real. */
function pointTheSdkAt(endpoints: Endpoints, region: string) {
  Object.assign(process.env, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

function adminClients(start: Start, endpoints: Endpoints): AdminClients {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const region = start.region;
  const clients = {
    dynamo: new DynamoDBClient({ region, endpoint: endpoints.dynamodb, credentials }),
    sqs: new SQSClient({ region, endpoint: endpoints.sqs, credentials }),
    ses: new SESv2Client({ region, endpoint: endpoints.ses, credentials }),
  };
  start.cleanup.push(async () => destroyAll(clients));
  return clients;
}

const destroyAll = (clients: Readonly<Record<string, { destroy(): void }>>) => {
  for (const client of Object.values(clients)) client.destroy();
};

/** The declared tables and queues (made if missing), the sender's identity, the officials seeded. */
async function provision(start: Start, admin: AdminClients, external: boolean): Promise<Provisioned> {
  const tables = {} as Record<TableName, string>;
  for (const [table, declared] of Object.entries(start.declared.tables)) {
    tables[table as TableName] = start.names.table(table);
    await ensureTable(admin.dynamo, start.names.table(table), declared);
  }
  const queues = await ensureQueues(start, admin.sqs);
  // The embedded SES sends from any address; SES (and moto) only from a verified identity.
  if (external) await ensureEmailIdentity(admin.ses, municipality.sender);
  await dynamoOfficialDirectory(DynamoDBDocumentClient.from(admin.dynamo), tables.cases).seed(
    (start.options.municipality ?? municipality).officials,
  );
  return { tables, queues };
}

async function ensureQueues(start: Start, sqs: SQSClient) {
  const queues = {} as Record<QueueName, ProvisionedQueue>;
  for (const [queue, declared] of Object.entries(start.declared.queues))
    queues[queue as QueueName] = await ensureQueue(
      sqs,
      { queue: start.names.queue(queue), deadLetter: start.names.deadLetterQueue(queue) },
      declared,
    );
  return queues;
}

/** What every function reads besides its own resources: the Powertools settings and the secrets' values. */
async function setSharedEnvironment(start: Start) {
  process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'Aanspreekpunt';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // No X-Ray daemon here (Powertools would also stay off without AWS_EXECUTION_ENV, but ECS sets that one).
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  for (const [secret, declared] of Object.entries(start.declared.secrets))
    process.env[secretEnv(secret as SecretName)] = await localSecret(start.options.dataDir, secret, declared);
}

/**
 * One set of SDK clients per function (as each Lambda function has its own): the clients its composition
 * uses and no other, instrumented as asked.
 */
function functionClients(start: Start, instrumentation: Instrumentation) {
  const clients = new Map<string, Partial<Clients>>();
  for (const name of Object.keys(start.declared.functions)) {
    const uses = compositions[name as FunctionName]?.clients ?? [];
    clients.set(name, instrumentation.clients(name, createClients(uses)));
  }
  start.cleanup.push(async () => {
    for (const set of clients.values()) for (const client of Object.values(set)) client?.destroy();
  });
  return clients;
}

/**
 * Each declared function composed as its Lambda entry composes it, but with the environment `environmentFor`
 * gives it here, the clients above and the mailer and invocations the instrumentation wraps.
 */
async function composeFunctions(
  start: Start,
  provisioned: Provisioned,
  clients: ReadonlyMap<string, Partial<Clients>>,
  instrumentation: Instrumentation,
  admin: AdminClients,
): Promise<Map<string, LocalHandler>> {
  // What SES would publish of the e-mails to the mailbox simulator's addresses (infra/local/mail-simulator.ts).
  const events = { sqs: admin.sqs, url: provisioned.queues.mailEvents.url };
  const resources = {
    tables: provisioned.tables,
    queues: Object.fromEntries(
      Object.entries(provisioned.queues).map(([queue, { url }]) => [queue, url]),
    ) as Record<QueueName, string>,
  };
  const handlers = new Map<string, LocalHandler>();
  for (const [name, fn] of Object.entries(start.declared.functions)) {
    const composition: Composition | undefined = compositions[name as FunctionName];
    const own = clients.get(name);
    if (composition === undefined || own === undefined)
      throw new Error(`no composition for the function ${name}`);
    const env = { ...process.env, ...environmentFor(fn, resources) };
    const handler = (await composition.compose(env, own, {
      mailer: (mailer) =>
        simulatingMailer(instrumentation.mailer(name, mailer), events, (error) =>
          start.onError(error, `${name} mail events`),
        ),
      ...(start.options.municipality === undefined ? {} : { municipality: start.options.municipality }),
    })) as LocalHandler;
    handlers.set(name, (event, context) => instrumentation.invocation(name, () => handler(event, context)));
  }
  return handlers;
}

const contextFor = (start: Start, name: string, fn: FunctionDeclaration) => () =>
  lambdaContext(`${start.declared.service}-${name}`, fn.timeoutSeconds, fn.memoryMb, start.region);

/** The declared HTTP routes; a 5xx a handler answers itself also goes to the ops page's errors. */
function functionRoutes(start: Start, handlerOf: (name: string) => LocalHandler): GatewayRoute[] {
  const routes: GatewayRoute[] = [];
  for (const [name, fn] of Object.entries(start.declared.functions)) {
    if (fn.trigger.kind !== 'http') continue;
    for (const routeKey of fn.trigger.routes)
      routes.push({
        routeKey,
        handler: (async (event, context) => {
          const result = await (handlerOf(name) as HttpHandler)(event, context);
          // A 5xx the handler answered itself: the client saw it, ops should too.
          if (typeof result === 'object' && (result.statusCode ?? 200) >= 500)
            start.recent.record(`${event.routeKey} answered ${result.statusCode}`, name);
          return result;
        }) as HttpHandler,
        context: contextFor(start, name, fn),
      });
  }
  return routes;
}

/** The local ops page: cases, promises, queues and recent errors. */
function opsRoutes(
  start: Start,
  admin: AdminClients,
  provisioned: Provisioned,
  external: boolean,
): GatewayRoute[] {
  const routeQueue = provisioned.queues.route;
  const ops = createOpsHandler({
    read: opsSource({
      db: DynamoDBDocumentClient.from(admin.dynamo),
      sqs: admin.sqs,
      table: provisioned.tables.cases,
      queueUrl: routeQueue.url,
      deadLetterUrl: routeQueue.deadLetterUrl,
      // local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too; SQS and moto do not.
      visibleIncludesInFlight: !external,
    }),
    errors: start.recent,
    municipality,
    clock: () => new Date(),
    deadLetterQueue: start.names.deadLetterQueue('route'),
  });
  return OPS_ROUTES.map((routeKey) => ({
    routeKey,
    handler: ops as HttpHandler,
    context: () => lambdaContext(`${start.declared.service}-ops`, 10, 128, start.region),
  }));
}

/** A poller per queue-triggered function and a scheduler per scheduled one (unless schedules are off). */
function startTriggers(
  start: Start,
  sqs: SQSClient,
  provisioned: Provisioned,
  handlerOf: (name: string) => LocalHandler,
) {
  for (const [name, fn] of Object.entries(start.declared.functions)) {
    const trigger = fn.trigger;
    if (trigger.kind === 'queue') {
      const queue = provisioned.queues[trigger.queue as QueueName];
      const declared = start.declared.queues[trigger.queue];
      if (queue === undefined || declared === undefined) throw new Error(`unknown queue ${trigger.queue}`);
      const poller = startPoller({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: start.region,
        batchSize: trigger.batchSize,
        visibilityTimeoutSeconds: declared.visibilityTimeoutSeconds,
        timeoutSeconds: fn.timeoutSeconds,
        handler: handlerOf(name) as SqsHandler,
        context: contextFor(start, name, fn),
        concurrency: pollerConcurrency(trigger),
        idleMs: start.options.pollIdleMs ?? 200,
        onError: (error) => start.onError(error, name),
        onFailedRecords: (failed) =>
          start.recent.record(
            `${failed.length} message(s) failed (${failed
              .map((record) => `${record.messageId}, receive ${record.attributes.ApproximateReceiveCount}`)
              .join('; ')}); they come back after the visibility timeout`,
            name,
          ),
      });
      start.cleanup.push(() => poller.stop());
    }
    if (trigger.kind === 'schedule' && start.options.schedules !== false) {
      const handler = handlerOf(name);
      const scheduler = startScheduler({
        rateMinutes: trigger.rateMinutes,
        invoke: (payload) =>
          withTimeout(handler(payload, contextFor(start, name, fn)()), name, fn.timeoutSeconds),
        onError: (error) => start.onError(error, name),
      });
      start.cleanup.push(() => scheduler.stop());
    }
  }
}

/** One external endpoint for every service (moto server answers DynamoDB, SQS and SES on one port). */
function externalEndpoints(endpoint: string) {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`not an HTTP endpoint: ${endpoint}`);
  const base = url.origin;
  return { dynamodb: base, sqs: base, ses: base };
}

/** Where the local runner keeps a secret: `actionLinkKey` -> `<dataDir>/action-link.key`. */
export const localSecretFile = (dataDir: string, secret: string) =>
  join(dataDir, `${secret.replace(/Key$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.key`);

/**
 * A secret of the local system (base64): made once with random bytes and kept in the data folder, so links
 * signed before a restart still work after it.
 */
export async function localSecret(
  dataDir: string,
  secret: string,
  declared: SecretDeclaration,
): Promise<string> {
  const file = localSecretFile(dataDir, secret);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = randomBytes(declared.bytes).toString('base64');
  try {
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (error) {
    // Made by a racing start at the same moment: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw error;
  }
}
