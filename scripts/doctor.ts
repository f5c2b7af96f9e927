import { z } from 'zod';
import { quietProgram, readCommandLine, UsageError } from './cli.js';
import { awsSources } from './doctor/aws.js';
import { type Expected, report, runChecks } from './doctor/checks.js';
import { readStackOutputs } from './outputs.js';

/**
 * `npm run doctor -- --aws --outputs <file>`: whether a deployment is ready for its first real case, read
 * only (scripts/doctor/checks.ts): the sender identity and DKIM, SES production access and the send rate
 * against the router's, the table and the queues, the officials, the alarm subscriptions.
 */

// On Node 20 the SDK warns that its releases from 2027 on need Node 22 (see scripts/officials.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run doctor -- --aws --outputs <file> [--endpoint <url>]

Checks a deployment on AWS, read-only, and says for each check ✓ or ✗ and what to do:
the sender identity (verified, DKIM), SES production access and the send rate against the router's
pace, the cases table and the route queues (and the dead-letter queue empty), the officials in the
table (against the municipality config: MUNICIPALITY_CONFIG, else the demo), the alarm subscriptions.

  --aws              AWS itself: the default credential chain and Region (AWS_REGION)
  --outputs <file>   the file \`cdk deploy --outputs-file <file>\` wrote
  --endpoint <url>   one AWS-compatible endpoint for every service instead (e.g. moto server)
  -h, --help         this text

Exit codes: 0 every check passed, 1 a check failed, 2 wrong usage.`;

const optionsSchema = z.strictObject({
  aws: z.boolean().optional(),
  outputs: z.string().min(1).optional(),
  endpoint: z.url({ protocol: /^https?$/, error: '--endpoint: expected an http(s) URL' }).optional(),
});

function parseCommandLine(argv: readonly string[]): z.infer<typeof optionsSchema> | 'help' {
  let read: Record<string, unknown> = {};
  const program = quietProgram('doctor')
    .option('--aws')
    .option('--outputs <file>')
    .option('--endpoint <url>')
    .action(function (this: { opts(): Record<string, unknown> }) {
      read = this.opts();
    });
  if (readCommandLine(program, argv) === 'help') return 'help';
  const parsed = optionsSchema.safeParse(read);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid arguments');
  if (parsed.data.aws !== true) throw new UsageError('the doctor checks a deployment: give --aws');
  if (parsed.data.outputs === undefined)
    throw new UsageError('--aws needs --outputs <file> (cdk deploy --outputs-file <file>)');
  return parsed.data;
}

const required = (outputs: Readonly<Record<string, string>>, name: string): string => {
  const value = outputs[name];
  if (value === undefined) throw new UsageError(`--outputs: no ${name} in the stack's outputs`);
  return value;
};

async function main(argv: readonly string[]): Promise<number> {
  let options: Exclude<ReturnType<typeof parseCommandLine>, 'help'>;
  let expected: Expected;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    options = parsed;
    const outputs = await readStackOutputs(parsed.outputs ?? '');
    // The municipality the deployment serves; loaded here so a bad config is told as it is.
    const { municipality } = await import('../config/index.js');
    const rate = outputs.SesMaxSendRate === undefined ? undefined : Number(outputs.SesMaxSendRate);
    expected = {
      sender: municipality.sender,
      officials: municipality.officials.map((o) => o.id),
      table: required(outputs, 'CasesTableName'),
      routeQueueUrl: required(outputs, 'RouteQueueUrl'),
      routeDeadLetterQueueUrl: required(outputs, 'RouteDeadLetterQueueUrl'),
      alarmTopicArn: required(outputs, 'AlarmTopicArn'),
      businessTopicArn: outputs.BusinessTopicArn,
      sesMaxSendRate: rate !== undefined && Number.isFinite(rate) ? rate : undefined,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`doctor: ${error.message} (see --help)`);
    return 2;
  }
  const { sources, close } = awsSources({
    endpoint: options.endpoint,
    region: options.endpoint === undefined ? undefined : (process.env.AWS_REGION ?? 'eu-west-1'),
  });
  try {
    const checks = await runChecks(sources, expected);
    for (const line of report(checks)) console.log(line);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    close();
  }
}

process.exitCode = await main(process.argv.slice(2));
