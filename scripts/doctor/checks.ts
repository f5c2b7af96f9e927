/**
 * `npm run doctor -- --aws`, the checks themselves, pure over what AWS answers (`DoctorSources`): is this
 * deployment ready for its first real case? Each check says ✓ or ✗, what it found, and what to do. Nothing
 * here writes: the sources only read.
 */

/** The sender identity as SES has it. */
export interface IdentityState {
  readonly verifiedForSending: boolean;
  /** DKIM status: SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE, NOT_STARTED. */
  readonly dkim: string | undefined;
  /** The custom MAIL FROM domain and its status (SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE); none set: undefined. */
  readonly mailFrom?: { readonly domain: string; readonly status: string | undefined } | undefined;
}

/** The SES account in this Region. */
export interface AccountState {
  readonly productionAccess: boolean;
  readonly sendingEnabled: boolean;
  readonly maxSendRate: number;
  readonly max24HourSend: number;
}

/** What the doctor reads; each answers undefined where the resource does not exist. */
export interface DoctorSources {
  emailIdentity(name: string): Promise<IdentityState | undefined>;
  account(): Promise<AccountState>;
  tableStatus(table: string): Promise<string | undefined>;
  /** Visible messages, or undefined when there is no such queue. */
  queueDepth(url: string): Promise<number | undefined>;
  officialIds(table: string): Promise<readonly string[]>;
  subscriptions(
    topicArn: string,
  ): Promise<{ readonly confirmed: number; readonly pending: number } | undefined>;
}

/** What the deployment is meant to be: from `cdk deploy --outputs-file` and the municipality config. */
export interface Expected {
  /** The config's `sender`. */
  readonly sender: string;
  readonly officials: readonly string[];
  readonly table: string;
  readonly routeQueueUrl: string;
  readonly routeDeadLetterQueueUrl: string;
  readonly alarmTopicArn: string;
  readonly businessTopicArn?: string | undefined;
  /** The `sesMaxSendRate` the stack was deployed with (its `SesMaxSendRate` output), when known. */
  readonly sesMaxSendRate?: number | undefined;
}

export interface Check {
  readonly title: string;
  readonly ok: boolean;
  readonly found: string;
  /** What to do when it is not ok. */
  readonly fix?: string;
}

const pass = (title: string, found: string): Check => ({ title, ok: true, found });
const fail = (title: string, found: string, fix: string): Check => ({ title, ok: false, found, fix });

/** An error in words without its message (which may hold account details): its name or code. */
const nameOf = (error: unknown) =>
  (error as { name?: string; Code?: string }).name ?? (error as { Code?: string }).Code ?? 'error';

/** Runs a check; one that cannot be made (no permission, an API the endpoint lacks) fails with why. */
async function attempt(title: string, check: () => Promise<Check | Check[]>): Promise<Check[]> {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    const name = nameOf(error);
    const credentials =
      /AccessDenied|Unauthorized|UnrecognizedClient|ExpiredToken|InvalidClientTokenId|CredentialsProvider/.test(
        name,
      );
    return [
      fail(
        title,
        `could not check: ${name}`,
        credentials
          ? "Run the doctor with credentials that may read this (an administrator role), in the stack's Region (AWS_REGION)."
          : 'The service did not answer as AWS does: try again, and check the Region (AWS_REGION) and the endpoint.',
      ),
    ];
  }
}

/** The identities that could cover the sender: the address itself, its domain, the parent domains. */
export function identityCandidates(sender: string): string[] {
  const domain = sender.slice(sender.lastIndexOf('@') + 1).toLowerCase();
  const labels = domain.split('.');
  return [sender.toLowerCase(), ...labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'))];
}

export async function runChecks(sources: DoctorSources, expected: Expected): Promise<Check[]> {
  const checks: Check[] = [];

  checks.push(
    ...(await attempt('Sender identity', async () => {
      for (const name of identityCandidates(expected.sender)) {
        const identity = await sources.emailIdentity(name);
        if (identity === undefined) continue;
        const verified = identity.verifiedForSending
          ? pass('Sender identity verified', `${name} covers ${expected.sender} and may send`)
          : fail(
              'Sender identity verified',
              `${name} is not verified for sending yet`,
              name.includes('@')
                ? `Click the link SES mailed to ${name}.`
                : `Publish the three DKIM CNAME records (the SenderDkimRecord1..3 outputs) in the DNS of ${name}; SES verifies within 72 hours.`,
            );
        const dkim =
          identity.dkim === 'SUCCESS'
            ? pass('DKIM', `${name}: SUCCESS`)
            : fail(
                'DKIM',
                `${name}: ${identity.dkim ?? 'not set up'}`,
                `Publish the DKIM CNAME records (SenderDkimRecord1..3 outputs) in the DNS of ${name.slice(name.indexOf('@') + 1)} and wait for SES to see them.`,
              );
        const domain = name.slice(name.indexOf('@') + 1);
        const mailFrom =
          identity.mailFrom === undefined
            ? fail(
                'MAIL FROM domain',
                `${name}: none, so bounces go to amazonses.com and SPF does not align with ${domain} for DMARC`,
                `Set one: aws sesv2 put-email-identity-mail-from-attributes --email-identity ${name} --mail-from-domain bounce.${domain} --behavior-on-mx-failure USE_DEFAULT_VALUE, then publish its MX and SPF records.`,
              )
            : identity.mailFrom.status === 'SUCCESS'
              ? pass('MAIL FROM domain', `${identity.mailFrom.domain}: SUCCESS`)
              : fail(
                  'MAIL FROM domain',
                  `${identity.mailFrom.domain}: ${identity.mailFrom.status ?? 'not checked yet'}`,
                  `Publish the MailFromMxRecord and MailFromSpfRecord outputs in the DNS of ${identity.mailFrom.domain}; until SES sees them, mail goes out with its own MAIL FROM.`,
                );
        return [verified, dkim, mailFrom];
      }
      return fail(
        'Sender identity verified',
        `no SES identity covers ${expected.sender} in this account and Region`,
        'Deploy the stack (it creates the identity), or with -c senderIdentity=... name the one that exists.',
      );
    })),
  );

  checks.push(
    ...(await attempt('SES production access', async () => {
      const account = await sources.account();
      const result: Check[] = [
        account.productionAccess
          ? pass('SES production access', `out of the sandbox: ${account.max24HourSend} e-mails a day`)
          : fail(
              'SES production access',
              `in the sandbox: only to verified addresses, ${account.max24HourSend} a day, ${account.maxSendRate}/s`,
              'Request production access in the SES console (Account dashboard); until then enterprises and officials get no e-mail unless their address is verified.',
            ),
      ];
      if (!account.sendingEnabled)
        result.push(
          fail(
            'SES sending enabled',
            "the account's sending is paused",
            'Find out why in the SES console (reputation page); resume sending once the cause is fixed.',
          ),
        );
      const deployed = expected.sesMaxSendRate;
      result.push(
        deployed === undefined
          ? fail(
              'Send rate against the router',
              `the account may send ${account.maxSendRate}/s; the deployed sesMaxSendRate is not in the outputs`,
              'Deploy again (the stack then publishes SesMaxSendRate) and pass --outputs.',
            )
          : deployed > account.maxSendRate
            ? fail(
                'Send rate against the router',
                `the router and the SLA job are paced for ${deployed}/s, the account sends ${account.maxSendRate}/s`,
                `Deploy with -c sesMaxSendRate=${account.maxSendRate}, or ask AWS for a higher sending rate.`,
              )
            : pass(
                'Send rate against the router',
                `paced for ${deployed}/s of the account's ${account.maxSendRate}/s${deployed < account.maxSendRate ? ` (deploy with -c sesMaxSendRate=${account.maxSendRate} to use all of it)` : ''}`,
              ),
      );
      return result;
    })),
  );

  checks.push(
    ...(await attempt('Cases table', async () => {
      const status = await sources.tableStatus(expected.table);
      return status === 'ACTIVE'
        ? pass('Cases table', `${expected.table}: ACTIVE`)
        : fail(
            'Cases table',
            status === undefined ? `${expected.table}: not found` : `${expected.table}: ${status}`,
            'Check the account, the Region and the outputs file; deploy the stack if it is not there.',
          );
    })),
  );

  checks.push(
    ...(await attempt('Route queue', async () => {
      const [queue, deadLetter] = await Promise.all([
        sources.queueDepth(expected.routeQueueUrl),
        sources.queueDepth(expected.routeDeadLetterQueueUrl),
      ]);
      const result: Check[] = [
        queue === undefined
          ? fail(
              'Route queue',
              `${expected.routeQueueUrl}: not found`,
              'Deploy the stack; check the outputs file.',
            )
          : pass('Route queue', `present, ${queue} waiting`),
      ];
      result.push(
        deadLetter === undefined
          ? fail(
              'Dead-letter queue',
              `${expected.routeDeadLetterQueueUrl}: not found`,
              'Deploy the stack; check the outputs file.',
            )
          : deadLetter === 0
            ? pass('Dead-letter queue', 'present and empty')
            : fail(
                'Dead-letter queue',
                `${deadLetter} messages: cases that failed routing on every attempt`,
                "Read the router's log for their errors, fix the cause, then `npm run redrive -- --aws --outputs <file>`.",
              ),
      );
      return result;
    })),
  );

  checks.push(
    ...(await attempt('Officials', async () => {
      const ids = new Set(await sources.officialIds(expected.table));
      const missing = expected.officials.filter((id) => !ids.has(id));
      if (ids.size === 0)
        return fail(
          'Officials',
          'no officials in the table: every case would go to the coordinator',
          `npm run officials -- seed --aws --table ${expected.table} (or import a spreadsheet: npm run officials -- import <file.csv> --aws --table ${expected.table})`,
        );
      return missing.length === 0
        ? pass('Officials', `${ids.size} in the table, every official of the config among them`)
        : fail(
            'Officials',
            `${ids.size} in the table; not there from the config: ${missing.join(', ')}`,
            `npm run officials -- seed --aws --table ${expected.table}`,
          );
    })),
  );

  const topics: [string, string | undefined, string, string][] = [
    ['Alarm subscription', expected.alarmTopicArn, 'alarmEmail', 'alarms'],
    [
      'Business signals subscription',
      expected.businessTopicArn,
      'businessEmail',
      'breaches and cases nobody could take',
    ],
  ];
  for (const [title, arn, setting, what] of topics) {
    if (arn === undefined) continue;
    checks.push(
      ...(await attempt(title, async () => {
        const subscriptions = await sources.subscriptions(arn);
        if (subscriptions === undefined)
          return fail(title, `${arn}: no such topic`, 'Check the outputs file.');
        if (subscriptions.confirmed > 0)
          return pass(
            title,
            `${subscriptions.confirmed} confirmed${subscriptions.pending > 0 ? `, ${subscriptions.pending} waiting for confirmation` : ''}`,
          );
        return subscriptions.pending > 0
          ? fail(
              title,
              `${subscriptions.pending} waiting for confirmation`,
              'Click the link in the e-mail "AWS Notification - Subscription Confirmation".',
            )
          : fail(
              title,
              `nobody is subscribed: ${what} reach no one`,
              `Deploy with -c ${setting}=<address>, or subscribe to the topic yourself.`,
            );
      })),
    );
  }
  return checks;
}

/** The report as lines: ✓ or ✗, the check, what was found, and under each ✗ what to do. */
export function report(checks: readonly Check[]): string[] {
  const width = Math.max(...checks.map((c) => c.title.length));
  const lines = checks.flatMap((c) => [
    `${c.ok ? '✓' : '✗'} ${c.title.padEnd(width)}  ${c.found}`,
    ...(c.ok || c.fix === undefined ? [] : [`  ${' '.repeat(width)}  → ${c.fix}`]),
  ]);
  const failed = checks.filter((c) => !c.ok).length;
  return [
    ...lines,
    '',
    failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`,
  ];
}
