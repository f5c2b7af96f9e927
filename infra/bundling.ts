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
