import path from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionBundling } from '../../bundling.js';
import { environmentFor, type FunctionDeclaration, type ResourceNames } from '../../declaration.js';
import { repoRoot } from '../paths.js';
import { senderIdentities } from '../settings.js';
import { mustGet } from './ids.js';

export interface HouseFunctionProps {
  /** The declared function name: the Powertools service name. */
  readonly name: string;
  readonly declaration: FunctionDeclaration;
  /** Names of all declared resources as tokens; the function gets those it declares (`environmentFor`). */
  readonly resourceNames: ResourceNames;
  /** All declared tables by name; the function is granted the ones it declares, at the declared level. */
  readonly tables: ReadonlyMap<string, ITable>;
  /** All declared queues by name; the function may send to the ones it declares. */
  readonly queues: ReadonlyMap<string, IQueue>;
  /** All declared secrets by name; the function may read the ones it declares. */
  readonly secrets: ReadonlyMap<string, ISecret>;
  /** Address the function sends mail from, if it declares `sendsMail`. */
  readonly mailSender: string;
  /** CloudWatch metrics namespace for Powertools metrics. */
  readonly metricsNamespace: string;
  readonly logRetention: RetentionDays;
}

/**
 * The house Lambda function: every function runs the same way (Node.js 22 on arm64, ESM bundle with
 * source maps, JSON logs into its own log group with retention) and is wired from its declaration in
 * one place: environment (`environmentFor` plus Powertools settings), table and queue grants, and
 * SES sending scoped to the sender identities.
 */
export class HouseFunction extends Construct {
  readonly lambda: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    const fn = props.declaration;

    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.lambda = new NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, fn.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: fn.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(fn.timeoutSeconds),
      memorySize: fn.memoryMb,
      loggingFormat: LoggingFormat.JSON,
      logGroup: this.logGroup,
      environment: {
        ...environmentFor(fn, props.resourceNames),
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // The shared options (infra/bundling.ts): the benchmark builds the same bundles.
        format: OutputFormat.ESM,
        target: functionBundling.target,
        mainFields: [...functionBundling.mainFields],
        minify: functionBundling.minify,
        sourceMap: functionBundling.sourceMap,
        banner: functionBundling.banner,
        externalModules: [...functionBundling.externalModules],
      },
    });

    for (const [table, access] of Object.entries(fn.tables)) {
      const resource = mustGet(props.tables, table, 'table');
      if (access === 'read') resource.grantReadData(this.lambda);
      else resource.grantReadWriteData(this.lambda);
    }
    for (const queue of Object.keys(fn.queues))
      mustGet(props.queues, queue, 'queue').grantSendMessages(this.lambda);
    for (const secret of Object.keys(fn.secrets))
      mustGet(props.secrets, secret, 'secret').grantRead(this.lambda);
    if (fn.sendsMail) {
      const stack = Stack.of(this);
      const identity = (name: string) =>
        stack.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: name,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        });
      const { domain, address } = senderIdentities(props.mailSender);
      this.lambda.addToRolePolicy(
        new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identity(domain), identity(address)] }),
      );
    }
  }
}
