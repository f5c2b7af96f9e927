import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/domain/mail/notifications.js';
import { notificationKey } from '../../functions/domain/notification-kind.js';
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
