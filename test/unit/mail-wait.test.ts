import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { mailWaitReasonOf, sesMailer } from '../../functions/adapters/mailer.js';
import {
  deferralDelaySeconds,
  FIRST_DELAY_SECONDS,
  MAX_DELAY_SECONDS,
} from '../../functions/domain/mail-wait.js';
import { MailDeferredError, MailRejectedError } from '../../functions/domain/ports.js';
import {
  injectSesAnswer,
  SES_THROTTLED,
  type SesAnswer,
  sesNotVerified,
} from '../../infra/local/instrumentation/faults.js';

const mail = {
  from: 'aanspreekpunt@voorbeeld.example',
  to: 'a.jansen@voorbeeld.example',
  subject: 'Nieuwe aanvraag AP-2345-6789',
  text: 'tekst',
  html: '<p>tekst</p>',
};

/** The SES mailer over a real SDK client whose every attempt SES answers with `answer` (never sent). */
function answeredBy(answer: SesAnswer) {
  const ses = new SESv2Client({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  injectSesAnswer(ses, () => answer);
  return sesMailer(ses);
}

describe('which SES refusals pass by waiting', () => {
  it('reads the reason from the error SES answered, through the SDK', async () => {
    for (const [answer, reason] of [
      [SES_THROTTLED, 'throttled'],
      [
        { status: 400, type: 'LimitExceededException', message: 'Daily message quota exceeded.' },
        'throttled',
      ],
      [sesNotVerified('aanspreekpunt@voorbeeld.example'), 'notVerified'],
      [
        { status: 400, type: 'MailFromDomainNotVerifiedException', message: 'MAIL FROM not verified' },
        'notVerified',
      ],
      [
        { status: 400, type: 'SendingPausedException', message: 'Sending paused for this account.' },
        'paused',
      ],
    ] as const) {
      const refused = await answeredBy(answer)
        .send(mail)
        .catch((error: unknown) => error);
      expect(refused, answer.type).toBeInstanceOf(MailDeferredError);
      expect((refused as MailDeferredError).reason, answer.type).toBe(reason);
    }
  });

  it('leaves a refusal that waiting cannot mend a plain rejection', async () => {
    for (const answer of [
      { status: 400, type: 'BadRequestException', message: 'Missing final @domain' },
      { status: 400, type: 'MessageRejected', message: 'Illegal address' },
      { status: 404, type: 'NotFoundException', message: 'Configuration set does not exist.' },
      { status: 400, type: 'AccountSuspendedException', message: 'Account suspended.' },
    ]) {
      const refused = await answeredBy(answer)
        .send(mail)
        .catch((error: unknown) => error);
      expect(refused, answer.type).toBeInstanceOf(MailRejectedError);
      expect(refused, answer.type).not.toBeInstanceOf(MailDeferredError);
    }
    expect(mailWaitReasonOf(new Error('socket hang up'))).toBeUndefined();
  });
});

describe('how long a case waits', () => {
  it("doubles from the reason's first delay up to 15 minutes, between half and the whole of it", () => {
    expect(FIRST_DELAY_SECONDS).toEqual({ throttled: 5, notVerified: 60, paused: 60 });
    const whole = (reason: 'throttled' | 'notVerified', n: number) =>
      deferralDelaySeconds(reason, n, 0.999_999);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => whole('throttled', n))).toEqual([
      5, 10, 20, 40, 80, 160, 320, 640, 900,
    ]);
    expect([1, 2, 3, 4, 5, 100].map((n) => whole('notVerified', n))).toEqual([60, 120, 240, 480, 900, 900]);
    expect(deferralDelaySeconds('notVerified', 1, 0)).toBe(30);
    for (let n = 1; n < 40; n++)
      for (const draw of [0, 0.3, 0.7, 0.999]) {
        const delay = deferralDelaySeconds('throttled', n, draw);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      }
  });
});
