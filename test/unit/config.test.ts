import { describe, expect, it } from 'vitest';
import { reservedDomainOf, undeliverableAddresses } from '../../config/deliverable.js';
import { readMunicipalityFile } from '../../config/file.js';
import { municipality } from '../../config/index.js';
import example from '../../config/municipalities/example.json' with { type: 'json' };
import { parseMunicipality } from '../../config/schema.js';
import { required } from '../support/cases.js';
import { DEPLOYABLE_MUNICIPALITY } from '../support/municipalities.js';

const exampleCopy = () => structuredClone(example);

describe('municipality config', () => {
  it('parses the example municipality', () => {
    const parsed = parseMunicipality(exampleCopy());

    expect(parsed.id).toBe('voorbeeld');
    expect(parsed.officials).toHaveLength(example.officials.length);
  });

  it('is the municipality the functions are configured with', () => {
    expect(municipality).toEqual(parseMunicipality(exampleCopy()));
  });

  it('fills in the default capacity of an official', () => {
    const input = exampleCopy();
    const { capacity: _capacity, ...official } = required(input.officials[0], 'first official');

    const parsed = parseMunicipality({ ...input, officials: [official, ...input.officials.slice(1)] });

    expect(parsed.officials[0]?.capacity).toBe(20);
  });

  it('names the path of a goal that points at an unknown department', () => {
    const input = exampleCopy();
    const goals = input.goals.map((g, i) => (i === 2 ? { ...g, department: 'ruimtevaart' } : g));

    const parse = () => parseMunicipality({ ...input, goals }, 'voorbeeld.json');

    expect(parse).toThrow('voorbeeld.json is invalid');
    expect(parse).toThrow('goals.2.department: unknown department "ruimtevaart"');
  });

  it('names a duplicate official id', () => {
    const input = exampleCopy();
    const first = required(input.officials[0], 'first official');
    const officials = [...input.officials, { ...first, name: 'Anouk Jansen (tweede)' }];

    const parse = () => parseMunicipality({ ...input, officials });

    expect(parse).toThrow(`officials.${input.officials.length}.id: duplicate id "a-jansen"`);
  });

  it('names an official who covers an unknown department', () => {
    const input = exampleCopy();
    const first = required(input.officials[0], 'first official');
    const officials = [{ ...first, departments: ['economie', 'ruimtevaart'] }, ...input.officials.slice(1)];

    const parse = () => parseMunicipality({ ...input, officials });

    expect(parse).toThrow('officials.0.departments.1: unknown department "ruimtevaart"');
  });

  it('names a deputy who is not an official', () => {
    const input = exampleCopy();
    const first = required(input.officials[0], 'first official');
    const officials = [{ ...first, deputy: 'x-nobody' }, ...input.officials.slice(1)];

    const parse = () => parseMunicipality({ ...input, officials });

    expect(parse).toThrow('officials.0.deputy: unknown official "x-nobody"');
  });

  it('rejects an unknown field', () => {
    const input = { ...exampleCopy(), timezone: 'Europe/Amsterdam' };

    const parse = () => parseMunicipality(input);

    expect(parse).toThrow(/timezone/);
  });
});

describe('addresses a deploy can use', () => {
  it('knows the domains reserved for examples and tests (RFC 2606, RFC 6761), and nothing else', () => {
    for (const [domain, reserved] of [
      ['voorbeeld.example', '.example'],
      ['EXAMPLE', '.example'],
      ['mail.gemeente.test', '.test'],
      ['gemeente.invalid', '.invalid'],
      ['localhost', '.localhost'],
      ['app.localhost', '.localhost'],
      ['example.com', 'example.com'],
      ['mail.example.net', 'example.net'],
      ['Example.Org.', 'example.org'],
    ] as const)
      expect(reservedDomainOf(domain), domain).toBe(reserved);
    for (const domain of [
      'gemeente-lindehoven.nl',
      'utrecht.nl',
      'example.nl',
      'myexample.com',
      'test.nl',
      'examples.org',
    ])
      expect(reservedDomainOf(domain), domain).toBeUndefined();
  });

  it('finds every address of the demo on a reserved domain, each by the path of its setting', () => {
    const found = undeliverableAddresses(municipality);
    const paths = found.map((a) => a.path);
    expect(paths[0]).toBe('sender');
    expect(paths).toContain('coordinator.email');
    expect(paths).toContain(`departments.${municipality.departments.length - 1}.wethouder.office`);
    expect(paths).toContain(`officials.${municipality.officials.length - 1}.email`);
    expect(found).toHaveLength(2 + 2 * municipality.departments.length + municipality.officials.length);
  });

  it('finds none in a config on real domains', () => {
    expect(undeliverableAddresses(readMunicipalityFile(DEPLOYABLE_MUNICIPALITY))).toEqual([]);
  });
});
