import * as z from 'zod';

/**
 * The body of `POST /cases`, version 1: what a social enterprise asks of the municipality.
 * Allow-listed: unknown fields are rejected at every level.
 *
 * Error messages are keys (see `functions/domain/messages.ts`) so that the same schema can answer
 * in Dutch and in English.
 */
export const CASE_REQUEST_VERSION = 1;

export const ERROR_KEYS = [
  'required',
  'type',
  'tooShort',
  'tooLong',
  'controlCharacters',
  'nameWithLink',
  'nameWithEmail',
  'nameWithMarkup',
  'kvkNumber',
  'email',
  'phone',
  'language',
  'goal',
  'goalsMin',
  'goalsDuplicate',
  'requestType',
  'consent',
  'unknownField',
  'body',
] as const;
export type ErrorKey = (typeof ERROR_KEYS)[number];

/** Picks the key for a failed check: missing values are `required` whatever the check. */
const key =
  (k: ErrorKey) =>
  (issue: { input?: unknown }): ErrorKey =>
    issue.input === undefined ? 'required' : k;

// C0 controls and DEL, except tab and line breaks (which only the description may hold).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\r\n\t]/;

const text = (min: number, max: number, multiline = false) =>
  z
    .string({ error: key('type') })
    .trim()
    .min(min, { error: 'tooShort' })
    .max(max, { error: 'tooLong' })
    .refine((s) => !CONTROL.test(s) && (multiline || !LINE_BREAK.test(s)), { error: 'controlCharacters' });

/**
 * A web address in any form a mail client or a reader would follow: a scheme (`http://`, `mailto:`), `www.`,
 * or a host name with a top-level domain (`evil.example/login`, `bit.ly`). "B.V." and "St." are no host names
 * (their last label has one letter).
 */
const WEB_ADDRESS =
  /[a-z][a-z0-9+.-]*:\/\/|\b(?:mailto|javascript|data):|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}\b/i;
const EMAIL_ADDRESS = /\S@\S/;
/** Markup: a tag or its brackets, an HTML entity, a Markdown link. */
const MARKUP = /[<>{}[\]]|&#?[a-z0-9]+;|\]\(/i;

/**
 * A person's or organisation's name: the texts e-mails repeat to the enterprise, so nothing in them can be
 * followed or rendered (a planted link in a name would reach whichever address the form was given).
 */
const plainName = (min: number, max: number) =>
  text(min, max)
    .refine((s) => !EMAIL_ADDRESS.test(s), { error: 'nameWithEmail', abort: true })
    .refine((s) => !WEB_ADDRESS.test(s), { error: 'nameWithLink', abort: true })
    .refine((s) => !MARKUP.test(s), { error: 'nameWithMarkup' });

export interface Catalog {
  readonly goals: readonly [string, ...string[]];
  readonly requestTypes: readonly [string, ...string[]];
}

/** The request as the municipality's catalog accepts it today: goals and request types must exist. */
export function caseRequestSchema(catalog: Catalog) {
  return requestShape(
    z.enum(catalog.goals, { error: 'goal' }),
    z.enum(catalog.requestTypes, { error: 'requestType' }),
  );
}

/**
 * The same shape with any goal or request type id: how a stored request is read back, even after the
 * catalog changed. Its type is the request's one type.
 */
export const storedCaseRequestSchema = requestShape(z.string(), z.string());
export type CaseRequest = z.infer<typeof storedCaseRequestSchema>;

function requestShape(goal: z.ZodType<string>, requestType: z.ZodType<string>) {
  return z.strictObject(
    {
      organisation: z.strictObject(
        {
          name: plainName(2, 200),
          kvkNumber: z.string({ error: key('type') }).regex(/^\d{8}$/, { error: 'kvkNumber' }),
        },
        { error: key('type') },
      ),
      contact: z.strictObject(
        {
          name: plainName(2, 120),
          email: z
            .string({ error: key('type') })
            .trim()
            .max(254, { error: 'tooLong' })
            .pipe(z.email({ error: 'email' })),
          phone: z
            .string({ error: key('type') })
            .trim()
            .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, { error: 'phone' })
            .optional(),
        },
        { error: key('type') },
      ),
      language: z.enum(['nl', 'en'], { error: key('language') }),
      goals: z
        .array(goal, { error: key('type') })
        .min(1, { error: 'goalsMin' })
        .refine((goals) => new Set(goals).size === goals.length, { error: 'goalsDuplicate' }),
      requestType,
      description: text(10, 5000, true),
      consent: z.literal(true, { error: key('consent') }),
    },
    { error: key('body') },
  );
}
