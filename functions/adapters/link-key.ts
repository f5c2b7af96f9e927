import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  declaration,
  type FunctionName,
  PUBLIC_BASE_URL_ENV,
  type SecretName,
  secretArnEnv,
  secretEnv,
} from '../declaration.js';
import { MIN_KEY_BYTES } from '../domain/action-link.js';

/** A key from its base64 text; fails loudly when it is too short to sign with. */
export function decodeKey(text: string, where: string): Uint8Array {
  const key = new Uint8Array(Buffer.from(text.trim(), 'base64'));
  if (key.byteLength < MIN_KEY_BYTES)
    throw new Error(`${where}: the key must be base64 of at least ${MIN_KEY_BYTES} bytes`);
  return key;
}

/**
 * Reads a secret a function declares, once, at cold start: the value itself from `secretEnv` (set by the
 * local runner), else from Secrets Manager by the ARN in `secretArnEnv` (set by the stack). Neither is a
 * startup error.
 */
export async function secretFromEnv(
  fn: FunctionName,
  secret: SecretName,
  env: NodeJS.ProcessEnv = process.env,
  fetchSecret: (arn: string) => Promise<string | undefined> = fetchFromSecretsManager,
): Promise<Uint8Array> {
  if (declaration.functions[fn]?.secrets[secret] === undefined)
    throw new Error(`${fn} does not declare the secret ${secret}`);
  const value = env[secretEnv(secret)];
  if (value !== undefined && value.trim() !== '') return decodeKey(value, `${fn}: ${secretEnv(secret)}`);
  const arn = env[secretArnEnv(secret)];
  if (arn === undefined || arn.trim() === '')
    throw new Error(`${fn}: missing environment variable ${secretEnv(secret)} or ${secretArnEnv(secret)}`);
  const fetched = await fetchSecret(arn);
  if (fetched === undefined) throw new Error(`${fn}: secret ${arn} has no string value`);
  return decodeKey(fetched, `${fn}: secret ${arn}`);
}

async function fetchFromSecretsManager(arn: string): Promise<string | undefined> {
  const client = new SecretsManagerClient({
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  });
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } finally {
    client.destroy();
  }
}

/** The public base URL of the API (no trailing slash), for a function that declares `linksToApi`. */
export function publicBaseUrlFromEnv(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): string {
  if (declaration.functions[fn]?.linksToApi !== true) throw new Error(`${fn} does not declare linksToApi`);
  const value = env[PUBLIC_BASE_URL_ENV];
  if (value === undefined || !/^https?:\/\/[^\s/]+/.test(value))
    throw new Error(`${fn}: missing or invalid environment variable ${PUBLIC_BASE_URL_ENV}`);
  return value.replace(/\/+$/, '');
}
