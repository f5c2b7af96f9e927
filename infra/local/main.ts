import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../../config/error.js';
import { PortInUseError } from './emulators.js';
import { AlreadyRunningError } from './lock.js';

/**
 * `npm start`: the whole system on this machine. Prints one `name: url` line per surface, then `ready`.
 * Settings (environment): PORT (3000), MAIL_PORT (8005), DYNAMODB_PORT (8000), SQS_PORT (9324),
 * DATA_DIR (.data), HOST (127.0.0.1), MUNICIPALITY_CONFIG (a municipality config file; the demo config
 * otherwise).
 */
const port = z.coerce.number().int().min(0).max(65_535);
const settings = z
  .object({
    PORT: port.default(3000),
    MAIL_PORT: port.default(8005),
    DYNAMODB_PORT: port.default(8000),
    SQS_PORT: port.default(9324),
    DATA_DIR: z.string().min(1).default('.data'),
    HOST: z.string().min(1).default('127.0.0.1'),
  })
  .safeParse(process.env);

if (!settings.success) {
  for (const issue of settings.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const env = settings.data;
process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
// On Node 20 the SDK warns that its releases from 2027 on need Node 22: the lockfile pins one that runs on
// Node 20 (package.json `engines`), supported locally; the functions run on Node 24 on Lambda.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  // Loaded here, not imported above: loading reads the municipality config (MUNICIPALITY_CONFIG), and a
  // config that cannot be used is told as its message below, not as a stack trace.
  const { startLocal } = await import('./runtime.js');
  const { municipality, municipalitySource } = await import('../../config/index.js');
  const dataDir = resolve(env.DATA_DIR);
  const system = await startLocal({
    dataDir,
    host: env.HOST,
    port: env.PORT,
    ports: { dynamodb: env.DYNAMODB_PORT, sqs: env.SQS_PORT, ses: env.MAIL_PORT },
    onError: (error, where) => console.error(`[${where}]`, error instanceof Error ? error.message : error),
  });
  const { urls } = system;
  console.log(`municipality: ${municipality.name} (${municipalitySource})`);
  console.log(`intake: ${urls.intake}/`);
  console.log(`ops: ${urls.ops}`);
  console.log(`mailbox: ${urls.mailbox}/`);
  console.log(`dynamodb: ${urls.dynamodb}`);
  console.log(`sqs: ${urls.sqs}`);
  console.log(`ses: ${urls.ses}`);
  console.log(`data: ${pathToFileURL(dataDir).href}`);
  console.log('ready');

  // npm and tsx pass a terminal's Ctrl-C on as well, so one key press can arrive more than once:
  // the first signal stops, the rest are ignored, and a stop that hangs is cut off.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    setTimeout(() => {
      console.error('stop took longer than 15 s: exiting');
      process.exit(1);
    }, 15_000).unref();
    system.stop().then(
      () => {
        console.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof AlreadyRunningError || error instanceof PortInUseError || error instanceof ConfigError)
    console.error(error.message);
  else console.error('could not start:', error);
  process.exit(1);
}
