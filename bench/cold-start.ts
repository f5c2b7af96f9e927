import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import {
  declaration,
  environmentFor,
  type FunctionName,
  PUBLIC_BASE_URL_ENV,
  type SecretName,
  secretEnv,
} from '../functions/declaration.js';
import { embeddedConfig, functionBundling } from '../infra/bundling.js';
import { ROOT } from '../infra/local/runtime.js';
import type { Progress } from './progress.js';
import { median } from './stats.js';

/**
 * Figure 5: each function's bundle built as CDK builds it (`functionBundling`), and, built the same way, a
 * hello world and one hello world per function that builds the SDK clients that function uses
 * (`bench/hello-sdk-<name>.ts`, its cold-start reference). Bundles go under the repository (`bench/.build/`),
 * so that what the bundles leave external resolves from node_modules like the runtime's copy would.
 */
const OUT = join(ROOT, 'bench', '.build');

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  /** Bytes in the bundle per package (or first-party folder), largest first. */
  readonly parts: readonly { readonly part: string; readonly bytes: number }[];
}

function partsOf(metafile: Metafile): Bundle['parts'] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const inModules = path.split('node_modules/').at(-1) ?? path;
    const segments = inModules.split('/');
    const part = path.includes('node_modules/')
      ? segments.slice(0, inModules.startsWith('@') ? 2 : 1).join('/')
      : segments.slice(0, segments[0] === 'functions' ? 2 : 1).join('/');
    bytes.set(part, (bytes.get(part) ?? 0) + input.bytesInOutput);
  }
  return [...bytes.entries()].map(([part, b]) => ({ part, bytes: b })).sort((a, b) => b.bytes - a.bytes);
}

/** esbuild's options for an entry (relative to the root), from the options CDK bundles with. */
export function bundleOptions(entry: string, outfile: string) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [resolve(ROOT, entry)],
    outfile,
    bundle: true,
    platform: functionBundling.platform,
    format: functionBundling.format,
    target: functionBundling.target,
    mainFields: [...functionBundling.mainFields],
    minify: functionBundling.minify,
    sourcemap: functionBundling.sourceMap,
    sourcesContent: functionBundling.sourcesContent,
    banner: { js: functionBundling.banner },
    external: [...functionBundling.externalModules],
    define: embeddedConfig(),
    metafile: true,
    logLevel: 'warning',
  } satisfies BuildOptions;
}

/** The name (and entry, under bench/) of a function's cold-start reference. */
export const helloSdkOf = (fn: string) => `hello-sdk-${fn}`;

export async function buildBundles(): Promise<Bundle[]> {
  await rm(OUT, { recursive: true, force: true });
  const names = Object.keys(declaration.functions);
  const entries: [string, string][] = [
    ...Object.entries(declaration.functions).map(([name, fn]): [string, string] => [name, fn.entry]),
    ['hello', 'bench/hello.ts'],
    ...names.map((name): [string, string] => [helloSdkOf(name), `bench/${helloSdkOf(name)}.ts`]),
  ];
  const bundles: Bundle[] = [];
  for (const [name, entry] of entries) {
    const file = join(OUT, name, 'index.mjs');
    const result = await build(bundleOptions(entry, file));
    bundles.push({ name, file, bytes: (await stat(file)).size, parts: partsOf(result.metafile) });
  }
  return bundles;
}

/** The environment a function gets on AWS, with values that need no network at init. */
function environmentOf(name: string): Record<string, string> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // As Lambda's Node.js 24 runtime sets it: the functions then load the tracer, as they do on AWS.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: 'Aanspreekpunt',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const fn = declaration.functions[name as FunctionName];
  if (fn === undefined) return base;
  const env = {
    ...base,
    ...environmentFor(fn, {
      tables: { cases: 'aanspreekpunt-cases' },
      queues: {
        route: 'https://sqs.eu-west-1.amazonaws.com/123456789012/aanspreekpunt-route',
        mailEvents: 'https://sqs.eu-west-1.amazonaws.com/123456789012/aanspreekpunt-mailEvents',
      },
    }),
  };
  // The secret's value itself (as the local runner gives it), so init does not fetch it.
  for (const secret of Object.keys(fn.secrets) as SecretName[])
    env[secretEnv(secret)] = randomBytes(32).toString('base64');
  if (fn.linksToApi) env[PUBLIC_BASE_URL_ENV] = 'https://api.example.org';
  return env;
}

/** One fresh Node process: the time to import the bundle, i.e. load it and run its init (ms). */
function loadOnce(bundle: Bundle): Promise<number> {
  const script = `const t0 = performance.now();
const m = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});
const ms = performance.now() - t0;
if (typeof m.handler !== 'function') { console.error('no handler'); process.exit(2); }
process.stdout.write(JSON.stringify({ ms }));`;
  return new Promise((resolvePromise, reject) => {
    // As on Lambda, where the house function sets NODE_OPTIONS=--enable-source-maps.
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: environmentOf(bundle.name),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${bundle.name}: init failed (${code}): ${err.trim()}`));
      try {
        resolvePromise((JSON.parse(out) as { ms: number }).ms);
      } catch {
        reject(new Error(`${bundle.name}: unexpected output ${out}`));
      }
    });
  });
}

/**
 * Median load+init time per bundle over `runs` fresh processes, the bundles taken in turn; `parallel`
 * processes at a time (1 for a full run; the quick run uses 2 to stay under a minute).
 */
export async function measureColdStarts(
  bundles: readonly Bundle[],
  runs: number,
  options: { parallel?: number; progress?: Progress } = {},
): Promise<Map<string, number>> {
  const times = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const order = Array.from({ length: runs }, () => bundles).flat();
  let next = 0;
  const worker = async () => {
    for (let bundle = order[next++]; bundle !== undefined; bundle = order[next++]) {
      times.get(bundle.name)?.push(await loadOnce(bundle));
      options.progress?.tick();
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker));
  return new Map([...times].map(([name, ms]) => [name, median(ms)]));
}
