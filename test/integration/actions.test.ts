import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { addWorkingDays, workingDaysBetween } from '../../functions/domain/calendar.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

describe('action links on the embedded emulators: e-mail -> GET (nothing changes) -> POST -> SLA job', () => {
  let s: RoutingSystem;

  beforeAll(async () => {
    s = await startRoutingSystem('actions');
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('stops the first-contact clock from the link in the assignment e-mail; the SLA job then sends no first-contact e-mail', async () => {
    // Prepare: a case routed to an official, whose e-mail carries the links
    const { reference } = await s.submit(
      requestBody({
        kvkNumber: '61234567',
        goals: ['work'],
        requestType: 'question',
        description: 'Wij willen statushouders opleiden in onze fietsenwerkplaats.',
      }),
    );
    const { contact, mails } = await s.routed(reference);
    const assignment = mails.find(
      (m) => m.destination.to.includes(contact.email) && m.subject.includes(reference),
    );
    const text = assignment?.body.text ?? '';
    const contactMade = linkAfter(text, /^(Contact gemaakt|Contact made)/);
    expect(contactMade.startsWith(`${s.system.urls.intake}/actions/`)).toBe(true);
    expect(linkAfter(text, /^(Afronden|Resolve)/)).not.toBe(contactMade);
    const before = await s.cases.get(reference);

    // Act 1: open the link (as a mail scanner or the official would)
    const shown = await fetch(contactMade);
    const page = await shown.text();

    // Assess 1: a confirmation page; the case is exactly as it was
    expect(shown.status).toBe(200);
    expect(page).toContain(reference);
    expect(page).toContain('method="post"');
    expect(await s.cases.get(reference)).toEqual(before);

    // Act 2: press the button
    const posted = await fetch(contactMade, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });

    // Assess 2: the first-contact clock stopped, in one write with the history event and the used link
    expect(posted.status).toBe(200);
    const after = await s.cases.get(reference);
    expect(after?.clocks.firstContact?.stoppedAt).toBeDefined();
    expect(after?.clocks.decision?.stoppedAt).toBeUndefined();
    expect(after?.history.at(-1)).toMatchObject({ type: 'contacted', by: contact.id });
    expect(Object.keys(after?.usedLinks ?? {})).toHaveLength(1);

    // ...and the same link again changes nothing
    const again = await fetch(contactMade, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await s.cases.get(reference)).toEqual(after);

    // Act 3: the SLA job after the first-contact breach (and its escalation)
    const escalation = Date.parse(after?.clocks.firstContact?.steps.escalation ?? '');
    const before3 = (await s.mailsOf(reference)).length;
    await s.system.invoke('sla', { scheduledTime: new Date(escalation + 60_000).toISOString() });

    // Assess 3: no first-contact reminder, breach or escalation went out
    const later = await s.cases.get(reference);
    expect(Object.keys(later?.notifications ?? {}).filter((k) => k.startsWith('firstContact'))).toEqual([]);
    expect((await s.mailsOf(reference)).length).toBe(before3);
    expect(s.errors).toEqual([]);
  });

  it('resolves a case from its link: it leaves the open cases and the status page says resolved', async () => {
    const { reference, statusUrl } = await s.submit(
      requestBody({
        kvkNumber: '62345678',
        goals: ['work'],
        requestType: 'question',
        description: 'Een vraag over loonkostensubsidie voor twee nieuwe medewerkers.',
      }),
    );
    const { contact, mails } = await s.routed(reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    const resolve = linkAfter(text, /^(Afronden|Resolve)/);
    const open = () => s.cases.openCaseCount(contact.id, 1_000);
    const openBefore = await open();

    const missingOutcome = await fetch(resolve, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=',
    });
    const done = await fetch(resolve, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        result: 'granted',
        outcome: 'Subsidie aangevraagd namens de onderneming.',
      }).toString(),
    });

    expect(missingOutcome.status).toBe(400);
    expect(done.status).toBe(200);
    const c = await s.cases.get(reference);
    expect(c?.status).toBe('resolved');
    expect(await open()).toBe(openBefore - 1);
    // Out of the SLA job's index once the router recorded the enterprise's satisfaction e-mail.
    await eventually(async () => {
      const now = await s.cases.get(reference);
      return now?.notifications.satisfaction !== undefined && now.nextAt === undefined ? now : undefined;
    });
    const status = (await (await fetch(statusUrl, { headers: { accept: 'application/json' } })).json()) as {
      status: string;
      outcome: string | null;
      history: { type: string }[];
    };
    expect(status.status).toBe('resolved');
    expect(status.outcome).toBe('Subsidie aangevraagd namens de onderneming.');
    // Resolved, then the enterprise's satisfaction e-mail.
    expect(status.history.slice(-2).map((h) => h.type)).toEqual(['resolved', 'notified']);
  });

  it('asks the enterprise once after resolving: one e-mail, GET shows the form and changes nothing, POST records the answer, a second is refused', async () => {
    // Prepare: a routed case, resolved from its link
    const { reference, statusUrl } = await s.submit(
      requestBody({
        kvkNumber: '65678901',
        goals: ['work'],
        requestType: 'question',
        description: 'Wij willen weten welke regelingen er zijn voor een leerwerkbedrijf.',
        language: 'en',
      }),
    );
    const { c, contact, mails } = await s.routed(reference);
    const enterprise = c.request.contact.email;
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const resolved = await fetch(linkAfter(text, /^(Afronden|Resolve)/), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ result: 'granted', outcome: 'Regelingen toegelicht.' }).toString(),
    });
    expect(resolved.status).toBe(200);

    // Act 1: the router's e-mail to the enterprise (and, a little later, no second one)
    const asked = await eventually(async () => {
      const found = (await s.mailsOf(reference)).filter(
        (m) => m.destination.to.includes(enterprise) && m.subject.startsWith('How was working with'),
      );
      return found.length > 0 ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const run = (await s.system.invoke('sla', {
      scheduledTime: new Date(Date.now() + 10 * 60_000).toISOString(),
    })) as { requeued: number };

    // Assess 1: exactly one, in the enterprise's language, with a link to the form on this API
    expect(asked).toHaveLength(1);
    expect(
      (await s.mailsOf(reference)).filter((m) => m.subject.startsWith('How was working with')),
    ).toHaveLength(1);
    expect(run.requeued).toBe(0);
    const link = linkAfter(asked[0]?.body.text ?? '', /^Rate working with us/);
    expect(link.startsWith(`${s.system.urls.intake}/satisfaction/`)).toBe(true);
    const before = await s.cases.get(reference);

    // Act 2: open the link
    const page = await fetch(link);
    const body = await page.text();

    // Assess 2: the question in English, five choices, a POST form; nothing changed
    expect(page.status).toBe(200);
    expect(body).toContain('How was working with the municipality?');
    expect(body.match(/type="radio"/g)).toHaveLength(5);
    expect(body).toContain('method="post"');
    expect(await s.cases.get(reference)).toEqual(before);

    // Act 3: answer
    const answered = await fetch(link, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ score: '4', comment: 'Clear answers, one contact.' }).toString(),
    });

    // Assess 3: one rated event appended; the status page says so
    expect(answered.status).toBe(200);
    const after = await s.cases.get(reference);
    expect(after?.history).toHaveLength((before?.history.length ?? 0) + 1);
    expect(after?.history.at(-1)).toMatchObject({
      type: 'rated',
      score: 4,
      comment: 'Clear answers, one contact.',
    });
    const status = await (await fetch(`${statusUrl}${statusUrl.includes('?') ? '&' : '?'}lang=en`)).text();
    expect(status).toContain('Rated by you: 4 out of 5');
    expect(status).not.toContain('Clear answers, one contact.');

    // Act 4: a second answer
    const again = await fetch(link, { method: 'POST', headers: form, body: 'score=1' });

    // Assess 4: already answered, nothing added
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('You have answered already');
    expect(await s.cases.get(reference)).toEqual(after);
    expect(s.errors).toEqual([]);
  });

  it('pauses a case from its link (the SLA job then sends nothing) and resumes it with the due date moved', async () => {
    // Prepare: a routed case and the pause and resume links of its assignment e-mail
    const { reference, statusUrl } = await s.submit(
      requestBody({
        kvkNumber: '63456789',
        goals: ['work'],
        requestType: 'question',
        description: 'Wij willen uitbreiden en zoeken een locatie op het bedrijventerrein.',
      }),
    );
    const { contact, mails } = await s.routed(reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    const pause = linkAfter(text, /^(Pauzeren|Pause)/);
    const resume = linkAfter(text, /^(Hervatten|Resume)/);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    // Act 1: pause, with a reason
    const paused = await fetch(pause, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ reason: 'Plattegrond van de gewenste locatie' }).toString(),
    });

    // Assess 1: both clocks paused, out of the SLA job's index once the question went to the enterprise,
    // and the enterprise sees why
    expect(paused.status).toBe(200);
    const during = await eventually(async () => {
      const c = await s.cases.get(reference);
      return c?.notifications['question:1'] !== undefined && c.nextAt === undefined ? c : undefined;
    });
    expect(during?.clocks.firstContact?.pausedAt).toBeDefined();
    expect(during?.clocks.decision?.pausedAt).toBeDefined();
    expect(during?.nextAt).toBeUndefined();
    const status = await (await fetch(`${statusUrl}${statusUrl.includes('?') ? '&' : '?'}lang=nl`)).text();
    expect(status).toContain('Gepauzeerd: wachten op u (Plattegrond van de gewenste locatie)');

    // Act 2: the SLA job after every step of both clocks
    const before2 = (await s.mailsOf(reference)).length;
    const escalation = Date.parse(during?.clocks.decision?.steps.escalation ?? '');
    await s.system.invoke('sla', { scheduledTime: new Date(escalation + 60_000).toISOString() });

    // Assess 2: nothing went out
    expect((await s.mailsOf(reference)).length).toBe(before2);
    expect((await s.cases.get(reference))?.notifications).toEqual(during?.notifications);

    // Prepare 3: the case has been paused for a week (the pause moment moved back in the table)
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
    await s.db.send(
      new UpdateCommand({
        TableName: s.system.tables.cases,
        Key: { pk: `CASE#${reference}`, sk: 'CASE' },
        UpdateExpression: 'SET clocks.firstContact.pausedAt = :since, clocks.decision.pausedAt = :since',
        ExpressionAttributeValues: { ':since': since },
      }),
    );

    // Act 3: resume
    const resumed = await fetch(resume, { method: 'POST', headers: form, body: '' });

    // Assess 3: the due dates moved by the working days paused; the SLA job looks at the case again
    expect(resumed.status).toBe(200);
    const after = await s.cases.get(reference);
    const days = workingDaysBetween(new Date(since), new Date(), municipality.sla.calendar);
    expect(days).toBeGreaterThanOrEqual(3);
    const moved = (iso: string | undefined) =>
      addWorkingDays(new Date(iso ?? ''), days, municipality.sla.calendar).due.toISOString();
    expect(after?.clocks.decision?.due).toBe(moved(during?.clocks.decision?.due));
    expect(after?.clocks.firstContact?.due).toBe(moved(during?.clocks.firstContact?.due));
    expect(after?.clocks.decision?.pausedAt).toBeUndefined();
    expect(after?.nextAt).toBe(after?.clocks.firstContact?.steps.reminder);
    expect(after?.history.at(-1)).toMatchObject({ type: 'resumed', by: contact.id, workingDays: days });
    expect(s.errors).toEqual([]);
  });

  it('hands a case over to a colleague from its link: the colleague and the enterprise get an e-mail, once', async () => {
    // Prepare: a routed case and the hand-over link of its assignment e-mail
    const { reference, statusUrl } = await s.submit(
      requestBody({
        kvkNumber: '64567890',
        goals: ['work'],
        requestType: 'question',
        description: 'Wij zoeken een werkervaringsplek voor drie deelnemers.',
      }),
    );
    const { contact, mails } = await s.routed(reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    const handOver = linkAfter(text, /^(Overdragen|Hand over)/);
    const before = await s.cases.get(reference);

    // Act 1: open the link: the page lists colleagues, nothing changes
    const page = await (await fetch(handOver)).text();
    const colleague = /<option value="([a-z]+-[a-z]+)">([^<(]+) \(/.exec(page);
    const [, id = '', name = ''] = colleague ?? [];
    expect(id).not.toBe('');
    expect(id).not.toBe(contact.id);
    expect(await s.cases.get(reference)).toEqual(before);

    // Act 2: hand over to the first colleague offered
    const done = await fetch(handOver, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ to: id }).toString(),
    });

    // Assess: the colleague is the contact; the router (through the queue) told them and the enterprise
    expect(done.status).toBe(200);
    const newContact = await eventually(async () => {
      const all = await s.mailsOf(reference);
      const toColleague = all.filter(
        (m) => m.subject.startsWith('Overgedragen') || m.subject.startsWith('Handed over'),
      );
      const toEnterprise = all.filter((m) =>
        m.subject.includes(`uw nieuwe contactpersoon is ${name.trim()}`),
      );
      return toColleague.length === 1 && toEnterprise.length === 1 ? toColleague[0] : undefined;
    });
    expect(newContact.destination.to).not.toContain(contact.email);
    const after = await s.cases.get(reference);
    expect(after?.contact?.id).toBe(id);
    expect(after?.clocks).toEqual(before?.clocks);
    expect(after?.history).toContainEqual(
      expect.objectContaining({ type: 'handedOver', by: contact.id, to: id, toName: name.trim() }),
    );
    expect(await s.cases.openCaseCount(id, 1_000)).toBeGreaterThanOrEqual(1);
    const status = await (await fetch(`${statusUrl}${statusUrl.includes('?') ? '&' : '?'}lang=nl`)).text();
    expect(status).toContain(`Overgedragen aan ${name.trim()}`);
    // The SLA job after the routing grace does not queue it again: its e-mails went out.
    const run = (await s.system.invoke('sla', {
      scheduledTime: new Date(Date.now() + 10 * 60_000).toISOString(),
    })) as { requeued: number };
    expect(run.requeued).toBe(0);
    expect(s.errors).toEqual([]);
  });
});
