/**
 * What every SDK client of a function is built with: a 2 s connect and a 5 s request timeout, so a hung
 * dependency fails the call instead of the whole invocation, and up to 3 attempts. A fresh object per client.
 */
export const clientOptions = () => ({
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  maxAttempts: 3,
});
