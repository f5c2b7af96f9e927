import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions } from '../../bench/cold-start.js';
import { declaration } from '../../functions/declaration.js';

/**
 * What deploys: each function's entry bundled with the options CDK bundles with (infra/bundling.ts). The
 * benchmark's call counter and the chaos run's fault injection (infra/local/instrumentation/) are injected by
 * the local runtime only, so no bundle may contain them: neither as an input module nor by their marks (the
 * names of their SDK middleware and their environment variables).
 */
const INSTRUMENTATION = 'infra/local/instrumentation/';
const MARKS = [
  'aanspreekpuntCountCalls',
  'aanspreekpuntInjectSesThrottling',
  'AANSPREEKPUNT_COUNT_CALLS',
  'AANSPREEKPUNT_FAULTS',
];

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'aanspreekpunt-bundles-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

async function bundle(name: string, entry: string) {
  const result = await build({ ...bundleOptions(entry, join(out, name, 'index.mjs')), write: false });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.text ?? '';
  return { inputs: Object.keys(result.metafile.inputs), code };
}

describe('the deployed bundles', () => {
  it.each(Object.entries(declaration.functions))(
    '%s contains neither the call counter nor the fault injection',
    async (name, fn) => {
      // Act
      const { inputs, code } = await bundle(name, fn.entry);

      // Assess
      expect(inputs.length).toBeGreaterThan(0);
      expect(inputs.filter((input) => input.includes(INSTRUMENTATION))).toEqual([]);
      expect(inputs.filter((input) => input.startsWith('infra/'))).toEqual([]);
      for (const mark of MARKS) expect(code).not.toContain(mark);
    },
  );

  it('would show the instrumentation if an entry pulled it in (the marks are in its own bundle)', async () => {
    // Act: the instrumentation module bundled as a function would be
    const { inputs, code } = await bundle('instrumentation', `${INSTRUMENTATION}index.ts`);

    // Assess
    expect(inputs.some((input) => input.includes(INSTRUMENTATION))).toBe(true);
    for (const mark of MARKS) expect(code).toContain(mark);
  });
});
