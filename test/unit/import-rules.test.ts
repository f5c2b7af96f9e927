import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import rules of `npm run lint` (.dependency-cruiser.cjs), run on small trees of files laid out like the
 * project: each forbidden arrow fails the lint with its rule's name; the allowed arrows pass.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const made: string[] = [];

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Lints a tree of `files` (path -> source) with the project's rules: the exit code and what it printed. */
function lint(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  made.push(dir);
  const tree: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    ...files,
  };
  for (const [path, source] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const run = spawnSync(
    DEPCRUISE,
    ['functions', 'events', 'config', 'infra', '--config', CONFIG, '--output-type', 'err'],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The tree every case starts from: a domain module, an adapter, the intake, config, and infra over them. */
const base = {
  'config/sla.ts': 'export const days = 3;\n',
  'events/route-message.ts': 'export const version = 1;\n',
  'functions/domain/case.ts': "import { days } from '../../config/sla.js';\nexport const due = days;\n",
  'functions/adapters/cases.ts': "import { due } from '../domain/case.js';\nexport const store = due;\n",
  'functions/intake/handler.ts':
    "import { store } from '../adapters/cases.js';\nexport const handler = store;\n",
  'infra/aws/stack.ts':
    "import { handler } from '../../functions/intake/handler.js';\nexport const stack = handler;\n",
  'infra/local/runtime.ts':
    "import { due } from '../../functions/domain/case.js';\nexport const local = due;\n",
};

describe('npm run lint: the import rules', () => {
  it('passes the arrows that point the right way (infra -> functions -> config)', () => {
    const result = lint(base);
    expect(result.output).not.toMatch(/error/);
    expect(result.status).toBe(0);
  });

  it.each([
    [
      'functions/ importing infra/',
      {
        'functions/adapters/env.ts':
          "import { stack } from '../../infra/aws/stack.js';\nexport const env = stack;\n",
      },
      'no-infra-from-functions',
    ],
    [
      'config/ importing infra/',
      {
        'config/index.ts':
          "import { local } from '../infra/local/runtime.js';\nexport const config = local;\n",
      },
      'no-infra-from-functions',
    ],
    [
      'the local runtime importing the intake',
      {
        'infra/local/ops.ts':
          "import { handler } from '../../functions/intake/handler.js';\nexport const ops = handler;\n",
      },
      'no-local-runtime-in-intake',
    ],
    [
      'config importing the domain (a cycle between config and functions)',
      {
        'config/sla.ts': "import { due } from '../functions/domain/case.js';\nexport const days = 3 + due;\n",
      },
      'config-imports-no-functions',
    ],
    [
      'the domain importing an adapter',
      {
        'functions/domain/case.ts':
          "import { store } from '../adapters/cases.js';\nexport const due = store;\n",
      },
      'pure-domain',
    ],
  ])('fails on %s', (_name, change, rule) => {
    const result = lint({ ...base, ...change });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(rule);
  });

  it('fails on a cycle inside functions/', () => {
    const result = lint({
      ...base,
      'functions/domain/keywords.ts': "import { due } from './case.js';\nexport const words = due;\n",
      'functions/domain/case.ts': "import { words } from './keywords.js';\nexport const due = words;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });
});
