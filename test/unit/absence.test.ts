import { describe, expect, it } from 'vitest';
import {
  absenceRefusal,
  addDays,
  currentAbsences,
  deputyAwayDuring,
  isPast,
  periodProblem,
  presenceOf,
  presentFrom,
  withAbsence,
} from '../../functions/domain/absence.js';
import type { Candidate } from '../../functions/domain/case.js';

const official = (id: string, changes: Partial<Candidate> = {}): Candidate => ({
  id,
  name: id,
  email: `${id}@voorbeeld.example`,
  language: 'nl',
  departments: ['werk'],
  capacity: 10,
  absences: [],
  ...changes,
});
/** Noon in Amsterdam on 2027-03-10 (CET). */
const MARCH_10 = new Date('2027-03-10T11:00:00Z');

describe('absences: recording one', () => {
  it('joins overlapping and adjoining periods and keeps them sorted', () => {
    // Prepare
    const absences = [
      { from: '2027-03-20', to: '2027-03-22' },
      { from: '2027-03-01', to: '2027-03-05' },
    ];
    // Act
    const joined = withAbsence(absences, { from: '2027-03-06', to: '2027-03-08' });
    const bridged = withAbsence(absences, { from: '2027-03-04', to: '2027-03-21' });
    // Assess
    expect(joined).toEqual([
      { from: '2027-03-01', to: '2027-03-08' },
      { from: '2027-03-20', to: '2027-03-22' },
    ]);
    expect(bridged).toEqual([{ from: '2027-03-01', to: '2027-03-22' }]);
  });

  it('changes nothing when an absence covers the period already', () => {
    // Act
    const result = withAbsence([{ from: '2027-03-01', to: '2027-03-05' }], {
      from: '2027-03-02',
      to: '2027-03-05',
    });
    // Assess
    expect(result).toBeUndefined();
  });

  it('refuses a period that ends before it starts, and accepts a single day', () => {
    // Act / Assess
    expect(periodProblem('2027-03-05', '2027-03-04')).toBe('endsBeforeStart');
    expect(periodProblem('2027-03-05', '2027-03-05')).toBeUndefined();
    expect(periodProblem('2027-03-05', undefined)).toBeUndefined();
  });

  it('refuses an absence when the deputy is no official: nobody would stand in', () => {
    // Prepare
    const withDeputy = official('a', { deputy: 'b' });
    // Act / Assess
    expect(absenceRefusal(withDeputy, undefined)).toBe('unknownDeputy');
    expect(absenceRefusal(withDeputy, official('b'))).toBeUndefined();
    expect(absenceRefusal(official('a'), undefined)).toBeUndefined();
  });

  it('names the days on which the deputy is away too', () => {
    // Prepare
    const deputy = official('b', {
      absences: [
        { from: '2027-03-01', to: '2027-03-11' },
        { from: '2027-03-14', to: '2027-03-14' },
        { from: '2027-04-01', to: '2027-04-02' },
      ],
    });
    // Act
    const clashes = deputyAwayDuring(deputy, { from: '2027-03-10', to: '2027-03-15' });
    // Assess
    expect(clashes).toEqual([
      { from: '2027-03-10', to: '2027-03-11' },
      { from: '2027-03-14', to: '2027-03-14' },
    ]);
  });
});

describe('absences: coming back', () => {
  const absences = [
    { from: '2027-03-01', to: '2027-03-03' },
    { from: '2027-03-08', to: '2027-03-12' },
    { from: '2027-03-20', to: '2027-03-21' },
  ];

  it('ends the absence covering today yesterday, keeping the past and later absences', () => {
    // Act
    const result = presentFrom(absences, '2027-03-10', false);
    // Assess
    expect(result).toEqual([
      { from: '2027-03-01', to: '2027-03-03' },
      { from: '2027-03-08', to: '2027-03-09' },
      { from: '2027-03-20', to: '2027-03-21' },
    ]);
  });

  it('drops an absence that began today, and with all every later one too', () => {
    // Act
    const result = presentFrom(absences, '2027-03-08', true);
    // Assess
    expect(result).toEqual([{ from: '2027-03-01', to: '2027-03-03' }]);
  });

  it('changes nothing when no absence covers today (or, with all, lies ahead)', () => {
    // Act / Assess
    expect(presentFrom(absences, '2027-03-15', false)).toBeUndefined();
    expect(presentFrom(absences, '2027-03-25', true)).toBeUndefined();
  });
});

describe('absences: who is there today (Europe/Amsterdam)', () => {
  const away = { absences: [{ from: '2027-03-10', to: '2027-03-10' }] };

  it('tells present, absent with the deputy standing in, absent with the deputy away too, or no deputy', () => {
    // Prepare
    const present = official('p');
    const deputy = official('d');
    const absentDeputy = official('x', away);
    const lookup = (id: string) => [deputy, absentDeputy].find((o) => o.id === id);
    // Act
    const presences = [
      presenceOf(present, lookup, MARCH_10),
      presenceOf(official('a', { ...away, deputy: 'd' }), lookup, MARCH_10),
      presenceOf(official('a', { ...away, deputy: 'x' }), lookup, MARCH_10),
      presenceOf(official('a', { ...away, deputy: 'gone' }), lookup, MARCH_10),
      presenceOf(official('a', away), lookup, MARCH_10),
    ];
    // Assess
    expect(presences).toEqual([
      { kind: 'present' },
      { kind: 'deputyStandsIn', deputy: 'd' },
      { kind: 'deputyAbsentToo', deputy: 'x' },
      { kind: 'noDeputy' },
      { kind: 'noDeputy' },
    ]);
  });

  it('takes the day in Amsterdam: 23:30 UTC on the 9th is already the 10th there', () => {
    // Act / Assess
    expect(presenceOf(official('a', away), () => undefined, new Date('2027-03-09T23:30:00Z'))).toEqual({
      kind: 'noDeputy',
    });
    expect(presenceOf(official('a', away), () => undefined, new Date('2027-03-09T22:30:00Z'))).toEqual({
      kind: 'present',
    });
  });

  it('splits absences into current ones (ending today or later) and a count of past ones', () => {
    // Act
    const split = currentAbsences(
      [
        { from: '2027-03-01', to: '2027-03-09' },
        { from: '2027-03-10', to: '2027-03-10' },
        { from: '2027-04-01', to: '2027-04-02' },
      ],
      MARCH_10,
    );
    // Assess
    expect(split).toEqual({
      current: [
        { from: '2027-03-10', to: '2027-03-10' },
        { from: '2027-04-01', to: '2027-04-02' },
      ],
      past: 1,
    });
    expect(isPast({ from: '2027-03-01', to: '2027-03-09' }, MARCH_10)).toBe(true);
    expect(isPast({ from: '2027-03-01', to: '2027-03-10' }, MARCH_10)).toBe(false);
  });

  it('counts days across month ends and the change to summer time', () => {
    // Act / Assess
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-03-28', 1)).toBe('2027-03-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});
