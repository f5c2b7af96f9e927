import * as z from 'zod';

/**
 * What runs where, declared once. The CDK stack (`infra/aws/`) and the local runner
 * (`infra/local/`) are both built from this object, so the cloud and the laptop cannot drift:
 * the same functions, triggers, table keys and indexes, queue settings and environment names.
 * It lives under functions/ because both sides read it: infra deploys from it, and a function reads the
 * environment names of its resources from it (never the reverse import: functions import nothing from infra).
 * What a function needs of its declaration at run time (resource names, its schedule's rate) comes in through
 * its environment (`environmentFor`), read once at cold start (`functions/adapters/env.ts`).
 */

const name = z.string().regex(/^[a-z][a-zA-Z0-9]*$/);
const attribute = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/);

const indexSchema = z
  .strictObject({
    partitionKey: attribute,
    sortKey: attribute,
    /**
     * `all` copies the whole item into the index; `keys` only the table and index keys; `include` the
     * keys and the listed `attributes`.
     */
    projection: z.enum(['all', 'keys', 'include']),
    attributes: z.array(attribute).min(1).optional(),
    /** Why the index exists: the access pattern it serves. */
    purpose: z.string().min(1),
  })
  .refine((index) => (index.projection === 'include') === (index.attributes !== undefined), {
    message: '`attributes` goes with, and only with, projection `include`',
    path: ['attributes'],
  });

const tableSchema = z.strictObject({
  partitionKey: attribute,
  sortKey: attribute,
  /** Epoch seconds after which DynamoDB deletes an item (retention). Set by the CDK table only. */
  timeToLiveAttribute: attribute,
  indexes: z.record(name, indexSchema),
});

const queueSchema = z.strictObject({
  visibilityTimeoutSeconds: z.number().int().min(0).max(43_200),
  retentionDays: z.number().int().min(1).max(14),
  deadLetter: z.strictObject({
    /** Receives before a message moves to the DLQ. */
    maxReceiveCount: z.number().int().min(1).max(1000),
    retentionDays: z.number().int().min(1).max(14),
  }),
});

const route = z.string().regex(/^(GET|POST|PUT|PATCH|DELETE) \/[a-zA-Z0-9/{}._-]*$/);

const triggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('http'), routes: z.array(route).min(1) }),
  z.strictObject({
    kind: z.literal('queue'),
    queue: name,
    /** Messages per invocation. */
    batchSize: z.number().int().min(1).max(10),
    maxBatchingWindowSeconds: z.number().int().min(0).max(300),
    /** Concurrent invocations the event source mapping may run (protects SES quotas). */
    maxConcurrency: z.number().int().min(2).max(1000),
  }),
  z.strictObject({ kind: z.literal('schedule'), rateMinutes: z.number().int().min(1).max(1440) }),
]);

/** The DynamoDB operations a function may declare on a table: what the functions' code makes. */
export const TABLE_OPERATIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
] as const;
export type TableOperation = (typeof TABLE_OPERATIONS)[number];

/**
 * What a function does with a table, and so exactly what its role may do (infra/aws/constructs/house-function.ts):
 * the operations on the table itself (`Query` there is a query of the table's own key), and the indexes it
 * queries, each by name. test/integration/table-use.test.ts holds the code to it.
 */
const tableUseSchema = z.strictObject({
  operations: z
    .array(z.enum(TABLE_OPERATIONS))
    .min(1)
    .refine((ops) => new Set(ops).size === ops.length, 'an operation twice'),
  indexes: z.array(name).default([]),
});
export type TableUse = z.infer<typeof tableUseSchema>;

const functionSchema = z.strictObject({
  /** Entry module (exports `handler`), relative to the project root. */
  entry: z.string().regex(/^functions\/.+\.ts$/),
  description: z.string().min(1),
  timeoutSeconds: z.number().int().min(1).max(900),
  memoryMb: z.number().int().min(128).max(10_240),
  trigger: triggerSchema,
  tables: z.record(name, tableUseSchema),
  queues: z.record(name, z.enum(['send'])),
  /** Secrets the function reads at cold start (e.g. the key that signs and verifies action links). */
  secrets: z.record(name, z.enum(['read'])),
  /** Builds links to the public API (in e-mails): gets its base URL as `PUBLIC_BASE_URL`. */
  linksToApi: z.boolean(),
  /**
   * Sends e-mail through SES: `true` for a function that sends in volume (paced at its share of the account's
   * SES rate, infra/aws/mail-rate.ts), `rarely` for one that sends an e-mail now and then (unpaced: should SES
   * throttle it, its message is retried later), `false` for none.
   */
  sendsMail: z.union([z.boolean(), z.literal('rarely')]),
});

const secretSchema = z.strictObject({
  /** What the secret is for. */
  purpose: z.string().min(1),
  /** Random bytes of a key generated locally (AWS generates a random string of at least this entropy). */
  bytes: z.number().int().min(32).max(64),
});

export const declarationSchema = z
  .strictObject({
    service: z.string().regex(/^[a-z][a-z0-9-]+$/),
    tables: z.record(name, tableSchema),
    queues: z.record(name, queueSchema),
    secrets: z.record(name, secretSchema),
    functions: z.record(name, functionSchema),
  })
  .superRefine((declared, ctx) => {
    for (const [fnName, fn] of Object.entries(declared.functions)) {
      // Every table, queue and secret a function names is declared.
      const kinds = [
        ['tables', 'table'],
        ['queues', 'queue'],
        ['secrets', 'secret'],
      ] as const;
      for (const [kind, singular] of kinds)
        for (const used of Object.keys(fn[kind]))
          if (!(used in declared[kind]))
            ctx.addIssue({
              code: 'custom',
              path: ['functions', fnName, kind, used],
              message: `unknown ${singular}`,
            });
      // The indexes a function queries are the table's own.
      for (const [table, use] of Object.entries(fn.tables))
        for (const index of use.indexes)
          if (declared.tables[table] !== undefined && !(index in declared.tables[table].indexes))
            ctx.addIssue({
              code: 'custom',
              path: ['functions', fnName, 'tables', table, 'indexes'],
              message: `unknown index "${index}"`,
            });
      if (fn.trigger.kind === 'queue') {
        const queue = declared.queues[fn.trigger.queue];
        if (queue === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['functions', fnName, 'trigger', 'queue'],
            message: 'unknown queue',
          });
        } else if (queue.visibilityTimeoutSeconds < 6 * fn.timeoutSeconds) {
          // AWS guidance for SQS event sources: visibility >= 6x the function timeout,
          // so that retries of a throttled batch do not make messages visible again too early.
          ctx.addIssue({
            code: 'custom',
            path: ['queues', fn.trigger.queue, 'visibilityTimeoutSeconds'],
            message: `must be at least 6x the timeout of ${fnName} (${6 * fn.timeoutSeconds} s)`,
          });
        }
      }
      if (fn.trigger.kind === 'schedule' && fn.timeoutSeconds >= fn.trigger.rateMinutes * 60) {
        // A run must end before the next tick, so that two runs never overlap (and send the same reminder).
        ctx.addIssue({
          code: 'custom',
          path: ['functions', fnName, 'timeoutSeconds'],
          message: `must be shorter than the schedule's interval (${fn.trigger.rateMinutes * 60} s)`,
        });
      }
    }
  });

export type Declaration = z.infer<typeof declarationSchema>;
export type FunctionDeclaration = Declaration['functions'][string];
export type QueueDeclaration = Declaration['queues'][string];
export type TableDeclaration = Declaration['tables'][string];
export type SecretDeclaration = Declaration['secrets'][string];

const input = {
  service: 'aanspreekpunt',
  tables: {
    cases: {
      partitionKey: 'pk',
      sortKey: 'sk',
      timeToLiveAttribute: 'expiresAt',
      indexes: {
        byEnterprise: {
          partitionKey: 'kvkNumber',
          sortKey: 'submittedAt',
          projection: 'include',
          attributes: ['contactId'],
          purpose: "an enterprise's cases: continuity of the contact, duplicate submissions",
        },
        openByOfficial: {
          partitionKey: 'openAssignee',
          sortKey: 'submittedAt',
          projection: 'keys',
          purpose: 'open cases per official (sparse: only while open), the load used to choose a contact',
        },
        closedByOfficial: {
          partitionKey: 'closedBy',
          sortKey: 'closedAt',
          projection: 'keys',
          purpose:
            'the cases each official resolved, by when (sparse: until their personal data are removed), for their "Mijn zaken" page',
        },
        due: {
          partitionKey: 'dueShard',
          sortKey: 'nextAt',
          projection: 'keys',
          purpose: 'what needs attention at a moment (sparse: only while a clock runs), read by the SLA job',
        },
        retention: {
          partitionKey: 'retentionShard',
          sortKey: 'retentionOn',
          projection: 'include',
          attributes: ['deleted'],
          purpose:
            'closed cases by the day of their next retention step (sparse), read by the retention job; and the deletion records of each year, for the destruction list',
        },
      },
    },
  },
  queues: {
    route: {
      visibilityTimeoutSeconds: 180,
      retentionDays: 4,
      deadLetter: { maxReceiveCount: 5, retentionDays: 14 },
    },
    // What SES tells of the e-mails it took (bounce, complaint, delivery), through the configuration set's
    // event destination on AWS (SNS, raw message delivery) and the local runtime's mailbox simulator locally.
    mailEvents: {
      visibilityTimeoutSeconds: 180,
      retentionDays: 4,
      deadLetter: { maxReceiveCount: 5, retentionDays: 14 },
    },
  },
  secrets: {
    actionLinkKey: {
      purpose: "HMAC key that signs the action links in officials' e-mails and verifies them",
      bytes: 32,
    },
  },
  // Timeouts and memory. Every SDK call has a 2 s connect and 5 s request timeout with up to 3 attempts
  // (`functions/adapters/sdk/options.ts`), so a timeout is the worst case of a few such calls, not a guess.
  // Memory is 512 MB everywhere: Lambda gives CPU in proportion to memory, and the cold start (parsing a
  // ~0.5 MB bundle, fetching the link key) is the slowest part of these short functions; at this volume
  // the difference with 256 MB is cents a month (see the cost estimate in the README).
  functions: {
    intake: {
      entry: 'functions/intake/index.ts',
      description: 'Accepts a request from a social enterprise, stores the case and queues it for routing',
      // An enterprise waits for the answer: one conditional write and one SendMessage, well under the
      // HTTP API's 30 s integration limit; a hung dependency answers 5xx instead of keeping the user waiting.
      timeoutSeconds: 10,
      memoryMb: 512,
      trigger: {
        kind: 'http',
        // `GET /assets/{file}`: the pages' stylesheets (functions/web/assets.ts), for every page behind this API.
        // `POST /cases/{reference}/answer`: the enterprise's answer to the open question, from its status page.
        routes: [
          'GET /',
          'GET /privacy',
          'POST /cases',
          'GET /cases/{reference}',
          'POST /cases/{reference}/answer',
          'GET /assets/{file}',
        ],
      },
      // Cases, fingerprints, status tokens and the deletion records of destroyed cases by key, an answer (one
      // conditional update); no query at all.
      tables: { cases: { operations: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] } },
      queues: { route: 'send' },
      secrets: {},
      linksToApi: false,
      sendsMail: false,
    },
    router: {
      entry: 'functions/router/index.ts',
      description: 'Tags a case with its departments, assigns one accountable official and e-mails them',
      // A batch of up to 10 cases, each a few DynamoDB calls and its e-mails (the contact, the other
      // departments, the enterprise); the route queue's visibility timeout (180 s) is 6x this, as AWS
      // advises for SQS event sources.
      timeoutSeconds: 30,
      memoryMb: 512,
      // At most 5 concurrent batches: bounds the e-mails per second the router asks of SES.
      trigger: {
        kind: 'queue',
        queue: 'route',
        batchSize: 10,
        maxBatchingWindowSeconds: 1,
        maxConcurrency: 5,
      },
      // The case, the officials (a query of their partition), the enterprise's earlier contact, open cases
      // per official; the assignment and the e-mails' records; a department noted as full (a put); the
      // suppression list, read once before a case's e-mails are sent (one BatchGetItem).
      tables: {
        cases: {
          operations: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'],
          indexes: ['byEnterprise', 'openByOfficial'],
        },
      },
      // A case put off while SES cannot take its e-mails yet goes back on its own queue, delayed.
      queues: { route: 'send' },
      secrets: { actionLinkKey: 'read' },
      linksToApi: true,
      sendsMail: true,
    },
    mailEvents: {
      entry: 'functions/mail-events/index.ts',
      description:
        'Acts on what SES tells of the e-mails it took: a bounce or complaint suppresses the address, an official whose address bounced is marked unreachable and their case handed on, the contact of an enterprise whose address bounced is told',
      // A batch of up to 10 events, each a few DynamoDB calls and at most one e-mail.
      timeoutSeconds: 30,
      memoryMb: 512,
      // Events come in bursts at most as large as the e-mails sent; two batches at a time keep up with them.
      trigger: {
        kind: 'queue',
        queue: 'mailEvents',
        batchSize: 10,
        maxBatchingWindowSeconds: 5,
        maxConcurrency: 2,
      },
      // The case (and its e-mail's record), the officials (by their partition), the suppression list (put,
      // and read before the one e-mail it may send), the bounce noted and a handover applied.
      tables: {
        cases: { operations: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: [] },
      },
      // A case handed on from an official whose address bounced goes to the router for its handover e-mails.
      queues: { route: 'send' },
      secrets: {},
      linksToApi: false,
      // One e-mail per enterprise whose address bounced: too few to take a share of the SES rate.
      sendsMail: 'rarely',
    },
    sla: {
      entry: 'functions/sla/index.ts',
      description:
        'Runs on a schedule: finds what is due and acts on it (re-queues cases whose routing is late)',
      // Reads only what is due and acts on each case; far shorter than the 5-minute interval, so two runs
      // never overlap (checked above), and a run that fails is not retried: the next tick does the work.
      timeoutSeconds: 60,
      memoryMb: 512,
      trigger: { kind: 'schedule', rateMinutes: 5 },
      // What is due, the officials and their open cases (the hourly figures); the steps' records; the
      // suppression list before a step's e-mails.
      tables: {
        cases: {
          operations: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
          indexes: ['due', 'openByOfficial'],
        },
      },
      queues: { route: 'send' },
      secrets: { actionLinkKey: 'read' },
      linksToApi: true,
      sendsMail: true,
    },
    retention: {
      entry: 'functions/retention/index.ts',
      description:
        'Runs daily: removes the personal data of cases closed long enough ago, and destroys cases on their archive action date, keeping a deletion record',
      // Reads only what is due (the sparse retention index) and acts on each case with a few writes; a day's
      // work is at most the cases closed on one day a year (or more) ago.
      timeoutSeconds: 300,
      memoryMb: 512,
      trigger: { kind: 'schedule', rateMinutes: 1440 },
      // What is due; each case read, its anonymised record put, or its deletion record put and the case and
      // its fingerprint claim deleted.
      tables: {
        cases: { operations: ['GetItem', 'PutItem', 'DeleteItem'], indexes: ['retention'] },
      },
      queues: {},
      secrets: {},
      linksToApi: false,
      sendsMail: false,
    },
    digest: {
      entry: 'functions/digest/index.ts',
      description:
        "Runs every 15 minutes: sends each digest once when its moment has come (the departments' new cases of the day, the officials' open cases) and, on the first working day of a month, the monthly reports",
      // A digest per department and per official: a few reads (its record, what waits or the official's open
      // cases, the cases in one batch) and one e-mail; far shorter than the interval, so runs never overlap.
      timeoutSeconds: 120,
      memoryMb: 512,
      trigger: { kind: 'schedule', rateMinutes: 15 },
      // The digest's record (read, claimed, recorded), what waits for it (a query of the department's own
      // partition), the officials (their partition) and their open cases, the cases a digest lists and the
      // suppression list (BatchGetItem), the entries marked as listed; for the monthly reports, the cases
      // closed lately too (the closed-cases index).
      tables: {
        cases: {
          operations: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
          indexes: ['openByOfficial', 'closedByOfficial'],
        },
      },
      queues: {},
      secrets: { actionLinkKey: 'read' },
      linksToApi: true,
      // A digest per department a day and per official a week: too few to take a share of the SES rate; a
      // throttled digest is put off to the next run.
      sendsMail: 'rarely',
    },
    actions: {
      entry: 'functions/actions/index.ts',
      description:
        "Signed links: officials' actions (GET shows a confirmation page, POST applies the action once; a handover or resolve is queued for the router), each official's read-only \"Mijn zaken\" page, the enterprise's satisfaction form once its case is resolved",
      // An official waits for the page: one read, or one conditional write (and a queue message).
      timeoutSeconds: 10,
      memoryMb: 512,
      trigger: {
        kind: 'http',
        // `/satisfaction/{token}`: the enterprise's one-question form after its case was resolved; here
        // because this function holds the key that verifies it, and records an answer with the one update.
        routes: [
          'GET /actions/{token}',
          'POST /actions/{token}',
          'GET /my-cases/{token}',
          'GET /satisfaction/{token}',
          'POST /satisfaction/{token}',
        ],
      },
      // The case by key, the officials (a handover's choice), the action (or the enterprise's answer to the
      // satisfaction form) in one conditional update; for "Mijn zaken", the official's open and lately
      // closed cases (keys from the indexes, then one batch).
      tables: {
        cases: {
          operations: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
          indexes: ['openByOfficial', 'closedByOfficial'],
        },
      },
      queues: { route: 'send' },
      secrets: { actionLinkKey: 'read' },
      linksToApi: false,
      sendsMail: false,
    },
  },
} as const satisfies z.input<typeof declarationSchema>;

/**
 * Set by the bundler (infra/bundling.ts, esbuild `define`): the declaration checked at build time, as JSON
 * text, so that a deployed function does not check it again at cold start. Undefined under tsx.
 */
declare const AANSPREEKPUNT_DECLARATION: string | undefined;

/** The name of the embedded value, for the bundler. */
export const DECLARATION_DEFINE = 'AANSPREEKPUNT_DECLARATION';

/** The declaration, checked once: at build time in a bundle, else when this module loads. */
export const declaration: Declaration =
  typeof AANSPREEKPUNT_DECLARATION === 'string'
    ? JSON.parse(AANSPREEKPUNT_DECLARATION)
    : declarationSchema.parse(input);

export type TableName = keyof typeof input.tables;
export type QueueName = keyof typeof input.queues;
export type FunctionName = keyof typeof input.functions;
export type SecretName = keyof typeof input.secrets;

/** Environment variable that carries a table's name to the functions that use it. */
export const tableEnv = (table: TableName) => `${table.toUpperCase()}_TABLE`;
/** Environment variable that carries a queue's URL to the functions that use it. */
export const queueEnv = (queue: QueueName) => `${queue.toUpperCase()}_QUEUE_URL`;

/** Environment variable that carries a secret's value (base64), where the target can set it (locally). */
export const secretEnv = (secret: SecretName) => snake(secret);
/** Environment variable that carries a secret's ARN on AWS; the function fetches the value at cold start. */
export const secretArnEnv = (secret: SecretName) => `${snake(secret)}_SECRET_ARN`;
/** Environment variable with the public base URL of the API, for functions that link to it. */
export const PUBLIC_BASE_URL_ENV = 'PUBLIC_BASE_URL';
/**
 * Environment variable with the SES configuration set a function that declares `sendsMail` sends through
 * (its bounce and complaint events feed the alarms). Set on AWS; absent locally, where the emulator has none.
 */
export const MAIL_CONFIGURATION_SET_ENV = 'MAIL_CONFIGURATION_SET';
/**
 * Environment variable with the e-mails per second one instance of a function that declares `sendsMail` may
 * send: its share of the account's SES sending rate (context `sesMaxSendRate`), set by the stack. Absent
 * locally, where the emulator does not throttle: then it sends as fast as it can.
 */
export const MAIL_SEND_RATE_ENV = 'MAIL_SEND_RATE';
/** Environment variable with the rate (minutes) of a function on a schedule: the SLA job's hourly window. */
export const SCHEDULE_RATE_ENV = 'SCHEDULE_RATE_MINUTES';
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

export interface ResourceNames {
  readonly tables: Readonly<Record<TableName, string>>;
  readonly queues: Readonly<Record<QueueName, string>>;
  /** Secret ARNs (AWS). Absent locally, where the runtime puts the values themselves in `secretEnv`. */
  readonly secrets?: Readonly<Record<SecretName, string>>;
}

/**
 * The environment a function gets: only the resources it declares, and its schedule's rate. Both targets
 * call this; the values are CloudFormation tokens on AWS and real names locally.
 */
export function environmentFor(fn: FunctionDeclaration, resources: ResourceNames): Record<string, string> {
  const env: Record<string, string> = {};
  for (const table of Object.keys(fn.tables) as TableName[]) env[tableEnv(table)] = resources.tables[table];
  for (const queue of Object.keys(fn.queues) as QueueName[]) env[queueEnv(queue)] = resources.queues[queue];
  if (resources.secrets !== undefined)
    for (const secret of Object.keys(fn.secrets) as SecretName[])
      env[secretArnEnv(secret)] = resources.secrets[secret];
  if (fn.trigger.kind === 'schedule') env[SCHEDULE_RATE_ENV] = String(fn.trigger.rateMinutes);
  return env;
}

/** Physical names used by the local runner (and as name prefixes nowhere else). */
export const localResourceNames = (declared: Declaration = declaration) => ({
  table: (table: string) => `${declared.service}-${table}`,
  queue: (queue: string) => `${declared.service}-${queue}`,
  deadLetterQueue: (queue: string) => `${declared.service}-${queue}-dlq`,
});
