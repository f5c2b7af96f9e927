import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { submitCase } from '../../functions/domain/case.js';
import { required, sampleRequest } from '../support/cases.js';
import { expectedRecipients, type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import type { StoredEmail } from '../support/mailbox.js';
import { type Moto, startMoto } from '../support/moto.js';

const recipients = (mails: readonly StoredEmail[]) => mails.flatMap((m) => m.destination.to).sort();
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * The local system on moto server instead of the embedded emulators: the same handlers, gateway, poller and
 * scheduler, with DynamoDB, SQS and SES all answered by one moto_server. Small on purpose (moto's SQS is slow).
 */
describe('the pipeline on moto server: intake -> DynamoDB -> SQS -> router -> SES, and the SLA job', () => {
  let moto: Moto;
  let local: RoutingSystem;
  /** Cases a test made: afterwards the SLA job stops looking at them, so no test sees another's steps. */
  const made: string[] = [];
  const submit = async (body: Parameters<RoutingSystem['submit']>[0]) => {
    const submitted = await local.submit(body);
    made.push(submitted.reference);
    return submitted;
  };

  beforeAll(async () => {
    moto = await startMoto();
    local = await startRoutingSystem('moto-pipeline', { emulators: { endpoint: moto.endpoint } });
  });
  afterEach(async () => {
    for (const reference of made.splice(0)) await local.cases.clearNextAt(reference);
  });
  afterAll(async () => {
    await local?.stop();
    await moto?.stop();
  });

  it('routes a submitted case to one official, with each e-mail read back from moto once, from the verified sender', async () => {
    // Prepare
    const body = requestBody({
      kvkNumber: '61000001',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: 'Wij repareren fietsen met mensen die lang thuis zaten.',
    });

    // Act
    const { reference, statusUrl } = await submit(body);
    const { c, contact, mails } = await local.routed(reference);

    // Assess: assigned once, every e-mail once, all from the sender, the status page shows the contact
    expect(c.status).toBe('assigned');
    expect(c.history.filter((h) => h.type === 'assigned')).toHaveLength(1);
    expect(recipients(mails)).toEqual(expectedRecipients(c, contact));
    expect(new Set(mails.map((m) => m.from))).toEqual(new Set([municipality.sender]));
    const toContact = required(
      mails.find((m) => m.destination.to.includes(contact.email)),
      'the e-mail to the contact',
    );
    expect(toContact.body.html).toContain(reference);
    expect(toContact.body.html).toContain(body.organisation.name);
    const status = await fetch(statusUrl, { headers: { accept: 'application/json' } });
    const shown = (await status.json()) as { status: string; contact: { name: string } | null };
    expect(shown).toMatchObject({ status: 'assigned', contact: { name: contact.name } });
    expect(local.errors).toEqual([]);
  });

  it('routes three cases submitted at once, each e-mail exactly once', async () => {
    // Prepare / Act
    const submitted = await Promise.all(
      [1, 2, 3].map((n) =>
        submit(
          requestBody({
            kvkNumber: `6100010${n}`,
            goals: ['work', 'environment'],
            requestType: 'partnership',
            description: `Wij repareren fietsen met mensen die lang thuis zaten (verzoek ${n}).`,
          }),
        ),
      ),
    );
    const routed = await Promise.all(submitted.map(({ reference }) => local.routed(reference)));

    // Assess
    for (const { c, contact, mails } of routed) {
      expect(c.status).toBe('assigned');
      expect(recipients(mails)).toEqual(expectedRecipients(c, contact));
    }
    expect(local.errors).toEqual([]);
  });

  it('sends one reminder at the replayed reminder moment, and nothing when the job runs again then', async () => {
    // Prepare: a routed case, and its reminder moment
    const { reference } = await submit(
      requestBody({
        kvkNumber: '61000201',
        goals: ['care'],
        requestType: 'partnership',
        description: 'Wij koken met mensen die lang thuis zaten.',
      }),
    );
    const { c, contact } = await local.routed(reference);
    const reminder = required(c.clocks.firstContact, 'the first-contact clock').steps.reminder;
    const before = new Set((await local.mailsOf(reference)).map((m) => m.messageId));
    const newMails = async () => (await local.mailsOf(reference)).filter((m) => !before.has(m.messageId));

    // Act
    const early = await local.system.invoke('sla', { scheduledTime: plus(reminder, -1) });
    const first = await local.system.invoke('sla', { scheduledTime: reminder });
    const again = await local.system.invoke('sla', { scheduledTime: reminder });

    // Assess
    expect(early).toMatchObject({ steps: 0, emails: 0, failed: 0 });
    expect(first).toMatchObject({ due: 1, steps: 1, emails: 1, failed: 0 });
    expect(again).toMatchObject({ steps: 0, emails: 0, failed: 0 });
    const reminders = await newMails();
    expect(recipients(reminders)).toEqual([contact.email]);
    // in the contact's language
    expect(reminders[0]?.subject).toMatch(new RegExp(`^(Herinnering|Reminder) ${reference}:`));
  });

  it('queues a case again when its route message was lost, at the next run of the SLA job', async () => {
    // Prepare: a case stored as intake stores it, whose message never reached the queue
    const reference = 'AP-2222-LQST';
    made.push(reference);
    const request = sampleRequest({
      contact: { ...sampleRequest().contact, email: 'lost@onderneming.example' },
    });
    await local.cases.create(
      submitCase({ request, reference, tokenHash: '00', now: new Date(Date.now() - 10 * 60_000) }),
    );

    // Act
    const result = await local.system.invoke('sla', { scheduledTime: new Date().toISOString() });

    // Assess: queued again, then routed with its e-mails
    expect(result).toMatchObject({ requeued: 1 });
    const { c, contact, mails } = await local.routed(reference);
    expect(c.status).toBe('assigned');
    expect(recipients(mails)).toEqual(expectedRecipients(c, contact));
  });
});
