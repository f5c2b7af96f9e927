import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Theme } from '../../../config/schema.js';
import {
  environmentFor,
  type FunctionDeclaration,
  MAIL_SEND_RATE_ENV,
  type ResourceNames,
} from '../../../functions/declaration.js';
import { functionBundling, stylesheetCommands } from '../../bundling.js';
import { repoRoot } from '../paths.js';
import { mustGet } from './ids.js';
import type { Mail } from './mail.js';

export interface HouseFunctionProps {
  /** The declared function name: the Powertools service name. */
  readonly name: string;
  readonly declaration: FunctionDeclaration;
  /** Names of all declared resources as tokens; the function gets those it declares (`environmentFor`). */
  readonly resourceNames: ResourceNames;
  /** All declared tables by name; the function is granted the ones it declares, at the declared level. */
  readonly tables: ReadonlyMap<string, ITable>;
  /** The declared index names of each table: a function may query those it declares, by name, never `index/*`. */
  readonly tableIndexes: ReadonlyMap<string, readonly string[]>;
  /** All declared queues by name; the function may send to the ones it declares. */
  readonly queues: ReadonlyMap<string, IQueue>;
  /** All declared secrets by name; the function may read the ones it declares. */
  readonly secrets: ReadonlyMap<string, ISecret>;
  /** Sending e-mail; bound to the function if it declares `sendsMail`. */
  readonly mail: Mail;
  /** CloudWatch metrics namespace for Powertools metrics. */
  readonly metricsNamespace: string;
  readonly logRetention: RetentionDays;
  /** The config the bundle embeds, validated (`embeddedConfig`): the municipality and the declaration. */
  readonly embedded: Readonly<Record<string, string>>;
  /** The municipality's theme: its stylesheets go beside the bundles of functions that render pages. */
  readonly theme: Theme;
  /** E-mails per second one instance may send (its share of the account's SES rate); unpaced if undefined. */
  readonly mailSendRate?: number;
}

/** The Lambda runtime of every function: the newest Node.js LTS Lambda offers. */
export const houseRuntime = Runtime.NODEJS_24_X;

/** Where a failed invocation of a function ends, by how it is triggered (none is an asynchronous DLQ). */
const deadLetterReason = {
  http: 'API Gateway invokes it synchronously: the caller gets the answer (a 503 page on a failure, counted by the Api5xx alarm), so no event waits anywhere to be lost. A Lambda dead-letter queue takes asynchronous invocations only.',
  queue:
    "An SQS event source invokes it synchronously: a message it fails stays in its queue, and after the queue's maxReceiveCount its redrive policy moves it to the queue's dead-letter queue, which has two alarms. A Lambda dead-letter queue takes asynchronous invocations only.",
  schedule:
    'Scheduler invokes it asynchronously without retries: a failed run goes to its on-failure destination, the failed-runs queue (with its alarm), which records the error as well as the event; a dead-letter queue would hold the event only.',
} as const;

/**
 * The house Lambda function: every function runs the same way (Node.js 24 on arm64, a minified ESM bundle
 * with source maps that Node applies to stack traces, JSON logs into its own log group with retention, active
 * X-Ray tracing) and
 * is wired from its declaration in one place: environment (`environmentFor` plus Powertools settings),
 * table grants (on the declared indexes by name, no `index/*`), queue and secret grants, and e-mail
 * through `Mail.bind`. Its role may write only to its own log
 * group (no managed policy with `logs:*` on every group).
 */
export class HouseFunction extends Construct {
  readonly lambda: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    const fn = props.declaration;

    // Kept when the stack goes (the default); its entries still expire after the retention period.
    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.name} function`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.lambda = new NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, fn.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: fn.description,
      runtime: houseRuntime,
      architecture: Architecture.ARM_64,
      role,
      timeout: Duration.seconds(fn.timeoutSeconds),
      memorySize: fn.memoryMb,
      loggingFormat: LoggingFormat.JSON,
      logGroup: this.logGroup,
      // X-Ray: Lambda samples invocations; the Powertools tracer adds a subsegment per invocation and per AWS call.
      tracing: Tracing.ACTIVE,
      environment: {
        ...environmentFor(fn, props.resourceNames),
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.mailSendRate === undefined ? {} : { [MAIL_SEND_RATE_ENV]: String(props.mailSendRate) }),
      },
      bundling: {
        // The shared options (infra/bundling.ts): the benchmark builds the same bundles.
        format: OutputFormat.ESM,
        target: functionBundling.target,
        mainFields: [...functionBundling.mainFields],
        minify: functionBundling.minify,
        sourceMap: functionBundling.sourceMap,
        sourcesContent: functionBundling.sourcesContent,
        banner: functionBundling.banner,
        externalModules: [...functionBundling.externalModules],
        // The municipality and the declaration, validated now (a bad config fails the synth), embedded.
        define: { ...props.embedded },
        // Functions behind the API render pages: their stylesheets go into the asset beside the bundle.
        commandHooks:
          fn.trigger.kind === 'http'
            ? {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) =>
                  stylesheetCommands(outputDir, props.theme),
              }
            : undefined,
      },
    });

    // cdk-nag Serverless-LambdaDLQ asks for an asynchronous dead-letter queue; each trigger has its own.
    Validations.of(this.lambda).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: deadLetterReason[fn.trigger.kind],
    });

    // Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords to the role on `*`.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords, which active tracing adds: X-Ray defines no resource types for these actions, so `*` is the only resource they take. They send trace data only; no other action has `*`.',
    });

    // On each table exactly the operations the function declares (functions/declaration.ts), on the table
    // itself; Query also on each index it declares, by name. DynamoDB writes the indexes itself.
    for (const [table, use] of Object.entries(fn.tables)) {
      const { tableArn } = mustGet(props.tables, table, 'table');
      const declaredIndexes = mustGet(props.tableIndexes, table, 'table');
      for (const index of use.indexes)
        if (!declaredIndexes.includes(index))
          throw new Error(`${props.name}: table ${table} has no index ${index}`);
      role.addToPolicy(
        new PolicyStatement({
          actions: use.operations.map((operation) => `dynamodb:${operation}`),
          resources: [tableArn],
        }),
      );
      if (use.indexes.length > 0)
        role.addToPolicy(
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: use.indexes.map((index) => `${tableArn}/index/${index}`),
          }),
        );
    }
    for (const queue of Object.keys(fn.queues))
      mustGet(props.queues, queue, 'queue').grantSendMessages(this.lambda);
    for (const secret of Object.keys(fn.secrets))
      mustGet(props.secrets, secret, 'secret').grantRead(this.lambda);
    if (fn.sendsMail) props.mail.bind(this.lambda);
  }
}
