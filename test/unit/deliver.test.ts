import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { Notification } from '../../functions/domain/mail/notifications.js';
import { notificationKey } from '../../functions/domain/notification-kind.js';
import type { Mailer } from '../../functions/domain/ports.js';
import { deliverOnce, RECORD_RETRY_PAUSES_MS } from '../../functions/use-cases/deliver-once.js';
import { fixedClock, required, submittedCase } from '../support/cases.js';
import { countingMetrics, memoryCaseStore, memoryMailer } from '../support/fakes.js';

const REFERENCE = 'AP-2345-6789';
const notice: Notification = {
  kind: { type: 'enterprise' },
  mail: { to: 'ondernemer@example.nl', subject: `Uw aanvraag ${REFERENCE}`, text: 't', html: '<p>t</p>' },
};

/** A case store whose record of a sent e-mail fails the first `failures` times (the table briefly down). */
function flakyRecords(failures: number) {
  const cases = memoryCaseStore();
  let left = failures;
  const tries: string[] = [];
  return {
    cases: {
      ...cases,
      async recordNotification(...args: Parameters<typeof cases.recordNotification>) {
        tries.push(notificationKey(args[1]));
        if (left-- > 0) throw new Error('connect ECONNREFUSED (table restarting)');
        return cases.recordNotification(...args);
      },
      async recordNotifications(...args: Parameters<typeof cases.recordNotifications>) {
        tries.push(args[1].map((s) => notificationKey(s.kind)).join(','));
        if (left-- > 0) throw new Error('connect ECONNREFUSED (table restarting)');
        return cases.recordNotifications(...args);
      },
    },
    tries,
  };
}

describe('deliverOnce', () => {
  it('keeps trying the record of an accepted e-mail through a short table outage, so it is not sent again', async () => {
    // Prepare: the table refuses the record twice after SES took the e-mail
    const { cases, tries } = flakyRecords(2);
    await cases.create(submittedCase(REFERENCE));
    const mailer = memoryMailer();
    const pauses: number[] = [];
    const deps = {
      cases,
      mailer,
      clock: fixedClock('2025-03-03T09:02:00.000Z'),
      metrics: countingMetrics(),
      pause: async (ms: number) => void pauses.push(ms),
    };
    const c = required(await cases.get(REFERENCE), REFERENCE);

    // Act: the first delivery, then a redelivery of the same message
    const sent = await deliverOnce(deps, c, { notifications: [notice], from: 'gemeente@example.nl' });
    const again = await deliverOnce(deps, required(await cases.get(REFERENCE), REFERENCE), {
      notifications: [notice],
      from: 'x',
    });

    // Assess: one e-mail, recorded on the third try
    expect(sent).toBe(1);
    expect(again).toBe(0);
    expect(mailer.sent).toHaveLength(1);
    expect(tries).toEqual(['enterprise', 'enterprise', 'enterprise']);
    expect(pauses).toEqual(RECORD_RETRY_PAUSES_MS.slice(0, 2));
    expect(required(await cases.get(REFERENCE), REFERENCE).notifications.enterprise?.messageId).toBeDefined();
  });

  it('gives up after its tries and leaves the lease, the one gap (at least once)', async () => {
    const { cases, tries } = flakyRecords(100);
    await cases.create(submittedCase(REFERENCE));
    const deps = {
      cases,
      mailer: memoryMailer(),
      clock: fixedClock('2025-03-03T09:02:00.000Z'),
      metrics: countingMetrics(),
      pause: async () => {},
    };
    const c = required(await cases.get(REFERENCE), REFERENCE);

    await expect(
      deliverOnce(deps, c, { notifications: [notice], from: 'gemeente@example.nl' }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(tries).toHaveLength(RECORD_RETRY_PAUSES_MS.length + 1);
    // The claim stays until its lease passes: a redelivery now leaves the e-mail alone.
    expect(
      await cases.claimNotification(
        REFERENCE,
        { type: 'enterprise' },
        new Date('2025-03-03T09:02:10.000Z'),
        60_000,
      ),
    ).toBe('busy');
  });
});

describe('deliverOnce: in parallel, in one write', () => {
  const three: Notification[] = ['a', 'b', 'c'].map((name) => ({
    kind: { type: 'department', department: name },
    mail: { to: `${name}@voorbeeld.example`, subject: `Zaak ${REFERENCE}`, text: 't', html: '<p>t</p>' },
  }));
  const depsWith = (cases: ReturnType<typeof memoryCaseStore>, mailer: Mailer) => ({
    cases,
    mailer,
    clock: fixedClock('2025-03-03T09:02:00.000Z'),
    metrics: countingMetrics(),
    pause: async () => {},
  });

  it("sends a case's e-mails at the same time, not one after the other", async () => {
    // Prepare: a mail service that answers only once all three e-mails are being sent
    const cases = memoryCaseStore();
    await cases.create(submittedCase(REFERENCE));
    let started = 0;
    let release: () => void = () => undefined;
    const allStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mailer: Mailer = {
      async send(mail) {
        if (++started === three.length) release();
        const waited = await Promise.race([
          allStarted.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
        ]);
        if (!waited) throw new Error('sent one after the other');
        return `ses-${mail.to}`;
      },
    };

    // Act
    const sent = await deliverOnce(depsWith(cases, mailer), required(await cases.get(REFERENCE), REFERENCE), {
      notifications: three,
      from: 'gemeente@example.nl',
    });

    // Assess
    expect(sent).toBe(3);
    expect(Object.keys(required(await cases.get(REFERENCE), REFERENCE).notifications).sort()).toEqual([
      'department:a',
      'department:b',
      'department:c',
    ]);
  });

  it('records kind by kind when the one write finds the case changed, and then sets the next look from the case', async () => {
    // Prepare: the one write fails its condition (an official acted meanwhile)
    const store = memoryCaseStore();
    await store.create(submittedCase(REFERENCE));
    const calls: string[] = [];
    const cases = {
      ...store,
      async recordNotifications(...args: Parameters<typeof store.recordNotifications>) {
        calls.push('all');
        return args[3] === undefined ? store.recordNotifications(...args) : false;
      },
      async recordNotification(...args: Parameters<typeof store.recordNotification>) {
        calls.push(notificationKey(args[1]));
        return store.recordNotification(...args);
      },
      async scheduleNext(...args: Parameters<typeof store.scheduleNext>) {
        calls.push('schedule');
        return store.scheduleNext(...args);
      },
    };

    // Act
    const c = required(await store.get(REFERENCE), REFERENCE);
    await deliverOnce({ ...depsWith(store, memoryMailer()), cases }, c, {
      notifications: three,
      from: 'gemeente@example.nl',
      scheduleNext: { calendar: municipality.sla.calendar },
    });

    // Assess: each kind recorded once; the next look set (a submitted case has no clocks: none)
    expect(calls).toEqual(['all', 'department:a', 'department:b', 'department:c', 'schedule']);
    const after = required(await store.get(REFERENCE), REFERENCE);
    expect(Object.keys(after.notifications)).toHaveLength(3);
    expect(after.nextAt).toBeUndefined();
  });
});
