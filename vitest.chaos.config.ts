import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:chaos`: the chaos run alone (minutes, not seconds; `npm test` leaves it out). */
export default defineConfig({
  test: { ...base.test, include: ['test/chaos/**/*.test.ts'], exclude: [], testTimeout: 900_000 },
});
