import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { municipality } from '../../config/index.js';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import {
  type Declaration,
  declaration,
  environmentFor,
  type FunctionDeclaration,
  localResourceNames,
  PUBLIC_BASE_URL_ENV,
  type QueueName,
  type SecretDeclaration,
  type SecretName,
  secretEnv,
  type TableName,
} from '../declaration.js';
import { startEmulators } from './emulators.js';
import { type GatewayRoute, type HttpHandler, startGateway } from './gateway.js';
import { lambdaContext, withTimeout } from './lambda-context.js';
import { acquireLock } from './lock.js';
import { recentErrors } from './ops/errors.js';
import { createOpsHandler, OPS_ROUTES } from './ops/handler.js';
import { opsSource } from './ops/source.js';
import { type SqsHandler, startPoller } from './poller.js';
import { ensureEmailIdentity, ensureQueue, ensureTable, type ProvisionedQueue } from './provision.js';
import { startScheduler } from './scheduler.js';

/**
 * The whole system on one machine: the emulators, the tables and queues of the declaration, and the
 * declared functions behind a local gateway, queue poller and scheduler. Handlers are the same
 * modules Lambda runs, loaded after the environment points the SDK at the emulators.
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

// Handler modules are loaded once per process and keep the SDK endpoints they were loaded with.
let loadedWith: string | undefined;

export async function startLocal(options: LocalOptions): Promise<LocalSystem> {
  const d = options.declaration ?? declaration;
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'eu-west-1';
  const report = options.onError ?? ((error, where) => console.error(`[${where}]`, error));
  // The last errors, for the ops page; bounded, so a failing loop cannot grow memory.
  const recent = recentErrors({ capacity: 50 });
  const onError = (error: unknown, where: string) => {
    recent.record(error, where);
    report(error, where);
  };
  const names = localResourceNames(d);

  const lock = await acquireLock(options.dataDir);
  const cleanup: (() => Promise<void>)[] = [() => lock.release()];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    const choice = options.emulators ?? 'embedded';
    const external = choice !== 'embedded';
    const emulators = external
      ? undefined
      : await startEmulators({ dataDir: options.dataDir, host, ports: options.ports, region });
    if (emulators !== undefined) cleanup.push(() => emulators.stop());
    const endpoints =
      emulators === undefined
        ? externalEndpoints(choice === 'embedded' ? '' : choice.endpoint)
        : emulators.endpoints;

    const signature = JSON.stringify(endpoints);
    if (loadedWith !== undefined && loadedWith !== signature)
      throw new Error(
        'one local system per process: the handlers are already loaded against other endpoints',
      );

    // The SDK in the handlers reads these: the emulators, and credentials that are never real.
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

    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamo = new DynamoDBClient({ region, endpoint: endpoints.dynamodb, credentials });
    const sqs = new SQSClient({ region, endpoint: endpoints.sqs, credentials });
    const ses = new SESv2Client({ region, endpoint: endpoints.ses, credentials });
    cleanup.push(async () => {
      dynamo.destroy();
      sqs.destroy();
      ses.destroy();
    });

    const tables = {} as Record<TableName, string>;
    for (const [table, declared] of Object.entries(d.tables)) {
      tables[table as TableName] = names.table(table);
      await ensureTable(dynamo, names.table(table), declared);
    }
    const queues = {} as Record<QueueName, ProvisionedQueue>;
    for (const [queue, declared] of Object.entries(d.queues)) {
      queues[queue as QueueName] = await ensureQueue(
        sqs,
        { queue: names.queue(queue), deadLetter: names.deadLetterQueue(queue) },
        declared,
      );
    }
    // The embedded SES sends from any address; SES (and moto) only from a verified identity.
    if (external) await ensureEmailIdentity(ses, municipality.sender);
    await dynamoOfficialDirectory(DynamoDBDocumentClient.from(dynamo), tables.cases).seed(
      municipality.officials,
    );

    const resources = {
      tables,
      queues: Object.fromEntries(Object.entries(queues).map(([q, p]) => [q, p.url])) as Record<
        QueueName,
        string
      >,
    };
    for (const fn of Object.values(d.functions)) Object.assign(process.env, environmentFor(fn, resources));
    process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'Aanspreekpunt';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    // No X-Ray daemon here (Powertools would also stay off without AWS_EXECUTION_ENV, but ECS sets that one).
    process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

    for (const [secret, declared] of Object.entries(d.secrets))
      process.env[secretEnv(secret as SecretName)] = await localSecret(options.dataDir, secret, declared);

    // The gateway listens first, so its URL is known before the handlers read PUBLIC_BASE_URL at cold
    // start; its routes look their handler up per request, once the modules are loaded.
    const handlers = new Map<string, (event: unknown, context: Context) => Promise<unknown>>();
    const contextFor = (name: string, fn: FunctionDeclaration) => () =>
      lambdaContext(`${d.service}-${name}`, fn.timeoutSeconds, fn.memoryMb, region);
    const handlerOf = (name: string) => {
      const handler = handlers.get(name);
      if (handler === undefined) throw new Error(`no function ${name}`);
      return handler;
    };
    const routes: GatewayRoute[] = [];
    for (const [name, fn] of Object.entries(d.functions)) {
      const trigger = fn.trigger;
      if (trigger.kind === 'http')
        for (const routeKey of trigger.routes)
          routes.push({
            routeKey,
            handler: (async (event, context) => {
              const result = await (handlerOf(name) as HttpHandler)(event, context);
              // A 5xx the handler answered itself: the client saw it, ops should too.
              if (typeof result === 'object' && (result.statusCode ?? 200) >= 500)
                recent.record(`${event.routeKey} answered ${result.statusCode}`, name);
              return result;
            }) as HttpHandler,
            context: contextFor(name, fn),
          });
    }
    const routeQueue = queues.route;
    const ops = createOpsHandler({
      read: opsSource({
        db: DynamoDBDocumentClient.from(dynamo),
        sqs,
        table: tables.cases,
        queueUrl: routeQueue.url,
        deadLetterUrl: routeQueue.deadLetterUrl,
        // local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too; SQS and moto do not.
        visibleIncludesInFlight: !external,
      }),
      errors: recent,
      municipality,
      clock: () => new Date(),
      deadLetterQueue: names.deadLetterQueue('route'),
    });
    for (const routeKey of OPS_ROUTES)
      routes.push({
        routeKey,
        handler: ops as HttpHandler,
        context: () => lambdaContext(`${d.service}-ops`, 10, 128, region),
      });
    const gateway = await startGateway(routes, {
      host,
      port: options.port,
      onError: (error) => onError(error, 'gateway'),
    });
    cleanup.push(() => gateway.stop());
    if (loadedWith !== undefined && process.env[PUBLIC_BASE_URL_ENV] !== gateway.url)
      throw new Error('one local system per process: the handlers already link to another gateway');
    process.env[PUBLIC_BASE_URL_ENV] = gateway.url;

    for (const [name, fn] of Object.entries(d.functions)) {
      const module = (await import(pathToFileURL(resolve(ROOT, fn.entry)).href)) as { handler?: unknown };
      if (typeof module.handler !== 'function') throw new Error(`${fn.entry} does not export a handler`);
      handlers.set(name, module.handler as (event: unknown, context: Context) => Promise<unknown>);
    }
    loadedWith = signature;

    for (const [name, fn] of Object.entries(d.functions)) {
      const trigger = fn.trigger;
      if (trigger.kind === 'queue') {
        const queue = queues[trigger.queue as QueueName];
        const declared = d.queues[trigger.queue];
        if (queue === undefined || declared === undefined) throw new Error(`unknown queue ${trigger.queue}`);
        const poller = startPoller({
          sqs,
          queueUrl: queue.url,
          queueArn: queue.arn,
          region,
          batchSize: trigger.batchSize,
          visibilityTimeoutSeconds: declared.visibilityTimeoutSeconds,
          timeoutSeconds: fn.timeoutSeconds,
          handler: handlerOf(name) as SqsHandler,
          context: contextFor(name, fn),
          concurrency: 2,
          idleMs: options.pollIdleMs ?? 200,
          onError: (error) => onError(error, name),
          onFailedRecords: (failed) =>
            recent.record(
              `${failed.length} message(s) failed (${failed
                .map((r) => `${r.messageId}, receive ${r.attributes.ApproximateReceiveCount}`)
                .join('; ')}); they come back after the visibility timeout`,
              name,
            ),
        });
        cleanup.push(() => poller.stop());
      }
      if (trigger.kind === 'schedule' && options.schedules !== false) {
        const handler = handlerOf(name);
        const scheduler = startScheduler({
          rateMinutes: trigger.rateMinutes,
          invoke: (payload) => withTimeout(handler(payload, contextFor(name, fn)()), name, fn.timeoutSeconds),
          onError: (error) => onError(error, name),
        });
        cleanup.push(() => scheduler.stop());
      }
    }

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
      tables,
      queues,
      async invoke(name, event) {
        const fn = d.functions[name];
        if (fn === undefined) throw new Error(`no function ${name}`);
        return withTimeout(handlerOf(name)(event, contextFor(name, fn)()), name, fn.timeoutSeconds);
      },
      async restart(service) {
        if (emulators === undefined) throw new Error('only the embedded emulators can be restarted');
        await emulators.restart(service);
        if (service === 'sqs')
          for (const [queue, declared] of Object.entries(d.queues))
            await ensureQueue(
              sqs,
              { queue: names.queue(queue), deadLetter: names.deadLetterQueue(queue) },
              declared,
            );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
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
