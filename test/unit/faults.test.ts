import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/adapters/mailer.js';
import { MailRejectedError } from '../../functions/domain/ports.js';
import {
  crashingMailer,
  faultsFromEnv,
  InjectedCrashError,
  injectedFaults,
  injectSesThrottling,
} from '../../infra/local/instrumentation/faults.js';

const mail = { from: 'a@example.nl', to: 'b@example.nl', subject: 's', text: 't', html: '<p>t</p>' };

describe('fault injection (chaos run only)', () => {
  it('is off when the variable is unset or empty', () => {
    expect(faultsFromEnv({})).toBeUndefined();
    expect(faultsFromEnv({ AANSPREEKPUNT_FAULTS: ' ' })).toBeUndefined();
  });

  it('parses name:probability pairs and defaults the others to 0', () => {
    expect(faultsFromEnv({ AANSPREEKPUNT_FAULTS: 'ses-throttle:0.1,router-crash:0.02' })).toEqual({
      'ses-throttle': 0.1,
      'router-crash': 0.02,
    });
    expect(faultsFromEnv({ AANSPREEKPUNT_FAULTS: 'ses-throttle:1' })).toEqual({
      'ses-throttle': 1,
      'router-crash': 0,
    });
  });

  it('refuses unknown faults, probabilities outside 0..1 and malformed pairs', () => {
    expect(() => faultsFromEnv({ AANSPREEKPUNT_FAULTS: 'disk-full:0.1' })).toThrow(/AANSPREEKPUNT_FAULTS/);
    expect(() => faultsFromEnv({ AANSPREEKPUNT_FAULTS: 'ses-throttle:2' })).toThrow(/AANSPREEKPUNT_FAULTS/);
    expect(() => faultsFromEnv({ AANSPREEKPUNT_FAULTS: 'ses-throttle' })).toThrow(/name:probability/);
  });

  it("answers SES calls with SES's own throttling error, which the mailer reports as refused", async () => {
    // Prepare: a client that would reach nothing; every attempt is throttled
    const ses = new SESv2Client({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 2,
    });
    injectSesThrottling(ses, 1);
    const before = injectedFaults.get('ses-throttle') ?? 0;

    // Act
    const error = await sesMailer(ses)
      .send(mail)
      .catch((e: unknown) => e);

    // Assess: the SDK built a TooManyRequestsException (429) and retried it once
    expect(error).toBeInstanceOf(MailRejectedError);
    const cause = (error as MailRejectedError).cause as {
      name: string;
      $metadata: { httpStatusCode: number };
    };
    expect(cause.name).toBe('TooManyRequestsException');
    expect(cause.$metadata.httpStatusCode).toBe(429);
    expect((injectedFaults.get('ses-throttle') ?? 0) - before).toBe(2);
    ses.destroy();
  });

  it('lets a call through when the draw is above the probability', async () => {
    const ses = new SESv2Client({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    injectSesThrottling(ses, 0.1, () => 0.5);

    // Port 9 refuses the connection: the call reached the network, so no fault was injected
    const error = await sesMailer(ses)
      .send(mail)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(MailRejectedError);
    ses.destroy();
  });

  it('crashes a send before it reaches the mailer, as a dying router would', async () => {
    const sent: string[] = [];
    const inner = {
      send: async (m: typeof mail) => {
        sent.push(m.to);
        return 'id-1';
      },
    };
    const draws = [0.01, 0.9];
    const mailer = crashingMailer(inner, 0.02, () => draws.shift() ?? 1);

    await expect(mailer.send(mail)).rejects.toBeInstanceOf(InjectedCrashError);
    await expect(mailer.send(mail)).resolves.toBe('id-1');
    expect(sent).toEqual(['b@example.nl']);
    expect(crashingMailer(inner, 0)).toBe(inner);
  });
});
