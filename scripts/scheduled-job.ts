import { pathToFileURL } from 'node:url';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  declaration,
  environmentFor,
  type FunctionName,
  localResourceNames,
  PUBLIC_BASE_URL_ENV,
  type SecretName,
  secretEnv,
} from '../functions/declaration.js';
import { localSecret, ROOT } from '../infra/local/runtime.js';
import { quietProgram, readCommandLine, UsageError } from './cli.js';

/**
 * Runs a scheduled function once against the local system of `npm start`, as if its schedule fired at a
 * moment (`--at`, default now): `npm run remind` (the SLA job) and `npm run digest` (the digest job). The
 * function is composed as the runtime composes it, with the resources and secrets it declares, and prints
 * its run's summary as JSON. Running it twice at the same moment sends nothing twice.
 */
export async function runScheduledJob(command: string, fn: FunctionName, what: string): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const usage = `Usage: npm run ${command} -- [--at <moment>]

  --at <moment>   ISO 8601 with offset, e.g. 2027-01-15T09:00:00+01:00 (default: now)
  -h, --help      this text

Runs ${what} once against the local system of \`npm start\` (ports from DYNAMODB_PORT, SQS_PORT and
MAIL_PORT, defaults 8000, 9324, 8005; its data folder from DATA_DIR, default .data), as if its schedule
fired at that moment. Prints what it did as JSON.`;

  let values: { at?: unknown } = {};
  const program = quietProgram(command)
    .option('--at <moment>')
    .action(function (this: Command) {
      values = this.opts();
    });
  try {
    if (readCommandLine(program, process.argv.slice(2)) === 'help') {
      console.log(usage);
      process.exit(0);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${command}: ${error.message} (see --help)`);
    process.exit(2);
  }
  const at = z.iso.datetime({ offset: true }).safeParse(values.at ?? new Date().toISOString());
  if (!at.success) {
    console.error(
      `${command}: --at: expected a moment like 2027-01-15T09:00:00+01:00, got ${JSON.stringify(values.at)}`,
    );
    process.exit(2);
  }

  const host = process.env.HOST ?? '127.0.0.1';
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const endpoints = {
    dynamodb: `http://${host}:${port('DYNAMODB_PORT', 8000)}`,
    sqs: `http://${host}:${port('SQS_PORT', 9324)}`,
    ses: `http://${host}:${port('MAIL_PORT', 8005)}`,
  };
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
  });

  const names = localResourceNames();
  const declared = declaration.functions[fn];
  if (declared === undefined) throw new Error(`no function ${fn} is declared`);
  try {
    // The route queue's URL, where the function sends to it (the SLA job); the others are not in its environment.
    let routeQueue = names.queue('route');
    if ('route' in declared.queues) {
      const sqs = new SQSClient({});
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: routeQueue }));
      sqs.destroy();
      if (QueueUrl === undefined) throw new Error('no route queue');
      routeQueue = QueueUrl;
    }
    Object.assign(
      process.env,
      environmentFor(declared, {
        tables: { cases: names.table('cases') },
        queues: { route: routeQueue, mailEvents: names.queue('mailEvents') },
      }),
    );
    // The links in its e-mails: signed with the local system's key, pointing at its gateway.
    for (const secret of Object.keys(declared.secrets) as SecretName[]) {
      const secretDeclared = declaration.secrets[secret];
      if (secretDeclared === undefined) throw new Error(`no secret ${secret} is declared`);
      process.env[secretEnv(secret)] = await localSecret(
        process.env.DATA_DIR ?? '.data',
        secret,
        secretDeclared,
      );
    }
    if (declared.linksToApi) process.env[PUBLIC_BASE_URL_ENV] ??= `http://${host}:${port('PORT', 3000)}`;
  } catch (error) {
    console.error(
      `${command}: cannot reach the local system at ${endpoints.sqs} — is \`npm start\` running? (${error instanceof Error ? error.message : String(error)})`,
    );
    process.exit(1);
  }

  const { handler } = (await import(pathToFileURL(`${ROOT}/${declared.entry}`).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  try {
    console.log(JSON.stringify(await handler({ scheduledTime: at.data }, {})));
  } catch (error) {
    const run = error instanceof Error && 'run' in error ? error.run : undefined;
    if (run !== undefined) console.log(JSON.stringify(run));
    console.error(`${command}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
