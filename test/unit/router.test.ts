import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { routeMessage } from '../../events/route-message.js';
import { assign, type Contact } from '../../functions/domain/case.js';
import type { CaseStore, Mailer } from '../../functions/domain/ports.js';
import {
  CaseNotFoundError,
  createRouteCase,
  createRouterHandler,
  type RouterDeps,
} from '../../functions/router/handler.js';
import { fixedClock, required, sampleRequest, staticOfficials, submittedCase } from '../support/cases.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { countingMetrics, memoryCaseStore, memoryMailer, silentLog } from '../support/fakes.js';

const NOW = '2025-03-03T09:02:00.000Z';
const AFTER_VISIBILITY_TIMEOUT = '2025-03-03T09:05:00.000Z';
// The sample asks for goals work (werk) and environment (duurzaamheid) and a partnership (economie):
// Anouk Jansen covers werk and economie, the lead department and one more.
const SAMPLE = 'AP-2345-6789';
// Goal care (zorg) with a partnership (economie): Lotte Visser and Sanne de Vries both cover only zorg,
// the tie goes to the lower id. Lotte reads English.
const CARE = 'AP-3456-789A';

function setup(overrides: Partial<RouterDeps> = {}) {
  const cases = memoryCaseStore();
  const mailer = memoryMailer();
  const metrics = countingMetrics();
  const deps: RouterDeps = {
    cases,
    officials: staticOfficials(municipality.officials),
    mailer,
    municipality,
    clock: fixedClock(NOW),
    log: silentLog,
    metrics,
    ...overrides,
  };
  return { cases, mailer, metrics, deps, handler: createRouterHandler(deps) };
}

async function store(cases: CaseStore, ...references: string[]) {
  for (const reference of references) {
    const request = reference === CARE ? sampleRequest({ goals: ['care'] }) : sampleRequest();
    await cases.create(submittedCase(reference, request));
  }
}

const message = (messageId: string, reference: string) =>
  sqsRecord(messageId, JSON.stringify(routeMessage(reference)));

describe('router', () => {
  it('tags the departments of the case, the first goal leading, with their reasons', async () => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    const routed = required(await cases.get(SAMPLE), 'routed case');
    expect(routed.tags).toEqual([
      { department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }] },
      { department: 'duurzaamheid', lead: false, reasons: [{ kind: 'goal', goal: 'environment' }] },
      { department: 'economie', lead: false, reasons: [{ kind: 'requestType', requestType: 'partnership' }] },
    ]);
  });

  it('assigns one official as the contact, at the time of the clock', async () => {
    const { handler, cases, metrics } = setup();
    await store(cases, SAMPLE);

    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const routed = required(await cases.get(SAMPLE), 'routed case');
    expect(routed).toMatchObject({
      status: 'assigned',
      assignedAt: NOW,
      contact: {
        kind: 'official',
        id: 'a-jansen',
        name: 'Anouk Jansen',
        email: 'a.jansen@voorbeeld.example',
        language: 'nl',
      },
    });
    expect(routed.nextAt).toBeUndefined();
    expect(routed.history).toContainEqual({
      type: 'assigned',
      at: NOW,
      contact: 'a-jansen',
      departments: ['werk', 'duurzaamheid', 'economie'],
    });
    expect(metrics.counts.get('CasesRouted')).toBe(1);
  });

  it('e-mails the contact once, from the municipality, naming the reference', async () => {
    const { handler, cases, mailer, metrics } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(mailer.sent).toHaveLength(1);
    const mail = required(mailer.sent[0], 'sent mail');
    expect(mail.to).toBe('a.jansen@voorbeeld.example');
    expect(mail.from).toBe(municipality.sender);
    expect(mail.subject).toContain(SAMPLE);
    expect(mail.text).toContain(SAMPLE);
    expect(metrics.counts.get('EmailsSent')).toBe(1);
  });

  it('records the sent e-mail in the notifications of the case', async () => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    const routed = required(await cases.get(SAMPLE), 'routed case');
    expect(routed.notifications).toEqual({ assignment: { at: NOW, messageId: 'message-1' } });
    expect(routed.history).toContainEqual({ type: 'notified', at: NOW, notification: 'assignment' });
  });

  it('sends no second e-mail and keeps the contact when the same message comes again', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);
    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());
    const first = required(await cases.get(SAMPLE), 'routed case');

    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(await cases.get(SAMPLE)).toEqual(first);
  });

  it('sends one e-mail when the same case arrives twice in one batch', async () => {
    // A duplicate delivery, or the SLA job re-queueing a case whose first message is still waiting.
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);

    const response = await handler(sqsEvent(message('m1', SAMPLE), message('m2', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(mailer.sent.map((m) => m.to)).toEqual(['a.jansen@voorbeeld.example']);
  });

  it('sends the e-mail on redelivery when the first delivery assigned the case but did not mail', async () => {
    const { cases, mailer } = setup();
    await store(cases, SAMPLE);
    const failing = setup({
      cases,
      mailer: {
        async send() {
          throw new Error('SES throttled');
        },
      },
    });
    await expect(failing.handler(sqsEvent(message('m1', SAMPLE)), lambdaContext())).rejects.toThrow();
    expect(required(await cases.get(SAMPLE), 'case').status).toBe('assigned');

    // SQS redelivers after the visibility timeout (180 s), when the failed sender's claim has expired.
    const { handler: later } = setup({ cases, mailer, clock: fixedClock(AFTER_VISIBILITY_TIMEOUT) });
    await later(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(mailer.sent.map((m) => m.to)).toEqual(['a.jansen@voorbeeld.example']);
    expect(required(await cases.get(SAMPLE), 'case').notifications.assignment).toBeDefined();
  });

  it('leaves the e-mail to a sender that holds a live claim, and retries the message later', async () => {
    // Prepare: another invocation claimed the assignment e-mail a moment ago and is sending it
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE, CARE);
    const other = setup({
      cases,
      mailer: {
        send: () => new Promise<string>(() => undefined), // still sending
      },
    });
    void other.handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Act: a duplicate of the message arrives in another invocation
    const response = await handler(sqsEvent(message('m2', SAMPLE), message('m3', CARE)), lambdaContext());

    // Assess: no second e-mail; only the duplicate is reported for a retry
    expect(mailer.sent.map((m) => m.subject).filter((s) => s.includes(SAMPLE))).toEqual([]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('reports only the message whose e-mail failed, and routes the rest of the batch', async () => {
    const mailer = memoryMailer();
    const flaky: Mailer = {
      async send(mail) {
        if (mail.subject.includes(CARE)) throw new Error('SES throttled');
        return mailer.send(mail);
      },
    };
    const { handler, cases } = setup({ mailer: flaky });
    await store(cases, SAMPLE, CARE);

    const response = await handler(sqsEvent(message('m1', SAMPLE), message('m2', CARE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(mailer.sent.map((m) => m.to)).toEqual(['a.jansen@voorbeeld.example']);
    expect(required(await cases.get(CARE), 'care case').notifications).toEqual({});
  });

  it('fails only the message that names a case it does not have', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);

    const response = await handler(
      sqsEvent(message('m1', 'AP-ZZZZ-ZZZZ'), message('m2', SAMPLE)),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(mailer.sent).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'case AP-2345-6789 please'],
    ['of an unknown version', JSON.stringify({ type: 'case.submitted', version: 2, reference: CARE })],
    ['with an extra field', JSON.stringify({ ...routeMessage(CARE), priority: 'high' })],
  ])('fails only a message body that is %s', async (_, body) => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE, CARE);

    const response = await handler(
      sqsEvent(sqsRecord('bad', body), message('good', SAMPLE)),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(required(await cases.get(SAMPLE), 'sample case').status).toBe('assigned');
    expect(required(await cases.get(CARE), 'care case').status).toBe('submitted');
  });

  it('throws when every message of the batch fails, so the whole batch is retried', async () => {
    const { handler } = setup();

    const invocation = handler(sqsEvent(message('m1', 'AP-ZZZZ-ZZZZ')), lambdaContext());

    await expect(invocation).rejects.toThrow();
  });

  it('keeps the contact a racing router chose and mails that contact once', async () => {
    const store = memoryCaseStore();
    const other: Contact = {
      kind: 'official',
      id: 'm-bakker',
      name: 'Mohamed Bakker',
      email: 'm.bakker@voorbeeld.example',
      language: 'nl',
    };
    // The other router assigns just before this one: this one's conditional write finds the case taken.
    const racing: CaseStore = {
      ...store,
      async assign(a) {
        const c = required(await store.get(a.reference), 'case');
        await store.assign(assign(c, a.tags, other, new Date('2025-03-03T09:01:59.000Z')));
        return store.assign(a);
      },
    };
    const { handler, mailer, metrics } = setup({ cases: racing });
    await store.create(submittedCase(SAMPLE));

    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(required(await store.get(SAMPLE), 'case').contact).toEqual(other);
    expect(mailer.sent.map((m) => m.to)).toEqual(['m.bakker@voorbeeld.example']);
    expect(metrics.counts.get('CasesRouted')).toBeUndefined();
  });

  it('makes the coordinator the contact when no official covers the departments', async () => {
    const elsewhere = municipality.officials.filter(
      (o) => !o.departments.some((d) => ['werk', 'duurzaamheid', 'economie'].includes(d)),
    );
    const { handler, cases, mailer, metrics } = setup({ officials: staticOfficials(elsewhere) });
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(elsewhere.length).toBeGreaterThan(0);
    expect(required(await cases.get(SAMPLE), 'case').contact).toEqual({
      kind: 'coordinator',
      id: 'coordinator',
      name: municipality.coordinator.name,
      email: municipality.coordinator.email,
      language: municipality.coordinator.language,
    });
    expect(mailer.sent.map((m) => m.to)).toEqual([municipality.coordinator.email]);
    expect(metrics.counts.get('NoOfficialAvailable')).toBe(1);
  });

  it('writes the e-mail in the language of the official', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, CARE);

    await handler(sqsEvent(message('m1', CARE)), lambdaContext());

    const mail = required(mailer.sent[0], 'sent mail');
    expect(mail.to).toBe('l.visser@voorbeeld.example');
    expect(mail.subject).toBe(`New request ${CARE}: you are the point of contact for De Groene Fietsfabriek`);
  });
});

describe('routeCase', () => {
  it('throws CaseNotFoundError for a reference it does not have', async () => {
    const { deps } = setup();
    const routeCase = createRouteCase(deps);

    const routing = routeCase('AP-ZZZZ-ZZZZ');

    await expect(routing).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});
