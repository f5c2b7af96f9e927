import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The conformance run (`npm run test:moto`): only the files of `test/moto/`, each against its own moto server
 * started by the test on 127.0.0.1. `npm test` leaves them out. (Not `mergeConfig`: it would add the
 * include lists together.)
 */
export default defineConfig({
  test: { ...base.test, include: ['test/moto/**/*.test.ts'], exclude: [...configDefaults.exclude] },
});
