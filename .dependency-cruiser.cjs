/**
 * Which way the imports may point, checked by `npm run lint` (dependency-cruiser). infra deploys the functions,
 * so infra imports functions and never the reverse; config and events are what the functions are built on, so
 * they import nothing from functions (or infra); the domain is pure. Type-only imports count too.
 */
/** A rule that fails the lint (severity error) on an import `from` → `to`, with `comment` as its message. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'no-infra-from-functions',
      'functions/, events/ and config/ are what infra deploys: they must not import infra/ (the arrow points from infra to functions). ' +
        'What a function needs of its deployment comes in through its environment (functions/declaration.ts, environmentFor).',
      { path: '^(functions|events|config)/' },
      { path: '^infra/' },
    ),
    forbid(
      'no-local-runtime-in-intake',
      'The local runtime and its ops page must not reach into the intake: pages share what they share through a common web module, not through a sibling feature.',
      { path: '^infra/local/' },
      { path: '^functions/intake/' },
    ),
    forbid(
      'config-imports-no-functions',
      'config/ owns the schemas the domain reads (config/sla.ts, config/calendar.ts); it imports nothing from functions/, so config and the domain form no cycle.',
      { path: '^config/' },
      { path: '^functions/' },
    ),
    forbid(
      'no-circular',
      'No import cycles in functions/, events/ or config/ (a cycle between config and the domain is how the schemas ended up defined twice).',
      { path: '^(functions|events|config)/' },
      { circular: true },
    ),
    forbid(
      'pure-domain',
      'functions/domain holds the rules: no AWS SDK, no Powertools, no adapters and no handlers; dependencies come in as ports (functions/domain/ports.ts).',
      { path: '^functions/domain/' },
      {
        path: [
          '^functions/(adapters|intake|router|sla|actions|shared|use-cases|web)/',
          '^functions/(compositions|declaration)\\.ts$',
          '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-lambda|@types/aws-lambda)/',
        ],
      },
    ),
    forbid(
      'use-cases-over-ports',
      'A use case sees the outside world only through the ports it is given (functions/domain/ports.ts): no AWS SDK, no adapters, no handlers or pages.',
      { path: '^functions/use-cases/' },
      {
        path: [
          '^functions/(adapters|intake|router|sla|actions|shared|web)/',
          '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-lambda|@types/aws-lambda)/',
        ],
      },
    ),
    forbid(
      'not-to-unresolvable',
      'An import that resolves to nothing is a typo or a missing dependency.',
      {},
      { couldNotResolve: true },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.data|bench/\\.build|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
