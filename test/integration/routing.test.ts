import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { routeMessage } from '../../events/route-message.js';
import type { Case } from '../../functions/domain/case.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, type StoredEmail } from '../support/mailbox.js';
import { informingAtOnce } from '../support/municipalities.js';

/** A description in which no keyword rule of the example finds anything. */
const PLAIN = 'Wij repareren fietsen met mensen die lang thuis zaten';

/** A batch that failed only because another router was sending its e-mails: retried later, by design. */
const isSendingInProgress = (error: unknown) =>
  error instanceof Error &&
  error.name === 'FullBatchFailureError' &&
  'recordErrors' in error &&
  Array.isArray(error.recordErrors) &&
  error.recordErrors.every((e) => e instanceof Error && e.name === 'SendingInProgressError');

const recipients = (mails: readonly StoredEmail[]) => mails.flatMap((m) => m.destination.to).sort();
const assignedEvents = (c: Case) => c.history.filter((h) => h.type === 'assigned');

describe('routing on the embedded emulators (departments informed immediately): POST /cases -> router -> one contact, the right e-mails', () => {
  let local: RoutingSystem;

  beforeAll(async () => {
    local = await startRoutingSystem('routing', { municipality: informingAtOnce(municipality) });
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('assigns each of three multi-goal requests once, with its tags and reasons, and mails each party once', async () => {
    // Prepare: three enterprises, each with a request touching several departments
    const work = requestBody({
      kvkNumber: '31000001',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: `${PLAIN} (eerste verzoek).`,
    });
    const care = requestBody({
      kvkNumber: '31000002',
      goals: ['care', 'youth'],
      requestType: 'housing',
      description: `${PLAIN} (tweede verzoek).`,
    });
    const area = requestBody({
      kvkNumber: '31000003',
      goals: ['neighbourhood', 'environment', 'youth'],
      requestType: 'procurement',
      description: `${PLAIN} (derde verzoek).`,
      language: 'en',
    });

    // Act
    const accepted = await Promise.all([local.submit(work), local.submit(care), local.submit(area)]);
    const routed = await Promise.all(accepted.map(({ reference }) => local.routed(reference)));

    // Assess: werk leads; Anouk Jansen covers werk and economie, so only duurzaamheid is informed
    const first = required(routed[0], 'first case');
    const second = required(routed[1], 'second case');
    const third = required(routed[2], 'third case');
    expect(first.c.tags).toEqual([
      { department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }] },
      { department: 'duurzaamheid', lead: false, reasons: [{ kind: 'goal', goal: 'environment' }] },
      { department: 'economie', lead: false, reasons: [{ kind: 'requestType', requestType: 'partnership' }] },
    ]);
    expect(first.contact.id).toBe('a-jansen');
    expect(recipients(first.mails)).toEqual([
      'a.jansen@voorbeeld.example',
      'duurzaamheid@voorbeeld.example',
      'kvk31000001@onderneming.example',
    ]);
    // zorg leads; Sanne de Vries covers zorg and jeugd, so only wonen is informed
    expect(second.c.tags).toEqual([
      { department: 'zorg', lead: true, reasons: [{ kind: 'goal', goal: 'care' }] },
      { department: 'jeugd', lead: false, reasons: [{ kind: 'goal', goal: 'youth' }] },
      { department: 'wonen', lead: false, reasons: [{ kind: 'requestType', requestType: 'housing' }] },
    ]);
    expect(second.contact.id).toBe('s-devries');
    expect(recipients(second.mails)).toEqual([
      'kvk31000002@onderneming.example',
      's.devries@voorbeeld.example',
      'wonen@voorbeeld.example',
    ]);
    // wijken leads; Pieter Smit covers wijken and duurzaamheid, so jeugd and inkoop are informed
    expect(third.c.tags).toEqual([
      { department: 'wijken', lead: true, reasons: [{ kind: 'goal', goal: 'neighbourhood' }] },
      { department: 'duurzaamheid', lead: false, reasons: [{ kind: 'goal', goal: 'environment' }] },
      { department: 'jeugd', lead: false, reasons: [{ kind: 'goal', goal: 'youth' }] },
      { department: 'inkoop', lead: false, reasons: [{ kind: 'requestType', requestType: 'procurement' }] },
    ]);
    expect(third.contact.id).toBe('p-smit');
    expect(recipients(third.mails)).toEqual([
      'inkoop@voorbeeld.example',
      'jeugd@voorbeeld.example',
      'kvk31000003@onderneming.example',
      'p.smit@voorbeeld.example',
    ]);
    for (const { c, contact, mails } of [first, second, third]) {
      expect(c.status).toBe('assigned');
      expect(assignedEvents(c)).toEqual([
        expect.objectContaining({ contact: contact.id, choice: 'coverage' }),
      ]);
      // The enterprise's e-mail names their one contact, by name and address
      const forEnterprise = mails.find((m) => m.destination.to.includes(c.request.contact.email));
      expect(forEnterprise?.subject).toContain(contact.name);
      expect(forEnterprise?.body.text).toContain(`${contact.name} (${contact.email})`);
      expect(mails.every((m) => m.from === municipality.sender)).toBe(true);
    }
    expect(local.errors).toEqual([]);
  });

  it('involves every department a request touches, each with its reason, when the description mentions statushouders', async () => {
    // Prepare: the acceptance scenario of the issue
    const body = requestBody({
      kvkNumber: '31000004',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: 'Wij willen statushouders opleiden tot fietsenmaker.',
    });

    // Act
    const { reference, statusUrl } = await local.submit(body);
    const { c, contact, mails } = await local.routed(reference);

    // Assess: werk (goal and keyword), duurzaamheid (goal), economie (type) and wonen (keyword)
    const statushouder = { kind: 'keyword', keyword: 'statushouder', matched: 'statushouders' };
    expect(c.tags).toEqual([
      { department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }, statushouder] },
      { department: 'duurzaamheid', lead: false, reasons: [{ kind: 'goal', goal: 'environment' }] },
      { department: 'economie', lead: false, reasons: [{ kind: 'requestType', requestType: 'partnership' }] },
      { department: 'wonen', lead: false, reasons: [statushouder] },
    ]);
    expect(contact.id).toBe('a-jansen');
    expect(recipients(mails)).toEqual([
      'a.jansen@voorbeeld.example',
      'duurzaamheid@voorbeeld.example',
      'kvk31000004@onderneming.example',
      'wonen@voorbeeld.example',
    ]);
    const toWonen = required(
      mails.find((m) => m.destination.to.includes('wonen@voorbeeld.example')),
      'mail to wonen',
    );
    expect(toWonen.body.text).toContain('trefwoord: statushouder (statushouders)');
    expect(toWonen.body.text).toContain('Anouk Jansen is het vaste aanspreekpunt');
    // ...and the status page shows each department with its reasons
    const status = await fetch(statusUrl, { headers: { accept: 'application/json' } });
    const shown = (await status.json()) as { departments: { id: string; reasons: string[] }[] };
    expect(shown.departments.find((d) => d.id === 'wonen')?.reasons).toEqual([
      'trefwoord: statushouder (statushouders)',
    ]);
    expect(local.errors).toEqual([]);
  });

  it('assigns once and mails each party once when the same route message is delivered again', async () => {
    // Prepare: a case routed and mailed
    const body = requestBody({
      kvkNumber: '31000005',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: `${PLAIN} (tweemaal).`,
    });
    const { reference, statusUrl } = await local.submit(body);
    const first = await local.routed(reference);
    const sqs = new SQSClient({
      endpoint: local.system.urls.sqs,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const queueUrl = local.system.queues.route.url;

    // Act: the same message once more, as SQS may deliver it
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(routeMessage(reference, statusUrl)),
        }),
      );
      // The router took it and succeeded: nothing waiting, nothing in flight
      await eventually(async () => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const waiting = Number(Attributes?.ApproximateNumberOfMessages ?? 'NaN');
        const inFlight = Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 'NaN');
        return waiting === 0 && inFlight === 0 ? true : undefined;
      });
    } finally {
      sqs.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess
    const again = required(await local.cases.get(reference), 'case');
    expect(assignedEvents(again)).toHaveLength(1);
    expect(again.contact).toEqual(first.contact);
    expect(recipients(await local.mailsOf(reference))).toEqual([
      'a.jansen@voorbeeld.example',
      'duurzaamheid@voorbeeld.example',
      'kvk31000005@onderneming.example',
    ]);
    expect(local.errors).toEqual([]);
  });

  it('assigns once and mails each party once when copies of the route message arrive while it is routed', async () => {
    // Prepare
    const body = requestBody({
      kvkNumber: '31000007',
      goals: ['care'],
      requestType: 'partnership',
      description: `${PLAIN} (drie keer tegelijk).`,
    });
    const sqs = new SQSClient({
      endpoint: local.system.urls.sqs,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });

    const errorsBefore = local.errors.length;

    // Act: two more copies right behind the one intake sends, for the two pollers to race on
    const { reference, statusUrl } = await local.submit(body);
    try {
      const copy = JSON.stringify(routeMessage(reference, statusUrl));
      await Promise.all(
        [1, 2].map(() =>
          sqs.send(new SendMessageCommand({ QueueUrl: local.system.queues.route.url, MessageBody: copy })),
        ),
      );
    } finally {
      sqs.destroy();
    }
    const { c, contact, mails } = await local.routed(reference);

    // Assess: one decision, and Lotte Visser (zorg, the lower id) mailed once, economie and the enterprise too
    expect(assignedEvents(c)).toHaveLength(1);
    expect(contact.id).toBe('l-visser');
    expect(recipients(mails)).toEqual([
      'economie@voorbeeld.example',
      'kvk31000007@onderneming.example',
      'l.visser@voorbeeld.example',
    ]);
    // A copy that finds an e-mail claimed by the other router fails, to be retried after the visibility
    // timeout (after this test); nothing else went wrong
    const raised = local.errors.splice(errorsBefore);
    expect(raised.filter((e) => !isSendingInProgress(e))).toEqual([]);
  });

  it('gives the second request of an enterprise the contact of its first, for other departments too', async () => {
    // Prepare: the enterprise's first request, about work, routed
    const firstBody = requestBody({
      kvkNumber: '31000006',
      goals: ['work'],
      requestType: 'question',
      description: `${PLAIN} (eerste vraag).`,
    });
    const first = await local.routed((await local.submit(firstBody)).reference);

    // Act: its second request, about care (by coverage a zorg official's)
    const secondBody = requestBody({
      kvkNumber: '31000006',
      goals: ['care'],
      requestType: 'question',
      description: `${PLAIN} (tweede vraag, over zorg).`,
    });
    const second = await local.routed((await local.submit(secondBody)).reference);

    // Assess
    expect(first.contact.departments).toContain('werk');
    expect(second.contact.id).toBe(first.contact.id);
    expect(assignedEvents(second.c)).toEqual([expect.objectContaining({ choice: 'continuity' })]);
    expect(recipients(second.mails)).toEqual(
      [first.contact.email, 'kvk31000006@onderneming.example', 'zorg@voorbeeld.example'].sort(),
    );
    expect(local.errors).toEqual([]);
  });
});
