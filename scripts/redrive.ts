import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { z } from 'zod';
import { localResourceNames } from '../functions/declaration.js';
import { quietProgram, readCommandLine, UsageError } from './cli.js';
import { readStackOutputs } from './outputs.js';

/**
 * `npm run redrive`: moves the messages in the route queue's DLQ back to the route queue, once the fault
 * that sent them there is fixed. Uses SQS's own redrive (`StartMessageMoveTask`, the same operation as
 * the console's "Start DLQ redrive"), which the local SQS emulator implements too, and waits until the
 * move task has finished. A moved message starts again with receive count 1.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run redrive -- [options]

Moves every message in the route queue's dead-letter queue back to the route queue.

Target (default: the local system of \`npm start\`, SQS at http://127.0.0.1:\${SQS_PORT:-9324}):
  --endpoint <url>     SQS endpoint of a local system
  --aws                AWS itself: the default credential chain and region; the queues from
                       --outputs, or --dlq-url (and --queue-url)
  --outputs <file>     the file \`cdk deploy --outputs-file <file>\` wrote (RouteQueueUrl,
                       RouteDeadLetterQueueUrl)
  --dlq-url <url>      the dead-letter queue (stack output RouteDeadLetterQueueUrl)
  --queue-url <url>    where the messages go (stack output RouteQueueUrl; default: back to the
                       queue each message came from)
  --rate <n>           messages per second (1-500; default: as fast as SQS allows)
  -h, --help           this text

Exit codes: 0 done (also when the DLQ was empty), 1 failed, 2 wrong usage.`;

const url = (option: string) => z.url({ protocol: /^https?$/, error: `${option}: expected an http(s) URL` });
const optionsSchema = z.strictObject({
  endpoint: url('--endpoint').optional(),
  aws: z.boolean().optional(),
  outputs: z.string().min(1).optional(),
  'dlq-url': url('--dlq-url').optional(),
  'queue-url': url('--queue-url').optional(),
  rate: z.coerce
    .number({ error: '--rate: expected a number from 1 to 500' })
    .int('--rate: expected a whole number')
    .min(1, '--rate: expected a number from 1 to 500')
    .max(500, '--rate: expected a number from 1 to 500')
    .optional(),
});
type Options = z.infer<typeof optionsSchema>;

/** The queue URLs of the stack's outputs (`cdk deploy --outputs-file`). */
const queueOutputs = z.object({
  RouteQueueUrl: z.url().optional(),
  RouteDeadLetterQueueUrl: z.url().optional(),
});

interface Target {
  readonly sqs: SQSClient;
  readonly where: string;
  readonly dlqUrl: string;
  readonly queueUrl?: string;
}

const port = z.coerce
  .number({ error: 'SQS_PORT: expected a port number' })
  .int('SQS_PORT: expected a port number')
  .min(1, 'SQS_PORT: expected a port number')
  .max(65_535, 'SQS_PORT: expected a port number');

async function targetOf(options: Options, env: NodeJS.ProcessEnv): Promise<Target> {
  if (options.aws) {
    if (options.endpoint !== undefined) throw new UsageError('--endpoint and --aws exclude each other');
    let dlqUrl = options['dlq-url'];
    let queueUrl = options['queue-url'];
    if (options.outputs !== undefined) {
      const stack = queueOutputs.safeParse(await readStackOutputs(options.outputs));
      if (!stack.success) throw new UsageError(`--outputs: ${options.outputs} is not a CDK outputs file`);
      dlqUrl ??= stack.data.RouteDeadLetterQueueUrl;
      queueUrl ??= stack.data.RouteQueueUrl;
    }
    if (dlqUrl === undefined)
      throw new UsageError('--aws needs --dlq-url <RouteDeadLetterQueueUrl> or --outputs <file>');
    return { sqs: new SQSClient({}), where: 'AWS', dlqUrl, queueUrl };
  }
  if (options.outputs !== undefined || options['dlq-url'] !== undefined || options['queue-url'] !== undefined)
    throw new UsageError('--outputs, --dlq-url and --queue-url go with --aws');
  let endpoint = options.endpoint;
  if (endpoint === undefined) {
    const sqsPort = port.default(9324).safeParse(env.SQS_PORT || undefined);
    if (!sqsPort.success) throw new UsageError(sqsPort.error.issues[0]?.message ?? 'SQS_PORT: invalid');
    endpoint = `http://127.0.0.1:${sqsPort.data}`;
  }
  // The local system's credentials are never real; the region is the one `npm start` uses.
  const sqs = new SQSClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = localResourceNames();
  try {
    const [dlq, queue] = await Promise.all(
      [names.deadLetterQueue('route'), names.queue('route')].map((QueueName) =>
        sqs.send(new GetQueueUrlCommand({ QueueName })),
      ),
    );
    if (dlq?.QueueUrl === undefined || queue?.QueueUrl === undefined) throw new Error('no queue URL');
    return { sqs, where: endpoint, dlqUrl: dlq.QueueUrl, queueUrl: queue.QueueUrl };
  } catch (error) {
    sqs.destroy();
    throw new Error(
      `cannot reach the route queues at ${endpoint} — is \`npm start\` running? (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`${queueUrl} has no QueueArn`);
  return arn;
}

async function waiting(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the move task and waits for its end; returns how many messages it moved. */
async function redrive(target: Target, rate: number | undefined, out: (line: string) => void) {
  const { sqs } = target;
  const sourceArn = await arnOf(sqs, target.dlqUrl);
  const destinationArn = target.queueUrl === undefined ? undefined : await arnOf(sqs, target.queueUrl);
  const before = await waiting(sqs, target.dlqUrl);
  if (before === 0) {
    out(`redrive: the dead-letter queue is empty (${target.where}); nothing to move`);
    return 0;
  }
  out(
    `redrive: moving about ${before} message(s) from ${target.dlqUrl} to ${target.queueUrl ?? 'their source queue'}`,
  );
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      MaxNumberOfMessagesPerSecond: rate,
    }),
  );
  // A task lists the newest first; SQS keeps the last ones per source queue (the emulator drops the
  // handle once a task has completed, so the newest task is the one to follow).
  for (;;) {
    await sleep(500);
    const { Results } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
    );
    const task = Results?.[0];
    if (task === undefined) throw new Error(`move task ${TaskHandle ?? ''} not found`);
    if (task.Status === 'COMPLETED') return task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task.Status === 'FAILED' || task.Status === 'CANCELLED')
      throw new Error(`move task ${task.Status.toLowerCase()}: ${task.FailureReason ?? 'no reason given'}`);
  }
}

async function main(): Promise<number> {
  let options: Options;
  try {
    let values: Record<string, unknown> = {};
    const program = quietProgram('redrive')
      .option('--endpoint <url>')
      .option('--aws')
      .option('--outputs <file>')
      .option('--dlq-url <url>')
      .option('--queue-url <url>')
      .option('--rate <n>')
      .action(function (this: Command) {
        values = this.opts();
      });
    if (readCommandLine(program, process.argv.slice(2)) === 'help') {
      console.log(USAGE);
      return 0;
    }
    // commander names the options in camel case; the schema (and the messages) in their command-line spelling.
    const { dlqUrl, queueUrl, ...rest } = values;
    const parsed = optionsSchema.safeParse({ ...rest, 'dlq-url': dlqUrl, 'queue-url': queueUrl });
    if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid arguments');
    options = parsed.data;
  } catch (error) {
    console.error(`redrive: ${error instanceof Error ? error.message : error}`);
    console.error('Run `npm run redrive -- --help` for the options.');
    return 2;
  }
  let target: Target | undefined;
  try {
    target = await targetOf(options, process.env);
    const moved = await redrive(target, options.rate, (line) => console.log(line));
    const left = await waiting(target.sqs, target.dlqUrl);
    if (moved > 0) console.log(`redrive: moved ${moved}, left in the dead-letter queue ${left}`);
    return 0;
  } catch (error) {
    console.error(`redrive: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    target?.sqs.destroy();
  }
}

process.exitCode = await main();
