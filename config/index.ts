import { readMunicipalityFile } from './file.js';
import example from './municipalities/example.json' with { type: 'json' };
import { type Municipality, parseMunicipality } from './schema.js';

/**
 * The municipality, validated when the function is bundled and embedded in the bundle as JSON text (esbuild
 * `define`, set by infra/bundling.ts; CDK and the benchmark build with it): a deployed function does not parse
 * its config at cold start, and a bad config fails the synth or the build instead. Undefined where nothing
 * bundles the code (tsx: the local runtime, the scripts, the tests), which read the file named by
 * `MUNICIPALITY_CONFIG`, or else the demo config, here.
 */
declare const AANSPREEKPUNT_MUNICIPALITY: string | undefined;

/** The name of the embedded value, for the bundler. */
export const MUNICIPALITY_DEFINE = 'AANSPREEKPUNT_MUNICIPALITY';

/** The environment variable naming a municipality config file for `npm start` and the scripts. */
export const MUNICIPALITY_CONFIG_ENV = 'MUNICIPALITY_CONFIG';

/** The demo municipality shipped with the project: every address on a reserved domain, so no mail leaves. */
export const EXAMPLE_MUNICIPALITY_FILE = 'config/municipalities/example.json';

const configured = process.env[MUNICIPALITY_CONFIG_ENV];

/** Where `municipality` comes from: the embedded config, the file `MUNICIPALITY_CONFIG` names, or the demo. */
export const municipalitySource: string =
  typeof AANSPREEKPUNT_MUNICIPALITY === 'string'
    ? 'embedded'
    : configured !== undefined && configured !== ''
      ? configured
      : EXAMPLE_MUNICIPALITY_FILE;

/** The municipality this deployment serves, validated once: at build time in a bundle, else at start. */
export const municipality: Municipality =
  typeof AANSPREEKPUNT_MUNICIPALITY === 'string'
    ? JSON.parse(AANSPREEKPUNT_MUNICIPALITY)
    : municipalitySource === EXAMPLE_MUNICIPALITY_FILE
      ? parseMunicipality(example, EXAMPLE_MUNICIPALITY_FILE)
      : readMunicipalityFile(municipalitySource);
