import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { SesEvent } from '../../events/ses-event.js';
import { assign, contactOf, historyOf, tagDepartments } from '../../functions/domain/case.js';
import { mailTagsFrom, mailTagsOf } from '../../functions/domain/mail-tags.js';
import type { NotificationKind } from '../../functions/domain/notification-kind.js';
import { SUPPRESSED } from '../../functions/domain/sla.js';
import { createMailEventsHandler } from '../../functions/mail-events/handler.js';
import { deliverOnce } from '../../functions/use-cases/deliver-once.js';
import { BounceBeforeRecordError, handleMailEvent } from '../../functions/use-cases/handle-mail-event.js';
import { simulatedEvents, simulatorAddressOf } from '../../infra/local/mail-simulator.js';
import { fixedClock, required, sampleRequest, submittedCase } from '../support/cases.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryMailer,
  memoryOfficialDirectory,
  memoryQueue,
  silentLog,
} from '../support/fakes.js';

const REFERENCE = 'AP-2345-6789';
const NOW = '2025-03-03T10:00:00.000Z';
const jansen = required(
  municipality.officials.find((o) => o.id === 'a-jansen'),
  'a-jansen',
);

/** The mail-events function's dependencies in memory, and a case assigned to Anouk Jansen with its e-mails sent. */
async function setup(changes: { readonly deputyAway?: boolean } = {}) {
  const cases = memoryCaseStore();
  const officials = memoryOfficialDirectory();
  await officials.seed(municipality.officials);
  if (changes.deputyAway) await officials.setAbsences('m-bakker', [{ from: '2025-03-01', to: '2025-03-31' }]);
  const submitted = submittedCase(REFERENCE, sampleRequest({ goals: ['work'], requestType: 'partnership' }));
  await cases.create(submitted);
  const at = new Date('2025-03-03T09:01:00.000Z');
  const tags = tagDepartments(submitted.request, municipality);
  await cases.assign(
    assign(submitted, tags, { contact: contactOf(jansen), choice: 'coverage' }, at, municipality.sla),
  );
  await cases.recordNotifications(
    REFERENCE,
    [
      { kind: { type: 'assignment' }, messageId: 'ses-assignment' },
      { kind: { type: 'enterprise' }, messageId: 'ses-enterprise' },
    ],
    at,
  );
  const mailer = memoryMailer();
  const queue = memoryQueue();
  const metrics = countingMetrics();
  const deps = {
    cases,
    officials,
    mailer,
    queue,
    metrics,
    municipality,
    clock: fixedClock(NOW),
    log: silentLog,
  };
  return { deps, cases, officials, mailer, queue, metrics };
}

const mail = (kind: NotificationKind, to: string, reference = REFERENCE) => ({
  messageId: `ses-${to}`,
  timestamp: '2025-03-03T09:01:00.000Z',
  destination: [to],
  tags: Object.fromEntries(mailTagsOf({ reference, kind }).map(({ name, value }) => [name, [value]])),
});

const bounce = (
  kind: NotificationKind,
  to: string,
  bounceType: 'Permanent' | 'Transient' = 'Permanent',
  reference = REFERENCE,
): SesEvent => ({
  eventType: 'Bounce',
  mail: mail(kind, to, reference),
  bounce: {
    bounceType,
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: to }],
    timestamp: '2025-03-03T09:02:00.000Z',
  },
});

describe('the tags an e-mail of a case carries', () => {
  it('name its case and kind in the characters SES takes, and read back as the same case and kind', () => {
    const kinds: NotificationKind[] = [
      { type: 'assignment' },
      { type: 'department', department: 'werk_en-inkomen' },
      { type: 'handover', round: 2, to: 'enterprise' },
      { type: 'step', clock: 'firstContact', step: 'breach', to: 'coordinator' },
      { type: 'enterpriseUnreachable' },
    ];
    for (const kind of kinds) {
      const tags = mailTagsOf({ reference: REFERENCE, kind });
      for (const { name, value } of tags)
        expect(`${name}=${value}`).toMatch(/^[A-Za-z0-9_-]+=[A-Za-z0-9_-]+$/);
      expect(mailTagsFrom(Object.fromEntries(tags.map((t) => [t.name, [t.value]])))).toEqual({
        reference: REFERENCE,
        kind,
      });
    }
    expect(mailTagsFrom({ 'ses:configuration-set': ['set'] })).toBeUndefined();
    expect(mailTagsFrom({ case: [REFERENCE], notification: ['bm90IGEga2luZA'] })).toBeUndefined();
  });
});

describe('the local mailbox simulator', () => {
  const outgoing = (to: string) => ({
    from: 'aanspreekpunt@voorbeeld.example',
    to,
    subject: 's',
    text: 't',
    html: '<p>t</p>',
    tags: { reference: REFERENCE, kind: { type: 'enterprise' } as const },
  });

  it('publishes for each simulator address (with or without a label) the events SES does, and none for others', () => {
    const at = new Date(NOW);
    const types = (to: string) =>
      simulatedEvents(outgoing(to), 'ses-1', at).map((e) =>
        e.eventType === 'Bounce' ? `Bounce ${e.bounce.bounceType} ${e.bounce.bounceSubType}` : e.eventType,
      );
    expect(types('success@simulator.amazonses.com')).toEqual(['Delivery']);
    expect(types('ooto+kvk1@simulator.amazonses.com')).toEqual(['Delivery']);
    expect(types('Bounce+x@Simulator.AmazonSES.com')).toEqual(['Bounce Permanent General']);
    expect(types('suppressionlist@simulator.amazonses.com')).toEqual([
      'Bounce Permanent OnAccountSuppressionList',
    ]);
    expect(types('complaint@simulator.amazonses.com')).toEqual(['Delivery', 'Complaint']);
    expect(types('bounce@voorbeeld.example')).toEqual([]);
    expect(simulatorAddressOf('nobody@simulator.amazonses.com')).toBeUndefined();
    const [event] = simulatedEvents(outgoing('bounce@simulator.amazonses.com'), 'ses-1', at);
    expect(mailTagsFrom(event?.mail.tags ?? {})).toEqual({
      reference: REFERENCE,
      kind: { type: 'enterprise' },
    });
  });
});

describe('handling what SES tells of an e-mail', () => {
  it('marks an official whose assignment bounced unreachable and hands the case to their deputy, once', async () => {
    // Prepare
    const { deps, cases, officials, queue, metrics } = await setup();
    const event = bounce({ type: 'assignment' }, jansen.email);

    // Act: the event, and the same event delivered again
    await handleMailEvent(deps, event);
    await handleMailEvent(deps, event);

    // Assess
    expect((await officials.get('a-jansen'))?.unreachable).toEqual({ since: '2025-03-03T09:02:00.000Z' });
    const c = required(await cases.get(REFERENCE), REFERENCE);
    expect(c.contact?.id).toBe('m-bakker');
    expect(c.history.filter((h) => h.type === 'handedOver')).toEqual([
      expect.objectContaining({ by: 'a-jansen', to: 'm-bakker', because: 'unreachable' }),
    ]);
    expect(c.notifications.assignment?.bounced).toBe('2025-03-03T09:02:00.000Z');
    expect(historyOf(c)).toContainEqual(
      expect.objectContaining({ type: 'bounced', notification: 'assignment' }),
    );
    expect(queue.sent.map((m) => m.reference)).toEqual([REFERENCE]);
    expect(await cases.suppressed([jansen.email.toUpperCase()])).toEqual(
      new Set([jansen.email.toUpperCase()]),
    );
    expect(metrics.counts.get('OfficialUnreachable')).toBe(1);
    expect(metrics.counts.get('MailBounced{bounceType=Permanent}')).toBe(2);
  });

  it('gives the case back to routing when the deputy cannot take it', async () => {
    const { deps, cases, queue } = await setup({ deputyAway: true });

    await handleMailEvent(deps, bounce({ type: 'assignment' }, jansen.email));

    const c = required(await cases.get(REFERENCE), REFERENCE);
    expect(c.status).toBe('submitted');
    expect(c.contact).toBeUndefined();
    expect(c.history.findLast((h) => h.type === 'handedOver')).toMatchObject({
      by: 'a-jansen',
      because: 'unreachable',
    });
    expect(queue.sent).toHaveLength(1);
  });

  it("tells the case's contact once, with the phone number, when the enterprise's address bounced", async () => {
    // Prepare
    const { deps, cases, mailer, metrics } = await setup();
    const enterprise = sampleRequest().contact;
    const event = bounce({ type: 'enterprise' }, enterprise.email);

    // Act
    await handleMailEvent(deps, event);
    await handleMailEvent(deps, event);

    // Assess: one e-mail to Anouk Jansen, who stays the contact; the enterprise's address is suppressed
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      [
        jansen.email,
        `Aanvraag ${REFERENCE}: het e-mailadres van ${sampleRequest().organisation.name} werkt niet`,
      ],
    ]);
    expect(mailer.sent[0]?.text).toContain(enterprise.phone ?? '?');
    const c = required(await cases.get(REFERENCE), REFERENCE);
    expect(c.contact?.id).toBe('a-jansen');
    expect(c.notifications.enterprise?.bounced).toBeDefined();
    expect(metrics.counts.get('EnterpriseUnreachable')).toBe(1);
    expect((await cases.suppressed([enterprise.email])).size).toBe(1);
  });

  it('sends nothing more to an address on the suppression list: the e-mail is recorded as suppressed', async () => {
    // Prepare: the enterprise complained
    const { deps, cases, mailer, metrics } = await setup();
    const address = sampleRequest().contact.email;
    await handleMailEvent(deps, {
      eventType: 'Complaint',
      mail: mail({ type: 'enterprise' }, address),
      complaint: { complainedRecipients: [{ emailAddress: address }], timestamp: NOW },
    });
    const c = required(await cases.get(REFERENCE), REFERENCE);

    // Act: a late notice to the enterprise, and one to the contact
    const sent = await deliverOnce(deps, c, {
      notifications: [
        {
          kind: { type: 'step', clock: 'firstContact', step: 'breach', to: 'enterprise' },
          mail: { to: address, subject: 's', text: 't', html: 'h' },
        },
        {
          kind: { type: 'step', clock: 'firstContact', step: 'breach', to: 'contact' },
          mail: { to: jansen.email, subject: 's', text: 't', html: 'h' },
        },
      ],
      from: municipality.sender,
    });

    // Assess
    expect(sent).toBe(1);
    expect(mailer.sent.map((m) => m.to)).toEqual([jansen.email]);
    const after = required(await cases.get(REFERENCE), REFERENCE);
    expect(after.notifications['firstContact:breach:enterprise']?.messageId).toBe(SUPPRESSED);
    expect(metrics.counts.get('MailComplained')).toBe(1);
    expect(metrics.counts.get('MailSuppressed')).toBe(1);
  });

  it('only counts a transient bounce and a delivery', async () => {
    const { deps, cases, officials, mailer, metrics } = await setup();
    const before = await cases.get(REFERENCE);

    await handleMailEvent(deps, bounce({ type: 'assignment' }, jansen.email, 'Transient'));
    await handleMailEvent(deps, {
      eventType: 'Delivery',
      mail: mail({ type: 'assignment' }, jansen.email),
      delivery: { recipients: [jansen.email], timestamp: NOW },
    });

    expect(await cases.get(REFERENCE)).toEqual(before);
    expect((await officials.get('a-jansen'))?.unreachable).toBeUndefined();
    expect((await cases.suppressed([jansen.email])).size).toBe(0);
    expect(mailer.sent).toEqual([]);
    expect(metrics.counts.get('MailBounced{bounceType=Transient}')).toBe(1);
    expect(metrics.counts.get('MailDelivered')).toBe(1);
  });

  it('retries a bounce that came before the record of its e-mail, and lets go of one of a case it does not have', async () => {
    const { deps } = await setup();

    await expect(
      handleMailEvent(deps, bounce({ type: 'handover', round: 1, to: 'contact' }, jansen.email)),
    ).rejects.toBeInstanceOf(BounceBeforeRecordError);
    await expect(
      handleMailEvent(deps, bounce({ type: 'assignment' }, jansen.email, 'Permanent', 'AP-9999-9999')),
    ).resolves.toBeUndefined();
  });

  it('fails a record that is not an SES event, and counts an event type SES added later without failing it', async () => {
    const { deps, metrics } = await setup();
    const handler = createMailEventsHandler(deps);

    const response = await handler(
      sqsEvent(
        sqsRecord('not-json', 'not json'),
        sqsRecord('no-mail', JSON.stringify({ eventType: 'Bounce' })),
        sqsRecord('new-type', JSON.stringify({ eventType: 'Teleported', mail: {} })),
      ),
      lambdaContext('mailEvents'),
    );

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['not-json', 'no-mail']);
    expect(metrics.counts.get('MailEventsIgnored')).toBe(1);
  });
});
