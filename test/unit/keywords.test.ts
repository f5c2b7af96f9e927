import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { KeywordRule } from '../../config/schema.js';
import { tagDepartments } from '../../functions/domain/case.js';
import { matchKeywords, words } from '../../functions/domain/keywords.js';
import { sampleRequest } from '../support/cases.js';

const rule = (department: string, ...phrases: string[]): KeywordRule => ({ department, phrases });

/** The configured phrases found in a text, as `phrase <- matched words`. */
const found = (text: string, rules: readonly KeywordRule[] = municipality.keywords) =>
  matchKeywords(text, rules).map((m) => `${m.department}: ${m.keyword} <- ${m.matched}`);

describe('words', () => {
  it('lowercases, drops diacritics and splits on everything that is not a letter or digit', () => {
    const result = words('Hergébruik, JOB-coach! Coöperatie 2026');

    expect(result).toEqual(['hergebruik', 'job', 'coach', 'cooperatie', '2026']);
  });
});

describe('matchKeywords', () => {
  it('ignores case and diacritics: "Hergébruik" is the phrase "hergebruik"', () => {
    const matches = matchKeywords('HERGÉBRUIK van weesfietsen', municipality.keywords);

    expect(matches).toEqual([{ department: 'duurzaamheid', keyword: 'hergebruik', matched: 'hergebruik' }]);
  });

  it('ignores diacritics in the configured phrase too', () => {
    const matches = found('Wij zijn een cooperatie', [rule('economie', 'coöperatie')]);

    expect(matches).toEqual(['economie: coöperatie <- cooperatie']);
  });

  it.each([
    ['statushouders', 'statushouder'],
    ['woningen', 'woning'],
    ['refugees', 'refugee'],
    ['panden', 'pand'],
    ['woonruimtes', 'woonruimte'],
    ['internships', 'internship'],
  ])('matches "%s" in the description to the phrase "%s"', (inText, phrase) => {
    const matches = found(`Het gaat om ${inText} in de stad.`, [rule('wonen', phrase)]);

    expect(matches).toEqual([`wonen: ${phrase} <- ${inText}`]);
  });

  // The schema promises that common plural endings do not matter. The stem strips one ending only, so
  // a singular that itself ends in one of the endings ("-s", "-e") gets a stem its plural never has:
  // subsidie -> "subsidi" but subsidies -> "subsid"; werkervaringsplaats -> "werkervaringsplaat" but
  // werkervaringsplaatsen -> "werkervaringsplaats". Both phrases are in the example configuration.
  it.each([
    ['subsidies', 'subsidie', 'economie'],
    ['werkervaringsplaatsen', 'werkervaringsplaats', 'werk'],
  ])('matches the Dutch plural "%s" to the configured phrase "%s"', (inText, phrase, department) => {
    const matches = found(`Wij vragen ${inText} aan.`);

    expect(matches).toEqual([`${department}: ${phrase} <- ${inText}`]);
  });

  it('matches whole words only, never a phrase inside a longer word', () => {
    const rules = [rule('wijken', 'wijk')];

    const inside = found('De wijkagent van de stadswijk', rules);
    const whole = found('Een ontmoetingsplek in de wijk', rules);

    expect(inside).toEqual([]);
    expect(whole).toEqual(['wijken: wijk <- wijk']);
  });

  it('matches a phrase of several words as those words in sequence, whatever the spacing and case', () => {
    const matches = found('Wij leveren Social   Return en werken met een job-coach.');

    expect(matches).toEqual(['werk: job coach <- job coach', 'inkoop: social return <- social return']);
  });

  it('matches the words of a phrase inflected: "job coaches" is "job coach"', () => {
    const matches = found('Onze job coaches begeleiden de medewerkers.', [rule('werk', 'job coach')]);

    expect(matches).toEqual(['werk: job coach <- job coaches']);
  });

  it('does not match the words of a phrase apart or in another order', () => {
    const rules = [rule('inkoop', 'social return'), rule('werk', 'job coach')];

    const matches = found('Return is social; een coach voor elke job; social en return.', rules);

    expect(matches).toEqual([]);
  });

  it('reports a phrase once, at its first place, however often the description uses it', () => {
    const matches = matchKeywords('Een woning, twee woningen en nog een woning.', [rule('wonen', 'woning')]);

    expect(matches).toEqual([{ department: 'wonen', keyword: 'woning', matched: 'woning' }]);
  });

  it('reports a phrase for each department whose rule has it', () => {
    const matches = found('Wij begeleiden statushouders.');

    expect(matches).toEqual(['wonen: statushouder <- statushouders', 'werk: statushouder <- statushouders']);
  });

  it('finds nothing in a description without any configured phrase', () => {
    const matches = found('Wij repareren fietsen met mensen die lang thuis zaten.');

    expect(matches).toEqual([]);
  });
});

describe('tagDepartments with keyword rules', () => {
  it('gives each department a keyword reason for "statushouders", next to the reasons of the goals', () => {
    const request = sampleRequest({
      goals: ['work', 'environment'],
      requestType: 'question',
      description: 'Wij willen statushouders opleiden tot fietsenmaker.',
    });

    const tags = tagDepartments(request, municipality);

    const statushouder = { kind: 'keyword', keyword: 'statushouder', matched: 'statushouders' } as const;
    expect(tags).toEqual([
      { department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }, statushouder] },
      { department: 'duurzaamheid', lead: false, reasons: [{ kind: 'goal', goal: 'environment' }] },
      { department: 'wonen', lead: false, reasons: [statushouder] },
    ]);
  });

  it('never lets a department found by a keyword lead: the first goal does', () => {
    const request = sampleRequest({
      goals: ['care'],
      requestType: 'question',
      description: 'Social return in onze aanbesteding voor dagbesteding.',
    });

    const tags = tagDepartments(request, municipality);

    expect(tags.filter((t) => t.lead).map((t) => t.department)).toEqual(['zorg']);
    expect(tags.map((t) => t.department)).toEqual(['zorg', 'inkoop']);
  });
});
