import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { readMunicipalityFile } from '../../config/file.js';
import { settingsFrom } from '../../infra/aws/settings.js';
import { AanspreekpuntStack } from '../../infra/aws/stack.js';
import { DEPLOYABLE_MUNICIPALITY } from './municipalities.js';

/** The context of cdk.json (feature flags, offline settings): what `cdk synth` gives the app. */
export const cdkContext: Record<string, unknown> = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))).context;

/**
 * Temporary folders for a test file (cdk.out folders, config files), removed after its tests. Call it at
 * the file's top level; each call of the function it returns makes one folder named with `prefix`.
 */
export function temporaryFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** A municipality that can be deployed: every address on a real-looking domain (the demo's are reserved). */
export const deployableMunicipality = readMunicipalityFile(DEPLOYABLE_MUNICIPALITY);

/**
 * The stack as `cdk synth` builds it for the deployable municipality (cdk.json context, feature flags, and
 * `context` on top), bundling skipped.
 */
export function synthDeployable(context: Record<string, unknown> = {}): Template {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new AanspreekpuntStack(app, 'Aanspreekpunt', {
    settings: settingsFrom(app.node),
    municipality: deployableMunicipality,
    municipalitySource: DEPLOYABLE_MUNICIPALITY,
  });
  return Template.fromStack(stack);
}

/**
 * A CDK app as `cdk synth` makes it for the deployable municipality (cdk.json context, the municipality as
 * context `municipality`, `context` on top), bundling skipped, writing to a new folder of `folder`.
 */
export function deployableApp(context: Record<string, unknown>, folder: () => string) {
  const outdir = folder();
  const app = new App({
    outdir,
    context: {
      ...cdkContext,
      'aws:cdk:bundling-stacks': [],
      municipality: DEPLOYABLE_MUNICIPALITY,
      ...context,
    },
  });
  return { app, outdir };
}

/** `Fn::GetAtt` of a resource's ARN, as a template refers to it. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const getAtt = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });
export const ref = z.object({ Ref: z.string() });

/** The one resource of a type with a logical id in a template, parsed to the shape a test reads. */
export const resourceIn =
  (template: Template) =>
  <T extends z.ZodType>(type: string, logicalId: string, shape: T): z.infer<T> => {
    const found = template.findResources(type)[logicalId];
    if (found === undefined) throw new Error(`no ${type} with logical id ${logicalId}`);
    return shape.parse(found);
  };

/** An ARN built with Fn::Join as text: pseudo parameters and references as `{Id}`. */
export function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = z.object({ 'Fn::Join': z.tuple([z.literal(''), z.array(z.unknown())]) }).safeParse(value);
  if (join.success) return join.data['Fn::Join'][1].map(arnText).join('');
  const r = ref.safeParse(value);
  if (r.success) return `{${r.data.Ref}}`;
  return JSON.stringify(value);
}

/** A value or list of values (as IAM writes `Action` and `Resource`) as a list. */
export const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
/** The same JSON (order of keys included). */
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const acknowledgementShape = z.object({
  Metadata: z
    .object({
      cdk_nag: z
        .object({ rules_to_suppress: z.array(z.object({ id: z.string(), reason: z.string() })) })
        .optional(),
    })
    .loose()
    .optional(),
});

/** The cdk-nag rules a template's resource acknowledges (its `Metadata.cdk_nag`), each with its reason. */
export const acknowledgementsOf = (resource: unknown): { id: string; reason: string }[] =>
  acknowledgementShape.parse(resource).Metadata?.cdk_nag?.rules_to_suppress ?? [];
