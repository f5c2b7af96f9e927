import * as z from 'zod';
import { localizedText } from './localized.js';

/**
 * How long a closed case is kept, and its personal data: the archive rules of the Selectielijst gemeenten en
 * intergemeentelijke organen 2020 (Archiefwet) per result, and the AVG's storage limitation for the contact's
 * data. The rules that apply them live in functions/domain/retention.ts.
 */

/** A period as the Selectielijst writes it: ISO 8601 years, months and/or days, e.g. `P5Y`, `P12M`, `P42D`. */
export const periodSchema = z
  .string()
  .regex(
    /^P(?=\d)(\d{1,3}Y)?(\d{1,3}M)?(\d{1,4}D)?$/,
    'a period like P5Y, P12M or P42D (years, months, days)',
  );
export type Period = z.infer<typeof periodSchema>;

const id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase id: a-z, 0-9 and -, starting with a letter');

/**
 * A result (resultaat) an official resolves a case with, and what the archive does with the case then:
 * destroy it a period after its start (the closing date, or a date the official enters, e.g. the end of a
 * subsidy), or keep it for good (transfer to the archive).
 */
export const archiveResultSchema = z.discriminatedUnion('nomination', [
  z.strictObject({
    id,
    name: localizedText,
    /** The result's number in the Selectielijst 2020, e.g. `8.1.7`. */
    selectielijst: z.string().regex(/^\d{1,2}(\.\d{1,2}){1,2}$/),
    nomination: z.literal('destroy'),
    period: periodSchema,
    /** `closed`: from the day the case is resolved; `entered`: from a later day the official enters. */
    from: z.enum(['closed', 'entered']),
    /** What the official enters when `from` is `entered`, e.g. "Einddatum subsidie / End of the subsidy". */
    fromLabel: localizedText.optional(),
  }),
  z.strictObject({
    id,
    name: localizedText,
    selectielijst: z.string().regex(/^\d{1,2}(\.\d{1,2}){1,2}$/),
    nomination: z.literal('keep'),
  }),
]);
export type ArchiveResult = z.infer<typeof archiveResultSchema>;

/** A process type (procestype) of the Selectielijst 2020, with the results a case of it can have. */
export const processTypeSchema = z
  .strictObject({
    /** Its number in the Selectielijst 2020, e.g. 6 for "Verzoeken behandelen". */
    selectielijst: z.number().int().min(1).max(99),
    name: localizedText,
    results: z.array(archiveResultSchema).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.results.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({ code: 'custom', path: ['results', i, 'id'], message: `duplicate id "${r.id}"` });
      seen.add(r.id);
      if (r.nomination === 'destroy' && r.from === 'entered' && r.fromLabel === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'fromLabel'],
          message: 'a result counted from an entered date needs `fromLabel`: what the official enters',
        });
      if (!r.selectielijst.startsWith(`${p.selectielijst}.`))
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'selectielijst'],
          message: `a result of process type ${p.selectielijst} is numbered ${p.selectielijst}.x`,
        });
    });
  });
export type ProcessType = z.infer<typeof processTypeSchema>;

const text = (nl: string, en: string) => ({ nl, en });

/**
 * The process types of the Selectielijst 2020 that fit requests of social enterprises, with their periods as
 * the list sets them (checked against VNG's reference list of the Selectielijst 2020, procestypen 6, 8 and 21).
 */
export const SELECTIELIJST_2020: Readonly<Record<string, ProcessType>> = {
  verzoeken: {
    selectielijst: 6,
    name: text('Verzoeken behandelen', 'Handling requests'),
    results: [
      {
        id: 'granted',
        name: text('Ingewilligd', 'Granted'),
        selectielijst: '6.1',
        nomination: 'destroy',
        period: 'P5Y',
        from: 'closed',
      },
      {
        id: 'granted-financial',
        name: text('Ingewilligd, met financiële gevolgen', 'Granted, with financial consequences'),
        selectielijst: '6.1.1',
        nomination: 'destroy',
        period: 'P7Y',
        from: 'closed',
      },
      {
        id: 'rejected',
        name: text('Afgewezen', 'Rejected'),
        selectielijst: '6.2',
        nomination: 'destroy',
        period: 'P1Y',
        from: 'closed',
      },
      {
        id: 'withdrawn',
        name: text('Ingetrokken of afgebroken', 'Withdrawn or discontinued'),
        selectielijst: '6.3',
        nomination: 'destroy',
        period: 'P1Y',
        from: 'closed',
      },
    ],
  },
  subsidie: {
    selectielijst: 8,
    name: text('Voorzieningen verstrekken (subsidie)', 'Providing facilities (subsidy)'),
    results: [
      {
        id: 'granted',
        name: text('Subsidie verstrekt', 'Subsidy granted'),
        selectielijst: '8.1.7',
        nomination: 'destroy',
        period: 'P7Y',
        from: 'entered',
        fromLabel: text('Einddatum van de subsidie', 'End of the subsidy'),
      },
      {
        id: 'refused',
        name: text('Geweigerd', 'Refused'),
        selectielijst: '8.2',
        nomination: 'destroy',
        period: 'P5Y',
        from: 'closed',
      },
      {
        id: 'withdrawn',
        name: text('Ingetrokken of afgebroken', 'Withdrawn or discontinued'),
        selectielijst: '8.4',
        nomination: 'destroy',
        period: 'P1Y',
        from: 'closed',
      },
    ],
  },
  adviseren: {
    selectielijst: 21,
    name: text('Adviseren', 'Advising'),
    results: [
      {
        id: 'given',
        name: text('Advies gegeven', 'Advice given'),
        selectielijst: '21.1',
        nomination: 'destroy',
        period: 'P5Y',
        from: 'closed',
      },
      {
        id: 'not-given',
        name: text('Geen advies gegeven', 'No advice given'),
        selectielijst: '21.2',
        nomination: 'destroy',
        period: 'P1Y',
        from: 'closed',
      },
      {
        id: 'withdrawn',
        name: text('Afgebroken', 'Discontinued'),
        selectielijst: '21.3',
        nomination: 'destroy',
        period: 'P1Y',
        from: 'closed',
      },
    ],
  },
};

/** The process type a request type is archived under when the config names none: handling requests (6). */
export const DEFAULT_PROCESS_TYPE = 'verzoeken';

/**
 * The municipality's retention: when the contact's personal data are removed from a closed case, and the
 * process types its request types are archived under (the Selectielijst 2020 ones unless it sets its own).
 */
export const retentionSchema = z.strictObject({
  /** How long after a case is closed its personal data are removed (AVG art. 5(1)(e)). */
  anonymiseAfter: periodSchema.default('P12M'),
  processTypes: z.record(id, processTypeSchema).default(SELECTIELIJST_2020),
});
export type Retention = z.infer<typeof retentionSchema>;
