import { describe, expect, it } from 'vitest';
import { municipality as configured } from '../../config/index.js';
import type { CaseRequest } from '../../events/case-request.js';
import { routeMessage } from '../../events/route-message.js';
import { assign, type Contact, historyOf, ROUTING_GRACE_MS } from '../../functions/domain/case.js';
import type { CaseStore, Mailer } from '../../functions/domain/ports.js';
import { MailDeferredError, MailRejectedError } from '../../functions/domain/ports.js';
import {
  CaseNotFoundError,
  createRouteCase,
  createRouterHandler,
  type RouterDeps,
} from '../../functions/router/handler.js';
import {
  fixedClock,
  required,
  SUBMITTED_AT,
  sampleRequest,
  staticOfficials,
  submittedCase,
} from '../support/cases.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import {
  countedStore,
  countingMetrics,
  failingMailer,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  memoryQueue,
  silentLog,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';
import { informingAtOnce } from '../support/municipalities.js';

/** Every department informed by an e-mail per case (`immediate`): the behaviour before the daily digests. */
const municipality = informingAtOnce(configured);

const NOW = '2025-03-03T09:02:00.000Z';
const AFTER_VISIBILITY_TIMEOUT = '2025-03-03T09:05:00.000Z';
// The sample asks for goals work (werk) and environment (duurzaamheid) and a partnership (economie), and
// its description mentions "hergebruik" (duurzaamheid again): Anouk Jansen covers werk and economie, the
// lead department and one more. She is informed herself; duurzaamheid gets an e-mail of its own.
const SAMPLE = 'AP-2345-6789';
const SAMPLE_RECIPIENTS = [
  'a.jansen@voorbeeld.example',
  'duurzaamheid@voorbeeld.example',
  'marieke@groenefietsfabriek.example',
];
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
    digests: memoryDigestStore(),
    mailer,
    queue: memoryQueue(),
    municipality,
    clock: fixedClock(NOW),
    links: testLinks(fixedClock(NOW)),
    satisfactionLinks: testSatisfactionLinks(fixedClock(NOW)),
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

/** Another enterprise than the sample's, with its own KvK number and e-mail address. */
const enterprise = (kvkNumber: string, changes: Partial<CaseRequest> = {}): CaseRequest => {
  const sample = sampleRequest();
  return {
    ...sample,
    organisation: { name: `Onderneming ${kvkNumber}`, kvkNumber },
    contact: { ...sample.contact, email: `kvk${kvkNumber}@onderneming.example` },
    ...changes,
  };
};

const recipientsOf = (sent: readonly { to: string; subject: string }[], reference: string) =>
  sent
    .filter((m) => m.subject.includes(reference))
    .map((m) => m.to)
    .sort();

const message = (messageId: string, reference: string, statusUrl?: string) =>
  sqsRecord(messageId, JSON.stringify(routeMessage(reference, statusUrl)));

describe('router', () => {
  it('tags the departments of the case, the first goal leading, with their reasons', async () => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    const routed = required(await cases.get(SAMPLE), 'routed case');
    expect(routed.tags).toEqual([
      { department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }] },
      {
        department: 'duurzaamheid',
        lead: false,
        reasons: [
          { kind: 'goal', goal: 'environment' },
          { kind: 'keyword', keyword: 'hergebruik', matched: 'hergebruik' },
        ],
      },
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
        departments: ['economie', 'werk'],
      },
    });
    // Every e-mail went out, so the SLA job looks again at the first reminder (not after the routing grace).
    expect(routed.nextAt).toBe(routed.clocks.firstContact?.steps.reminder);
    expect(routed.history.filter((h) => h.type === 'assigned')).toEqual([
      {
        type: 'assigned',
        version: 1,
        at: NOW,
        contact: 'a-jansen',
        departments: ['werk', 'duurzaamheid', 'economie'],
        choice: 'coverage',
      },
    ]);
    expect(metrics.counts.get('CasesRouted')).toBe(1);
    // Submitted at 09:00, assigned at 09:02.
    expect(metrics.durations.get('RoutingLatency')).toEqual([120_000]);
  });

  it('e-mails the contact once, from the municipality, naming the reference', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    const toContact = mailer.sent.filter((m) => m.to === 'a.jansen@voorbeeld.example');
    expect(toContact).toHaveLength(1);
    const mail = required(toContact[0], 'mail to the contact');
    expect(mail.from).toBe(municipality.sender);
    expect(mail.subject).toBe(
      `Nieuwe aanvraag ${SAMPLE}: u bent het aanspreekpunt voor De Groene Fietsfabriek`,
    );
    expect(mail.text).toContain(SAMPLE);
  });

  it('e-mails the contact, each tagged department outside theirs, and the enterprise: one e-mail each', async () => {
    const { handler, cases, mailer, metrics } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    // werk and economie are Anouk Jansen's own departments: only duurzaamheid is informed by mail.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
    expect(mailer.sent.every((m) => m.from === municipality.sender && m.subject.includes(SAMPLE))).toBe(true);
    expect(metrics.counts.get('EmailsSent')).toBe(3);
  });

  it('tells the informed department who coordinates, and the enterprise who their one contact is', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);

    await handler(
      sqsEvent(message('m1', SAMPLE, 'https://aanspreekpunt.example/cases/x?token=t')),
      lambdaContext(),
    );

    const department = required(
      mailer.sent.find((m) => m.to === 'duurzaamheid@voorbeeld.example'),
      'mail to duurzaamheid',
    );
    const forEnterprise = required(
      mailer.sent.find((m) => m.to === 'marieke@groenefietsfabriek.example'),
      'mail to the enterprise',
    );
    expect(department.replyTo).toBe('a.jansen@voorbeeld.example');
    expect(department.text).toContain('Anouk Jansen is het vaste aanspreekpunt');
    expect(department.text).toContain('trefwoord: hergebruik');
    expect(forEnterprise.subject).toBe(
      `Uw aanvraag ${SAMPLE} bij ${municipality.name}: uw vaste contactpersoon is Anouk Jansen`,
    );
    expect(forEnterprise.replyTo).toBe('a.jansen@voorbeeld.example');
    expect(forEnterprise.text).toContain('Anouk Jansen (a.jansen@voorbeeld.example)');
    expect(forEnterprise.text).toContain('https://aanspreekpunt.example/cases/x?token=t');
  });

  it('records each sent e-mail by kind in the notifications of the case', async () => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE);

    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    const routed = required(await cases.get(SAMPLE), 'routed case');
    expect(routed.notifications).toEqual({
      assignment: { at: NOW, messageId: 'message-1' },
      'department:duurzaamheid': { at: NOW, messageId: 'message-2' },
      enterprise: { at: NOW, messageId: 'message-3' },
    });
    // The history shows each e-mail, from its record: the stored history holds the actions only.
    expect(historyOf(routed).filter((h) => h.type === 'notified')).toEqual([
      { type: 'notified', version: 1, at: NOW, notification: 'assignment' },
      { type: 'notified', version: 1, at: NOW, notification: 'department:duurzaamheid' },
      { type: 'notified', version: 1, at: NOW, notification: 'enterprise' },
    ]);
    expect(routed.history.map((h) => h.type)).toEqual(['submitted', 'assigned']);
  });

  it('sends no second e-mail and keeps the contact when the same message comes again', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);
    await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());
    const first = required(await cases.get(SAMPLE), 'routed case');

    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
    expect(await cases.get(SAMPLE)).toEqual(first);
  });

  it('sends each e-mail once when the same case arrives twice in one batch', async () => {
    // A duplicate delivery, or the SLA job re-queueing a case whose first message is still waiting.
    const { handler, cases, mailer } = setup();
    await store(cases, SAMPLE);

    const response = await handler(sqsEvent(message('m1', SAMPLE), message('m2', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
  });

  it('sends the e-mails on redelivery when the first delivery assigned the case but did not mail', async () => {
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

    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
    expect(Object.keys(required(await cases.get(SAMPLE), 'case').notifications).sort()).toEqual([
      'assignment',
      'department:duurzaamheid',
      'enterprise',
    ]);
  });

  it("leaves the e-mail to a sender that holds a live claim, and puts the message off until the claim's lease ran out", async () => {
    // Prepare: another invocation claimed the assignment e-mail a moment ago and is sending it
    const queue = memoryQueue();
    const { handler, cases, mailer, metrics } = setup({ queue, random: () => 0.5 });
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

    // Assess: no second e-mail; the duplicate comes back as a new message once the other's lease (60 s) has
    // passed (so its receives are not spent on another's claim), and it succeeds now
    expect(mailer.sent.map((m) => m.subject).filter((s) => s.includes(SAMPLE))).toEqual([]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(queue.sent).toEqual([routeMessage(SAMPLE)]);
    expect(queue.delays).toEqual([65]);
    expect(metrics.counts.get('RoutingAwaitedSender')).toBe(1);
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
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
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
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(SAMPLE_RECIPIENTS);
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
      departments: ['werk'],
    };
    // The other router assigns just before this one: this one's conditional write finds the case taken.
    const racing: CaseStore = {
      ...store,
      async assign(a) {
        const c = required(await store.get(a.reference), 'case');
        await store.assign(
          assign(
            c,
            a.tags,
            { contact: other, choice: 'coverage' },
            new Date('2025-03-03T09:01:59.000Z'),
            municipality.sla,
          ),
        );
        return store.assign(a);
      },
    };
    const { handler, mailer, metrics } = setup({ cases: racing });
    await store.create(submittedCase(SAMPLE));

    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(required(await store.get(SAMPLE), 'case').contact).toEqual(other);
    // The e-mails follow the stored contact: Mohamed Bakker is not in duurzaamheid or economie.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([
      'duurzaamheid@voorbeeld.example',
      'economie@voorbeeld.example',
      'm.bakker@voorbeeld.example',
      'marieke@groenefietsfabriek.example',
    ]);
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
    // The coordinator is in no department: every tagged department is informed.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([
      municipality.coordinator.email,
      'duurzaamheid@voorbeeld.example',
      'economie@voorbeeld.example',
      'marieke@groenefietsfabriek.example',
      'werk@voorbeeld.example',
    ]);
    expect(metrics.counts.get('NoOfficialAvailable')).toBe(1);
  });

  it('writes the e-mail in the language of the official', async () => {
    const { handler, cases, mailer } = setup();
    await store(cases, CARE);

    await handler(sqsEvent(message('m1', CARE)), lambdaContext());

    const mail = required(
      mailer.sent.find((m) => m.to === 'l.visser@voorbeeld.example'),
      'mail to Lotte Visser',
    );
    expect(mail.subject).toBe(`New request ${CARE}: you are the point of contact for De Groene Fietsfabriek`);
  });

  it('keeps the contact of an earlier case of the same enterprise, even for other departments', async () => {
    // Prepare: the enterprise's work case went to Anouk Jansen; its new case is about care only
    const { handler, cases, mailer } = setup();
    await cases.create(submittedCase('AP-2222-2222', enterprise('40000001', { goals: ['work'] })));
    await handler(sqsEvent(message('m1', 'AP-2222-2222')), lambdaContext());
    const later = new Date(SUBMITTED_AT.getTime() + 60_000);
    const care = enterprise('40000001', {
      goals: ['care'],
      requestType: 'question',
      description: 'Dagbesteding.',
    });
    await cases.create(submittedCase('AP-3333-3333', care, later));

    // Act
    await handler(sqsEvent(message('m2', 'AP-3333-3333')), lambdaContext());

    // Assess: the same contact, kept on purpose; zorg is informed
    const routed = required(await cases.get('AP-3333-3333'), 'care case');
    expect(routed.contact?.id).toBe('a-jansen');
    expect(routed.history).toContainEqual(
      expect.objectContaining({ type: 'assigned', choice: 'continuity' }),
    );
    expect(recipientsOf(mailer.sent, 'AP-3333-3333')).toEqual([
      'a.jansen@voorbeeld.example',
      'kvk40000001@onderneming.example',
      'zorg@voorbeeld.example',
    ]);
  });

  it('hands an enterprise to the deputy while its earlier contact is away, naming whom they stand in for', async () => {
    // Prepare: Ruben Bos (away 2026-11-23 to 2027-01-08 in the example) was the enterprise's contact
    const { cases, mailer } = setup();
    const earlier = submittedCase('AP-4444-4444', enterprise('40000002', { goals: ['work'] }));
    const bos = required(
      municipality.officials.find((o) => o.id === 'r-bos'),
      'r-bos',
    );
    await cases.create(earlier);
    const { id, name, email, language, departments } = bos;
    await cases.assign(
      assign(
        earlier,
        [],
        { contact: { kind: 'official', id, name, email, language, departments }, choice: 'coverage' },
        SUBMITTED_AT,
        municipality.sla,
      ),
    );
    await cases.create(submittedCase('AP-5555-5555', enterprise('40000002', { goals: ['work'] })));
    const { handler } = setup({ cases, mailer, clock: fixedClock('2026-12-01T09:00:00.000Z') });

    // Act
    await handler(sqsEvent(message('m1', 'AP-5555-5555')), lambdaContext());

    // Assess: his deputy Fatma Yılmaz stands in
    const routed = required(await cases.get('AP-5555-5555'), 'case');
    expect(routed.contact?.id).toBe('f-yilmaz');
    expect(routed.history).toContainEqual(
      expect.objectContaining({
        type: 'assigned',
        version: 1,
        contact: 'f-yilmaz',
        choice: 'deputy',
        standsInFor: 'r-bos',
      }),
    );
    expect(recipientsOf(mailer.sent, 'AP-5555-5555')).toContain('f.yilmaz@voorbeeld.example');
  });

  it('spreads cases over equally placed officials by their open cases', async () => {
    // Prepare: two care cases of different enterprises; Lotte Visser and Sanne de Vries both cover zorg
    const { handler, cases } = setup();
    const care = (kvk: string) =>
      enterprise(kvk, { goals: ['care'], requestType: 'question', description: 'Zorg.' });
    await cases.create(submittedCase('AP-6666-6666', care('40000003')));
    await cases.create(submittedCase('AP-7777-7777', care('40000004')));

    // Act: one after the other
    await handler(sqsEvent(message('m1', 'AP-6666-6666')), lambdaContext());
    await handler(sqsEvent(message('m2', 'AP-7777-7777')), lambdaContext());

    // Assess: the first goes to the lower id, the second to the one with room (0 of 20 before 1 of 15)
    const first = required(await cases.get('AP-6666-6666'), 'first');
    const second = required(await cases.get('AP-7777-7777'), 'second');
    expect([first.contact?.id, second.contact?.id]).toEqual(['l-visser', 's-devries']);
  });

  it('completes the other four cases of a batch of five when SES fails for one, which completes on redelivery without duplicates', async () => {
    // Prepare: five cases of five enterprises; SES fails the department e-mail of the third, after its
    // contact has been mailed
    const references = ['AP-2345-6781', 'AP-2345-6782', 'AP-2345-6783', 'AP-2345-6784', 'AP-2345-6785'];
    const failing = required(references[2], 'the third reference');
    const flaky = failingMailer(
      (mail) => mail.subject.includes(failing) && mail.to === 'duurzaamheid@voorbeeld.example',
    );
    const { handler, cases } = setup({ mailer: flaky });
    for (const [i, reference] of references.entries())
      await cases.create(submittedCase(reference, enterprise(`5000000${i}`)));
    const batch = sqsEvent(...references.map((reference, i) => message(`m${i}`, reference)));

    // Act: the batch, then SQS redelivers the failed message after its visibility timeout
    const response = await handler(batch, lambdaContext());
    const mailer = memoryMailer();
    const { handler: later } = setup({ cases, mailer, clock: fixedClock(AFTER_VISIBILITY_TIMEOUT) });
    const redelivery = await later(sqsEvent(message('m2', failing)), lambdaContext());

    // Assess: only the failed message came back; every case mailed each recipient exactly once
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(redelivery).toEqual({ batchItemFailures: [] });
    const sent = [...flaky.sent, ...mailer.sent];
    for (const [i, reference] of references.entries())
      expect(recipientsOf(sent, reference)).toEqual([
        'a.jansen@voorbeeld.example',
        'duurzaamheid@voorbeeld.example',
        `kvk5000000${i}@onderneming.example`,
      ]);
    // The e-mails of a case go out in parallel: the redelivery sends only the one that failed.
    expect(recipientsOf(mailer.sent, failing)).toEqual(['duurzaamheid@voorbeeld.example']);
    for (const reference of references)
      expect(Object.keys(required(await cases.get(reference), reference).notifications)).toHaveLength(3);
  });

  it('leaves the SLA job its look after the routing grace while an e-mail is missing, and drops it once all went out', async () => {
    const flaky = failingMailer((mail) => mail.to === 'duurzaamheid@voorbeeld.example');
    const { deps, cases } = setup({ mailer: flaky });
    await store(cases, SAMPLE);

    await expect(createRouteCase(deps)(SAMPLE)).rejects.toThrow();
    const missing = required(await cases.get(SAMPLE), 'case');
    await createRouteCase({ ...deps, mailer: memoryMailer(), clock: fixedClock(AFTER_VISIBILITY_TIMEOUT) })(
      SAMPLE,
    );
    const complete = required(await cases.get(SAMPLE), 'case');

    expect(missing.nextAt).toBe(new Date(Date.parse(NOW) + ROUTING_GRACE_MS).toISOString());
    expect(complete.nextAt).toBe(complete.clocks.firstContact?.steps.reminder);
  });

  it('gives up the claim of an e-mail SES refused, so a redelivery within the lease sends it; after a timeout the lease stays and the redelivery waits it out', async () => {
    // Prepare: the department e-mail of the sample is refused once (throttled), or times out once
    for (const failure of ['refused', 'timeout'] as const) {
      let failed = false;
      const inner = memoryMailer();
      const mailer = {
        sent: inner.sent,
        async send(mail: Parameters<typeof inner.send>[0]) {
          if (!failed && mail.to === 'duurzaamheid@voorbeeld.example') {
            failed = true;
            throw failure === 'refused'
              ? new MailRejectedError('SES refused the e-mail (TooManyRequestsException)', undefined)
              : new Error('socket timeout');
          }
          return inner.send(mail);
        },
      };
      const queue = memoryQueue();
      const { handler, cases } = setup({ mailer, queue });
      await cases.create(submittedCase(SAMPLE));

      // Act: the message fails, and comes back at the same moment (well within the 60 s lease)
      // (a batch whose every record failed throws, and SQS redelivers all of it)
      const deliver = () => handler(sqsEvent(message('m1', SAMPLE)), lambdaContext()).catch(() => 'failed');
      const first = await deliver();
      const again = await deliver();

      // Assess
      expect(first, failure).toBe('failed');
      if (failure === 'refused') {
        expect(again, failure).toEqual({ batchItemFailures: [] });
        expect(recipientsOf(mailer.sent, SAMPLE)).toEqual(SAMPLE_RECIPIENTS);
      } else {
        // It may have gone out: nobody sends it again until the lease has passed, and the message comes
        // back once it has (a new message, delayed past the lease)
        expect(again, failure).toEqual({ batchItemFailures: [] });
        expect(recipientsOf(mailer.sent, SAMPLE)).not.toContain('duurzaamheid@voorbeeld.example');
        expect(queue.delays).toEqual([expect.any(Number)]);
        expect(queue.delays[0]).toBeGreaterThanOrEqual(60);
      }
    }
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

describe('router: the lean path and capacity', () => {
  const work = (i: number) =>
    enterprise(`6${String(i).padStart(7, '0')}`, {
      goals: ['work'],
      requestType: 'question',
      description: 'Wij zoeken werkplekken voor mensen met een afstand tot de arbeidsmarkt.',
    });

  it('routes a batch with five store calls per case and one e-mail per recipient, counts read once per batch', async () => {
    // Prepare: ten cases of ten enterprises, all for the werk department
    const { cases, calls } = countedStore();
    const { handler, mailer } = setup({ cases });
    const references = Array.from({ length: 10 }, (_, i) => `AP-2345-${String(2222 + i * 111).slice(0, 4)}`);
    for (const [i, reference] of references.entries()) await cases.create(submittedCase(reference, work(i)));
    calls.clear();

    // Act
    const response = await handler(
      sqsEvent(...references.map((reference, i) => message(`m${i}`, reference))),
      lambdaContext(),
    );

    // Assess: per case the case, the earlier contact, the assignment with its claims, one read of the
    // suppression list for all its recipients, the record; the two werk officials' counts once for the
    // batch; no per-e-mail claim, read or record, no separate schedule
    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(calls)).toEqual({
      get: 10,
      lastContactOf: 10,
      assign: 10,
      suppressed: 10,
      recordNotifications: 10,
      openCaseCount: 2,
    });
    expect(mailer.sent).toHaveLength(20); // the contact and the enterprise (werk is the contact's own)
    for (const reference of references) {
      const c = required(await cases.get(reference), reference);
      expect(c.sending).toEqual({});
      expect(Object.keys(c.notifications).sort()).toEqual(['assignment', 'enterprise']);
      expect(c.nextAt).toBe(c.clocks.firstContact?.steps.reminder);
    }
  });

  it('spreads 2,000 cases that all lead to werk over its officials by capacity, and tells of the full department once a day', async () => {
    // Prepare: Anouk Jansen (capacity 25) and Mark Bakker (capacity 20) are werk's officials
    const { cases, calls } = countedStore();
    const { handler, metrics } = setup({ cases });
    const total = 2_000;
    const references = Array.from(
      { length: total },
      (_, i) => `AP-${(2_000 + i).toString(32).toUpperCase().padStart(4, '2')}-2345`,
    );
    for (const [i, reference] of references.entries()) await cases.create(submittedCase(reference, work(i)));
    const contactsAfter = async (count: number) => {
      const tally = new Map<string, number>();
      for (const reference of references.slice(0, count)) {
        const id = required((await cases.get(reference))?.contact, reference).id;
        tally.set(id, (tally.get(id) ?? 0) + 1);
      }
      return Object.fromEntries(tally);
    };

    // Act: batches of ten, in order
    for (let start = 0; start < total; start += 10)
      await handler(
        sqsEvent(
          ...references.slice(start, start + 10).map((reference, i) => message(`m${start + i}`, reference)),
        ),
        lambdaContext(),
      );

    // Assess: the first 45 fill both to capacity; the rest is shared in proportion to capacity (25:20)
    expect(await contactsAfter(45)).toEqual({ 'a-jansen': 25, 'm-bakker': 20 });
    const all = await contactsAfter(total);
    expect(Object.keys(all).sort()).toEqual(['a-jansen', 'm-bakker']);
    const share = (all['a-jansen'] ?? 0) / total;
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.61);
    expect(metrics.counts.get('CasesOverCapacity{department=werk}')).toBe(total - 45);
    expect(metrics.counts.get('DepartmentFull')).toBe(1);
    // The process asks the table once, not once per batch (200 batches here)
    expect(calls.get('noteDepartmentFull')).toBe(1);
  });

  it('does not start a later record of the same case with too little time left; it comes back with the next receive', async () => {
    const { handler, cases } = setup();
    await store(cases, SAMPLE);
    let left = 30_000;
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => left };
    const slow = setup({
      cases,
      mailer: {
        async send(mail) {
          left = 1_000; // the first record used most of the invocation
          return memoryMailer().send(mail);
        },
      },
    }).handler;

    const response = await slow(sqsEvent(message('m1', SAMPLE), message('m2', SAMPLE)), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(required(await cases.get(SAMPLE), SAMPLE).status).toBe('assigned');
    expect(handler).toBeDefined();
  });
});

describe('router: mail that waits', () => {
  /** A mailer that refuses every e-mail with `refusal` while `refusing()`, and sends otherwise. */
  function refusingMailer(refusal: () => Error, refusing: () => boolean) {
    const inner = memoryMailer();
    let refused = 0;
    const mailer: Mailer = {
      async send(mail) {
        if (refusing()) {
          refused++;
          throw refusal();
        }
        return inner.send(mail);
      },
    };
    return { mailer, sent: inner.sent, refused: () => refused };
  }
  const notVerified = () =>
    new MailDeferredError('notVerified', 'SES refused the e-mail (MessageRejected): notVerified', undefined);

  it('puts a case off while the sender is not verified: a new, delayed message, and this one succeeds', async () => {
    // Prepare
    const queue = memoryQueue();
    const { mailer, sent } = refusingMailer(notVerified, () => true);
    const { handler, cases, metrics } = setup({ mailer, queue, random: () => 0.5 });
    await store(cases, SAMPLE);

    // Act
    const response = await handler(sqsEvent(message('m1', SAMPLE)), lambdaContext());

    // Assess: not a failure (no receive burnt toward the DLQ); the case is back on the queue, delayed
    expect(response).toEqual({ batchItemFailures: [] });
    expect(queue.sent).toEqual([{ ...routeMessage(SAMPLE), deferrals: 1 }]);
    expect(queue.delays).toEqual([45]);
    expect(sent).toEqual([]);
    expect(metrics.counts.get('RoutingDeferred')).toBe(1);
    // Assigned, its e-mails not sent and their claims given up; the SLA job looks after the delay and grace
    const c = required(await cases.get(SAMPLE), 'the case');
    expect(c.status).toBe('assigned');
    expect(Object.values(c.notifications).every((n) => n.messageId === undefined)).toBe(true);
    expect(c.nextAt).toBe(new Date(Date.parse(NOW) + 45_000 + ROUTING_GRACE_MS).toISOString());
  });

  it('doubles the delay with each deferral, and sends every e-mail once when the mail service takes them', async () => {
    // Prepare: the sender is verified after three tries
    const queue = memoryQueue();
    let tries = 0;
    const { mailer, sent } = refusingMailer(notVerified, () => tries <= 3);
    const { handler, cases } = setup({ mailer, queue, random: () => 0.999 });
    await store(cases, SAMPLE);

    // Act: deliver the message, then each deferred one as SQS would after its delay
    let next = message('m0', SAMPLE);
    for (let i = 1; i <= 4; i++) {
      tries = i;
      expect(await handler(sqsEvent(next), lambdaContext())).toEqual({ batchItemFailures: [] });
      const deferred = queue.sent.at(-1);
      if (i <= 3) next = sqsRecord(`m${i}`, JSON.stringify(deferred));
    }

    // Assess: three deferrals at 60, 120 and 240 s, then the e-mails, each once
    expect(queue.sent.map((m) => m.deferrals)).toEqual([1, 2, 3]);
    expect(queue.delays).toEqual([60, 120, 240]);
    expect(recipientsOf(sent, SAMPLE)).toEqual(SAMPLE_RECIPIENTS);
    const c = required(await cases.get(SAMPLE), 'the case');
    expect(Object.keys(c.notifications)).toHaveLength(SAMPLE_RECIPIENTS.length);
  });

  it('fails the message toward the DLQ for a refusal that waiting cannot mend, and puts nothing off', async () => {
    // Prepare: SES refuses the content (a BadRequestException): sending it again later changes nothing
    const queue = memoryQueue();
    const { mailer } = refusingMailer(
      () => new MailRejectedError('SES refused the e-mail (BadRequestException)', undefined),
      () => true,
    );
    const { handler, cases } = setup({ mailer, queue });
    await store(cases, SAMPLE, CARE);

    // Act
    const response = await handler(
      sqsEvent(message('m1', SAMPLE), message('m2', CARE)),
      lambdaContext(),
    ).catch((error: unknown) => error);

    // Assess: every record failed, so the batch throws and SQS counts the receive; nothing was deferred
    expect(response).toBeInstanceOf(Error);
    expect(queue.sent).toEqual([]);
  });

  it('reports the refusal that waiting cannot mend when a case has both kinds', async () => {
    // Prepare: the department's e-mail is refused for good, the others are throttled
    const queue = memoryQueue();
    const inner = memoryMailer();
    const mailer: Mailer = {
      async send(mail) {
        if (mail.to === 'duurzaamheid@voorbeeld.example' && mail.subject.includes(SAMPLE))
          throw new MailRejectedError('SES refused the e-mail (BadRequestException)', undefined);
        if (mail.to === 'marieke@groenefietsfabriek.example' && mail.subject.includes(SAMPLE))
          throw new MailDeferredError(
            'throttled',
            'SES refused the e-mail (TooManyRequestsException)',
            undefined,
          );
        return inner.send(mail);
      },
    };
    const { handler, cases } = setup({ mailer, queue });
    await store(cases, SAMPLE, CARE);

    // Act
    const response = await handler(sqsEvent(message('m1', SAMPLE), message('m2', CARE)), lambdaContext());

    // Assess: the sample's message fails (it will reach the DLQ if it keeps failing); nothing put off for it
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(queue.sent.map((m) => m.reference)).toEqual([]);
  });
});
