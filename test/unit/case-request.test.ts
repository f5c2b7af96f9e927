import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { caseRequestSchema } from '../../events/case-request.js';
import { catalogOf, sampleBody } from '../support/cases.js';

const schema = caseRequestSchema(catalogOf(municipality));

/** The failed checks of a body as `path -> message key`, unknown fields as `path.key -> unknownField`. */
function errorsOf(body: unknown): Record<string, string> {
  const result = schema.safeParse(body);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) errors[[...path, key].join('.')] = 'unknownField';
    else errors[path.join('.') || '(body)'] = issue.message;
  }
  return errors;
}

describe('case request schema', () => {
  it('accepts the sample request', () => {
    // Prepare
    const body = sampleBody();

    // Act
    const result = schema.safeParse(body);

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects an unknown top-level field and names it', () => {
    const body = { ...sampleBody(), isAdmin: true };

    const errors = errorsOf(body);

    expect(errors).toEqual({ isAdmin: 'unknownField' });
  });

  it('rejects an unknown nested field and names it with its path', () => {
    const sample = sampleBody();
    const body = { ...sample, organisation: { ...sample.organisation, extra: 'x' } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.extra': 'unknownField' });
  });

  it.each([
    ['7 digits', '1234567'],
    ['9 digits', '123456789'],
    ['letters', '1234567A'],
  ])('rejects a KvK number of %s with key kvkNumber', (_, kvkNumber) => {
    const sample = sampleBody();
    const body = { ...sample, organisation: { ...sample.organisation, kvkNumber } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.kvkNumber': 'kvkNumber' });
  });

  it('reports a missing consent as required', () => {
    const { consent: _consent, ...body } = sampleBody();

    const errors = errorsOf(body);

    expect(errors).toEqual({ consent: 'required' });
  });

  it('reports consent false with key consent', () => {
    const body = { ...sampleBody(), consent: false };

    const errors = errorsOf(body);

    expect(errors).toEqual({ consent: 'consent' });
  });

  it('rejects a goal the municipality does not know with key goal', () => {
    const body = { ...sampleBody(), goals: ['work', 'space-travel'] };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'goals.1': 'goal' });
  });

  it('rejects an empty goal list with key goalsMin', () => {
    const body = { ...sampleBody(), goals: [] };

    const errors = errorsOf(body);

    expect(errors).toEqual({ goals: 'goalsMin' });
  });

  it('rejects the same goal twice with key goalsDuplicate', () => {
    const body = { ...sampleBody(), goals: ['work', 'care', 'work'] };

    const errors = errorsOf(body);

    expect(errors).toEqual({ goals: 'goalsDuplicate' });
  });

  it('rejects an unknown request type with key requestType', () => {
    const body = { ...sampleBody(), requestType: 'bribe' };

    const errors = errorsOf(body);

    expect(errors).toEqual({ requestType: 'requestType' });
  });

  it('rejects a NUL character in the organisation name', () => {
    const sample = sampleBody();
    const body = { ...sample, organisation: { ...sample.organisation, name: 'De Groene\u0000Fietsfabriek' } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.name': 'controlCharacters' });
  });

  it('rejects a line break inside the organisation name', () => {
    const sample = sampleBody();
    const body = { ...sample, organisation: { ...sample.organisation, name: 'De Groene\nFietsfabriek' } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.name': 'controlCharacters' });
  });

  it('rejects a control character in the description', () => {
    const body = { ...sampleBody(), description: 'Wij repareren fietsen\u0007 met mensen.' };

    const errors = errorsOf(body);

    expect(errors).toEqual({ description: 'controlCharacters' });
  });

  it('keeps line breaks in the description', () => {
    const description = 'Wij repareren fietsen.\r\nEn wij leiden mensen op.\n\nGroet.';
    const body = { ...sampleBody(), description };

    const result = schema.safeParse(body);

    expect(result.data?.description).toBe(description);
  });

  it('trims the text fields', () => {
    const sample = sampleBody();
    const body = {
      ...sample,
      organisation: { ...sample.organisation, name: '  De Groene Fietsfabriek \t' },
      contact: {
        ...sample.contact,
        name: ' Marieke van Dijk ',
        email: ' marieke@groenefietsfabriek.example ',
      },
      description: '\n  Wij repareren fietsen met mensen.  \n',
    };

    const result = schema.safeParse(body);

    expect(result.data).toMatchObject({
      organisation: { name: 'De Groene Fietsfabriek' },
      contact: { name: 'Marieke van Dijk', email: 'marieke@groenefietsfabriek.example' },
      description: 'Wij repareren fietsen met mensen.',
    });
  });

  it('measures the minimum length after trimming', () => {
    const sample = sampleBody();
    const body = { ...sample, organisation: { ...sample.organisation, name: '  X   ' } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.name': 'tooShort' });
  });

  it.each(['marieke', 'marieke@', '@example.nl', 'marieke@groene fietsfabriek.example', 'a@b'])(
    'rejects the e-mail address %j with key email',
    (email) => {
      const sample = sampleBody();
      const body = { ...sample, contact: { ...sample.contact, email } };

      const errors = errorsOf(body);

      expect(errors).toEqual({ 'contact.email': 'email' });
    },
  );

  it('accepts a request without a phone number', () => {
    const sample = sampleBody();
    const { phone: _phone, ...contact } = sample.contact;
    const body = { ...sample, contact };

    const result = schema.safeParse(body);

    expect(result.success).toBe(true);
  });

  it('rejects a phone number that is not one', () => {
    const sample = sampleBody();
    const body = { ...sample, contact: { ...sample.contact, phone: 'call me maybe' } };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'contact.phone': 'phone' });
  });

  it('rejects a language other than nl and en with key language', () => {
    const body = { ...sampleBody(), language: 'de' };

    const errors = errorsOf(body);

    expect(errors).toEqual({ language: 'language' });
  });

  it('reports a missing nested field as required', () => {
    const sample = sampleBody();
    const { kvkNumber: _kvk, ...organisation } = sample.organisation;
    const body = { ...sample, organisation };

    const errors = errorsOf(body);

    expect(errors).toEqual({ 'organisation.kvkNumber': 'required' });
  });

  it('rejects a body that is not an object with key body', () => {
    const body = ['not', 'an', 'object'];

    const errors = errorsOf(body);

    expect(errors).toEqual({ '(body)': 'body' });
  });
});

describe('case request schema: names carry no links, addresses or markup', () => {
  const named = (organisation: string, contact = 'Marieke van Dijk') => {
    const body = sampleBody();
    return {
      ...body,
      organisation: { ...body.organisation, name: organisation },
      contact: { ...body.contact, name: contact },
    };
  };

  it.each([
    ['Klik hier http://evil.example/login voor subsidie'],
    ['HTTPS://EVIL.EXAMPLE'],
    ['Ga naar www.evil-subsidie.nl'],
    ['evil.example/login'],
    ['Subsidie via bit.ly nu'],
    ['mailto:iemand'],
    ['javascript:alert(1)'],
    ['ftp://bestanden.example'],
  ])('refuses a web address in the organisation name: %s', (name) => {
    expect(errorsOf(named(name))).toEqual({ 'organisation.name': 'nameWithLink' });
  });

  it.each([['iemand@evil.example'], ['Mail ons: info@x.nl']])(
    'refuses an e-mail address in a name: %s',
    (name) => {
      expect(errorsOf(named(name))).toEqual({ 'organisation.name': 'nameWithEmail' });
      expect(errorsOf(named('De Groene Fietsfabriek', name))).toEqual({ 'contact.name': 'nameWithEmail' });
    },
  );

  it.each([['<b>Vet</b>'], ['Naam {{x}}'], ['[klik](x)'], ['Jansen &amp; Zn'], ['a > b']])(
    'refuses markup in a name: %s',
    (name) => {
      expect(errorsOf(named('De Groene Fietsfabriek', name))).toEqual({ 'contact.name': 'nameWithMarkup' });
    },
  );

  it.each([
    ['Jansen & Zn. B.V.'],
    ["Stichting 't Hoekje"],
    ['St. Jansdal'],
    ['J.M. de Vries-Öztürk'],
    ['Coöperatie U.A. "De Linde"'],
    ['Fietsen (2e hands) v.o.f.'],
    ['N.V. Haven 3.0'],
  ])('accepts a name that only looks like one: %s', (name) => {
    expect(errorsOf(named(name, name))).toEqual({});
  });
});
