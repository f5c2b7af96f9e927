import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run on their own: `npm run test:moto` (vitest.moto.config.ts, against moto server) and
    // `npm run test:chaos` (vitest.chaos.config.ts, minutes long).
    exclude: [...configDefaults.exclude, 'test/moto/**', 'test/chaos/**'],
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      // No X-Ray daemon in the tests (functions/adapters/tracing.ts).
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
