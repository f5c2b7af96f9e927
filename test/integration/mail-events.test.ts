import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRequest } from '../../events/case-request.js';
import type { Case } from '../../functions/domain/case.js';
import { historyOf } from '../../functions/domain/case.js';
import { SUPPRESSED } from '../../functions/domain/sla.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, type StoredEmail } from '../support/mailbox.js';

/**
 * What SES tells of the e-mails, on the local system: e-mails to the SES mailbox simulator's addresses make the
 * local runtime publish the events SES would (infra/local/mail-simulator.ts) to the mail-events queue, where
 * the mail-events function handles them as it does on AWS. Each address has a label of its own
 * (`bounce+<label>@...`), as the simulator allows, so the scenarios do not touch each other.
 */
describe('mail events on the embedded emulators: bounces, complaints and out-of-office replies', () => {
  let local: RoutingSystem;
  let sqs: SQSClient;
  const simulator = (box: string, label: string) => `${box}+${label}@simulator.amazonses.com`;
  const jansenBounces = simulator('bounce', 'a-jansen');

  beforeAll(async () => {
    local = await startRoutingSystem('mail-events');
    // Anouk Jansen's address was mistyped: every e-mail to it bounces. Written before any case is routed.
    const jansen = required(await local.officials.get('a-jansen'), 'a-jansen');
    const { absences: _absences, unreachable: _unreachable, ...details } = jansen;
    await local.officials.save({ ...details, email: jansenBounces });
    sqs = new SQSClient({
      endpoint: local.system.urls.sqs,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    sqs?.destroy();
    await local?.stop();
  });

  /** A request for the zorg department (Sanne de Vries), from an enterprise with this address. */
  const careRequest = (kvkNumber: string, email: string, description: string): CaseRequest => {
    const body = requestBody({ kvkNumber, goals: ['care'], requestType: 'question', description });
    return { ...body, contact: { ...body.contact, email } };
  };

  const mailsTo = async (address: string): Promise<StoredEmail[]> =>
    (await local.mails()).filter((m) => m.destination.to.includes(address));

  /** Waits until the mail-events queue has nothing visible, in flight or delayed: every event was handled. */
  const eventsHandled = () =>
    eventually(async () => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: local.system.queues.mailEvents.url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      return Object.values(Attributes).every((n) => n === '0') ? true : undefined;
    });

  /** The case once every e-mail it needs is recorded (sent, or not sent because suppressed). */
  const recorded = (reference: string, kinds: readonly string[]) =>
    eventually(async () => {
      const c = await local.cases.get(reference);
      return c !== undefined && kinds.every((k) => c.notifications[k] !== undefined) ? c : undefined;
    });

  it('hands the case of an official whose address bounces to their deputy, who gets it, and tells the enterprise its new contact', async () => {
    // Prepare: a request Anouk Jansen (werk and economie) covers best; her deputy is Mohamed Bakker
    const body = requestBody({
      kvkNumber: '41000001',
      goals: ['work'],
      requestType: 'partnership',
      description: 'Wij leiden mensen op tot fietsenmaker en zoeken een partner bij de gemeente.',
    });

    // Act: the assignment e-mail to her bounces
    const { reference } = await local.submit(body);
    const handedOn: Case = await eventually(async () => {
      const c = await local.cases.get(reference);
      return c?.contact?.id === 'm-bakker' && c.notifications['handover:1:enterprise'] !== undefined
        ? c
        : undefined;
    });

    // Assess: she is unreachable; the case went to her deputy with the handover's e-mails, the history says why
    expect((await local.officials.get('a-jansen'))?.unreachable).toEqual({ since: expect.any(String) });
    expect(handedOn.history.filter((h) => h.type === 'assigned')).toEqual([
      expect.objectContaining({ contact: 'a-jansen' }),
    ]);
    expect(handedOn.history.find((h) => h.type === 'handedOver')).toMatchObject({
      by: 'a-jansen',
      to: 'm-bakker',
      toName: 'Mohamed Bakker',
      because: 'unreachable',
    });
    expect(handedOn.notifications.assignment?.bounced).toEqual(expect.any(String));
    expect(historyOf(handedOn).map((h) => h.type)).toContain('bounced');
    const mails = await local.mailsOf(reference);
    const deputy = mails.filter((m) => m.destination.to.includes('m.bakker@voorbeeld.example'));
    expect(deputy.map((m) => m.subject)).toEqual([expect.stringMatching(/^Overgedragen: aanvraag/)]);
    const enterprise = mails.filter((m) => m.destination.to.includes(body.contact.email));
    expect(enterprise.map((m) => m.subject).sort()).toEqual([
      expect.stringContaining('uw nieuwe contactpersoon is Mohamed Bakker'),
      expect.stringContaining('uw vaste contactpersoon is Anouk Jansen'),
    ]);
    // Nothing more went to the address that bounced: one e-mail, the assignment
    expect((await mailsTo(jansenBounces)).length).toBe(1);
    expect(await local.cases.suppressed([jansenBounces])).toEqual(new Set([jansenBounces]));
  });

  it("tells the case's contact once, with the phone number, when the enterprise's address bounces, and e-mails it no more", async () => {
    // Prepare
    const address = simulator('bounce', 'kvk41000002');
    const first = careRequest('41000002', address, 'Wij bieden dagbesteding met zorgboerderij-activiteiten.');

    // Act: its confirmation bounces; then the same enterprise sends a second request
    const { reference, statusUrl } = await local.submit(first);
    const told = await eventually(async () => {
      const c = await local.cases.get(reference);
      return c?.notifications.enterpriseUnreachable !== undefined ? c : undefined;
    });
    const second = await local.submit({ ...first, description: 'Een tweede vraag over dagbesteding.' });
    const secondCase = await recorded(second.reference, ['assignment', 'enterprise']);
    await eventsHandled();

    // Assess: the contact got one e-mail that names the phone number; the history says the address failed
    const contact = required(told.contact, 'contact');
    const forContact = (await local.mailsOf(reference)).filter((m) =>
      m.destination.to.includes(contact.email),
    );
    // (in the contact's own language: Lotte Visser reads English)
    const notice = forContact.filter((m) => /werkt niet|does not work/.test(m.subject));
    expect(notice.map((m) => m.subject)).toEqual([
      contact.language === 'nl'
        ? `Aanvraag ${reference}: het e-mailadres van Onderneming 41000002 werkt niet`
        : `Request ${reference}: the e-mail address of Onderneming 41000002 does not work`,
    ]);
    expect(notice[0]?.body.html ?? notice[0]?.body.text).toContain(first.contact.phone ?? '?');
    expect(told.notifications.enterprise?.bounced).toEqual(expect.any(String));
    expect(historyOf(told)).toContainEqual(
      expect.objectContaining({ type: 'bounced', notification: 'enterprise' }),
    );
    const page = await (await fetch(statusUrl)).text();
    expect(page).toContain('Onze e-mail aan u kwam niet aan: uw e-mailadres werkt niet.');
    // The second case is routed as usual, but nothing goes to the address that bounced
    expect(secondCase.notifications.enterprise?.messageId).toBe(SUPPRESSED);
    expect((await mailsTo(address)).map((m) => m.subject)).toEqual([expect.stringContaining(reference)]);
    expect((await local.mailsOf(second.reference)).map((m) => m.destination.to)).toEqual([[contact.email]]);
    expect(told.contact?.id).toBe(contact.id);
  });

  it('sends nothing more to an address whose owner marked our e-mail as spam', async () => {
    // Prepare
    const address = simulator('complaint', 'kvk41000003');
    const first = careRequest('41000003', address, 'Wij zoeken vrijwilligers voor een zorgcafé in de wijk.');

    // Act: the confirmation is delivered and marked as spam; then a second request from the same address
    const { reference } = await local.submit(first);
    await recorded(reference, ['assignment', 'enterprise']);
    await eventually(async () => ((await local.cases.suppressed([address])).size === 1 ? true : undefined));
    const second = await local.submit({ ...first, description: 'Nog een vraag over het zorgcafé.' });
    const secondCase = await recorded(second.reference, ['assignment', 'enterprise']);
    await eventsHandled();

    // Assess: one e-mail to that address, ever; the case itself goes on
    expect((await mailsTo(address)).map((m) => m.subject)).toEqual([expect.stringContaining(reference)]);
    expect(secondCase.notifications.enterprise?.messageId).toBe(SUPPRESSED);
    expect(secondCase.status).toBe('assigned');
    const c = required(await local.cases.get(reference), reference);
    expect(c.notifications.enterprise?.bounced).toBeUndefined();
  });

  it('changes nothing for an out-of-office reply: the e-mails go on as before', async () => {
    // Prepare
    const address = simulator('ooto', 'kvk41000004');
    const first = careRequest(
      '41000004',
      address,
      'Wij starten een wasserette waar mensen met een beperking werken.',
    );

    // Act
    const { reference } = await local.submit(first);
    const before = await recorded(reference, ['assignment', 'enterprise']);
    await eventsHandled();
    const second = await local.submit({ ...first, description: 'Een vervolgvraag over de wasserette.' });
    await recorded(second.reference, ['assignment', 'enterprise']);
    await eventsHandled();

    // Assess: both confirmations went out, nothing was suppressed, noted or handed over
    const after = required(await local.cases.get(reference), reference);
    expect(after.contact).toEqual(before.contact);
    expect(Object.values(after.notifications).map((n) => n.bounced)).toEqual(
      Object.values(after.notifications).map(() => undefined),
    );
    expect(after.history.map((h) => h.type)).toEqual(before.history.map((h) => h.type));
    expect((await mailsTo(address)).length).toBe(2);
    expect((await local.cases.suppressed([address])).size).toBe(0);
    const contact = required(after.contact, 'contact');
    expect((await local.officials.get(contact.id))?.unreachable).toBeUndefined();
    expect(local.errors).toEqual([]);
  });
});
