import * as z from 'zod';
import { describeWorkingHours, outsideWorkingHours } from './calendar.js';
import { digestsSchema, informSchema } from './digests.js';
import { ConfigError } from './error.js';
import { localizedText } from './localized.js';
import { DEFAULT_PROCESS_TYPE, retentionSchema } from './retention.js';
import { slaPolicySchema } from './sla.js';

export { type LocalizedText, localizedText } from './localized.js';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase id: a-z, 0-9 and -, starting with a letter');
const email = z.email();

export const departmentSchema = z
  .object({
    id,
    name: localizedText,
    /** The department's shared mailbox: informed of every case it is involved in. */
    mailbox: email,
    /** How the mailbox hears of the cases: in one digest each working day (default), or one e-mail per case. */
    inform: informSchema.default('daily'),
    /** The alderman (wethouder) whose portfolio holds this department, and that office's address. */
    wethouder: z.object({ name: z.string().min(1), office: email }).strict(),
  })
  .strict();

/**
 * Words and phrases in a description (Dutch or English) that involve a department. Matching ignores
 * case, diacritics and common plural/inflection endings: "statushouders" matches "statushouder".
 */
export const keywordRuleSchema = z
  .object({
    department: id,
    phrases: z.array(z.string().trim().min(2).max(80)).min(1),
  })
  .strict();

const day = z.iso.date();
/** A period an official is away, whole days in Europe/Amsterdam, both ends included. */
export const absenceSchema = z
  .object({ from: day, to: day })
  .strict()
  .refine((a) => a.from <= a.to, { message: '"from" must not be after "to"' });
export type Absence = z.infer<typeof absenceSchema>;

export const goalSchema = z.object({ id, name: localizedText, department: id }).strict();
export const requestTypeSchema = z
  .object({
    id,
    name: localizedText,
    department: id.optional(),
    /** The Selectielijst process type its cases are archived under (a key of `retention.processTypes`). */
    processType: id.default(DEFAULT_PROCESS_TYPE),
  })
  .strict();

export const officialSchema = z
  .object({
    id,
    name: z.string().min(1).max(120),
    email,
    language: z.enum(['nl', 'en']),
    departments: z.array(id).min(1),
    deputy: id.optional(),
    /** Open cases this official can carry; the load used to choose a contact is open cases / capacity. */
    capacity: z.number().int().positive().default(20),
    absences: z.array(absenceSchema).default([]),
  })
  .strict();

/**
 * The look of the pages: an NL Design System theme, a stylesheet of design tokens (CSS custom properties)
 * scoped to a class that the pages set on their root element (`<body class="...">`).
 */
export const themeSchema = z
  .object({
    /**
     * `./neutral-theme.css` (shipped with the project, in functions/web/styles/) or a CSS file of an npm
     * dependency, e.g. `@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css`.
     */
    stylesheet: z
      .string()
      .regex(
        /^(\.\/[a-z0-9-]+\.css|(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+\.css)$/,
        'a file of ours (./name.css) or of an npm package (package/path.css)',
      ),
    /** The class the tokens are scoped to, e.g. `voorbeeld-theme`. */
    className: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a CSS class name: a-z, 0-9 and -'),
  })
  .strict();
export type Theme = z.infer<typeof themeSchema>;

/** The theme shipped with the project: sober greys and one blue (functions/web/styles/neutral-theme.css). */
export const NEUTRAL_THEME: Theme = { stylesheet: './neutral-theme.css', className: 'aanspreekpunt-theme' };

/**
 * How many requests the intake accepts before it answers 429, counted in the table in fixed windows (UTC):
 * per contact e-mail address per day, and per source address (IP) per hour. A request the form or the
 * schema refuses is not counted. The defaults sit far above what an enterprise or an office needs (a whole
 * municipality gets about 8 requests a working day) and far below what a mass mailing needs; a shared
 * address (an office behind one NAT) that reaches the hourly limit waits at most until the next full hour.
 */
export const intakeLimitsSchema = z
  .object({
    requestsPerEmailPerDay: z.number().int().positive().default(5),
    requestsPerSourcePerHour: z.number().int().positive().default(20),
  })
  .strict();
export type IntakeLimits = z.infer<typeof intakeLimitsSchema>;

export const municipalitySchema = z
  .object({
    id,
    name: z.string().min(1),
    /** The address every e-mail is sent from (an SES identity on AWS). */
    sender: email,
    coordinator: z.object({ name: z.string().min(1), email, language: z.enum(['nl', 'en']) }).strict(),
    /**
     * The college of mayor and aldermen (burgemeester en wethouders): its secretariat's address gets the
     * municipality's monthly report too, in Dutch. Optional: without it the coordinator gets it alone.
     */
    college: z
      .object({ name: z.string().min(1), email })
      .strict()
      .optional(),
    departments: z.array(departmentSchema).min(1),
    goals: z.array(goalSchema).min(1),
    requestTypes: z.array(requestTypeSchema).min(1),
    keywords: z.array(keywordRuleSchema).default([]),
    /**
     * The promises (working days, due at the end of the working day), the reminder ladder, and the calendar
     * (working days and working hours) they are counted on.
     */
    sla: slaPolicySchema.default(slaPolicySchema.parse({})),
    officials: z.array(officialSchema).min(1),
    /** The look of the pages; the neutral theme unless the municipality names its own. */
    theme: themeSchema.default(NEUTRAL_THEME),
    /** The intake's abuse limits (429 with Retry-After above them). */
    intakeLimits: intakeLimitsSchema.default(intakeLimitsSchema.parse({})),
    /** How long closed cases and their personal data are kept (Selectielijst 2020, AVG). */
    retention: retentionSchema.default(retentionSchema.parse({})),
    /** When the departments' and the officials' digests go out (within `sla.calendar.workingHours`). */
    digests: digestsSchema.default(digestsSchema.parse({})),
  })
  .strict()
  .superRefine((m, ctx) => {
    const departments = new Set(m.departments.map((d) => d.id));
    const officials = new Set(m.officials.map((o) => o.id));
    const unique = (list: { id: string }[], path: string) => {
      const seen = new Set<string>();
      list.forEach((item, index) => {
        if (seen.has(item.id))
          ctx.addIssue({ code: 'custom', path: [path, index, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    };
    unique(m.departments, 'departments');
    unique(m.goals, 'goals');
    unique(m.requestTypes, 'requestTypes');
    unique(m.officials, 'officials');
    const knownDepartment = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && !departments.has(value))
        ctx.addIssue({ code: 'custom', path, message: `unknown department "${value}"` });
    };
    for (const [i, g] of m.goals.entries()) knownDepartment(g.department, ['goals', i, 'department']);
    for (const [i, k] of m.keywords.entries()) knownDepartment(k.department, ['keywords', i, 'department']);
    for (const [i, r] of m.requestTypes.entries()) {
      knownDepartment(r.department, ['requestTypes', i, 'department']);
      if (m.retention.processTypes[r.processType] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['requestTypes', i, 'processType'],
          message: `unknown process type "${r.processType}" (not in retention.processTypes)`,
        });
    }
    // Digests go to officials and departments: within working hours, never at night.
    const hours = m.sla.calendar.workingHours;
    for (const [audience, at] of [
      ['departments', m.digests.departments.at],
      ['officials', m.digests.officials.at],
    ] as const)
      if (outsideWorkingHours(at, hours))
        ctx.addIssue({
          code: 'custom',
          path: ['digests', audience, 'at'],
          message: `${at} is outside the working hours ${describeWorkingHours(hours)} (sla.calendar.workingHours): digests go out within them`,
        });
    m.officials.forEach((o, i) => {
      for (const [j, d] of o.departments.entries()) knownDepartment(d, ['officials', i, 'departments', j]);
      if (o.deputy !== undefined && !officials.has(o.deputy))
        ctx.addIssue({
          code: 'custom',
          path: ['officials', i, 'deputy'],
          message: `unknown official "${o.deputy}"`,
        });
    });
  });

export type Municipality = z.infer<typeof municipalitySchema>;
export type Official = z.infer<typeof officialSchema>;

/**
 * An official as the cases table holds them: as in the config, and marked unreachable once SES told that
 * an e-mail to their address bounced for good (then no case goes to them, as while absent, until
 * `npm run officials -- reachable <id>`). Not a setting of the config file.
 */
export const storedOfficialSchema = officialSchema.extend({
  unreachable: z
    .object({ since: z.iso.datetime({ offset: true }) })
    .strict()
    .optional(),
});
export type StoredOfficial = z.infer<typeof storedOfficialSchema>;
export type Department = z.infer<typeof departmentSchema>;
export type KeywordRule = z.infer<typeof keywordRuleSchema>;

/** Parses a municipality and fails with every bad path named, e.g. `goals.2.department: unknown department "x"`. */
export function parseMunicipality(input: unknown, source = 'municipality config'): Municipality {
  const result = municipalitySchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`${source} is invalid:\n${lines.join('\n')}`);
}
