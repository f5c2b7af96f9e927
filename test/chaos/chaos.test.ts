import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { Declaration } from '../../functions/declaration.js';
import type { Case } from '../../functions/domain/case.js';
import { routingNotifications } from '../../functions/domain/mail/notifications.js';
import { notificationKey } from '../../functions/domain/notification-kind.js';
import { FAULTS_ENV, injectedFaults } from '../../infra/local/instrumentation/faults.js';
import {
  type RoutingSystem,
  requestBody,
  startRoutingSystem,
  withQuickRedelivery,
} from '../support/local.js';
import { readMailbox, type StoredEmail } from '../support/mailbox.js';

/**
 * The chaos run (`npm run test:chaos`): CHAOS_CASES (default 1,000) cases through the local system while
 * faults are injected: SES answers ~10% of its HTTP attempts with its throttling error, the router fails
 * before ~2% of its e-mails (after the assignment write, as a crash mid-batch would), and the SQS and
 * DynamoDB emulators are restarted while cases come in (the restarted SQS is empty: queued messages are
 * lost). Recovery is the product's own: redelivery, partial batch responses, the DLQ, and the SLA job, replayed
 * at later moments, which queues again what was not routed or not fully mailed. Then the final count from
 * the table, the SES emulator's store and the DLQ.
 */
const CASES = Number(process.env.CHAOS_CASES ?? 1000);
const CONCURRENCY = 16;
const FAULTS = process.env[FAULTS_ENV] ?? 'ses-throttle:0.1,router-crash:0.02';
/**
 * Every case comes from this machine, some more than once (a submission the faults failed is sent again):
 * the run sets limits of its own, far above its load, so that what it measures is routing, not the limits.
 */
const chaosMunicipality = {
  ...municipality,
  intakeLimits: { requestsPerSourcePerHour: CASES * 10, requestsPerEmailPerDay: 100 },
};
/**
 * Redelivery after 60 s instead of the declared 180 s, with the declared maxReceiveCount (5): a crashed
 * router's 60 s sending lease has passed by the next receive. The router's timeout is cut to 10 s to keep
 * the visibility timeout at 6x the function's timeout, as the declaration requires (else a slow batch is
 * received again while it still runs).
 */
const VISIBILITY_SECONDS = 60;
const ROUTER_TIMEOUT_SECONDS = 10;

function chaosDeclaration(): Declaration {
  const quick = withQuickRedelivery(VISIBILITY_SECONDS);
  const router = quick.functions.router;
  if (router === undefined) throw new Error('the declaration has no router');
  return {
    ...quick,
    functions: { ...quick.functions, router: { ...router, timeoutSeconds: ROUTER_TIMEOUT_SECONDS } },
  };
}
const SLA_STEP_MS = 10 * 60_000;
const MAX_SLA_RUNS = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REFERENCE = /AP-[A-Z0-9]{4}-[A-Z0-9]{4}/;

describe('chaos: cases through the local system while it breaks', () => {
  let local: RoutingSystem;
  let sqs: SQSClient;
  const previousFaults = process.env[FAULTS_ENV];

  beforeAll(async () => {
    // Read by the handlers at cold start, which is when the system starts.
    process.env[FAULTS_ENV] = FAULTS;
    local = await startRoutingSystem('chaos', {
      declaration: chaosDeclaration(),
      municipality: chaosMunicipality,
    });
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: local.system.urls.sqs,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterAll(async () => {
    sqs?.destroy();
    await local?.stop();
    if (previousFaults === undefined) delete process.env[FAULTS_ENV];
    else process.env[FAULTS_ENV] = previousFaults;
  });

  const attribute = async (queueUrl: string, name: 'ApproximateNumberOfMessages') => {
    const result = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [name] }),
    );
    return Number(result.Attributes?.[name] ?? Number.NaN);
  };

  /** Waits until the route queue holds nothing, visible or in flight (the emulator counts both). */
  async function drained(): Promise<void> {
    let quiet = 0;
    while (quiet < 3) {
      const depth = await attribute(local.system.queues.route.url, 'ApproximateNumberOfMessages').catch(
        () => Number.NaN,
      );
      quiet = depth === 0 ? quiet + 1 : 0;
      await sleep(500);
    }
  }

  /** One case from intake to 202, retried with the same Idempotency-Key while the system is down. */
  async function submit(i: number): Promise<string> {
    const goal = municipality.goals[i % municipality.goals.length]?.id ?? 'none';
    const type = municipality.requestTypes[i % municipality.requestTypes.length]?.id ?? 'none';
    const body = JSON.stringify(
      requestBody({
        kvkNumber: String(20_000_000 + i),
        goals: [goal],
        requestType: type,
        description: `Chaos-aanvraag ${i}: wij willen mensen met afstand tot de arbeidsmarkt een baan bieden.`,
        language: i % 3 === 0 ? 'en' : 'nl',
      }),
    );
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${local.system.urls.intake}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
      }).catch((error: unknown) => error as Error);
      if (!(response instanceof Error) && response.status === 202)
        return ((await response.json()) as { reference: string }).reference;
      if (!(response instanceof Error) && response.status < 500)
        throw new Error(`POST /cases answered ${response.status}: ${await response.text()}`);
      if (attempt >= 30) throw new Error(`POST /cases kept failing for case ${i}`);
      await sleep(250);
    }
  }

  it(`routes every accepted case once and sends every e-mail once (${CASES} cases)`, async () => {
    const started = Date.now();

    // Act 1: submit, and restart SQS at a third and DynamoDB at two thirds of the way
    const accepted = new Set<string>();
    const restarts: Promise<void>[] = [];
    const restarted = { sqs: 0, dynamodb: 0 };
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${Math.round((Date.now() - started) / 1000)} s`);
    const at = (ms: number) => `${Math.round((ms - started) / 100) / 10} s`;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES) {
          const i = next++;
          if (i === Math.floor(CASES / 3))
            restarts.push(
              local.system.restart('sqs').then(() => {
                restarted.sqs++;
                phase('sqs restarted');
              }),
            );
          if (i === Math.floor((2 * CASES) / 3))
            restarts.push(
              local.system.restart('dynamodb').then(() => {
                restarted.dynamodb++;
                phase('dynamodb restarted');
              }),
            );
          accepted.add(await submit(i));
        }
      }),
    );
    await Promise.all(restarts);
    phase('submitted');
    await drained();
    phase('drained');

    // Act 2: the SLA job at later moments, until it finds nothing more to queue
    const sla = { runs: 0, requeued: 0 };
    for (let run = 1; run <= MAX_SLA_RUNS; run++) {
      const result = (await local.system.invoke('sla', {
        scheduledTime: new Date(Date.now() + run * SLA_STEP_MS).toISOString(),
      })) as { requeued: number; failed: number };
      sla.runs++;
      sla.requeued += result.requeued;
      await drained();
      phase(`SLA run ${run} (queued again ${result.requeued})`);
      if (result.requeued === 0 && result.failed === 0) break;
    }

    // Assess: the cases, from the table
    const cases = new Map<string, Case | undefined>();
    for (const reference of accepted) cases.set(reference, await local.cases.get(reference));
    const routed = [...cases.values()].filter(
      (c) =>
        c !== undefined &&
        c.status === 'assigned' &&
        c.contact !== undefined &&
        c.history.filter((h) => h.type === 'assigned').length === 1,
    ).length;

    // Assess: the e-mails, from the SES emulator's store, by (recipient, case, kind)
    const mails = await readMailbox(local.system.urls.mailbox);
    const byKey = new Map<string, StoredEmail[]>();
    const unexpected: string[] = [];
    const expected = new Map<string, { reference: string; kind: string; messageId?: string }>();
    for (const [reference, c] of cases) {
      if (c?.contact === undefined) continue;
      for (const n of routingNotifications(c, c.contact, municipality, undefined)) {
        const kind = notificationKey(n.kind);
        expected.set(`${n.mail.to}\n${reference}\n${kind}`, {
          reference,
          kind,
          messageId: c.notifications[kind]?.messageId,
        });
      }
    }
    for (const mail of mails) {
      const reference = mail.subject.match(REFERENCE)?.[0];
      const c = reference === undefined ? undefined : cases.get(reference);
      const kinds =
        c?.contact === undefined
          ? []
          : routingNotifications(c, c.contact, municipality, undefined)
              .filter((n) => n.mail.subject === mail.subject && mail.destination.to.includes(n.mail.to))
              .map((n) => `${n.mail.to}\n${reference}\n${notificationKey(n.kind)}`);
      const key = kinds[0];
      if (kinds.length !== 1 || key === undefined) {
        unexpected.push(`${mail.destination.to.join(',')}: ${mail.subject}`);
        continue;
      }
      byKey.set(key, [...(byKey.get(key) ?? []), mail]);
    }
    const doubled = [...byKey].filter(([, list]) => list.length > 1);
    const duplicates = [...byKey.values()].reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);
    const missing = [...expected.keys()].filter((key) => !byKey.has(key));
    // Every recorded e-mail is one the store holds, to that recipient.
    const unrecorded = [...expected].filter(
      ([key, e]) =>
        e.messageId === undefined || !(byKey.get(key) ?? []).some((m) => m.messageId === e.messageId),
    );

    // Assess: the DLQ, each message with why it is there
    const deadLetterUrl = local.system.queues.route.deadLetterUrl;
    const inDlq = await attribute(deadLetterUrl, 'ApproximateNumberOfMessages');
    const dlqReasons: string[] = [];
    if (inDlq > 0) {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      // The emulator may return one message more than once in a receive.
      const unique = new Map((received.Messages ?? []).map((m) => [m.MessageId, m]));
      for (const m of unique.values()) {
        const reference = (m.Body ?? '').match(REFERENCE)?.[0] ?? '?';
        const c = cases.get(reference);
        // What the message was (its deferrals; the status link's token left out) and the errors the runtime
        // saw for its case, by name: why it failed its receives.
        const { statusUrl: _token, ...body } = JSON.parse(m.Body ?? '{}') as Record<string, unknown>;
        const errorNames = local.errors
          .filter((e) => e instanceof Error && e.message.includes(reference))
          .map((e) => (e as Error).name);
        dlqReasons.push(
          `${reference}: ${
            c === undefined
              ? 'case not found'
              : `${c.status}, e-mails recorded ${Object.keys(c.notifications).length}`
          }; message ${JSON.stringify(body)}; errors ${errorNames.join(', ') || 'none seen'}`,
        );
      }
    }

    const lost = accepted.size - routed + missing.length;
    const seconds = Math.round((Date.now() - started) / 1000);
    const faults = [...injectedFaults].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
    console.log(
      [
        `accepted ${accepted.size}, routed ${routed}, lost ${lost}, duplicate e-mails ${duplicates}, in DLQ ${inDlq}`,
        `chaos: ${CASES} cases, ${mails.length} e-mails (${expected.size} expected), faults injected: ${faults}; ` +
          `restarts: sqs ${restarted.sqs}, dynamodb ${restarted.dynamodb}; SLA runs ${sla.runs} (queued again ${sla.requeued}); ` +
          `${seconds} s`,
        `chaos phases: ${phases.join(', ')}`,
        `chaos intake limits (its own, in its municipality config): ${chaosMunicipality.intakeLimits.requestsPerSourcePerHour} per source per hour, ${chaosMunicipality.intakeLimits.requestsPerEmailPerDay} per e-mail address per day`,
        ...doubled
          .slice(0, 10)
          .map(
            ([key, list]) =>
              `duplicate e-mail: ${key.replaceAll('\n', ' ')} sent at ${list.map((m) => at(m.at * 1000)).join(', ')}, ` +
              `recorded ${expected.get(key)?.messageId ?? 'none'}, sent ${list.map((m) => m.messageId).join(', ')}`,
          ),
        ...missing.slice(0, 10).map((key) => `missing e-mail: ${key.replaceAll('\n', ' ')}`),
        ...unrecorded
          .slice(0, 10)
          .map(([key]) => `recorded e-mail not in the store: ${key.replaceAll('\n', ' ')}`),
        ...unexpected.slice(0, 10).map((line) => `unexpected e-mail: ${line}`),
        ...dlqReasons.map((line) => `in DLQ: ${line}`),
      ].join('\n'),
    );

    expect(accepted.size).toBe(CASES);
    expect(routed).toBe(accepted.size);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(missing).toEqual([]);
    expect(unrecorded.map(([key]) => key)).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(inDlq).toBe(0);
    // The faults happened: both emulators went down, and (with enough cases to draw from) SES throttled.
    expect(restarted).toEqual({ sqs: 1, dynamodb: 1 });
    if (CASES >= 100 && FAULTS.includes('ses-throttle'))
      expect(injectedFaults.get('ses-throttle') ?? 0).toBeGreaterThan(0);
  }, 900_000);
});
