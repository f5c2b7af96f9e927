import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaration } from '../../functions/declaration.js';
import { operationName } from '../../infra/local/instrumentation/call-counter.js';
import { ROOT } from '../../infra/local/runtime.js';

/** Every TypeScript file under functions/, the code that is bundled and deployed. */
function functionSources(dir = join(ROOT, 'functions')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return functionSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The DynamoDB operations a source file makes: the commands it builds and the paginators it calls. */
function operationsIn(source: string): string[] {
  if (!/from '@aws-sdk\/(lib|client)-dynamodb'/.test(source)) return [];
  const commands = [...source.matchAll(/new (\w+Command)\(/g)].map((m) => operationName(m[1]));
  const paginators = [...source.matchAll(/\bpaginate(\w+)\(/g)].map((m) => m[1] ?? '');
  return [...commands, ...paginators];
}

describe('the DynamoDB operations of the functions, against what their roles are granted', () => {
  it('finds the operations of a source file, through the document client or the low-level client', () => {
    const source = `import { GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
      await db.send(new GetCommand({})); paginateQuery({ client: db }, {}); await db.send(new ScanCommand({}));`;
    expect(operationsIn(source)).toEqual(['GetItem', 'Scan', 'Query']);
    expect(
      operationsIn("import { SendEmailCommand } from '@aws-sdk/client-sesv2'; new SendEmailCommand({})"),
    ).toEqual([]);
  });

  it('makes only the operations the functions declare (and so are granted), and each of them somewhere', () => {
    const granted = new Set<string>(
      Object.values(declaration.functions).flatMap((fn) =>
        Object.values(fn.tables).flatMap((use) => use.operations),
      ),
    );
    const used = new Map<string, string[]>();
    for (const file of functionSources())
      for (const operation of operationsIn(readFileSync(file, 'utf8')))
        used.set(operation, [...(used.get(operation) ?? []), relative(ROOT, file)]);

    // Every granted operation is used somewhere, and nothing else is.
    expect([...used.keys()].sort()).toEqual([...granted].sort());
    expect(used.get('Query')).toEqual(
      expect.arrayContaining(['functions/adapters/cases.ts', 'functions/adapters/officials.ts']),
    );
  });
});
