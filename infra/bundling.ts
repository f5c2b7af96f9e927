import path from 'node:path';
import { municipality } from '../config/index.js';
import type { Theme } from '../config/schema.js';
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

export const functionBundling = {
  format: 'esm',
  /** The Lambda runtime's Node.js version (`houseRuntime`, Runtime.NODEJS_24_X). */
  target: 'node24',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  banner: requireBanner,
  /**
   * Left out of the bundle: the Node.js 24 runtime provides SDK v3. CDK's default for this runtime with the
   * `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` flag (cdk.json), stated here so both builds agree.
   */
  externalModules: ['@aws-sdk/*', '@smithy/*'],
} as const;

/**
 * Shell commands (CDK `commandHooks.afterBundling`) that copy the pages' stylesheets beside a bundle, where
 * functions/web/assets.ts finds them as it does under tsx: ours in `styles/`, npm packages' files in
 * `node_modules/`. Only functions that render pages need them (those with an HTTP trigger).
 */
export function stylesheetCommands(outputDir: string, theme: Theme = municipality.theme): string[] {
  return stylesheetsOf(theme).flatMap((sheet) => {
    const target = path.join(outputDir, bundledPathOf(sheet.source));
    return [`mkdir -p "${path.dirname(target)}"`, `cp "${fileOf(sheet.source)}" "${target}"`];
  });
}
