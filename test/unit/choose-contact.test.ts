import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { Official } from '../../config/schema.js';
import {
  amsterdamDay,
  chooseByLoad,
  chooseContact,
  isAvailable,
  OVERFLOW_COUNT_FACTOR,
  rankContacts,
  type Tag,
} from '../../functions/domain/case.js';
import { anOfficial, aTag, required } from '../support/cases.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
/** Away on the day of NOW. */
const AWAY = [{ from: '2026-02-23', to: '2026-03-06' }];

function choose(
  tags: readonly Tag[],
  officials: readonly Official[],
  options: { openCases?: Record<string, number>; previousContact?: string; now?: Date } = {},
) {
  return chooseContact({
    tags,
    officials,
    openCases: new Map(Object.entries(options.openCases ?? {})),
    previousContact: options.previousContact,
    now: options.now ?? NOW,
    municipality,
  });
}

const coordinator = {
  contact: { kind: 'coordinator', id: 'coordinator', ...municipality.coordinator },
  choice: 'coordinator',
};

describe('chooseContact: the official who covers the case best', () => {
  it('prefers the official of the lead department over one covering more departments', () => {
    const tags = [aTag('werk', true), aTag('economie'), aTag('inkoop')];
    const officials = [anOfficial('a-broad', ['economie', 'inkoop']), anOfficial('z-lead', ['werk'])];

    const chosen = choose(tags, officials);

    expect(chosen.contact.id).toBe('z-lead');
    expect(chosen.choice).toBe('coverage');
  });

  it('among lead officials prefers the one covering most tagged departments', () => {
    const tags = [aTag('werk', true), aTag('economie')];
    const officials = [anOfficial('a-narrow', ['werk']), anOfficial('b-broad', ['werk', 'economie'])];

    const chosen = choose(tags, officials);

    expect(chosen.contact.id).toBe('b-broad');
  });

  it('prefers covering more departments over having fewer open cases', () => {
    const tags = [aTag('werk', true), aTag('economie')];
    const officials = [anOfficial('a-idle', ['werk']), anOfficial('b-busy', ['werk', 'economie'])];

    const chosen = choose(tags, officials, { openCases: { 'a-idle': 0, 'b-busy': 15 } });

    expect(chosen.contact.id).toBe('b-busy');
  });

  it('among equally placed officials prefers the fewest open cases relative to capacity: 5 of 25 before 5 of 20', () => {
    const tags = [aTag('zorg', true)];
    const officials = [
      anOfficial('a-small', ['zorg'], { capacity: 20 }),
      anOfficial('b-large', ['zorg'], { capacity: 25 }),
    ];

    const chosen = choose(tags, officials, { openCases: { 'a-small': 5, 'b-large': 5 } });

    expect(chosen.contact.id).toBe('b-large');
  });

  it('counts an official missing from the open-case counts as having none', () => {
    const tags = [aTag('zorg', true)];
    const officials = [anOfficial('a-busy', ['zorg']), anOfficial('b-new', ['zorg'])];

    const chosen = choose(tags, officials, { openCases: { 'a-busy': 1 } });

    expect(chosen.contact.id).toBe('b-new');
  });

  it('breaks a tie on the lowest id, whatever the order of the directory', () => {
    const tags = [aTag('zorg', true)];
    const officials = [
      anOfficial('s-devries', ['zorg', 'jeugd']),
      anOfficial('l-visser', ['zorg'], { language: 'en' }),
    ];

    const chosen = choose(tags, officials, { openCases: { 's-devries': 2, 'l-visser': 2 } });

    expect(chosen).toEqual({
      contact: {
        kind: 'official',
        id: 'l-visser',
        name: 'l-visser',
        email: 'l-visser@voorbeeld.example',
        language: 'en',
        departments: ['zorg'],
      },
      choice: 'coverage',
    });
  });

  it('falls back to the coordinator when nobody covers a tagged department', () => {
    const tags = [aTag('zorg', true)];

    const chosen = choose(tags, [anOfficial('r-bos', ['wonen'])]);

    expect(chosen).toEqual(coordinator);
  });
});

describe('chooseContact: continuity', () => {
  const tags = [aTag('werk', true), aTag('economie')];
  const officials = [
    anOfficial('a-best', ['werk', 'economie']),
    anOfficial('m-earlier', ['werk'], { deputy: 'z-deputy' }),
    anOfficial('z-deputy', ['zorg']),
  ];

  it("keeps the enterprise's previous contact even when another official covers the case better", () => {
    const chosen = choose(tags, officials, { previousContact: 'm-earlier', openCases: { 'm-earlier': 19 } });

    expect(chosen.contact.id).toBe('m-earlier');
    expect(chosen.choice).toBe('continuity');
    expect(chosen.standsInFor).toBeUndefined();
  });

  it("hands the case to the deputy of the enterprise's previous contact while that contact is away", () => {
    const away = officials.map((o) => (o.id === 'm-earlier' ? { ...o, absences: AWAY } : o));

    const chosen = choose(tags, away, { previousContact: 'm-earlier' });

    expect(chosen.contact.id).toBe('z-deputy');
    expect(chosen.choice).toBe('deputy');
    expect(chosen.standsInFor).toBe('m-earlier');
  });

  it('chooses by coverage when the previous contact and their deputy are both away', () => {
    const away = officials.map((o) => (o.id === 'a-best' ? o : { ...o, absences: AWAY }));

    const chosen = choose(tags, away, { previousContact: 'm-earlier' });

    expect(chosen.contact.id).toBe('a-best');
    expect(chosen.choice).toBe('coverage');
  });

  it('chooses by coverage when the previous contact is no longer in the directory', () => {
    const chosen = choose(tags, officials, { previousContact: 'x-left' });

    expect(chosen.contact.id).toBe('a-best');
    expect(chosen.choice).toBe('coverage');
  });
});

describe('chooseContact: absences', () => {
  const tags = [aTag('werk', true), aTag('economie')];

  it('gives the case of an absent best candidate to their deputy, who stands in for them', () => {
    const officials = [
      anOfficial('a-best', ['werk', 'economie'], { deputy: 'z-deputy', absences: AWAY }),
      anOfficial('b-next', ['werk']),
      anOfficial('z-deputy', ['zorg']),
    ];

    const chosen = choose(tags, officials);

    expect(chosen).toEqual({
      contact: {
        kind: 'official',
        id: 'z-deputy',
        name: 'z-deputy',
        email: 'z-deputy@voorbeeld.example',
        language: 'nl',
        departments: ['zorg'],
      },
      choice: 'deputy',
      standsInFor: 'a-best',
    });
  });

  it('passes over an absent best candidate whose deputy is also away, to the next candidate', () => {
    const officials = [
      anOfficial('a-best', ['werk', 'economie'], { deputy: 'z-deputy', absences: AWAY }),
      anOfficial('b-next', ['werk']),
      anOfficial('z-deputy', ['zorg'], { absences: AWAY }),
    ];

    const chosen = choose(tags, officials);

    expect(chosen.contact.id).toBe('b-next');
    expect(chosen.choice).toBe('coverage');
    expect(chosen.standsInFor).toBeUndefined();
  });

  it('passes over an absent best candidate without a deputy, to the next candidate', () => {
    const officials = [
      anOfficial('a-best', ['werk', 'economie'], { absences: AWAY }),
      anOfficial('b-next', ['werk']),
    ];

    const chosen = choose(tags, officials);

    expect(chosen.contact.id).toBe('b-next');
  });

  it('makes the coordinator the contact when everyone covering the case is away, deputies too', () => {
    const officials = [
      anOfficial('a-best', ['werk', 'economie'], { deputy: 'b-next', absences: AWAY }),
      anOfficial('b-next', ['werk'], { deputy: 'a-best', absences: AWAY }),
      anOfficial('z-elsewhere', ['zorg']),
    ];

    const chosen = choose(tags, officials);

    expect(chosen).toEqual(coordinator);
  });

  // r-bos (Ruben Bos) is away from 2026-11-23 to 2027-01-08 in the example; f-yilmaz is his deputy.
  // A winter day in Amsterdam is UTC+1: 2026-11-23 runs from 2026-11-22T23:00Z to 2026-11-23T23:00Z.
  it.each([
    ['2026-11-22T22:59:59.000Z', 'r-bos', 'continuity'],
    ['2026-11-22T23:00:00.000Z', 'f-yilmaz', 'deputy'],
    ['2026-11-22T23:30:00.000Z', 'f-yilmaz', 'deputy'],
    ['2027-01-08T22:59:59.000Z', 'f-yilmaz', 'deputy'],
    ['2027-01-08T23:00:00.000Z', 'r-bos', 'continuity'],
  ])('counts whole Amsterdam days, both ends included: at %s the contact is %s', (at, id, choice) => {
    const bos = required(
      municipality.officials.find((o) => o.id === 'r-bos'),
      'r-bos in the example',
    );
    const chosen = choose([aTag('werk', true), aTag('wonen')], municipality.officials, {
      previousContact: bos.id,
      now: new Date(at),
    });

    expect(chosen.contact.id).toBe(id);
    expect(chosen.choice).toBe(choice);
  });
});

describe('isAvailable and amsterdamDay', () => {
  it.each([
    ['2026-11-22T23:30:00.000Z', '2026-11-23'],
    ['2026-06-30T22:30:00.000Z', '2026-07-01'],
    ['2026-06-30T21:59:59.000Z', '2026-06-30'],
  ])('takes %s as the Amsterdam day %s, in winter and summer time', (at, day) => {
    expect(amsterdamDay(new Date(at))).toBe(day);
  });

  it('treats an official away on a single summer day as away from that midnight in Amsterdam', () => {
    const official = anOfficial('a-away', ['werk'], { absences: [{ from: '2026-07-01', to: '2026-07-01' }] });

    const before = isAvailable(official, new Date('2026-06-30T21:59:59.000Z'));
    const during = isAvailable(official, new Date('2026-06-30T22:00:00.000Z'));
    const after = isAvailable(official, new Date('2026-07-01T22:00:00.000Z'));

    expect([before, during, after]).toEqual([true, false, true]);
  });
});

describe('rankContacts and chooseByLoad: capacity', () => {
  const reference = 'AP-2345-6789';
  const rank = (tags: readonly Tag[], officials: readonly Official[], previousContact?: string) =>
    rankContacts({ tags, officials, previousContact, now: NOW, municipality });
  const tiersOf = (ranking: ReturnType<typeof rankContacts>) => {
    if ('decided' in ranking) throw new Error('decided without workload');
    return ranking.tiers;
  };
  const counted = (counts: Record<string, number>, atMost = 1_000) =>
    new Map(Object.entries(counts).map(([id, count]) => [id, { count, atMost }]));

  it('asks for the counts of the best tier first, each no further than capacity', () => {
    const tags = [aTag('werk', true), aTag('economie')];
    const officials = [
      anOfficial('a-broad', ['werk', 'economie'], { capacity: 25 }),
      anOfficial('b-broad', ['werk', 'economie'], { capacity: 10 }),
      anOfficial('c-narrow', ['werk']),
    ];

    const result = chooseByLoad(tiersOf(rank(tags, officials)), new Map(), reference);

    expect(result).toEqual({
      need: [
        { id: 'a-broad', atMost: 25 },
        { id: 'b-broad', atMost: 10 },
      ],
    });
  });

  it('passes over officials at capacity for the next-best official with room', () => {
    const tags = [aTag('werk', true), aTag('economie')];
    const officials = [anOfficial('a-broad', ['werk', 'economie']), anOfficial('c-narrow', ['werk'])];
    const tiers = tiersOf(rank(tags, officials));

    const asked = chooseByLoad(tiers, counted({ 'a-broad': 20 }, 20), reference);
    const chosen = chooseByLoad(tiers, counted({ 'a-broad': 20, 'c-narrow': 19 }, 20), reference);

    expect(asked).toEqual({ need: [{ id: 'c-narrow', atMost: 20 }] });
    expect('chosen' in chosen && chosen.chosen.contact.id).toBe('c-narrow');
    expect('chosen' in chosen && chosen.overCapacity).toBe(false);
  });

  it('keeps a case with the lead department when its officials are full, though another department has room', () => {
    const tags = [aTag('werk', true), aTag('zorg')];
    const officials = [anOfficial('a-werk', ['werk'], { capacity: 2 }), anOfficial('z-zorg', ['zorg'])];

    const tiers = tiersOf(rank(tags, officials));
    const asked = chooseByLoad(tiers, counted({ 'a-werk': 2 }, 2), reference);
    const chosen = chooseByLoad(tiers, counted({ 'a-werk': 4 }, 6), reference);

    expect(tiers.flat().map((r) => r.official.id)).toEqual(['a-werk']);
    expect(asked).toEqual({ need: [{ id: 'a-werk', atMost: 2 * OVERFLOW_COUNT_FACTOR }] });
    expect(chosen).toMatchObject({ chosen: { contact: { id: 'a-werk' } }, overCapacity: true });
  });

  it('gives the case to the least loaded when everyone is full, counted up to a bound', () => {
    const tags = [aTag('werk', true)];
    const officials = [anOfficial('a-big', ['werk'], { capacity: 25 }), anOfficial('m-small', ['werk'])];
    const tiers = tiersOf(rank(tags, officials));

    const asked = chooseByLoad(tiers, counted({ 'a-big': 25, 'm-small': 20 }, 20), reference);
    const chosen = chooseByLoad(
      tiers,
      new Map([
        ['a-big', { count: 40, atMost: 75 }],
        ['m-small', { count: 30, atMost: 60 }],
      ]),
      reference,
    );

    expect(asked).toEqual({
      need: [
        { id: 'a-big', atMost: 75 },
        { id: 'm-small', atMost: 60 },
      ],
    });
    // 40 of 25 is 1.6, 30 of 20 is 1.5
    expect(chosen).toMatchObject({ chosen: { contact: { id: 'm-small' } }, overCapacity: true });
  });

  it('spreads cases beyond the bound in proportion to capacity, the same case always to the same official', () => {
    const tags = [aTag('werk', true)];
    const officials = [
      anOfficial('a-big', ['werk'], { capacity: 30 }),
      anOfficial('m-small', ['werk'], { capacity: 10 }),
    ];
    const tiers = tiersOf(rank(tags, officials));
    const saturated = new Map([
      ['a-big', { count: 90, atMost: 90 }],
      ['m-small', { count: 30, atMost: 30 }],
    ]);
    const pick = (ref: string) => {
      const result = chooseByLoad(tiers, saturated, ref);
      if (!('chosen' in result)) throw new Error('counts were all known');
      return result.chosen.official.id;
    };

    const picks = Array.from({ length: 4_000 }, (_, i) => pick(`AP-0000-${String(i).padStart(4, '0')}`));

    const big = picks.filter((id) => id === 'a-big').length;
    expect(big / picks.length).toBeGreaterThan(0.7);
    expect(big / picks.length).toBeLessThan(0.8);
    expect(pick('AP-0000-0001')).toBe(picks[1]);
  });

  it("lets continuity override capacity: the enterprise's earlier contact keeps it, however full", () => {
    const tags = [aTag('werk', true)];
    const officials = [anOfficial('a-idle', ['werk']), anOfficial('m-earlier', ['werk'], { capacity: 1 })];

    const ranking = rank(tags, officials, 'm-earlier');

    expect(ranking).toMatchObject({ decided: { contact: { id: 'm-earlier' }, choice: 'continuity' } });
  });

  it('ranks a deputy once, in the place of the absent official they stand in for, with their own capacity', () => {
    const tags = [aTag('werk', true), aTag('economie')];
    const officials = [
      anOfficial('a-away', ['werk', 'economie'], { deputy: 'z-deputy', absences: AWAY }),
      anOfficial('b-narrow', ['werk']),
      anOfficial('z-deputy', ['werk'], { capacity: 5 }),
    ];

    const tiers = tiersOf(rank(tags, officials));

    expect(tiers.map((tier) => tier.map((r) => [r.official.id, r.choice, r.official.capacity]))).toEqual([
      [['z-deputy', 'deputy', 5]],
      [['b-narrow', 'coverage', 20]],
    ]);
  });
});
