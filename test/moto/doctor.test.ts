import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMunicipalityFile } from '../../config/file.js';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import { declaration } from '../../functions/declaration.js';
import { ensureQueue, ensureTable } from '../../infra/local/provision.js';
import { required } from '../support/cases.js';
import { type Moto, startMoto } from '../support/moto.js';
import { DEPLOYABLE_MUNICIPALITY } from '../support/municipalities.js';

/**
 * `npm run doctor -- --aws --outputs <file>` against moto server as a freshly deployed stack looks: the
 * table, the queues, the SES identity (not verified yet, DKIM not started: as SES has it before the DNS
 * records are published), an alarm topic with a subscription and a business topic without one, the
 * officials seeded. moto server does not implement SES v2's GetAccount: that check says it could not check;
 * nor the MAIL FROM attributes: its identity has none.
 */
describe('npm run doctor on moto server, a fresh deployment', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const lindehoven = readMunicipalityFile(DEPLOYABLE_MUNICIPALITY);
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
  let moto: Moto;
  let dir: string;
  let outputs: string;
  let sqs: SQSClient;
  let deadLetterUrl: string;

  beforeAll(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'doctor-'));
    const options = { region: 'eu-west-1', endpoint: moto.endpoint, credentials };
    const dynamo = new DynamoDBClient(options);
    sqs = new SQSClient(options);
    const ses = new SESv2Client(options);
    const sns = new SNSClient(options);
    await ensureTable(dynamo, 'Aanspreekpunt-Cases', required(declaration.tables.cases, 'cases table'));
    const route = await ensureQueue(
      sqs,
      { queue: 'Aanspreekpunt-Route', deadLetter: 'Aanspreekpunt-RouteDLQ' },
      required(declaration.queues.route, 'route queue'),
    );
    deadLetterUrl = route.deadLetterUrl;
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'gemeente-lindehoven.nl' }));
    const alarms = (await sns.send(new CreateTopicCommand({ Name: 'alarms' }))).TopicArn ?? '';
    const business = (await sns.send(new CreateTopicCommand({ Name: 'business' }))).TopicArn ?? '';
    await sns.send(
      new SubscribeCommand({ TopicArn: alarms, Protocol: 'email', Endpoint: 'ops@gemeente-lindehoven.nl' }),
    );
    await dynamoOfficialDirectory(DynamoDBDocumentClient.from(dynamo), 'Aanspreekpunt-Cases').seed(
      lindehoven.officials,
    );
    outputs = join(dir, 'cdk-outputs.json');
    await writeFile(
      outputs,
      JSON.stringify({
        Aanspreekpunt: {
          CasesTableName: 'Aanspreekpunt-Cases',
          RouteQueueUrl: route.url,
          RouteDeadLetterQueueUrl: route.deadLetterUrl,
          AlarmTopicArn: alarms,
          BusinessTopicArn: business,
          SesMaxSendRate: '14',
        },
      }),
    );
    for (const client of [dynamo, ses, sns]) client.destroy();
  });
  afterAll(async () => {
    sqs?.destroy();
    await moto?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function doctor(): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const { MUNICIPALITY_CONFIG: _config, ...env } = process.env;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/doctor.ts', '--aws', '--outputs', outputs, '--endpoint', moto.endpoint],
        { cwd: ROOT, env: { ...env, MUNICIPALITY_CONFIG: DEPLOYABLE_MUNICIPALITY }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
      );
    });
  }
  const line = (stdout: string, title: string) =>
    stdout.split('\n').find((l) => l.slice(2).startsWith(title));

  it('passes what is in place, fails what is not yet, each ✗ with what to do, and exits 1', async () => {
    const { code, stdout } = await doctor();

    expect(code).toBe(1);
    expect(line(stdout, 'Sender identity verified')).toMatch(/^✗ .*gemeente-lindehoven\.nl is not verified/);
    expect(stdout).toContain('Publish the three DKIM CNAME records');
    expect(line(stdout, 'DKIM')).toMatch(/^✗ .*NOT_STARTED/);
    // moto server does not implement PutEmailIdentityMailFromAttributes: its identity has none.
    expect(line(stdout, 'MAIL FROM domain')).toMatch(/^✗ .*gemeente-lindehoven\.nl: none/);
    expect(line(stdout, 'SES production access')).toMatch(/^✗ .*could not check/);
    expect(line(stdout, 'Cases table')).toMatch(/^✓ .*Aanspreekpunt-Cases: ACTIVE/);
    expect(line(stdout, 'Route queue')).toMatch(/^✓ /);
    expect(line(stdout, 'Dead-letter queue')).toMatch(/^✓ .*present and empty/);
    expect(line(stdout, 'Officials')).toMatch(/^✓ .*3 in the table, every official of the config/);
    expect(line(stdout, 'Alarm subscription')).toMatch(/^✓ .*1 confirmed/);
    expect(line(stdout, 'Business signals subscription')).toMatch(/^✗ .*nobody is subscribed/);
    expect(stdout).toMatch(/^\d+ of \d+ checks failed\.$/m);
  });

  it('finds a message in the dead-letter queue and says how to redrive it', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterUrl, MessageBody: '{"poison":true}' }));

    const { stdout } = await doctor();

    expect(line(stdout, 'Dead-letter queue')).toMatch(/^✗ .*1 messages/);
    expect(stdout).toContain('npm run redrive -- --aws --outputs <file>');
  });
});
