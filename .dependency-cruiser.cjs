/**
 * Which way the imports may point, checked by `npm run lint` (dependency-cruiser). infra deploys the functions,
 * so infra imports functions and never the reverse; config and events are what the functions are built on, so
 * they import nothing from functions (or infra); the domain is pure. Type-only imports count too.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-infra-from-functions',
      comment:
        'functions/, events/ and config/ are what infra deploys: they must not import infra/ (the arrow points from infra to functions). ' +
        'What a function needs of its deployment comes in through its environment (functions/declaration.ts, environmentFor).',
      severity: 'error',
      from: { path: '^(functions|events|config)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'no-local-runtime-in-intake',
      comment:
        'The local runtime and its ops page must not reach into the intake: pages share what they share through a common web module, not through a sibling feature.',
      severity: 'error',
      from: {
        path: '^infra/local/',
        // These two go away with the shared web layer (issue 12, deliverable 3), which gives the ops page
        // its own layout and texts instead of the intake's.
        pathNot: '^infra/local/ops/page\\.ts$',
      },
      to: { path: '^functions/intake/' },
    },
    {
      name: 'no-intake-views-in-ops-page',
      comment:
        'The ops page may use the intake only for its layout and texts (views.ts, texts.ts) until the shared web layer replaces them; nothing else of the intake.',
      severity: 'error',
      from: { path: '^infra/local/ops/page\\.ts$' },
      to: { path: '^functions/intake/', pathNot: '^functions/intake/(views|texts)\\.ts$' },
    },
    {
      name: 'config-imports-no-functions',
      comment:
        'config/ owns the schemas the domain reads (config/sla.ts, config/calendar.ts); it imports nothing from functions/, so config and the domain form no cycle.',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: '^functions/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles in functions/, events/ or config/ (a cycle between config and the domain is how the schemas ended up defined twice).',
      severity: 'error',
      from: { path: '^(functions|events|config)/' },
      to: { circular: true },
    },
    {
      name: 'pure-domain',
      comment:
        'functions/domain holds the rules: no AWS SDK, no Powertools, no adapters and no handlers; dependencies come in as ports (functions/domain/ports.ts).',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: {
        path: [
          '^functions/(adapters|intake|router|sla|actions|shared)/',
          '^functions/(compositions|declaration)\\.ts$',
          '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-lambda|@types/aws-lambda)/',
        ],
      },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
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
