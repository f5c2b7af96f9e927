import example from './municipalities/example.json' with { type: 'json' };
import { parseMunicipality } from './schema.js';

/** The municipality this deployment serves, validated once at start. */
export const municipality = parseMunicipality(example, 'config/municipalities/example.json');
