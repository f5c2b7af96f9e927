import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import example from '../../config/municipalities/example.json' with { type: 'json' };
import { retentionSchema, SELECTIELIJST_2020 } from '../../config/retention.js';
import { parseMunicipality } from '../../config/schema.js';
import { addPeriod, archiveFor, resolutionFor } from '../../functions/domain/archive.js';
import type { Case } from '../../functions/domain/case.js';
import {
  anonymise,
  anonymisedCaseSchema,
  deletionRecordOf,
  destructionCsv,
  isDue,
  nextRetention,
} from '../../functions/domain/retention.js';
import { submittedCase } from '../support/cases.js';

const retention = retentionSchema.parse({});
const CLOSED = new Date('2025-03-04T09:00:00Z');

describe('periods (addPeriod)', () => {
  it('adds years, months and days as the calendar counts them, the 31st becoming the last day of a short month', () => {
    expect(addPeriod('2025-03-04', 'P5Y')).toBe('2030-03-04');
    expect(addPeriod('2025-03-04', 'P12M')).toBe('2026-03-04');
    expect(addPeriod('2024-02-29', 'P1Y')).toBe('2025-02-28');
    expect(addPeriod('2025-01-31', 'P1M')).toBe('2025-02-28');
    expect(addPeriod('2025-12-15', 'P1M')).toBe('2026-01-15');
    expect(addPeriod('2025-03-04', 'P42D')).toBe('2025-04-15');
    expect(addPeriod('2025-01-31', 'P1Y1M1D')).toBe('2026-03-01');
  });

  it('refuses what is no period in the config', () => {
    for (const period of ['5Y', 'P', 'P1W', 'P1.5Y', 'PT1H'])
      expect(retentionSchema.safeParse({ anonymiseAfter: period }).success, period).toBe(false);
    expect(retentionSchema.parse({}).anonymiseAfter).toBe('P12M');
  });
});

describe('archive consequences of a result (Selectielijst 2020)', () => {
  it('destroys a granted request five years after closing, a rejected or withdrawn one after one', () => {
    const of = (result: string) => archiveFor(retention, 'verzoeken', result, CLOSED);
    expect(of('granted')).toEqual({
      ok: true,
      archive: {
        processType: 'verzoeken',
        processTypeNumber: 6,
        result: 'granted',
        selectielijst: '6.1',
        nomination: 'destroy',
        from: '2025-03-04',
        period: 'P5Y',
        actionDate: '2030-03-04',
      },
    });
    expect(of('granted-financial')).toMatchObject({ ok: true, archive: { actionDate: '2032-03-04' } });
    expect(of('rejected')).toMatchObject({
      ok: true,
      archive: { selectielijst: '6.2', actionDate: '2026-03-04' },
    });
    expect(of('withdrawn')).toMatchObject({
      ok: true,
      archive: { selectielijst: '6.3', actionDate: '2026-03-04' },
    });
    expect(of('refused')).toEqual({ ok: false, problem: 'unknownResult' });
  });

  it('counts a granted subsidy from the end of the subsidy, which must be given and not lie before closing', () => {
    const of = (entered?: string) => archiveFor(retention, 'subsidie', 'granted', CLOSED, entered);
    expect(of('2027-12-31')).toMatchObject({
      ok: true,
      archive: { selectielijst: '8.1.7', from: '2027-12-31', period: 'P7Y', actionDate: '2034-12-31' },
    });
    expect(of()).toEqual({ ok: false, problem: 'fromMissing' });
    expect(of('2025-03-03')).toEqual({ ok: false, problem: 'fromBeforeClosing' });
    expect(of('2056-01-01')).toEqual({ ok: false, problem: 'fromTooLate' });
    expect(archiveFor(retention, 'subsidie', 'refused', CLOSED)).toMatchObject({
      ok: true,
      archive: { selectielijst: '8.2', actionDate: '2030-03-04' },
    });
  });

  it('keeps a result nominated for keeping for good, without an archive action date', () => {
    const own = retentionSchema.parse({
      processTypes: {
        initiatief: {
          selectielijst: 6,
          name: { nl: 'Verzoeken behandelen', en: 'Handling requests' },
          results: [
            {
              id: 'granted',
              name: { nl: 'Initiatief', en: 'Initiative' },
              selectielijst: '6.1.9',
              nomination: 'keep',
            },
          ],
        },
      },
    });
    const kept = archiveFor(own, 'initiatief', 'granted', CLOSED);
    expect(kept).toEqual({
      ok: true,
      archive: {
        processType: 'initiatief',
        processTypeNumber: 6,
        result: 'granted',
        selectielijst: '6.1.9',
        nomination: 'keep',
        from: '2025-03-04',
      },
    });
  });

  it("takes the request type's process type from the config; a financing request is a subsidy", () => {
    expect(resolutionFor(municipality, 'financing', 'refused', CLOSED)).toMatchObject({
      ok: true,
      resolution: { archive: { processType: 'subsidie' }, anonymiseOn: '2026-03-04' },
    });
    expect(resolutionFor(municipality, 'partnership', 'granted', CLOSED)).toMatchObject({
      ok: true,
      resolution: { archive: { processType: 'verzoeken' } },
    });
  });

  it('refuses a config whose request type names no process type, or whose result misses what it needs', () => {
    const broken = structuredClone(example) as Record<string, unknown> & {
      requestTypes: Record<string, unknown>[];
    };
    const first = broken.requestTypes[0];
    if (first !== undefined) first.processType = 'onbekend';
    broken.retention = {
      processTypes: {
        ...SELECTIELIJST_2020,
        eigen: {
          selectielijst: 8,
          name: { nl: 'Eigen', en: 'Own' },
          results: [
            {
              id: 'a',
              name: { nl: 'A', en: 'A' },
              selectielijst: '6.1',
              nomination: 'destroy',
              period: 'P1Y',
              from: 'entered',
            },
          ],
        },
      },
    };
    const message = (() => {
      try {
        parseMunicipality(broken);
        return '';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    })();
    expect(message).toContain('requestTypes.0.processType: unknown process type "onbekend"');
    expect(message).toContain(
      'retention.processTypes.eigen.results.0.fromLabel: a result counted from an entered date',
    );
    expect(message).toContain(
      'retention.processTypes.eigen.results.0.selectielijst: a result of process type 8 is numbered 8.x',
    );
  });
});

describe('retention steps of a closed case', () => {
  const resolved = (result: string): Case => {
    const c = submittedCase();
    const r = resolutionFor(municipality, c.request.requestType, result, CLOSED);
    if (!r.ok) throw new Error(r.problem);
    return {
      ...c,
      status: 'resolved',
      archive: r.resolution.archive,
      anonymiseOn: r.resolution.anonymiseOn,
      history: [
        ...c.history,
        {
          type: 'paused',
          version: 1,
          at: '2025-03-03T10:00:00.000Z',
          by: 'a-jansen',
          reason: 'Wacht op Jan.',
        },
        {
          type: 'resolved',
          version: 1,
          at: CLOSED.toISOString(),
          by: 'a-jansen',
          outcome: 'Jan belt.',
          result,
        },
      ],
    };
  };

  it('anonymises first, then destroys on the archive action date; a one-year result is destroyed at once', () => {
    const granted = resolved('granted');
    expect(nextRetention(granted)).toEqual({ on: '2026-03-04', step: 'anonymise' });
    expect(nextRetention({ ...anonymise(granted, new Date('2026-03-04T01:00:00Z')) })).toEqual({
      on: '2030-03-04',
      step: 'destroy',
    });
    expect(nextRetention(resolved('rejected'))).toEqual({ on: '2026-03-04', step: 'destroy' });
    expect(nextRetention({ ...granted, status: 'assigned' })).toBeUndefined();
    expect(nextRetention({ ...granted, archive: undefined })).toBeUndefined();
  });

  it('is due from the start of its day in Amsterdam', () => {
    expect(isDue('2026-03-04', new Date('2026-03-03T22:59:59Z'))).toBe(false);
    expect(isDue('2026-03-04', new Date('2026-03-03T23:00:00Z'))).toBe(true);
  });

  it('removes the contact, the description and the free texts, keeping what reports need', () => {
    const c = resolved('granted');
    const at = new Date('2026-03-04T01:00:00Z');

    const a = anonymise(c, at);

    expect(anonymisedCaseSchema.parse(a)).toEqual(a);
    const text = JSON.stringify(a);
    for (const personal of [c.request.contact.name, c.request.contact.email, c.request.description, 'Jan'])
      expect(text).not.toContain(personal);
    expect(text).not.toContain(c.fingerprint);
    expect(a.request).toEqual({
      organisation: c.request.organisation,
      language: c.request.language,
      goals: c.request.goals,
      requestType: c.request.requestType,
    });
    expect(a.history.at(-1)).toEqual({ type: 'anonymised', version: 1, at: at.toISOString() });
    expect(a.history.find((h) => h.type === 'resolved')).toMatchObject({ result: 'granted', outcome: '' });
    expect(a.archive).toEqual(c.archive);
    expect(a.tokenHashes).toEqual(c.tokenHashes);
  });

  it('lists the destroyed cases as CSV, with nothing personal in it', () => {
    const c = resolved('rejected');
    const record = deletionRecordOf(c, new Date('2026-03-04T01:00:00Z'));

    const csv = destructionCsv([record]);

    expect(csv).toBe(
      'reference,processType,selectielijst,result,requestType,submittedAt,resolvedAt,actionDate,destroyedAt\n' +
        `${c.reference},6,6.2,rejected,${c.request.requestType},${c.submittedAt},2025-03-04T09:00:00.000Z,2026-03-04,2026-03-04T01:00:00.000Z\n`,
    );
  });
});
