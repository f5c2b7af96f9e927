import type * as z from 'zod';
import type { Municipality } from '../../config/schema.js';
import { fieldError, type Language } from '../domain/messages.js';
import type { FormValues } from './views.js';

/** How the intake reads a form post or an API body into what the request schema checks, and names its errors. */

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** One message per field, in the user's language; unknown fields are named one by one. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], language: Language): FieldError[] {
  const errors = new Map<string, string>();
  // A key that is empty or holds a dot or odd characters is shown quoted, so every field is named.
  const segment = (key: PropertyKey) => {
    const text = String(key);
    return /^[A-Za-z0-9_$-]+$/.test(text) ? text : JSON.stringify(text);
  };
  for (const issue of issues) {
    const base = issue.path.map(segment);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = [...base, segment(key)].join('.');
        if (!errors.has(field)) errors.set(field, fieldError('unknownField', language));
      }
      continue;
    }
    const field = base.join('.') || '(body)';
    if (!errors.has(field)) errors.set(field, fieldError(issue.message, language));
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

export function catalogOf(m: Municipality) {
  const [goal, ...goals] = m.goals.map((g) => g.id);
  const [type, ...types] = m.requestTypes.map((t) => t.id);
  if (goal === undefined || type === undefined) throw new Error('municipality has no goals or request types');
  return { goals: [goal, ...goals] as const, requestTypes: [type, ...types] as const };
}

/** Fields of the form, named by their path in the request schema. */
const FORM_FIELDS = new Set([
  'organisation.name',
  'organisation.kvkNumber',
  'contact.name',
  'contact.email',
  'contact.phone',
  'language',
  'requestType',
  'description',
]);

/** Own, enumerable property, whatever the key (also `__proto__`): the schema then names it as unknown. */
const put = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** The form post as the request schema reads it; empty fields count as missing. */
export function formInput(params: URLSearchParams): Record<string, unknown> {
  // The groups always exist, so a missing field is named by its own path (`contact.name`), not the group's.
  const input: Record<string, unknown> = { organisation: {}, contact: {} };
  for (const key of new Set(params.keys())) {
    if (key === 'idempotencyKey' || key === 'website') continue;
    const value = params.get(key) ?? '';
    if (key === 'goals') put(input, 'goals', params.getAll('goals'));
    else if (key === 'consent') put(input, 'consent', value === 'yes' ? true : value);
    else if (!FORM_FIELDS.has(key)) put(input, key, value);
    else if (value.trim() !== '') {
      const [outer = '', inner] = key.split('.');
      if (inner === undefined) put(input, outer, value);
      else {
        const nested = (input[outer] as Record<string, unknown> | undefined) ?? {};
        put(nested, inner, value);
        put(input, outer, nested);
      }
    }
  }
  // Unticked boxes are not sent at all: they mean "none chosen" and "no consent", not "missing".
  if (!Object.hasOwn(input, 'goals')) put(input, 'goals', []);
  if (!Object.hasOwn(input, 'consent')) put(input, 'consent', false);
  return input;
}

export const formValues = (params: URLSearchParams): FormValues => ({
  organisationName: params.get('organisation.name') ?? undefined,
  kvkNumber: params.get('organisation.kvkNumber') ?? undefined,
  contactName: params.get('contact.name') ?? undefined,
  email: params.get('contact.email') ?? undefined,
  phone: params.get('contact.phone') ?? undefined,
  goals: params.getAll('goals'),
  requestType: params.get('requestType') ?? undefined,
  description: params.get('description') ?? undefined,
  consent: params.get('consent') === 'yes',
});
