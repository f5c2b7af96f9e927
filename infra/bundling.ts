import path from 'node:path';
import { MUNICIPALITY_DEFINE, municipality, municipalitySource } from '../config/index.js';
import { parseMunicipality, type Theme } from '../config/schema.js';
import { DECLARATION_DEFINE, declaration, declarationSchema } from '../functions/declaration.js';
import { bundledPathOf, fileOf, stylesheetsOf } from '../functions/web/assets.js';

/**
 * How a function's entry is bundled for Lambda (esbuild, through CDK's NodejsFunction). The CDK house
 * function and the benchmark's cold-start figure both build from these options, so what is measured is
 * what deploys.
 */

/**
 * ESM bundles still contain CommonJS dependencies that call `require`; give them one. The alias avoids
 * a clash with a `createRequire` import that esbuild may keep in the bundle.
 */
const requireBanner =
  "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);";

/**
 * The config a bundle embeds (esbuild `define`), validated here, at build time: the municipality
 * (config/index.ts) and the declaration (functions/declaration.ts), each as the JSON text of the parsed value.
 * A bundled function reads them with `JSON.parse` instead of running their zod schemas at cold start, and a
 * config that does not parse fails the synth or the benchmark's build with the zod error and its paths.
 * Not part of `functionBundling`: the stack embeds the municipality it serves, the benchmark the one
 * config/index.ts reads.
 */
export function embeddedConfig(
  municipalityInput: unknown = municipality,
  source = municipalitySource,
): Record<string, string> {
  const asDefine = (value: unknown) => JSON.stringify(JSON.stringify(value));
  return {
    [MUNICIPALITY_DEFINE]: asDefine(parseMunicipality(municipalityInput, source)),
    [DECLARATION_DEFINE]: asDefine(declarationSchema.parse(declaration)),
  };
}

export const functionBundling = {
  format: 'esm',
  /** The Lambda runtime's Node.js version (`houseRuntime`, Runtime.NODEJS_24_X). */
  target: 'node24',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  /**
   * The map names files and lines but holds no copy of the sources: a third of its size, and less for
   * `--enable-source-maps` (set by the stack) to read.
   */
  sourcesContent: false,
  banner: requireBanner,
  /**
   * The SDK clients a function uses are bundled (minified) with it instead of loaded from the runtime's copy
   * of SDK v3, module by module, at cold start: measured by `npm run bench` (figure 5), the SDK starts in
   * about half the time from the bundle. Left out are only the credential sources Lambda never reaches:
   * the SDK's default chain tries the environment first, where Lambda puts the function's credentials, and
   * imports the others only if that fails (the Node.js 24 runtime provides them then). They and the STS/SSO
   * clients they bring are a sixth of a bundle.
   */
  externalModules: [
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/credential-provider-http',
    '@smithy/credential-provider-imds',
  ],
} as const;

/**
 * Shell commands (CDK `commandHooks.afterBundling`) that copy the pages' stylesheets beside a bundle, where
 * functions/web/assets.ts finds them as it does under tsx: ours in `styles/`, npm packages' files in
 * `node_modules/`. Only functions that render pages need them (those with an HTTP trigger).
 */
export function stylesheetCommands(outputDir: string, theme: Theme): string[] {
  return stylesheetsOf(theme).flatMap((sheet) => {
    const target = path.join(outputDir, bundledPathOf(sheet.source));
    return [`mkdir -p "${path.dirname(target)}"`, `cp "${fileOf(sheet.source)}" "${target}"`];
  });
}
