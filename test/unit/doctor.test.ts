import { describe, expect, it } from 'vitest';
import {
  type AccountState,
  type DoctorSources,
  type Expected,
  identityCandidates,
  report,
  runChecks,
} from '../../scripts/doctor/checks.js';

const EXPECTED: Expected = {
  sender: 'aanspreekpunt@gemeente-lindehoven.nl',
  officials: ['h-wouters', 'k-peeters', 'd-osei'],
  table: 'Aanspreekpunt-CasesTable',
  routeQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/route',
  routeDeadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/route-dlq',
  alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
  businessTopicArn: 'arn:aws:sns:eu-west-1:123456789012:business',
  sesMaxSendRate: 14,
};

const PRODUCTION: AccountState = {
  productionAccess: true,
  sendingEnabled: true,
  maxSendRate: 14,
  max24HourSend: 50_000,
};

/** A deployment that is ready, with `changes` to what AWS answers. */
function sources(changes: Partial<DoctorSources> = {}): DoctorSources {
  return {
    emailIdentity: async (name) =>
      name === 'gemeente-lindehoven.nl'
        ? {
            verifiedForSending: true,
            dkim: 'SUCCESS',
            mailFrom: { domain: 'bounce.gemeente-lindehoven.nl', status: 'SUCCESS' },
          }
        : undefined,
    account: async () => PRODUCTION,
    tableStatus: async () => 'ACTIVE',
    queueDepth: async () => 0,
    officialIds: async () => ['h-wouters', 'k-peeters', 'd-osei'],
    subscriptions: async () => ({ confirmed: 1, pending: 0 }),
    ...changes,
  };
}

const byTitle = async (s: DoctorSources, expected: Expected = EXPECTED) =>
  Object.fromEntries((await runChecks(s, expected)).map((c) => [c.title, c]));

describe('npm run doctor: the checks', () => {
  it('passes every check of a deployment that is ready, and says so', async () => {
    const checks = await runChecks(sources(), EXPECTED);

    expect(checks.map((c) => [c.title, c.ok])).toEqual([
      ['Sender identity verified', true],
      ['DKIM', true],
      ['MAIL FROM domain', true],
      ['SES production access', true],
      ['Send rate against the router', true],
      ['Cases table', true],
      ['Route queue', true],
      ['Dead-letter queue', true],
      ['Officials', true],
      ['Alarm subscription', true],
      ['Business signals subscription', true],
    ]);
    const lines = report(checks);
    expect(lines.at(-1)).toBe('All 11 checks passed.');
    expect(lines[0]).toMatch(/^✓ Sender identity verified {2,}gemeente-lindehoven\.nl covers /);
  });

  it('finds the identity that covers the sender: the address, its domain or a parent domain', async () => {
    expect(identityCandidates('aanspreekpunt@mail.zuidstad.nl')).toEqual([
      'aanspreekpunt@mail.zuidstad.nl',
      'mail.zuidstad.nl',
      'zuidstad.nl',
    ]);
    const checks = await byTitle(sources(), {
      ...EXPECTED,
      sender: 'aanspreekpunt@post.gemeente-lindehoven.nl',
    });
    expect(checks['Sender identity verified']?.ok).toBe(true);
  });

  it('tells a fresh deploy to publish the DKIM records, and a sender without identity to deploy', async () => {
    const fresh = await byTitle(
      sources({
        emailIdentity: async (name) =>
          name.includes('@') ? undefined : { verifiedForSending: false, dkim: 'PENDING' },
      }),
    );
    expect(fresh['Sender identity verified']).toMatchObject({
      ok: false,
      found: expect.stringContaining('not verified'),
    });
    expect(fresh['Sender identity verified']?.fix).toContain('DKIM CNAME records');
    expect(fresh.DKIM).toMatchObject({ ok: false, found: 'gemeente-lindehoven.nl: PENDING' });

    const none = await byTitle(sources({ emailIdentity: async () => undefined }));
    expect(none['Sender identity verified']).toMatchObject({ ok: false });
    expect(none['Sender identity verified']?.found).toContain('no SES identity covers');
  });

  it('tells to publish the MAIL FROM records while SES has not seen them, and to set a MAIL FROM domain where none is', async () => {
    const pending = await byTitle(
      sources({
        emailIdentity: async (name) =>
          name.includes('@')
            ? undefined
            : {
                verifiedForSending: true,
                dkim: 'SUCCESS',
                mailFrom: { domain: 'bounce.gemeente-lindehoven.nl', status: 'PENDING' },
              },
      }),
    );
    expect(pending['MAIL FROM domain']).toMatchObject({
      ok: false,
      found: 'bounce.gemeente-lindehoven.nl: PENDING',
    });
    expect(pending['MAIL FROM domain']?.fix).toContain('MailFromMxRecord and MailFromSpfRecord');

    const none = await byTitle(
      sources({
        emailIdentity: async (name) =>
          name.includes('@') ? undefined : { verifiedForSending: true, dkim: 'SUCCESS' },
      }),
    );
    expect(none['MAIL FROM domain']?.ok).toBe(false);
    expect(none['MAIL FROM domain']?.fix).toContain(
      'put-email-identity-mail-from-attributes --email-identity gemeente-lindehoven.nl --mail-from-domain bounce.gemeente-lindehoven.nl',
    );
  });

  it('tells an account in the sandbox to request production access, and a paused one why it cannot send', async () => {
    const sandbox = await byTitle(
      sources({
        account: async () => ({
          productionAccess: false,
          sendingEnabled: false,
          maxSendRate: 1,
          max24HourSend: 200,
        }),
      }),
    );
    expect(sandbox['SES production access']).toMatchObject({
      ok: false,
      found: expect.stringContaining('sandbox'),
    });
    expect(sandbox['SES production access']?.fix).toContain('Request production access');
    expect(sandbox['SES sending enabled']?.ok).toBe(false);
    // Paced for 14/s where the account sends 1/s: deploy with the account's rate
    expect(sandbox['Send rate against the router']).toMatchObject({ ok: false });
    expect(sandbox['Send rate against the router']?.fix).toContain('-c sesMaxSendRate=1');
  });

  it('says when the account may send more than the router is paced for, and passes', async () => {
    const raised = await byTitle(sources({ account: async () => ({ ...PRODUCTION, maxSendRate: 50 }) }));
    expect(raised['Send rate against the router']).toMatchObject({ ok: true });
    expect(raised['Send rate against the router']?.found).toContain('-c sesMaxSendRate=50');
  });

  it('finds a missing table or queue, messages in the dead-letter queue, officials not seeded', async () => {
    const checks = await byTitle(
      sources({
        tableStatus: async () => undefined,
        queueDepth: async (url) => (url === EXPECTED.routeQueueUrl ? undefined : 3),
        officialIds: async () => ['h-wouters'],
      }),
    );
    expect(checks['Cases table']).toMatchObject({ ok: false, found: `${EXPECTED.table}: not found` });
    expect(checks['Route queue']?.ok).toBe(false);
    expect(checks['Dead-letter queue']).toMatchObject({ ok: false });
    expect(checks['Dead-letter queue']?.fix).toContain('npm run redrive -- --aws');
    expect(checks.Officials?.found).toContain('k-peeters, d-osei');
    const empty = await byTitle(sources({ officialIds: async () => [] }));
    expect(empty.Officials?.fix).toContain(`npm run officials -- seed --aws --table ${EXPECTED.table}`);
  });

  it('tells to confirm a subscription that waits, and to subscribe where nobody is', async () => {
    const checks = await byTitle(
      sources({
        subscriptions: async (arn) =>
          arn === EXPECTED.alarmTopicArn ? { confirmed: 0, pending: 1 } : { confirmed: 0, pending: 0 },
      }),
    );
    expect(checks['Alarm subscription']).toMatchObject({ ok: false, found: '1 waiting for confirmation' });
    expect(checks['Business signals subscription']?.fix).toContain('-c businessEmail=');
  });

  it('fails a check it cannot make with the error by name only, and goes on with the others', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/x is not authorized'), {
      name: 'AccessDeniedException',
    });
    const checks = await runChecks(
      sources({
        account: async () => {
          throw denied;
        },
      }),
      EXPECTED,
    );
    const account = checks.find((c) => c.title === 'SES production access');
    expect(account).toMatchObject({ ok: false, found: 'could not check: AccessDeniedException' });
    expect(JSON.stringify(checks)).not.toContain('123456789012:user');
    expect(checks.filter((c) => c.ok)).toHaveLength(9);
    expect(report(checks).at(-1)).toBe('1 of 10 checks failed.');
  });
});
