import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';

/**
 * The AWS wire-protocol emulators from npm, in this process, bound to one host:
 * DynamoDB (dynalite, LevelDB on disk), SQS (local-aws-sqs, in memory), SES v2 (aws-ses-v2-local,
 * in memory, with a web mailbox at `/` and the sent mail as JSON at `/store`).
 */
export interface EmulatorOptions {
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly ports: { readonly dynamodb: number; readonly sqs: number; readonly ses: number };
  readonly region: string;
}

export interface Emulators {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  /**
   * Stops one emulator and starts it again on the same port, as a crashed and restarted service would
   * (for fault tests). DynamoDB keeps its data (on disk); SQS loses every queue and message (in memory):
   * the caller provisions the queues again.
   */
  restart(service: 'dynamodb' | 'sqs'): Promise<void>;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `${service}: port ${port} is already in use. Stop what uses it, or choose another port with ${variable}=...`,
    );
    this.name = 'PortInUseError';
  }
}

const PORT_VARIABLES = { dynamodb: 'DYNAMODB_PORT', sqs: 'SQS_PORT', ses: 'MAIL_PORT' } as const;

function listen(
  server: Server,
  port: number,
  host: string,
  service: keyof typeof PORT_VARIABLES,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(service, port, PORT_VARIABLES[service]) : error,
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * Stops taking requests and lets those in progress finish (at most `graceMs`) before the server closes.
 * dynalite closes its database once the HTTP server has closed; a request cut off mid-way would still run
 * on and hit the closed database, which dynalite throws as an uncaught exception.
 */
function closeGracefully(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    // Keep-alive connections busy with requests would stay open until the grace ends: answer each request
    // from now on with `Connection: close`, so every connection ends after the request it is serving.
    server.prependListener('request', (_request, response) => {
      response.shouldKeepAlive = false;
    });
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((error) => {
      done = true;
      clearInterval(idle);
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    if (!done) server.closeIdleConnections();
  });
}

// aws-ses-v2-local is CommonJS with `exports.default`; Node's ESM import gives the exports object.
type StartSes = typeof sesModule.default;
const startSes: StartSes =
  typeof sesModule === 'function' ? (sesModule as unknown as StartSes) : sesModule.default;

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const { host, ports } = options;
  const started: Server[] = [];
  const startDynamo = async (port: number) => {
    const server = dynalite({
      path: join(options.dataDir, 'dynamodb'),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    started.push(server);
    return { server, port: await listen(server, port, host, 'dynamodb') };
  };
  const startSqs = async (port: number) => {
    if (port !== 0) await ensureFree(port, host, 'sqs');
    const server = await createSqsServer({
      port,
      hostname: host,
      region: options.region,
      emulateQueueCreationLifecycle: false,
    });
    started.push(server);
    return { server, port: (server.address() as AddressInfo).port };
  };
  try {
    const running = { dynamodb: await startDynamo(ports.dynamodb), sqs: await startSqs(ports.sqs) };
    const dynamoPort = running.dynamodb.port;
    const sqsPort = running.sqs.port;

    if (ports.ses !== 0) await ensureFree(ports.ses, host, 'ses');
    const ses = await startSes({ host, port: ports.ses });
    started.push(ses);
    const sesPort = (ses.address() as AddressInfo).port;

    return {
      endpoints: {
        dynamodb: `http://${host}:${dynamoPort}`,
        sqs: `http://${host}:${sqsPort}`,
        ses: `http://${host}:${sesPort}`,
      },
      async restart(service) {
        const { server, port } = running[service];
        // SQS is cut off mid-request, as a crash would; DynamoDB lets its requests finish (see closeGracefully).
        await (service === 'dynamodb' ? closeGracefully(server) : close(server));
        started.splice(started.indexOf(server), 1);
        running[service] = service === 'dynamodb' ? await startDynamo(port) : await startSqs(port);
      },
      async stop() {
        await Promise.allSettled(started.reverse().map(close));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map(close));
    throw error;
  }
}

/** The SQS and SES servers do not report a busy port as an error we can catch: check first. */
async function ensureFree(port: number, host: string, service: keyof typeof PORT_VARIABLES): Promise<void> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(service, port, PORT_VARIABLES[service]) : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
