import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { declaration } from '../../functions/declaration.js';
import { amsterdamDay, instantAt, nextWorkingMoment } from '../../functions/domain/calendar.js';
import { reportDayOf } from '../../functions/domain/report.js';
import { operationName } from '../../infra/local/instrumentation/call-counter.js';
import type { Instrumentation } from '../../infra/local/instrumentation/index.js';
import { simulatedEvents } from '../../infra/local/mail-simulator.js';
import { sqsEvent, sqsRecord } from '../support/events.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

/**
 * What each function asks of DynamoDB in a whole flow on the emulators (intake and a duplicate, routing with
 * continuity, the status page, an action link shown and used, a handover, a resolve, an official's and an
 * enterprise's address that bounce, SLA runs and retention runs at replayed moments, the status link after
 * each, the digest job's runs), recorded per function by operation and index; held against each function's declared table use
 * (`functions/declaration.ts`), which is what its IAM policy grants (infra/aws/constructs/house-function.ts).
 */
describe('each function uses the DynamoDB operations and indexes it declares, and no other', () => {
  let s: RoutingSystem;
  const observed = new Map<string, Set<string>>();
  const note = (fn: string, use: string) => {
    const uses = observed.get(fn) ?? new Set<string>();
    uses.add(use);
    observed.set(fn, uses);
  };

  const instrumentation: Instrumentation = {
    clients(fn, clients) {
      clients.dynamo?.middlewareStack.add(
        (next, context) => async (args) => {
          const operation = operationName(context.commandName);
          const index = (args.input as { IndexName?: string }).IndexName;
          note(fn, index === undefined ? operation : `${operation} ${index}`);
          return next(args);
        },
        { step: 'initialize', name: 'testTableUse' },
      );
      return clients;
    },
    mailer: (_fn, mailer) => mailer,
    invocation: (_fn, run) => run(),
  };

  beforeAll(async () => {
    s = await startRoutingSystem('table-use', { instrumentation });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('records a whole flow: every call is declared, and every declaration is called', async () => {
    // Both jeugd officials' addresses bounce (written before the router first reads the officials)
    for (const id of ['j-mulder', 's-devries']) {
      const official = await s.officials.get(id);
      if (official === undefined) throw new Error(`no official ${id}`);
      const { absences: _absences, unreachable: _unreachable, ...details } = official;
      await s.officials.save({ ...details, email: `bounce+${id}@simulator.amazonses.com` });
    }
    // The flow: two cases of one enterprise (continuity), the same request twice (a duplicate)
    const first = requestBody({
      kvkNumber: '69000001',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: 'Wij willen samenwerken rond hergebruik van fietsen met leerwerkplekken.',
    });
    const { reference, statusUrl } = await s.submit(first);
    await s.submit(first);
    const routed = await s.routed(reference);
    const second = await s.submit({
      ...first,
      description: 'Een tweede vraag over een werkervaringsplaats.',
    });
    await s.routed(second.reference);
    await fetch(statusUrl, { headers: { accept: 'application/json' } });
    // An official's links: contact made (shown, then used), hand over, resolve
    const text = routed.mails.find((m) => m.destination.to.includes(routed.contact.email))?.body.text ?? '';
    const contactMade = linkAfter(text, /^(Contact gemaakt|Contact made)/);
    await fetch(contactMade);
    await fetch(contactMade, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const secondRouted = await s.routed(second.reference);
    const secondText =
      secondRouted.mails.find((m) => m.destination.to.includes(secondRouted.contact.email))?.body.text ?? '';
    await fetch(linkAfter(secondText, /^(Overdragen|Hand over)/), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    await fetch(linkAfter(text, /^(Afronden|Resolve)/), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ result: 'granted', outcome: 'Samenwerking afgesproken.' }).toString(),
    });
    // What SES tells of e-mails (the mailbox simulator's addresses, locally): the assignment to an official
    // whose address bounces (either of jeugd's two, set at the start: the case is handed on), the
    // confirmation to an enterprise whose address bounces
    const youth = await s.submit(
      requestBody({
        kvkNumber: '69000002',
        goals: ['youth'],
        requestType: 'question',
        description: 'Wij zoeken stageplekken voor jongeren in onze werkplaats.',
      }),
    );
    const care = requestBody({
      kvkNumber: '69000003',
      goals: ['neighbourhood'],
      requestType: 'question',
      description: 'Wij openen een zorgcafé en zoeken contact.',
    });
    const bounced = await s.submit({
      ...care,
      contact: { ...care.contact, email: 'bounce+kvk69000003@simulator.amazonses.com' },
    });
    await eventually(async () => {
      const [handedOn, told] = await Promise.all([
        s.cases.get(youth.reference),
        s.cases.get(bounced.reference),
      ]);
      return handedOn?.notifications.assignment?.bounced !== undefined &&
        handedOn.notifications['handover:1:contact'] !== undefined &&
        told?.notifications.enterpriseUnreachable !== undefined
        ? true
        : undefined;
    });
    // SES tells of the enterprise's bounce a second time (SNS and SQS deliver at least once)
    const told = await s.cases.get(bounced.reference);
    const [again] = simulatedEvents(
      {
        from: 'aanspreekpunt@voorbeeld.example',
        to: 'bounce+kvk69000003@simulator.amazonses.com',
        subject: 'again',
        text: '',
        html: '',
        tags: { reference: bounced.reference, kind: { type: 'enterprise' } },
      },
      told?.notifications.enterprise?.messageId ?? '',
      new Date(),
    );
    await s.system.invoke('mailEvents', sqsEvent(sqsRecord('again', JSON.stringify(again))));
    // The SLA job when every promise is long past (reminders, breaches, escalations), at the top of an
    // hour (its hourly figures: the officials' open cases) within working hours (outside them it sends nothing)
    const hour = new Date(Date.now() + 60 * 86_400_000);
    hour.setUTCMinutes(0, 0, 0);
    const later = nextWorkingMoment(hour, municipality.sla.calendar);
    await s.system.invoke('sla', { scheduledTime: later.toISOString() });
    // The digest job then: the departments' digests list the flow's cases (and a second run finds them sent)
    await s.system.invoke('digest', { scheduledTime: later.toISOString() });
    await s.system.invoke('digest', { scheduledTime: later.toISOString() });
    // The digest job on the first working day of the month after: the monthly reports (every open case and
    // those closed lately, from the indexes)
    const reportDay = reportDayOf(amsterdamDay(later).slice(0, 7), municipality.sla.calendar);
    if (reportDay === undefined) throw new Error('test setup: no working day next month');
    await s.system.invoke('digest', { scheduledTime: instantAt(reportDay, '08:05').toISOString() });
    // An official opens "Mijn zaken" from their digest (their open cases and the one they resolved)
    const digest = (await s.mails()).find(
      (m) => /^(Weekoverzicht|Weekly overview) /.test(m.subject) && m.body.text?.includes(second.reference),
    );
    expect((await fetch(linkAfter(digest?.body.text ?? '', /^(Mijn zaken|My cases): /))).status).toBe(200);
    // The retention job past a year after the resolve (its personal data go), and past its archive action
    // date (destroyed, with its deletion record); the status link after each (what is left, then 410)
    const day = 86_400_000;
    const json = { headers: { accept: 'application/json' } };
    await s.system.invoke('retention', { scheduledTime: new Date(Date.now() + 400 * day).toISOString() });
    expect((await fetch(statusUrl, json)).status).toBe(200);
    await s.system.invoke('retention', { scheduledTime: new Date(Date.now() + 6 * 366 * day).toISOString() });
    expect((await fetch(statusUrl, json)).status).toBe(410);

    // Assess: per function, each call it made is one it declares (and so may make on AWS) ...
    const declared = (fn: string) => {
      const use = declaration.functions[fn as keyof typeof declaration.functions]?.tables.cases;
      return use === undefined ? [] : [...use.operations, ...use.indexes.map((i) => `Query ${i}`)];
    };
    for (const [fn, uses] of observed)
      for (const use of uses) expect(declared(fn), `${fn} made ${use}`).toContain(use);
    // ... and each it declares, it made, but for one this flow does not reach: the router notes a
    // department as full (a put) only when every official of it is at capacity.
    const notReached: Record<string, readonly string[]> = { router: ['PutItem'] };
    for (const fn of Object.keys(declaration.functions))
      for (const use of declared(fn))
        if (!notReached[fn]?.includes(use))
          expect([...(observed.get(fn) ?? [])], `${fn} declares ${use}`).toContain(use);
  }, 90_000);
});
