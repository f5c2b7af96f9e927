import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/local/runtime.js';

const run = promisify(execFile);

/**
 * In a fresh process (tsx, as the local runtime runs the functions): builds a function's SDK clients through
 * functions/adapters/sdk/ and reports whether the X-Ray SDK was loaded and whether the clients are traced.
 */
async function loadClients(env: Record<string, string>) {
  const script = `
const { createDynamo } = await import('./functions/adapters/sdk/dynamo.ts');
const { tracer } = await import('./functions/adapters/tracing.ts');
createDynamo();
const { createRequire } = await import('node:module');
const cache = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(JSON.stringify({
  xray: cache.some((path) => path.includes('aws-xray-sdk-core')),
  tracing: tracer?.isTracingEnabled() ?? null,
}));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env },
  });
  return JSON.parse(stdout) as { xray: boolean; tracing: boolean | null };
}

describe('tracing: the X-Ray SDK loads only where it may trace', () => {
  it('does not load the X-Ray SDK (and its async hook) outside Lambda', async () => {
    await expect(loadClients({})).resolves.toEqual({ xray: false, tracing: null });
  });

  it('does not load it inside Lambda with POWERTOOLS_TRACE_ENABLED=false', async () => {
    const env = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' };
    await expect(loadClients(env)).resolves.toEqual({ xray: false, tracing: null });
  });

  it('loads it and traces inside Lambda', async () => {
    await expect(loadClients({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).resolves.toEqual({
      xray: true,
      tracing: true,
    });
  });
});
