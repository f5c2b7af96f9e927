import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { localResourceNames, tableEnv } from '../functions/declaration.js';
import { UsageError } from './cli.js';

/**
 * The cases table a script works on: the local system of `npm start` (default), another endpoint, or AWS
 * itself (`--aws`), and what a failure to reach it means in plain words. Shared by the scripts that read or
 * change the table (officials, retention, privacy).
 */

/** The target options, checked: `--endpoint <url>`, `--table <name>`, `--aws`. */
export const targetOptionSchemas = {
  endpoint: z.url({ protocol: /^https?$/, error: '--endpoint: expected an http(s) URL' }).optional(),
  table: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, '--table: expected a DynamoDB table name')
    .optional(),
  aws: z.boolean().optional(),
};
export const TARGET_OPTIONS = ['--endpoint <url>', '--table <name>', '--aws'] as const;

/** The target lines of a script's usage text. */
export const TARGET_USAGE = `Target (default: the local system of \`npm start\`):
  --endpoint <url>   DynamoDB endpoint (default http://127.0.0.1:\${DYNAMODB_PORT:-8000})
  --table <name>     table (default ${localResourceNames().table('cases')}; with --aws: $${tableEnv('cases')})
  --aws              AWS itself: the default credential chain and region, no endpoint`;

export type Target =
  | { readonly kind: 'local'; readonly endpoint: string; readonly table: string }
  | { readonly kind: 'aws'; readonly table: string };

const port = z.coerce
  .number({ error: 'DYNAMODB_PORT: expected a port number' })
  .int('DYNAMODB_PORT: expected a port number')
  .min(1, 'DYNAMODB_PORT: expected a port number')
  .max(65_535, 'DYNAMODB_PORT: expected a port number');

/** The table the options name. Throws `UsageError`. */
export function targetOf(
  options: { endpoint?: string; table?: string; aws?: boolean },
  env: NodeJS.ProcessEnv,
): Target {
  if (options.aws) {
    if (options.endpoint !== undefined) throw new UsageError('--endpoint and --aws exclude each other');
    const table = options.table ?? env[tableEnv('cases')];
    if (table === undefined || table === '')
      throw new UsageError(`--aws needs --table <name> (or ${tableEnv('cases')})`);
    return { kind: 'aws', table };
  }
  let endpoint = options.endpoint;
  if (endpoint === undefined) {
    const dynamoPort = port.default(8000).safeParse(env.DYNAMODB_PORT || undefined);
    if (!dynamoPort.success) throw new UsageError(dynamoPort.error.issues[0]?.message ?? 'DYNAMODB_PORT');
    endpoint = `http://127.0.0.1:${dynamoPort.data}`;
  }
  return { kind: 'local', endpoint, table: options.table ?? localResourceNames().table('cases') };
}

/** A DynamoDB client of the target (short timeouts: a person waits), and its document client. */
export function connectTable(target: Target) {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };
  const client =
    target.kind === 'local'
      ? new DynamoDBClient({
          endpoint: target.endpoint,
          region: 'eu-west-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          requestHandler,
          maxAttempts: 2,
        })
      : new DynamoDBClient({ requestHandler });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, db };
}

/** Where the target is, in words: `<table> at <endpoint>` or `<table> on AWS`. */
export const whereOf = (target: Target): string =>
  target.kind === 'local' ? `${target.table} at ${target.endpoint}` : `${target.table} on AWS`;

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);
const errorShape = z.looseObject({
  name: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.string().optional() })).optional(),
});

/** What went wrong with the table, in plain words; `what` names what a schema error was about. */
export function explainTableError(error: unknown, target: Target, what: string): string {
  const where = target.kind === 'local' ? target.endpoint : 'AWS';
  if (error instanceof ResourceNotFoundException)
    return target.kind === 'local'
      ? `no table "${target.table}" at ${where}: is this the DynamoDB of \`npm start\`?`
      : `no table "${target.table}" in this AWS account and region`;
  if (error instanceof z.ZodError)
    return `${what} in the table does not match the schema: ${error.issues[0]?.path.join('.')}: ${error.issues[0]?.message}`;
  const shape = errorShape.safeParse(error);
  if (!shape.success) return String(error);
  const { name, code, message = '', errors = [] } = shape.data;
  const codes = [code, ...errors.map((e) => e.code)];
  if (codes.some((c) => c !== undefined && UNREACHABLE.has(c)) || name === 'TimeoutError')
    return target.kind === 'local'
      ? `cannot reach DynamoDB at ${where} — is \`npm start\` running?`
      : `cannot reach DynamoDB on AWS: ${message || code}`;
  if (name === 'CredentialsProviderError') return `no AWS credentials: ${message}`;
  if (/region is missing/i.test(message))
    return 'no AWS region: set AWS_REGION (or a region in your AWS profile)';
  return `${name ?? 'error'}: ${message}`;
}
