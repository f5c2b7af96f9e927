import { describe, expect, it } from 'vitest';
import { publicBaseUrlFromEnv, secretFromEnv } from '../../functions/adapters/link-key.js';

const key = Buffer.alloc(32, 9).toString('base64');
const noFetch = async () => {
  throw new Error('Secrets Manager must not be asked');
};

describe('the action link key and base URL at cold start', () => {
  it('takes the key from ACTION_LINK_KEY without asking Secrets Manager', async () => {
    const read = await secretFromEnv('actions', 'actionLinkKey', { ACTION_LINK_KEY: key }, noFetch);

    expect(Buffer.from(read).toString('base64')).toBe(key);
  });

  it('fetches the key by the ARN in ACTION_LINK_KEY_SECRET_ARN when the value is not set', async () => {
    const asked: string[] = [];
    // A generated secret: 64 letters and digits, read as base64 (48 bytes).
    const generated = 'a1B2c3D4'.repeat(8);

    const read = await secretFromEnv(
      'router',
      'actionLinkKey',
      { ACTION_LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' },
      async (arn) => {
        asked.push(arn);
        return generated;
      },
    );

    expect(asked).toEqual(['arn:aws:secretsmanager:eu-west-1:1:secret:k']);
    expect(read.byteLength).toBe(48);
  });

  it('fails loudly on a missing or short key, and for a function that does not declare it', async () => {
    await expect(secretFromEnv('sla', 'actionLinkKey', {}, noFetch)).rejects.toThrow(
      /ACTION_LINK_KEY or ACTION_LINK_KEY_SECRET_ARN/,
    );
    await expect(
      secretFromEnv(
        'sla',
        'actionLinkKey',
        { ACTION_LINK_KEY: Buffer.alloc(16).toString('base64') },
        noFetch,
      ),
    ).rejects.toThrow(/at least 32 bytes/);
    await expect(secretFromEnv('intake', 'actionLinkKey', { ACTION_LINK_KEY: key }, noFetch)).rejects.toThrow(
      /does not declare/,
    );
  });

  it('reads PUBLIC_BASE_URL without its trailing slash, and refuses what is not a URL', () => {
    expect(
      publicBaseUrlFromEnv('router', { PUBLIC_BASE_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/' }),
    ).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(() => publicBaseUrlFromEnv('sla', {})).toThrow(/PUBLIC_BASE_URL/);
    expect(() => publicBaseUrlFromEnv('sla', { PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
