import { describe, expect, it } from 'vitest';
import { pacedMailer } from '../../functions/adapters/paced-mailer.js';
import { declaration } from '../../functions/declaration.js';
import { MailDeferredError } from '../../functions/domain/ports.js';
import { mailSendingPlan } from '../../infra/aws/mail-rate.js';
import { memoryMailer } from '../support/fakes.js';

const mail = (n: number) => ({
  from: 'aanspreekpunt@voorbeeld.example',
  to: `official${n}@voorbeeld.example`,
  subject: `Aanvraag ${n}`,
  text: 't',
  html: '<p>t</p>',
});

describe('an instance that sends at its share of the SES rate', () => {
  /** A clock that only moves when the mailer sleeps, and the moments each e-mail went out. */
  function pacedAt(perSecond: number, maxWaitMs: number, clockMovesOnSleep = true) {
    let clock = 0;
    const inner = memoryMailer();
    const sentAt: number[] = [];
    const mailer = pacedMailer(
      {
        async send(m) {
          sentAt.push(clock);
          return inner.send(m);
        },
      },
      {
        perSecond,
        maxWaitMs,
        now: () => clock,
        sleep: async (ms) => {
          if (clockMovesOnSleep) clock += ms;
        },
      },
    );
    return { mailer, sentAt, sent: inner.sent, advance: (ms: number) => (clock += ms) };
  }

  it('sends one e-mail per turn, in the order asked, at most perSecond a second', async () => {
    const { mailer, sentAt } = pacedAt(4, 10_000);

    for (let n = 0; n < 5; n++) await mailer.send(mail(n));

    expect(sentAt).toEqual([0, 250, 500, 750, 1000]);
  });

  it('refuses, as throttled, an e-mail whose turn is further off than the longest wait, sending nothing', async () => {
    // Prepare: 2 a second, waits of at most 1 s: turns at 0, 0.5 and 1 s are taken by three e-mails asked at once
    // (the clock stands still while they wait, as it does for e-mails asked in the same instant)
    const { mailer, sent, advance } = pacedAt(2, 1_000, false);
    const asked = [0, 1, 2, 3].map((n) =>
      mailer.send(mail(n)).then(
        () => 'sent',
        (error: unknown) => error,
      ),
    );

    // Act
    const outcomes = await Promise.all(asked);

    // Assess: the fourth would wait 1.5 s: refused, to be put off; after a while there is room again
    expect(outcomes.slice(0, 3)).toEqual(['sent', 'sent', 'sent']);
    expect(outcomes[3]).toBeInstanceOf(MailDeferredError);
    expect((outcomes[3] as MailDeferredError).reason).toBe('throttled');
    expect(sent.map((m) => m.to)).toEqual([0, 1, 2].map((n) => mail(n).to));
    advance(5_000);
    await expect(mailer.send(mail(4))).resolves.toBeDefined();
  });
});

describe("the account's SES rate shared by the functions that send mail", () => {
  const plan = (rate: number) => Object.fromEntries(mailSendingPlan(rate, declaration.functions));

  it('gives the router 80 % over its concurrent batches and the SLA job the rest', () => {
    expect(plan(14)).toEqual({
      router: { maxConcurrency: 5, perInstance: 2.24 },
      sla: { maxConcurrency: 1, perInstance: 2.8 },
    });
  });

  it('runs fewer router batches on a low rate (down to the 2 SQS allows), each paced lower', () => {
    expect(plan(1)).toEqual({
      router: { maxConcurrency: 2, perInstance: 0.4 },
      sla: { maxConcurrency: 1, perInstance: 0.2 },
    });
    expect(plan(3).router).toEqual({ maxConcurrency: 2, perInstance: 1.2 });
    expect(plan(4).router).toEqual({ maxConcurrency: 3, perInstance: 1.066 });
  });

  it('keeps the declared concurrency as the ceiling on a high rate, and never shares out more than the rate', () => {
    expect(plan(200).router).toEqual({ maxConcurrency: 5, perInstance: 32 });
    for (const rate of [1, 2.5, 7, 14, 50, 333]) {
      const { router, sla } = plan(rate);
      const total = (router?.maxConcurrency ?? 0) * (router?.perInstance ?? 0) + (sla?.perInstance ?? 0);
      expect(total, String(rate)).toBeLessThanOrEqual(rate);
      expect(total, String(rate)).toBeGreaterThan(rate * 0.99);
    }
  });
});
