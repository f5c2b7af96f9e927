import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { CaseRequest } from '../../events/case-request.js';
import { secretEnv } from '../../functions/declaration.js';
import { signSatisfaction } from '../../functions/domain/action-link.js';
import { nextWorkingMoment } from '../../functions/domain/calendar.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter, type StoredEmail } from '../support/mailbox.js';

/**
 * No personal data in logs or metrics (issue 16, Deliver 6): a whole flow on the local system with a marked
 * contact name, e-mail address and phone number (a refused request, a request and its repeat, routing, every
 * action of an official, a question to the enterprise and its answer with the marks in it, a handover, the
 * enterprise's answer to the satisfaction form with a marked comment (refused once, then recorded), the SLA
 * job's steps, the retention job's, a bounce of the enterprise's
 * address and the e-mail about it), with everything the functions write to stdout and stderr captured: their JSON log lines and
 * their metrics as CloudWatch EMF lines (turned on for this run), dimensions included. No line holds a mark.
 */
describe('logs and metrics hold no personal data', () => {
  let local: RoutingSystem;
  const NAME = 'Qwxzlaan Markeerling';
  const PHONE = '+31613572468';
  /** The enterprise's address: it bounces (the mailbox simulator), so the mail-events path runs too. */
  const EMAIL = 'bounce+qwxzmark@simulator.amazonses.com';
  const MARKS = ['Qwxz', 'qwxz', '13572468', 'Markeerling'];

  const captured: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const settings = {
    metricsDisabled: process.env.POWERTOOLS_METRICS_DISABLED,
    logLevel: process.env.POWERTOOLS_LOG_LEVEL,
  };
  const restore = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };

  /** Everything written to the stream is kept, and still written. */
  const tap = (stream: NodeJS.WriteStream, write: typeof process.stdout.write) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof process.stdout.write;
  };

  beforeAll(async () => {
    // Every log line, down to debug, and the metrics as EMF lines, as on Lambda (the tests silence both)
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    tap(process.stdout, writes.stdout);
    tap(process.stderr, writes.stderr);
    local = await startRoutingSystem('no-personal-data');
  });

  afterAll(async () => {
    await local?.stop();
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    restore('POWERTOOLS_METRICS_DISABLED', settings.metricsDisabled);
    restore('POWERTOOLS_LOG_LEVEL', settings.logLevel);
  });

  const marked = (kvkNumber: string, description: string): CaseRequest => {
    const body = requestBody({ kvkNumber, goals: ['work'], requestType: 'question', description });
    return { ...body, contact: { name: NAME, email: EMAIL, phone: PHONE } };
  };
  const post = (path: string, form: Record<string, string> = {}) =>
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const textTo = (mails: readonly StoredEmail[], address: string) =>
    mails.find((m) => m.destination.to.includes(address))?.body.text ?? '';

  it('writes no mark in any log line or metric of a whole flow', async () => {
    // A request the intake refuses (the KvK number), with the marks in it
    const refused = await fetch(`${local.system.urls.intake}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...marked('1', 'Qwxz wil een werkplek voor mensen met afstand tot de arbeidsmarkt.'),
        organisation: { name: 'Onderneming Qwxz', kvkNumber: 'x' },
      }),
    });
    expect(refused.status).toBe(400);

    // A request, its repeat, and a second request of the same enterprise
    const first = marked('52000001', 'Wij zoeken werkplekken voor mensen die lang thuis zaten.');
    const a = await local.submit(first);
    await local.submit(first);
    const b = await local.submit({ ...first, description: 'Een tweede vraag: een leerwerkplek in de wijk.' });

    // Routing, and the enterprise's address bouncing: its contact is told (the e-mail names the phone)
    const told = await eventually(async () => {
      const [ca, cb] = await Promise.all([local.cases.get(a.reference), local.cases.get(b.reference)]);
      return ca?.notifications.enterpriseUnreachable !== undefined &&
        cb?.notifications.assignment !== undefined
        ? ca
        : undefined;
    });
    const contact = told.contact?.email ?? '';
    await fetch(a.statusUrl);

    // Every action of an official: contact made, pause (with a question to the enterprise, e-mailed to it),
    // the enterprise's answer on its status page (with the marks; e-mailed to the contact), resume (refused
    // now: the answer resumed the case), resolve; a handover of the other
    const textA = textTo(await local.mailsOf(a.reference), contact);
    await post(linkAfter(textA, /^(Contact gemaakt|Contact made)/));
    await post(linkAfter(textA, /^(Pauzeren|Pause)/), { reason: 'Qwxz, kunt u de begroting sturen?' });
    await eventually(async () => {
      const c = await local.cases.get(a.reference);
      return c?.notifications['question:1'] !== undefined ? c : undefined;
    });
    const token = new URL(a.statusUrl).searchParams.get('token') ?? '';
    const answered = await post(`${local.system.urls.intake}/cases/${a.reference}/answer`, {
      token,
      answer: `${NAME} (${PHONE}): de begroting van Qwxz staat online.`,
    });
    expect(answered.status).toBe(200);
    expect(answered.url).toContain('notice=answered');
    await eventually(async () => {
      const c = await local.cases.get(a.reference);
      return c?.notifications['answer:1'] !== undefined ? c : undefined;
    });
    await post(linkAfter(textA, /^(Hervatten|Resume)/));
    await post(linkAfter(textA, /^(Afronden|Resolve)/), { result: 'granted', outcome: 'Werkplek gevonden.' });
    // The enterprise's answer to the satisfaction form, with a marked comment: refused once (a control
    // character), then recorded. Its address bounced, so its e-mail was suppressed: the link is signed here
    // with the system's key, as the router signs it.
    const key = Buffer.from(
      required(process.env[secretEnv('actionLinkKey')], 'the action link key'),
      'base64',
    );
    const satisfaction = `${local.system.urls.intake}/satisfaction/${signSatisfaction(
      {
        survey: 'satisfaction',
        case: a.reference,
        lang: 'nl',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      key,
    )}`;
    expect(
      (await post(satisfaction, { score: '4', comment: `Qwxz Markeerling\u0007 ${PHONE}` })).status,
    ).toBe(400);
    expect(
      (await post(satisfaction, { score: '4', comment: `${NAME} (${PHONE}) was tevreden.` })).status,
    ).toBe(200);
    const caseB = await eventually(async () => {
      const c = await local.cases.get(b.reference);
      return c?.contact !== undefined ? c : undefined;
    });
    const textB = textTo(await local.mailsOf(b.reference), caseB.contact?.email ?? '');
    await post(linkAfter(textB, /^(Overdragen|Hand over)/), { to: 'routing' });
    await eventually(async () => {
      const c = await local.cases.get(b.reference);
      return c?.notifications['handover:1:contact'] !== undefined ? c : undefined;
    });

    // The SLA job when every promise of the open case is long past (reminders, breaches, escalations), within
    // working hours (outside them it sends nothing)
    const hour = new Date(Date.now() + 60 * 86_400_000);
    hour.setUTCMinutes(0, 0, 0);
    const later = nextWorkingMoment(hour, municipality.sla.calendar);
    await local.system.invoke('sla', { scheduledTime: later.toISOString() });
    await local.system.invoke('sla', {
      scheduledTime: nextWorkingMoment(
        new Date(later.getTime() + 30 * 86_400_000),
        municipality.sla.calendar,
      ).toISOString(),
    });
    // The retention job a year after the resolve (the personal data go) and past its archive action date
    const day = 86_400_000;
    await local.system.invoke('retention', { scheduledTime: new Date(Date.now() + 400 * day).toISOString() });
    await local.system.invoke('retention', {
      scheduledTime: new Date(Date.now() + 6 * 366 * day).toISOString(),
    });

    // Assess: the functions did write (log lines and EMF metrics, with dimensions) ...
    const lines = captured
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const json = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    expect(json.some((l) => l.message === 'case assigned')).toBe(true);
    expect(json.some((l) => l.message === 'action applied')).toBe(true);
    expect(json.some((l) => l.message === 'question answered')).toBe(true);
    expect(json.some((l) => l.message === 'case rated')).toBe(true);
    expect(json.some((l) => '_aws' in l && 'bounceType' in l)).toBe(true);
    expect(json.some((l) => '_aws' in l && 'department' in l)).toBe(true);
    expect(json.some((l) => l.message === 'retention run' && l.anonymised === 1)).toBe(true);
    expect(json.some((l) => l.message === 'retention run' && l.destroyed === 1)).toBe(true);
    // ... and no line of theirs holds a mark
    for (const mark of MARKS)
      expect(
        lines.filter((line) => line.includes(mark)),
        mark,
      ).toEqual([]);
    expect(local.errors).toEqual([]);
  }, 120_000);
});
