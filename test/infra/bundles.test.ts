import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, helloSdkOf } from '../../bench/cold-start.js';
import { municipality } from '../../config/index.js';
import example from '../../config/municipalities/example.json' with { type: 'json' };
import { clientsUsedBy } from '../../functions/adapters/clients.js';
import { type Declaration, declaration } from '../../functions/declaration.js';
import { embeddedConfig } from '../../infra/bundling.js';
import { ROOT } from '../../infra/local/runtime.js';

/**
 * What deploys: each function's entry bundled with the options CDK bundles with (infra/bundling.ts). The
 * benchmark's call counter and the chaos run's fault injection (infra/local/instrumentation/) are injected by
 * the local runtime only, so no bundle may contain them: neither as an input module nor by their marks (the
 * names of their SDK middleware and their environment variables). Each bundle holds the SDK clients its
 * function uses and no other, and the config validated at build time instead of its parse.
 */
const INSTRUMENTATION = 'infra/local/instrumentation/';
const MARKS = [
  'aanspreekpuntCountCalls',
  'aanspreekpuntInjectSesThrottling',
  'aanspreekpuntInjectSesAnswer',
  'AANSPREEKPUNT_COUNT_CALLS',
  'AANSPREEKPUNT_FAULTS',
];
/** The bundle target of issue 13 (the SDK bundled): read in the bench too (figure 5). */
const MAX_BUNDLE_KB = 700;
/** The SDK's client packages, as the declaration's resources map to them. */
const CLIENT_PACKAGES = {
  dynamo: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  sqs: ['@aws-sdk/client-sqs'],
  ses: ['@aws-sdk/client-sesv2'],
} as const;
const SECRETS_PACKAGE = '@aws-sdk/client-secrets-manager';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'aanspreekpunt-bundles-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Each entry bundled once for all the tests that read it. */
const built = new Map<string, ReturnType<typeof buildBundle>>();
const bundle = (name: string, entry: string) => {
  const found = built.get(entry) ?? buildBundle(name, entry);
  built.set(entry, found);
  return found;
};

async function buildBundle(name: string, entry: string) {
  const result = await build({ ...bundleOptions(entry, join(out, name, 'index.mjs')), write: false });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.text ?? '';
  const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint !== undefined);
  return {
    /** Every module the entry reaches, kept or not. */
    inputs: Object.keys(result.metafile.inputs),
    /** The modules with code in the output. */
    kept: Object.entries(output?.inputs ?? {}).flatMap(([input, { bytesInOutput }]) =>
      bytesInOutput > 0 ? [input] : [],
    ),
    code,
    bytes: Buffer.byteLength(code),
  };
}

/** The SDK client packages a bundle holds (`@aws-sdk/client-*` and the document client). */
const clientPackagesIn = (inputs: readonly string[]) =>
  [
    ...new Set(
      inputs.flatMap((input) => {
        const found = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input);
        return found?.[1] === undefined ? [] : [found[1]];
      }),
    ),
  ].sort();

/** What a function's declaration says its bundle needs of the SDK: its clients, and Secrets Manager for a secret. */
const expectedPackages = (fn: Declaration['functions'][string]) =>
  [
    ...clientsUsedBy(fn).flatMap((client) => CLIENT_PACKAGES[client]),
    ...(Object.keys(fn.secrets).length > 0 ? [SECRETS_PACKAGE] : []),
  ].sort();

/** Bundles a module that exports `expression` as `value`, as the functions are bundled, and imports it. */
async function bundledValue(
  name: string,
  imports: string,
  expression: string,
  define: Record<string, string> = embeddedConfig(),
) {
  const file = join(out, name, 'index.mjs');
  const options = bundleOptions('functions/declaration.ts', file);
  await build({
    ...options,
    entryPoints: undefined,
    stdin: { contents: `${imports}\nexport const value = ${expression};`, resolveDir: ROOT, loader: 'ts' },
    sourcemap: false,
    define: { ...define },
  });
  const loaded: { value: unknown } = await import(pathToFileURL(file).href);
  return loaded.value;
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

  it.each(Object.entries(declaration.functions))(
    '%s holds the SDK clients its declaration says it uses and no other, as does its hello-sdk',
    async (name, fn) => {
      // Act
      const own = await bundle(name, fn.entry);
      const reference = await bundle(helloSdkOf(name), `bench/${helloSdkOf(name)}.ts`);

      // Assess
      expect(clientPackagesIn(own.inputs)).toEqual(expectedPackages(fn));
      expect(clientPackagesIn(reference.inputs)).toEqual(clientPackagesIn(own.inputs));
    },
  );

  it('gives the intake DynamoDB and SQS only: no SES, no Secrets Manager', async () => {
    // Act
    const { inputs } = await bundle('intake', 'functions/intake/index.ts');

    // Assess
    expect(clientPackagesIn(inputs)).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sqs',
      '@aws-sdk/lib-dynamodb',
    ]);
  });

  it.each(Object.entries(declaration.functions))(
    `%s is at most ${MAX_BUNDLE_KB} KB, with the SDK bundled`,
    async (name, fn) => {
      // Act
      const { inputs, bytes } = await bundle(name, fn.entry);

      // Assess
      expect(inputs.some((input) => input.includes('node_modules/@smithy/core/'))).toBe(true);
      expect(bytes / 1024).toBeLessThanOrEqual(MAX_BUNDLE_KB);
    },
  );

  it.each(Object.entries(declaration.functions))(
    '%s embeds the validated config instead of the config file and its parse',
    async (name, fn) => {
      // Act
      const { inputs, kept } = await bundle(name, fn.entry);

      // Assess: the file is reached but not kept (the embedded value is: read in the tests below)
      expect(inputs).toContain('config/municipalities/example.json');
      expect(kept).not.toContain('config/municipalities/example.json');
    },
  );
});

describe('the config embedded at build time', () => {
  it('is the municipality and the declaration as parsed', async () => {
    // Act
    const value = await bundledValue(
      'embedded',
      "import { municipality } from './config/index.js';\nimport { declaration } from './functions/declaration.js';",
      '{ municipality, declaration }',
    );

    // Assess
    expect(value).toEqual({ municipality, declaration });
  });

  it('is read as it is, not parsed again when the bundle loads', async () => {
    // Prepare: embed a value the schema would refuse (no officials at all)
    const refused = { ...municipality, officials: [] };
    const define = {
      ...embeddedConfig(),
      AANSPREEKPUNT_MUNICIPALITY: JSON.stringify(JSON.stringify(refused)),
    };

    // Act
    const value = await bundledValue(
      'unparsed',
      "import { municipality } from './config/index.js';",
      'municipality',
      define,
    );

    // Assess: loading did not throw, and the value is the embedded one
    expect(value).toEqual(refused);
  });

  it('fails the build with the zod error and its path when the municipality does not parse', () => {
    // Prepare
    const goals = example.goals.map((goal, i) => (i === 1 ? { ...goal, department: 'ruimtevaart' } : goal));

    // Act
    const embed = () => embeddedConfig({ ...example, goals }, 'config/municipalities/example.json');

    // Assess
    expect(embed).toThrow('config/municipalities/example.json is invalid');
    expect(embed).toThrow('goals.1.department: unknown department "ruimtevaart"');
  });

  it('embeds each value as the JSON text of the parsed value', () => {
    // Act
    const define = embeddedConfig();

    // Assess
    expect(JSON.parse(JSON.parse(define.AANSPREEKPUNT_MUNICIPALITY ?? '""'))).toEqual(municipality);
    expect(JSON.parse(JSON.parse(define.AANSPREEKPUNT_DECLARATION ?? '""'))).toEqual(declaration);
  });
});
