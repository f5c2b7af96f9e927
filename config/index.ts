import example from './municipalities/example.json' with { type: 'json' };
import { type Municipality, parseMunicipality } from './schema.js';

/**
 * The municipality, validated when the function is bundled and embedded in the bundle as JSON text (esbuild
 * `define`, set by infra/bundling.ts; CDK and the benchmark build with it): a deployed function does not parse
 * its config at cold start, and a bad config fails the synth or the build instead. Undefined where nothing
 * bundles the code (tsx: the local runtime, the tests, the synth itself), which parse the file here.
 */
declare const AANSPREEKPUNT_MUNICIPALITY: string | undefined;

/** The name of the embedded value, for the bundler. */
export const MUNICIPALITY_DEFINE = 'AANSPREEKPUNT_MUNICIPALITY';

/** The municipality this deployment serves, validated once: at build time in a bundle, else at start. */
export const municipality: Municipality =
  typeof AANSPREEKPUNT_MUNICIPALITY === 'string'
    ? JSON.parse(AANSPREEKPUNT_MUNICIPALITY)
    : parseMunicipality(example, 'config/municipalities/example.json');
