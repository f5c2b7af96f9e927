import { pathToFileURL } from 'node:url';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  declaration,
  environmentFor,
  localResourceNames,
  PUBLIC_BASE_URL_ENV,
  type SecretName,
  secretEnv,
} from '../functions/declaration.js';
import { localSecret, ROOT } from '../infra/local/runtime.js';
import { quietProgram, readCommandLine, UsageError } from './cli.js';

/**
 * `npm run remind -- --at <moment>`: runs the SLA job once against the local system of `npm start`, as if
 * the schedule fired at that moment. Running it twice at the same moment sends nothing twice.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const USAGE = `Usage: npm run remind -- [--at <moment>]

  --at <moment>   ISO 8601 with offset, e.g. 2027-01-15T09:00:00+01:00 (default: now)
  -h, --help      this text

Runs the SLA job once against the local system of \`npm start\` (ports from DYNAMODB_PORT, SQS_PORT and
MAIL_PORT, defaults 8000, 9324, 8005). Prints what it did as JSON.`;

let values: { at?: unknown } = {};
const program = quietProgram('remind')
  .option('--at <moment>')
  .action(function (this: Command) {
    values = this.opts();
  });
try {
  if (readCommandLine(program, process.argv.slice(2)) === 'help') {
    console.log(USAGE);
    process.exit(0);
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`remind: ${error.message} (see --help)`);
  process.exit(2);
}
const at = z.iso.datetime({ offset: true }).safeParse(values.at ?? new Date().toISOString());
if (!at.success) {
  console.error(
    `remind: --at: expected a moment like 2027-01-15T09:00:00+01:00, got ${JSON.stringify(values.at)}`,
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
try {
  const sqs = new SQSClient({});
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: names.queue('route') }));
  sqs.destroy();
  const sla = declaration.functions.sla;
  if (sla === undefined || QueueUrl === undefined) throw new Error('no SLA function or route queue');
  Object.assign(
    process.env,
    // The SLA job sends to the route queue only: the other queues' names are not in its environment.
    environmentFor(sla, {
      tables: { cases: names.table('cases') },
      queues: { route: QueueUrl, mailEvents: names.queue('mailEvents') },
    }),
  );
  // The links in reminders: signed with the local system's key, pointing at its gateway.
  for (const [secret, declared] of Object.entries(declaration.secrets))
    process.env[secretEnv(secret as SecretName)] = await localSecret(
      process.env.DATA_DIR ?? '.data',
      secret,
      declared,
    );
  process.env[PUBLIC_BASE_URL_ENV] ??= `http://${host}:${port('PORT', 3000)}`;
} catch (error) {
  console.error(
    `remind: cannot reach the local system at ${endpoints.sqs} — is \`npm start\` running? (${error instanceof Error ? error.message : String(error)})`,
  );
  process.exit(1);
}

const { handler } = (await import(pathToFileURL(`${ROOT}/functions/sla/index.ts`).href)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const result = await handler({ scheduledTime: at.data }, {});
console.log(JSON.stringify(result));
