import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { municipality } from '../../config/index.js';
import { ERROR_KEYS, storedCaseRequestSchema } from '../../events/case-request.js';
import { confirmPage } from '../../functions/actions/views.js';
import { actionSchema } from '../../functions/domain/action-link.js';
import { escapeHtml } from '../../functions/domain/html.js';
import { slaNotifications } from '../../functions/domain/mail/notifications.js';
import { apiMessages, fieldError, type Language } from '../../functions/domain/messages.js';
import { CLOCKS, STEPS } from '../../functions/domain/sla.js';
import { IDEMPOTENCY_KEY } from '../../functions/domain/submission.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import { createRouteCase } from '../../functions/router/handler.js';
import { byteChunks, fixedClock, required, sampleBody, staticOfficials } from '../support/cases.js';
import { apiEvent, postCase } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
  TEST_BASE_URL,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';

/*
 * Property: whatever malformed request reaches `POST /cases`, the intake answers 400, 413 or 415 with a
 * clean body, and stores and queues nothing. Every generated request is invalid BY CONSTRUCTION: a valid
 * sample with exactly one breaking mutation, broken JSON, or random data that cannot carry `consent: true`.
 *
 * FUZZ_RUNS sets the number of requests (default 1,000; the reliability suite runs 10,000), FUZZ_SEED
 * replays a failing run.
 */

const RUNS = positiveIntFromEnv('FUZZ_RUNS', 1000);
const SEED = seedFromEnv();
const LIMIT = 32 * 1024;
const NOW = '2025-03-03T09:00:00.000Z';

function positiveIntFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function seedFromEnv(): number | undefined {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return seed;
}

// ---------------------------------------------------------------------------------------------------
// Bodies

type Json = fc.JsonValue;
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const GOALS = municipality.goals.map((g) => g.id);
const REQUEST_TYPES = municipality.requestTypes.map((t) => t.id);
const KNOWN_KEYS = {
  top: ['organisation', 'contact', 'language', 'goals', 'requestType', 'description', 'consent'],
  organisation: ['name', 'kvkNumber'],
  contact: ['name', 'email', 'phone'],
} as const;
type Container = keyof typeof KNOWN_KEYS;

const HTML_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
] as const;
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Unicode that renders or compares surprisingly: bidi overrides, zero-width and joiner characters, a BOM,
 * combining marks (NFD next to NFC), astral letters, emoji sequences, line and paragraph separators, NEL.
 */
const UNICODE_EDGES = [
  '\u202Eevil\u202C',
  'zero\u200Bwidth\u200D\u2060',
  '\uFEFFbom',
  'Cafe\u0301 Café',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚲',
  '👩‍👩‍👧‍👦 🏳️‍🌈',
  'regel\u2028scheiding\u2029',
  'next\u0085line',
  'ﬁ ß ẞ İ ı',
  'Z̷̢̛a̴l̵g̶o̸',
] as const;
/** Lone surrogates: not well-formed UTF-16; only ever sent in bodies that are invalid anyway. */
const LONE_SURROGATES = ['a\uD800b', 'a\uDFFFb', '\uDBFF'] as const;
/** Text that would change a page or a template if it were not treated as text. */
const TEMPLATE_TRAPS = [
  '{reference}',
  '{organisation}',
  '$& $1 $$',
  '$' + '{process.env}',
  '&amp; &lt;b&gt;',
] as const;

/** Hostile text for any field: markup, unicode edge cases, template traps, huge strings. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HTML_PAYLOADS),
  fc.constantFrom(...UNICODE_EDGES, ...LONE_SURROGATES),
  fc.constantFrom(...TEMPLATE_TRAPS),
  fc
    .tuple(fc.integer({ min: 1000, max: 30_000 }), fc.constantFrom('x', 'é', '<', '🚲'))
    .map(([n, unit]) => unit.repeat(n)),
);

// C0 controls and DEL that no text field accepts; tab and line breaks are refused in one-line fields only.
const CONTROL_CHARS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter(
    (c) => !'\t\n\r'.includes(c),
  ),
  '\u007f',
];
const LINE_BREAKS = ['\r', '\n', '\r\n', '\t'];

/** A valid request: the sample with a valid language, goals, request type and optional phone. */
const validBody: fc.Arbitrary<JsonObject> = fc
  .record({
    language: fc.constantFrom('nl', 'en'),
    goals: fc.subarray(GOALS, { minLength: 1 }),
    requestType: fc.constantFrom(...REQUEST_TYPES),
    phone: fc.boolean(),
  })
  .map(({ language, goals, requestType, phone }) => {
    const sample = sampleBody();
    const contact: JsonObject = { name: sample.contact.name, email: sample.contact.email };
    if (phone) contact.phone = sample.contact.phone;
    return { ...sample, organisation: { ...sample.organisation }, contact, language, goals, requestType };
  });

type Path = readonly [string] | readonly [string, string];
const dotted = (path: Path) => path.join('.');

const valueAt = (body: JsonObject, [first, second]: Path): Json | undefined => {
  const outer = body[first];
  if (second === undefined) return outer;
  return isObject(outer) ? outer[second] : undefined;
};

/** A copy of `body` with the value at `path` replaced, or removed when `value` is undefined. */
function withValue(body: JsonObject, [first, second]: Path, value: Json | undefined): JsonObject {
  const copy = structuredClone(body);
  const target = second === undefined ? copy : copy[first];
  const key = second ?? first;
  if (!isObject(target)) throw new Error(`test setup: ${first} is not an object`);
  if (value === undefined) delete target[key];
  else target[key] = value;
  return copy;
}

/** JSON text with one extra member written into the raw text, so keys like `__proto__` are own keys. */
function withRawMember(
  body: JsonObject,
  at: Container,
  key: string,
  value: Json,
  place: 'first' | 'last',
): string {
  const member = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const splice = (objectText: string) => {
    if (objectText === '{}') return `{${member}}`;
    return place === 'first' ? `{${member},${objectText.slice(1)}` : `${objectText.slice(0, -1)},${member}}`;
  };
  if (at === 'top') return splice(JSON.stringify(body));
  const inner = body[at];
  if (!isObject(inner)) throw new Error(`test setup: ${at} is not an object`);
  const slot = 'fuzz-slot-7f3a9c';
  return JSON.stringify({ ...body, [at]: slot }).replace(JSON.stringify(slot), () =>
    splice(JSON.stringify(inner)),
  );
}

/**
 * How a form would post the same data: nested keys dotted (as the intake form names them) or in brackets,
 * arrays as repeated keys, a ticked box as `yes`.
 */
function formOf(body: JsonObject, style: 'dotted' | 'brackets'): string {
  const params = new URLSearchParams();
  const add = (name: string, value: Json | undefined): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) add(style === 'brackets' ? `${name}[]` : name, item);
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value))
        add(style === 'brackets' ? `${name}[${key}]` : `${name}.${key}`, item);
    } else {
      params.append(name, value === true ? 'yes' : String(value));
    }
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  return params.toString();
}

// ---------------------------------------------------------------------------------------------------
// Breaking mutations: each makes exactly one field (or the shape) invalid, whatever the rest holds.

interface Mutation {
  readonly label: string;
  readonly apply: (body: JsonObject) => JsonObject;
}
const setTo = (label: string, path: Path, value: Json | undefined): Mutation => ({
  label: `${label} ${dotted(path)}`,
  apply: (body) => withValue(body, path, value),
});

const REQUIRED: readonly Path[] = [
  ['organisation'],
  ['organisation', 'name'],
  ['organisation', 'kvkNumber'],
  ['contact'],
  ['contact', 'name'],
  ['contact', 'email'],
  ['language'],
  ['goals'],
  ['requestType'],
  ['description'],
  ['consent'],
];
/** Required fields a form handler could not sensibly default (a form might default the language). */
const REQUIRED_IN_FORM = REQUIRED.filter((path) => dotted(path) !== 'language');

const TEXT_FIELDS: readonly Path[] = [
  ['organisation', 'name'],
  ['organisation', 'kvkNumber'],
  ['contact', 'name'],
  ['contact', 'email'],
  ['contact', 'phone'],
  ['language'],
  ['requestType'],
  ['description'],
];
const ONE_LINE_FIELDS: readonly Path[] = [
  ['organisation', 'name'],
  ['contact', 'name'],
];
const FREE_TEXT_FIELDS: readonly Path[] = [...ONE_LINE_FIELDS, ['description']];

const smallJson = fc.jsonValue({ maxDepth: 2 });
const someArray = fc.array(smallJson, { maxLength: 3 });
const someObject = fc.dictionary(fc.string({ maxLength: 10 }), smallJson, { maxKeys: 3 });
const someNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const nonString = fc.oneof(someNumber, fc.boolean(), fc.constant(null), someArray, someObject);

const wrongType: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...TEXT_FIELDS), nonString)
    .map(([path, value]) => setTo('wrong type for', path, value)),
  fc
    .tuple(
      fc.constantFrom<Path>(['organisation'], ['contact']),
      fc.oneof(fc.string(), someNumber, fc.boolean(), fc.constant(null), someArray),
    )
    .map(([path, value]) => setTo('wrong type for', path, value)),
  fc
    .oneof(
      fc.string(),
      someNumber,
      fc.boolean(),
      fc.constant(null),
      someObject,
      fc.array(fc.oneof(someNumber, fc.boolean(), fc.constant(null), someObject, someArray), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map((value) => setTo('wrong type for', ['goals'], value)),
  fc
    .oneof(fc.string(), someNumber, fc.constant(false), fc.constant(null), someArray, someObject)
    .map((value) => setTo('wrong type for', ['consent'], value)),
);

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');

/** KvK numbers a form handler could not repair by trimming or normalising either. */
const badKvkStrict = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 20 }).filter((s) => s.length !== 8),
  fc.tuple(digits(8), fc.nat(7), letter).map(([d, i, c]) => `${d.slice(0, i)}${c}${d.slice(i + 1)}`),
);
const badKvk = fc.oneof(
  badKvkStrict,
  fc
    .tuple(digits(8), fc.nat(7), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }))
    .filter(([, , c]) => !/[0-9]/.test(c))
    .map(([d, i, c]) => `${d.slice(0, i)}${c}${d.slice(i + 1)}`),
  fc.constantFrom(' 12345678', '12345678 ', '1234 5678', '12345678\n', '１２３４５６７８', '١٢٣٤٥٦٧٨'),
);

const badEmail = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => !s.includes('@')),
  fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('@')),
  fc.constantFrom(
    'marieke@',
    '@groenefietsfabriek.example',
    'marieke@@groenefietsfabriek.example',
    'marieke van dijk@groenefietsfabriek.example',
    'marieke@groenefietsfabriek',
    '.marieke@groenefietsfabriek.example',
    'marieke..dijk@groenefietsfabriek.example',
    'marieke@groenefietsfabriek..example',
    '<script>alert(1)</script>@groenefietsfabriek.example',
    'marieke@groenefietsfabriek.example\u0000',
    // CR/LF inside the address (at the end alone, trimming would make it valid): header injection.
    'marieke@groenefietsfabriek.example\r\nBcc: iedereen@aanvaller.example',
    'marieke@groenefietsfabriek.example\nX-Injected: ja',
    'mar\r\nieke@groenefietsfabriek.example',
    'marieke@groene\rfietsfabriek.example',
    '"mar\nieke"@groenefietsfabriek.example',
  ),
  fc.integer({ min: 242, max: 400 }).map((n) => `${'a'.repeat(n)}@voorbeeld.nl`),
);

const badPhone = fc.oneof(
  fc.constantFrom('12345', '06-1234567x', '++31612345678', '+31 6 1234 5678 9012 3456', 'geen'),
  fc.string({ maxLength: 20 }).map((s) => `tel:${s}`),
);

const badLanguage = fc.oneof(
  fc.constantFrom('NL', 'EN', 'en-GB', 'nl-NL', 'de', 'fr', ' nl', 'en ', ''),
  fc.string({ maxLength: 10 }).filter((s) => s !== 'nl' && s !== 'en'),
);

const unknownId = (known: readonly string[]) =>
  fc
    .oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(...known.map((id) => id.toUpperCase()), ...known.map((id) => ` ${id}`)),
      fc.constantFrom(...HTML_PAYLOADS),
    )
    .filter((id) => !known.includes(id));

const goalsOf = (body: JsonObject): Json[] => {
  const goals = body.goals;
  if (!Array.isArray(goals) || goals.length === 0) throw new Error('test setup: the valid body has no goals');
  return goals;
};

const unknownGoal: fc.Arbitrary<Mutation> = fc.tuple(unknownId(GOALS), fc.boolean()).map(([id, alone]) => ({
  label: `unknown goal ${JSON.stringify(id)}`,
  apply: (body) => withValue(body, ['goals'], alone ? [id] : [...goalsOf(body), id]),
}));
const duplicateGoal: Mutation = {
  label: 'duplicate goal',
  apply: (body) => {
    const goals = goalsOf(body);
    return withValue(body, ['goals'], [...goals, ...goals.slice(0, 1)]);
  },
};

/** `unit` repeated `count` times: longer than the limit in UTF-16 units and in code points. */
const longText = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('x', 'é', 'ab ', '🚲'))
    .map(([count, unit]) => `q${unit.repeat(count)}q`);
const tooLong: fc.Arbitrary<Mutation> = fc.oneof(
  longText(5001, 7000).map((s) => setTo('too long', ['description'], s)),
  longText(201, 1000).map((s) => setTo('too long', ['organisation', 'name'], s)),
  longText(121, 600).map((s) => setTo('too long', ['contact', 'name'], s)),
);

const tooShort: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom<Path>(['organisation', 'name'], ['contact', 'name']),
      fc.constantFrom('', ' ', 'a', ' a ', '\t\n'),
    )
    .map(([path, s]) => setTo('too short', path, s)),
  fc
    .string({ maxLength: 9 })
    .filter((s) => s.trim().length < 10)
    .map((s) => setTo('too short', ['description'], s)),
);

/** Puts `char` strictly inside the current value, where trimming cannot remove it. */
const insideValue = (path: Path, char: string, at: number): Mutation => ({
  label: `control character ${JSON.stringify(char)} in ${dotted(path)}`,
  apply: (body) => {
    // An earlier mutation of the same request may have emptied or shortened the field: then the character
    // goes inside a two-letter value instead (still one the schema refuses for the character alone). Only
    // between what trimming keeps: next to leading or trailing whitespace (a BOM is whitespace too), a line
    // break would be trimmed away with it.
    const value = valueAt(body, path);
    const kept = typeof value === 'string' ? value.trim() : '';
    const current = kept.length >= 2 && typeof value === 'string' ? value : 'Ab';
    const lead = current.length - current.trimStart().length;
    const inner = current.trim().length;
    const i = lead + 1 + (at % (inner - 1));
    return withValue(body, path, `${current.slice(0, i)}${char}${current.slice(i)}`);
  },
});
const controlCharacter: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FREE_TEXT_FIELDS), fc.constantFrom(...CONTROL_CHARS), fc.nat())
    .map(([path, char, at]) => insideValue(path, char, at)),
  fc
    .tuple(fc.constantFrom(...ONE_LINE_FIELDS), fc.constantFrom(...LINE_BREAKS), fc.nat())
    .map(([path, char, at]) => insideValue(path, char, at)),
);

/** Mutations that stay invalid when the data is posted as a form, where every value is a string. */
const formSafeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...REQUIRED_IN_FORM).map((path) => setTo('remove', path, undefined)),
  badKvkStrict.map((kvk) => setTo(`kvk ${JSON.stringify(kvk)}:`, ['organisation', 'kvkNumber'], kvk)),
  fc
    .string({ maxLength: 60 })
    .filter((s) => !s.includes('@'))
    .map((email) => setTo(`email ${JSON.stringify(email)}:`, ['contact', 'email'], email)),
  unknownGoal,
  unknownId(REQUEST_TYPES).map((id) => setTo(`request type ${JSON.stringify(id)}:`, ['requestType'], id)),
  tooLong,
  tooShort,
  fc
    .tuple(fc.constantFrom(...FREE_TEXT_FIELDS), fc.constantFrom('\u0000', '\u0007', '\u001b'), fc.nat())
    .map(([path, char, at]) => insideValue(path, char, at)),
);

const valueMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...REQUIRED).map((path) => setTo('remove', path, undefined)),
  wrongType,
  badKvk.map((kvk) => setTo(`kvk ${JSON.stringify(kvk)}:`, ['organisation', 'kvkNumber'], kvk)),
  badEmail.map((email) => setTo(`email ${JSON.stringify(email.slice(0, 40))}:`, ['contact', 'email'], email)),
  badPhone.map((phone) => setTo(`phone ${JSON.stringify(phone)}:`, ['contact', 'phone'], phone)),
  badLanguage.map((language) => setTo(`language ${JSON.stringify(language)}:`, ['language'], language)),
  unknownGoal,
  fc.constant(duplicateGoal),
  fc.constant(setTo('empty', ['goals'], [])),
  unknownId(REQUEST_TYPES).map((id) => setTo(`request type ${JSON.stringify(id)}:`, ['requestType'], id)),
  fc.constant(setTo('false', ['consent'], false)),
  tooLong,
  tooShort,
  controlCharacter,
  hostileInStrictField(),
);

/**
 * Hostile text (markup, unicode edge cases, huge strings) in a field that only takes a fixed form: a KvK
 * number, an e-mail address, a phone number, the language, a request type, a goal. None of it is valid there.
 */
function hostileInStrictField(): fc.Arbitrary<Mutation> {
  const strict: readonly { path: Path; invalid: (s: string) => boolean }[] = [
    { path: ['organisation', 'kvkNumber'], invalid: (v) => !/^\d{8}$/.test(v) },
    { path: ['contact', 'email'], invalid: (v) => !v.includes('@') },
    { path: ['contact', 'phone'], invalid: (v) => !/^\+?[0-9][0-9 ()-]{5,19}$/.test(v.trim()) },
    { path: ['language'], invalid: (v) => v !== 'nl' && v !== 'en' },
    { path: ['requestType'], invalid: (v) => !REQUEST_TYPES.includes(v) },
  ];
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...strict), hostileText)
      .filter(([field, text]) => field.invalid(text))
      .map(([field, text]) => setTo(`hostile text (${text.length} chars) in`, field.path, text)),
    hostileText.map((text) => ({
      label: `hostile goal (${text.length} chars)`,
      apply: (body: JsonObject) => withValue(body, ['goals'], [...goalsOf(body), text]),
    })),
  );
}

interface TextMutation {
  readonly label: string;
  readonly apply: (body: JsonObject) => string;
}

const extraKey: fc.Arbitrary<TextMutation> = fc
  .tuple(
    fc.constantFrom<Container>('top', 'organisation', 'contact'),
    fc.constantFrom<'first' | 'last'>('first', 'last'),
  )
  .chain(([at, place]) =>
    fc
      .tuple(
        fc
          .oneof(
            fc.constantFrom(...POLLUTION_KEYS),
            fc.constantFrom(
              'toString',
              'hasOwnProperty',
              'status',
              'reference',
              'tokenHash',
              ...HTML_PAYLOADS,
            ),
            fc.string({ maxLength: 20 }),
          )
          .filter((key) => !(KNOWN_KEYS[at] as readonly string[]).includes(key)),
        fc.oneof(fc.constantFrom<Json>({ polluted: true }, { isAdmin: true }, null), smallJson),
      )
      .map(([key, value]) => ({
        label: `unknown key ${JSON.stringify(key)} in ${at}`,
        apply: (body: JsonObject) => withRawMember(body, at, key, value, place),
      })),
  );

/** A duplicate key at the end of its object: JSON.parse keeps the last value, which breaks the field. */
const lastDuplicateWins: fc.Arbitrary<TextMutation> = fc
  .constantFrom<readonly [Container, string, Json]>(
    ['top', 'consent', false],
    ['top', 'language', 'de'],
    ['top', 'goals', []],
    ['top', 'requestType', 'bestaat-niet'],
    ['top', 'description', 'kort'],
    ['organisation', 'kvkNumber', '1234'],
    ['contact', 'email', 'geen-e-mailadres'],
  )
  .map(([at, key, value]) => ({
    label: `duplicate ${at}.${key} = ${JSON.stringify(value)}`,
    apply: (body) => withRawMember(body, at, key, value, 'last'),
  }));

interface Breaker {
  readonly label: string;
  readonly apply: (text: string) => string;
}
const replaceOnce = (text: string, search: string, replacement: string): string => {
  if (!text.includes(search)) throw new Error(`test setup: ${search} not in the body`);
  return text.replace(search, () => replacement);
};

/** Turns valid JSON text into text JSON.parse refuses. */
const breakJson: fc.Arbitrary<Breaker> = fc.oneof(
  fc.nat().map((n) => ({ label: 'truncated', apply: (t: string) => t.slice(0, n % t.length) })),
  fc.string({ maxLength: 20 }).map((s) => ({ label: 'trailing garbage', apply: (t: string) => `${t}}${s}` })),
  fc
    .constantFrom(")]}'\n", 'x', '<', ',', ':', ']')
    .map((prefix) => ({ label: 'leading garbage', apply: (t: string) => `${prefix}${t}` })),
  fc.constant({ label: 'single quotes', apply: (t: string) => t.replaceAll('"', "'") }),
  fc.constant({ label: 'trailing comma', apply: (t: string) => `${t.slice(0, -1)},}` }),
  fc.constant({ label: 'comment', apply: (t: string) => `/* aanvraag */${t}` }),
  fc.constant({ label: 'unquoted key', apply: (t: string) => replaceOnce(t, '"consent":', 'consent:') }),
  fc.constantFrom('undefined', 'True', 'NaN', "'true'", 'yes').map((token) => ({
    label: `consent ${token}`,
    apply: (t: string) => replaceOnce(t, '"consent":true', `"consent":${token}`),
  })),
);

// ---------------------------------------------------------------------------------------------------
// Requests

type ContentKind = 'json' | 'form' | 'other';
interface ContentType {
  readonly value: string | undefined;
  readonly kind: ContentKind;
}
const jsonType = fc
  .constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    ' application/json ; charset=iso-8859-1',
  )
  .map((value): ContentType => ({ value, kind: 'json' }));
const formType = fc
  .constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'Application/X-WWW-Form-Urlencoded',
  )
  .map((value): ContentType => ({ value, kind: 'form' }));
const otherType = fc
  .oneof(
    fc.constantFrom<string | undefined>(
      undefined,
      '',
      'text/plain',
      'text/html; charset=utf-8',
      'application/xml',
      'multipart/form-data; boundary=----fuzz',
      'application/json-patch+json',
      'application/jsonx',
      '*/*',
      ';application/json',
      '<script>alert(1)</script>',
      'text/html\r\nContent-Type: application/x-www-form-urlencoded',
      `text/plain; ${'x'.repeat(8000)}`,
      '\u0000',
      'текст/plain',
    ),
    fc.string({ maxLength: 40 }).filter((s) => !/json|form/i.test(s)),
  )
  .map((value): ContentType => ({ value, kind: 'other' }));

interface AcceptLanguage {
  readonly value: string | undefined;
  readonly wants: Language;
}
const acceptLanguage: fc.Arbitrary<AcceptLanguage> = fc.oneof(
  fc.constantFrom<AcceptLanguage>(
    { value: undefined, wants: 'nl' },
    { value: 'en', wants: 'en' },
    { value: 'en-GB,en;q=0.9,nl;q=0.5', wants: 'en' },
    { value: 'EN-us', wants: 'en' },
    { value: 'de-DE, en;q=0.8', wants: 'en' },
    { value: 'nl-NL', wants: 'nl' },
    { value: 'fr, nl-BE;q=0.5, en;q=0.3', wants: 'nl' },
    { value: 'de', wants: 'nl' },
    { value: '*', wants: 'nl' },
    { value: '', wants: 'nl' },
    { value: '<script>alert(1)</script>', wants: 'nl' },
    { value: 'de\r\nX-Injected: ja', wants: 'nl' },
    { value: `${'x-'.repeat(4000)}de`, wants: 'nl' },
    { value: '\u202Ede', wants: 'nl' },
    { value: 'q=0.9;;;,,,;q=', wants: 'nl' },
  ),
  fc
    .string({ maxLength: 30 })
    .filter((s) => !/en|nl/i.test(s))
    .map((value): AcceptLanguage => ({ value, wants: 'nl' })),
);

/**
 * Other headers a client controls, with wrong values: an Idempotency-Key that is empty, huge, markup or
 * not ASCII, an Accept header that asks for anything. None of them may turn a refused body into a case.
 */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc
      .record(
        {
          'idempotency-key': fc.oneof(
            fc.constantFrom('', ' ', '\r\n', '<script>alert(1)</script>', '__proto__', 'sleutel\u0000'),
            hostileText,
            fc.uuid(),
          ),
          accept: fc.constantFrom(
            'application/json',
            'text/html',
            '*/*',
            '<svg onload=alert(1)>',
            'x'.repeat(5000),
          ),
        },
        { requiredKeys: [] },
      )
      .map((headers) => ({ ...headers })),
  },
);

type Transport = 'plain' | 'base64' | 'flagged-but-raw' | 'encoded-but-unflagged';
const transport = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Transport>('plain') },
  { weight: 2, arbitrary: fc.constant<Transport>('base64') },
  { weight: 1, arbitrary: fc.constant<Transport>('flagged-but-raw') },
  { weight: 1, arbitrary: fc.constant<Transport>('encoded-but-unflagged') },
);

interface Payload {
  readonly arm: string;
  readonly label: string;
  /** Text, or raw bytes (sent base64-encoded, as API Gateway does for binary bodies). */
  readonly content: string | Uint8Array | undefined;
  /** Invalid by construction as long as the handler receives these bytes unchanged. */
  readonly invalidByConstruction: boolean;
}

interface FuzzRequest {
  readonly payload: Payload;
  readonly contentType: ContentType;
  readonly acceptLanguage: AcceptLanguage;
  readonly transport: Transport;
  readonly headers: Record<string, string>;
}

const payload = (arm: string, label: string, content: Payload['content'], invalidByConstruction = true) => ({
  arm,
  label,
  content,
  invalidByConstruction,
});

const mutatedJson: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(validBody, valueMutation)
      .map(([b, m]) => payload('mutation', m.label, JSON.stringify(m.apply(b)))),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(validBody, extraKey).map(([b, m]) => payload('mutation', m.label, m.apply(b))),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validBody, lastDuplicateWins)
      .map(([b, m]) => payload('mutation', m.label, m.apply(b))),
  },
);

const brokenJson: fc.Arbitrary<Payload> = fc
  .tuple(validBody, breakJson)
  .map(([b, breaker]) => payload('broken JSON', breaker.label, breaker.apply(JSON.stringify(b))));

/** Hostile text (a script payload, unicode edge cases, a huge string) in a text field, then one breaking mutation or broken JSON. */
const htmlInBrokenBody: fc.Arbitrary<Payload> = fc
  .tuple(
    validBody,
    fc.constantFrom(...FREE_TEXT_FIELDS),
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...HTML_PAYLOADS) },
      { weight: 1, arbitrary: hostileText },
    ),
  )
  .chain(([b, path, html]) => {
    const withHtml = withValue(b, path, html);
    const label = `${html.length > 40 ? `${html.slice(0, 12)}… (${html.length} chars)` : html} in ${dotted(path)}`;
    return fc.oneof(
      valueMutation.map((m) => payload('html', `${label}, ${m.label}`, JSON.stringify(m.apply(withHtml)))),
      breakJson.map((breaker) =>
        payload('html', `${label}, ${breaker.label}`, breaker.apply(JSON.stringify(withHtml))),
      ),
      fc.constant(payload('html', `${label}, raw`, `${html}${JSON.stringify(withHtml).slice(0, 40)}`)),
    );
  });

const deepNesting: fc.Arbitrary<Payload> = fc.oneof(
  fc
    .integer({ min: 1, max: 16_000 })
    .map((n) => payload('deep', `${n} nested arrays`, `${'['.repeat(n)}${']'.repeat(n)}`)),
  fc
    .tuple(validBody, fc.integer({ min: 1, max: 15_000 }))
    .map(([b, n]) =>
      payload(
        'deep',
        `consent nested ${n} deep`,
        replaceOnce(JSON.stringify(b), '"consent":true', `"consent":${'['.repeat(n)}${']'.repeat(n)}`),
      ),
    ),
);

/** Random data: valid only if it carried `consent: true`, which the property filters out. */
const randomBody: fc.Arbitrary<Payload> = fc.oneof(
  fc.json({ maxDepth: 3 }).map((text) => payload('random', 'fc.json', text, false)),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((value) => payload('random', 'fc.jsonValue', JSON.stringify(value), false)),
  fc
    .record(Object.fromEntries(KNOWN_KEYS.top.map((key) => [key, smallJson])), { requiredKeys: [] })
    .map((value) => payload('random', 'schema keys, random values', JSON.stringify(value), false)),
  fc
    .string({ unit: 'binary', maxLength: 300 })
    .map((text) => payload('random', 'binary string', text, false)),
  fc
    .string({ unit: 'grapheme', maxLength: 100 })
    .map((text) => payload('random', 'grapheme string', text, false)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => payload('random', 'random bytes', bytes, false)),
  fc.constantFrom(...HTML_PAYLOADS).map((html) => payload('random', 'html', html, false)),
  fc.constant(payload('random', 'no body', undefined)),
);

const formBody: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        validBody,
        fc.option(fc.tuple(fc.constantFrom(...FREE_TEXT_FIELDS), fc.constantFrom(...HTML_PAYLOADS))),
        formSafeMutation,
        fc.constantFrom<'dotted' | 'brackets'>('dotted', 'brackets'),
      )
      .map(([b, html, m, style]) => {
        const body = html === null ? b : withValue(b, html[0], html[1]);
        return payload(
          'form',
          `${m.label} (${style}${html === null ? '' : `, ${html[1]}`})`,
          formOf(m.apply(body), style),
        );
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 200 }), fc.webQueryParameters())
      // A filled-in honeypot field (`website`) is thanked with 200 on purpose: not this property's concern.
      .filter((text) => !new URLSearchParams(text).has('website'))
      .map((text) => payload('form', 'random form text', text, false)),
  },
);

/** Bodies over the limit, counted in bytes: a multi-byte body can be short in characters. */
const oversized: fc.Arbitrary<Payload> = fc.oneof(
  fc
    .tuple(validBody, fc.integer({ min: 1, max: 4096 }))
    .map(([b, extra]) =>
      payload(
        'oversized',
        `description of ${LIMIT + extra} bytes`,
        JSON.stringify({ ...b, description: 'x'.repeat(LIMIT + extra) }),
      ),
    ),
  fc
    .integer({ min: 1, max: 64 })
    .map((extra) => payload('oversized', 'multi-byte', 'é'.repeat(LIMIT / 2 + extra))),
  fc.integer({ min: LIMIT + 1, max: LIMIT + 4096 }).map((size) =>
    payload(
      'oversized',
      `${size} random bytes`,
      Uint8Array.from({ length: size }, (_, i) => (i * 31) % 256),
    ),
  ),
);

/** Exactly at the limit: not too large, still invalid. */
const atLimit: fc.Arbitrary<Payload> = fc.constant(
  payload(
    'at limit',
    `${LIMIT} bytes`,
    `{"description":"${'x'.repeat(LIMIT - '{"description":""}'.length)}"}`,
  ),
);

const anyType = fc.oneof(
  { weight: 7, arbitrary: jsonType },
  { weight: 1, arbitrary: formType },
  { weight: 2, arbitrary: otherType },
);
const sizeType = fc.oneof(
  { weight: 3, arbitrary: jsonType },
  { weight: 1, arbitrary: formType },
  { weight: 1, arbitrary: otherType },
);

const requestOf = (
  body: fc.Arbitrary<Payload>,
  types: fc.Arbitrary<ContentType>,
  via: fc.Arbitrary<Transport> = transport,
) =>
  fc
    .record({ payload: body, contentType: types, acceptLanguage, transport: via, headers: extraHeaders })
    .filter((request) => mustBeRejected(request));

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 30, arbitrary: requestOf(mutatedJson, anyType) },
  { weight: 8, arbitrary: requestOf(htmlInBrokenBody, anyType) },
  { weight: 10, arbitrary: requestOf(brokenJson, anyType) },
  { weight: 2, arbitrary: requestOf(deepNesting, jsonType) },
  { weight: 20, arbitrary: requestOf(randomBody, anyType) },
  {
    weight: 14,
    arbitrary: requestOf(
      formBody,
      fc.oneof({ weight: 8, arbitrary: formType }, { weight: 1, arbitrary: jsonType }),
    ),
  },
  { weight: 3, arbitrary: requestOf(oversized, sizeType, fc.constantFrom<Transport>('plain', 'base64')) },
  { weight: 1, arbitrary: requestOf(atLimit, jsonType, fc.constant<Transport>('plain')) },
);

function event(request: FuzzRequest): APIGatewayProxyEventV2 {
  const { content } = request.payload;
  const bytes =
    content === undefined
      ? undefined
      : typeof content === 'string'
        ? Buffer.from(content, 'utf8')
        : Buffer.from(content);
  const binary = content instanceof Uint8Array;
  const headers: Record<string, string> = { ...request.headers };
  if (request.contentType.value !== undefined) headers['content-type'] = request.contentType.value;
  if (request.acceptLanguage.value !== undefined) headers['accept-language'] = request.acceptLanguage.value;
  const base64 = binary || request.transport === 'base64';
  const body =
    bytes === undefined
      ? undefined
      : base64 || request.transport === 'encoded-but-unflagged'
        ? bytes.toString('base64')
        : bytes.toString('utf8');
  const flagged = base64 || request.transport === 'flagged-but-raw';
  return apiEvent({ routeKey: 'POST /cases', body, isBase64Encoded: flagged, headers });
}

/** The bytes the handler sees, decoded as API Gateway's contract says. */
function received(e: APIGatewayProxyEventV2): Buffer {
  const raw = e.body ?? '';
  return e.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};
const ownValue = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? Object.getOwnPropertyDescriptor(value, key)?.value
    : undefined;

/** Random data could only be accepted if it said `consent: true`: such draws are skipped. */
function mustBeRejected(request: FuzzRequest): boolean {
  const unchanged =
    request.transport === 'plain' ||
    request.transport === 'base64' ||
    request.transport === 'encoded-but-unflagged';
  if (request.payload.invalidByConstruction && unchanged) return true;
  const text = received(event(request)).toString('utf8');
  const parsed = parseJson(text);
  if (parsed.ok && ownValue(parsed.value, 'consent') === true) return false;
  return ![...new URLSearchParams(text).keys()].some((key) => /consent/i.test(key));
}

/** The language the intake should answer in: the body's choice, else Accept-Language, else Dutch. */
function expectedLanguage(request: FuzzRequest, text: string): Language {
  const asked =
    request.contentType.kind === 'json'
      ? ((parsed) => (parsed.ok ? ownValue(parsed.value, 'language') : undefined))(parseJson(text))
      : request.contentType.kind === 'form'
        ? new URLSearchParams(text).get('language')
        : undefined;
  return asked === 'nl' || asked === 'en' ? asked : request.acceptLanguage.wants;
}

// ---------------------------------------------------------------------------------------------------
// The intake under test, with fresh fakes per request

/** Store methods that only read; any other call is a write, and no invalid request may cause one. */
const isRead = (method: string) => /^(get|find|list|read|load|lookup|due)/.test(method);

function freshIntake() {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  const writes: string[] = [];
  const recorded = new Proxy(cases, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || isRead(property)) return value;
      return (...args: unknown[]): unknown => {
        writes.push(property);
        return Reflect.apply(value, target, args);
      };
    },
  });
  const handler = createIntakeHandler({
    cases: recorded,
    queue,
    requestCounts: memoryRequestCounter(),
    municipality,
    clock: fixedClock(NOW),
    randomBytes: byteChunks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]),
    log: silentLog,
    metrics: countingMetrics(),
  });
  return { handler, cases, queue, writes };
}

// ---------------------------------------------------------------------------------------------------
// What every answer must look like

const problemSchema = z.object({
  error: z.string().min(1),
  message: z.string().min(1),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const FIELD_MESSAGES: Record<Language, ReadonlySet<string>> = {
  nl: new Set(ERROR_KEYS.map((key) => fieldError(key, 'nl'))),
  en: new Set(ERROR_KEYS.map((key) => fieldError(key, 'en'))),
};

/** Traces of internals: stack frames, error class names, parser and schema library messages, paths. */
const LEAKS = [
  / {4}at /,
  /\\n\s*at /,
  /\bat \S+ \(?\S*:\d+:\d+\)?/,
  /\b(Type|Zod|Syntax|Range|Reference)Error\b/,
  /in JSON at position|Unexpected (token|end of JSON|non-whitespace)/,
  /Invalid input|expected (string|object|array)/,
  /node:internal|node_modules|file:\/\/|\/work\//,
  /"stack"/,
];

/** Tags the script payloads would put into a page if they were not escaped (the pages have none). */
const INJECTED_TAGS = /<(script|img|svg|iframe)\b/i;

function assertAnswer(
  request: FuzzRequest,
  e: APIGatewayProxyEventV2,
  result: APIGatewayProxyStructuredResultV2,
) {
  const what = `${request.payload.arm}: ${request.payload.label} [content-type ${JSON.stringify(request.contentType.value)}, ${request.transport}]`;
  const bytes = received(e);
  const text = bytes.toString('utf8');
  const status = result.statusCode ?? 'none';

  expect([400, 413, 415], `status for ${what}`).toContain(status);
  if (bytes.byteLength > LIMIT) expect(status, `status for ${what}`).toBe(413);
  else if (request.contentType.kind === 'json') expect(status, `status for ${what}`).toBe(400);

  const body = result.body ?? '';
  const contentType = String(result.headers?.['content-type'] ?? '');
  const isPage = /^text\/html\b/i.test(contentType);
  // A page may start its title and each field error with "Error: " (for screen readers), right after a tag.
  const errorPrefix = isPage ? /(?<!>)Error:/ : /Error:/;
  const sent = `${e.body ?? ''}\n${text}\n${Object.values(e.headers).join('\n')}`;
  for (const leak of [...LEAKS, errorPrefix]) {
    if (!leak.test(sent)) expect(body, `body for ${what}`).not.toMatch(leak);
  }

  if (isPage) {
    expect(body, `page for ${what}`).not.toMatch(INJECTED_TAGS);
    for (const payload of HTML_PAYLOADS) expect(body, `page for ${what}`).not.toContain(payload);
    if (status === 400)
      expect(body, `page language for ${what}`).toContain(`<html lang="${expectedLanguage(request, text)}"`);
    return;
  }
  if (!/^application\/(problem\+)?json\b/i.test(contentType)) return;
  const problem = problemSchema.parse(JSON.parse(body));
  // A malformed Idempotency-Key is refused on its own, before the body is checked (JSON bodies only).
  const key = request.headers['idempotency-key'];
  const badKey = key !== undefined && !IDEMPOTENCY_KEY.test(key);
  if (request.contentType.kind === 'json' && status === 400) {
    const expected = !parseJson(text).ok ? 'invalidJson' : badKey ? 'invalidIdempotencyKey' : 'invalid';
    expect(problem.error, `error for ${what}`).toBe(expected);
  }
  if (problem.error === 'invalidIdempotencyKey') expect(badKey, `key refused for ${what}`).toBe(true);
  if (
    problem.error === 'invalidJson' ||
    problem.error === 'tooLarge' ||
    problem.error === 'unsupportedMediaType'
  ) {
    // Refused before the body is read: the language comes from Accept-Language alone.
    expect(problem.message, `message for ${what}`).toBe(
      apiMessages[problem.error][request.acceptLanguage.wants],
    );
  }
  if (problem.error !== 'invalid') return;
  const language = expectedLanguage(request, text);
  expect(problem.message, `message for ${what}`).toBe(apiMessages.invalid[language]);
  expect(problem.errors?.length, `errors for ${what}`).toBeGreaterThan(0);
  for (const error of problem.errors ?? []) {
    expect(error.field, `field of ${JSON.stringify(error)} for ${what}`).not.toBe('');
    expect(
      FIELD_MESSAGES[language].has(error.message),
      `${language} message ${JSON.stringify(error)} for ${what}`,
    ).toBe(true);
  }
}

/** Cases run every time before the generated ones: an unknown key that is empty, and `__proto__` as an own key. */
const EXAMPLES: readonly FuzzRequest[] = [
  payload('example', 'empty key', '{"":false}'),
  payload(
    'example',
    '__proto__ key',
    `{"__proto__":{"polluted":true},${JSON.stringify(sampleBody()).slice(1)}`,
  ),
].map((example) => ({
  payload: example,
  contentType: { value: 'application/json', kind: 'json' },
  acceptLanguage: { value: undefined, wants: 'nl' },
  transport: 'plain',
  headers: {},
}));

describe('intake fuzz: malformed POST /cases', () => {
  it(
    'refuses every malformed request with 400, 413 or 415 and a clean body, storing and queueing nothing',
    async () => {
      const statuses = new Map<number, number>();
      let requests = 0;
      let serverErrors = 0;
      let stored = 0;

      try {
        await fc.assert(
          fc.asyncProperty(fuzzRequest, async (request) => {
            const { handler, cases, queue, writes } = freshIntake();
            const e = event(request);

            const result = await handler(e);

            const status = result.statusCode ?? 0;
            requests++;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500) serverErrors++;
            if (cases.items.size > 0 || queue.sent.length > 0 || writes.length > 0) stored++;
            expect(cases.items.size, `stored for ${request.payload.label}`).toBe(0);
            expect(queue.sent, `queued for ${request.payload.label}`).toEqual([]);
            expect(writes, `store writes for ${request.payload.label}`).toEqual([]);
            assertAnswer(request, e, result);
          }),
          {
            numRuns: RUNS,
            examples: EXAMPLES.map((request) => [request]),
            ...(SEED === undefined ? {} : { seed: SEED }),
          },
        );
      } finally {
        const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
        console.log(
          `fuzz: ${requests} requests, ${serverErrors} 5xx, ${stored} stored, statuses {${counts.join(', ')}}`,
        );
      }

      expect(requests).toBeGreaterThanOrEqual(RUNS);
    },
    Math.max(30_000, RUNS * 20),
  );

  it('starts from bodies the intake accepts, as JSON and as a form post, so the mutations are what it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(validBody, async (body) => {
        const api = freshIntake();
        const form = freshIntake();

        const asJson = await api.handler(
          apiEvent({
            routeKey: 'POST /cases',
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          }),
        );
        const asForm = await form.handler(
          apiEvent({
            routeKey: 'POST /cases',
            body: formOf(body, 'dotted'),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );

        expect(asJson.statusCode).toBe(202);
        expect(api.cases.items.size).toBe(1);
        expect(asForm.statusCode).toBe(303);
        expect(form.cases.items.size).toBe(1);
      }),
      { numRuns: 25 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Valid requests carrying hostile text: stored as sent, rendered escaped wherever they appear

/** Hostile text a free-text field accepts: markup, unicode edge cases and template traps, no controls. */
const acceptedHostile = (min: number, max: number) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...HTML_PAYLOADS),
        fc.constantFrom(...UNICODE_EDGES),
        fc.constantFrom(...TEMPLATE_TRAPS),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => `Zo ${parts.join(' ')} ok`)
    // Only what the schema accepts as it stands: no C0 controls, no line breaks (names), within bounds.
    .filter(
      (t) =>
        ![...t].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f') &&
        t.trim().length >= min &&
        t.trim().length <= max,
    );

/** Text that needs escaping but that a name accepts: quotes, ampersands, unicode edges (no markup, links or addresses). */
const NAME_TRAPS = [
  '"Quoted" & Co',
  "O'Brien & Zn.",
  'a"b\'c&d',
  '&amp zonder puntkomma',
  '$& $1 $$',
] as const;
const acceptedName = (field: z.ZodType) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...NAME_TRAPS),
        fc.constantFrom(...UNICODE_EDGES),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => `Zo ${parts.join(' ')} ok`)
    // Only what the name's own schema accepts.
    .filter((t) => field.safeParse(t).success);

const hostileValidBody: fc.Arbitrary<JsonObject> = fc
  .record({
    body: validBody,
    organisation: acceptedName(storedCaseRequestSchema.shape.organisation.shape.name),
    contact: acceptedName(storedCaseRequestSchema.shape.contact.shape.name),
    description: fc
      .tuple(acceptedHostile(10, 2000), fc.constantFrom('\n', '\r\n', '\t'), acceptedHostile(0, 2000))
      .map(([a, br, b]) => `${a}${br}${b}`),
    email: fc.constantFrom("o'brien+test@voorbeeld.example", 'marieke@groenefietsfabriek.example'),
  })
  .map(({ body, organisation, contact, description, email }) => ({
    ...body,
    organisation: { ...(body.organisation as JsonObject), name: organisation },
    contact: { ...(body.contact as JsonObject), name: contact, email },
    description,
  }));

/** What must never reach an HTML page or an e-mail's HTML part unescaped. */
function assertEscaped(where: string, html: string, texts: readonly string[]) {
  expect(html, where).not.toMatch(INJECTED_TAGS);
  for (const payload of HTML_PAYLOADS) expect(html, where).not.toContain(payload);
  for (const text of texts) if (/[<>&"']/.test(text)) expect(html, where).not.toContain(text);
}

describe('intake fuzz: valid requests with hostile text', () => {
  const RUNS_VALID = Math.max(50, Math.round(RUNS / 20));

  it('stores the text as sent and renders it escaped in every e-mail and page that shows it', async () => {
    let requests = 0;
    let mails = 0;
    let pages = 0;
    try {
      await fc.assert(
        fc.asyncProperty(hostileValidBody, async (body) => {
          // Prepare + Act: the intake accepts the request
          const { handler, cases } = freshIntake();
          const accepted = await handler(
            apiEvent({
              routeKey: 'POST /cases',
              body: JSON.stringify(body),
              headers: { 'content-type': 'application/json' },
            }),
          );
          requests++;
          expect(accepted.statusCode).toBe(202);
          const { reference, statusUrl } = JSON.parse(accepted.body ?? '{}') as {
            reference: string;
            statusUrl: string;
          };
          const stored = required(cases.items.get(reference), 'the stored case');
          const organisation = String((body.organisation as JsonObject).name).trim();
          const contactName = String((body.contact as JsonObject).name).trim();
          expect(stored.request.organisation.name).toBe(organisation);
          expect(stored.request.contact.name).toBe(contactName);
          const texts = [organisation, contactName, stored.request.description];

          // The router's e-mails (assignment with action links, departments, enterprise)
          const mailer = memoryMailer();
          const now = fixedClock(NOW);
          await createRouteCase({
            cases,
            officials: staticOfficials(municipality.officials),
            digests: memoryDigestStore(),
            mailer,
            municipality,
            clock: now,
            links: testLinks(now),
            satisfactionLinks: testSatisfactionLinks(now),
            log: silentLog,
            metrics: countingMetrics(),
          })(reference, statusUrl);
          const routed = required(cases.items.get(reference), 'the routed case');
          const contact = required(routed.contact, 'the contact');
          // ...and every step of the SLA ladder
          const sla = CLOCKS.flatMap((clock) =>
            STEPS.flatMap((step) =>
              slaNotifications(routed, clock, step, municipality, new Date(NOW), {
                contactMade: `${TEST_BASE_URL}/actions/x`,
              }).map((n) => n.mail),
            ),
          );
          const all = [...mailer.sent, ...sla];
          expect(mailer.sent.length).toBeGreaterThanOrEqual(2);
          for (const mail of all) {
            mails++;
            for (const header of [mail.subject, mail.to, mail.replyTo ?? ''])
              expect(header, `header of ${mail.subject}`).not.toMatch(/[\r\n]/);
            assertEscaped(`e-mail ${mail.subject}`, mail.html, texts);
          }
          const assignment = required(
            mailer.sent.find((m) => m.to === contact.email),
            'the assignment e-mail',
          );
          expect(assignment.html).toContain(escapeHtml(organisation));

          // The status page, in both languages
          const token = new URL(statusUrl).searchParams.get('token') ?? '';
          for (const lang of ['nl', 'en'] as const) {
            const page = await handler(
              apiEvent({
                routeKey: 'GET /cases/{reference}',
                pathParameters: { reference },
                query: { token, lang },
                headers: { accept: 'text/html' },
              }),
            );
            expect(page.statusCode).toBe(200);
            pages++;
            assertEscaped(`status page (${lang})`, page.body ?? '', texts);
            expect(page.body).toContain(escapeHtml(contact.name));
          }

          // The official's action pages (confirm, problem)
          for (const action of actionSchema.options) {
            const claims = {
              id: 'link-id-of-sixteen',
              reference,
              official: contact.id,
              action,
              lang: contact.language,
              expiresAt: '2030-01-01T00:00:00.000Z',
            };
            const confirm = confirmPage({
              lang: contact.language,
              municipality,
              token: 'x.y',
              claims,
              c: routed,
            });
            pages++;
            assertEscaped(`confirm page ${action}`, confirm, texts);
            expect(confirm).toContain(escapeHtml(organisation));
          }
        }),
        { numRuns: RUNS_VALID, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    } finally {
      console.log(
        `fuzz (valid, hostile text): ${requests} requests accepted, ${mails} e-mails and ${pages} pages checked, escaped everywhere`,
      );
    }
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------
// The limits under load: many valid and invalid requests from a few sources for a few addresses, over
// hours and days, against a model of the counts

/** One request of a load: from which source, for which address, how long after the one before, valid or not. */
const loadStep = fc.record({
  source: fc.integer({ min: 0, max: 3 }),
  email: fc.integer({ min: 0, max: 4 }),
  afterMs: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 4 * 3_600_000 })),
  valid: fc.boolean(),
});

describe('intake fuzz: the limits under load', () => {
  const RUNS_LIMITS = Math.max(20, Math.round(RUNS / 100));

  it('accepts exactly what the limits allow in each window, answers the rest 429 with when to try again, never 5xx', async () => {
    let requests = 0;
    let accepted = 0;
    let limited = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            requestsPerEmailPerDay: fc.integer({ min: 1, max: 6 }),
            requestsPerSourcePerHour: fc.integer({ min: 1, max: 10 }),
          }),
          fc.array(loadStep, { minLength: 20, maxLength: 250 }),
          async (limits, steps) => {
            // Prepare
            let now = Date.parse(NOW);
            const handler = createIntakeHandler({
              cases: memoryCaseStore(),
              queue: memoryQueue(),
              requestCounts: memoryRequestCounter(),
              municipality: { ...municipality, intakeLimits: limits },
              clock: () => new Date(now),
              randomBytes,
              log: silentLog,
              metrics: countingMetrics(),
            });
            // The model: the count of each window, taken where it is not full.
            const counts = new Map<string, number>();
            const window = (size: number) => Math.floor(now / size);
            for (const [i, step] of steps.entries()) {
              now += step.afterMs;
              const body = sampleBody();
              const event = postCase(
                {
                  ...body,
                  organisation: { ...body.organisation, kvkNumber: String(40_000_000 + i) },
                  contact: { ...body.contact, email: `adres${step.email}@voorbeeld.example` },
                  description: step.valid ? `${body.description} Verzoek ${i}.` : 'te kort',
                },
                {},
                `198.51.100.${step.source}`,
              );
              // Act
              const answer = await handler(event);
              requests++;
              // Assess
              if (!step.valid) {
                expect(answer.statusCode).toBe(400);
                continue;
              }
              const sourceKey = `s${step.source}@${window(3_600_000)}`;
              const emailKey = `e${step.email}@${window(86_400_000)}`;
              const sourceFull = (counts.get(sourceKey) ?? 0) >= limits.requestsPerSourcePerHour;
              const emailFull = (counts.get(emailKey) ?? 0) >= limits.requestsPerEmailPerDay;
              if (!sourceFull) counts.set(sourceKey, (counts.get(sourceKey) ?? 0) + 1);
              if (!emailFull) counts.set(emailKey, (counts.get(emailKey) ?? 0) + 1);
              if (!sourceFull && !emailFull) {
                expect(answer.statusCode).toBe(202);
                accepted++;
                continue;
              }
              expect(answer.statusCode).toBe(429);
              limited++;
              const ends = [
                ...(sourceFull ? [(window(3_600_000) + 1) * 3_600_000] : []),
                ...(emailFull ? [(window(86_400_000) + 1) * 86_400_000] : []),
              ];
              expect(answer.headers?.['retry-after']).toBe(
                String(Math.max(1, Math.ceil((Math.max(...ends) - now) / 1000))),
              );
            }
          },
        ),
        { numRuns: RUNS_LIMITS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    } finally {
      console.log(
        `fuzz (limits): ${requests} requests from 4 sources for 5 addresses, ${accepted} accepted, ${limited} limited (429), each answer and Retry-After as the model of the windows says, 0 5xx`,
      );
    }
  }, 120_000);
});
