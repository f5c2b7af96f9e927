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

describe('municipality config: working hours', () => {
  /** The example with its SLA policy and digests changed as given. */
  const withSettings = (sla: Record<string, unknown>, digests?: Record<string, unknown>) => {
    const input = exampleCopy();
    return {
      ...input,
      sla: { ...input.sla, ...sla },
      ...(digests === undefined ? {} : { digests }),
    };
  };
  const withHours = (workingHours: unknown, sla: Record<string, unknown> = {}) => {
    const input = exampleCopy();
    return withSettings({ ...sla, calendar: { ...input.sla.calendar, workingHours } });
  };

  it('makes promises fall due at 17:00 and e-mails go out 08:00–18:00 unless configured', () => {
    const parsed = parseMunicipality(exampleCopy());

    expect(parsed.sla.dueAt).toBe('17:00');
    expect(parsed.sla.calendar.workingHours).toEqual({ from: '08:00', until: '18:00' });
  });

  it('takes a due time and working hours of its own', () => {
    const parsed = parseMunicipality(withHours({ from: '07:30', until: '16:30' }, { dueAt: '16:00' }));

    expect(parsed.sla.dueAt).toBe('16:00');
    expect(parsed.sla.calendar.workingHours).toEqual({ from: '07:30', until: '16:30' });
  });

  it('refuses working hours that do not end after they start, naming the path', () => {
    const parse = () => parseMunicipality(withHours({ from: '18:00', until: '08:00' }), 'voorbeeld.json');

    expect(parse).toThrow(
      'sla.calendar.workingHours.until: the working hours must end after they start ("from" before "until", within one day)',
    );
  });

  it('refuses a due time or a working hour that is no HH:MM', () => {
    expect(() => parseMunicipality(withSettings({ dueAt: '5 uur' }))).toThrow(
      'sla.dueAt: a time of day like 08:00 (24-hour clock, Europe/Amsterdam)',
    );
    expect(() => parseMunicipality(withHours({ from: '08:00', until: '25:00' }))).toThrow(
      'sla.calendar.workingHours.until: a time of day like 08:00',
    );
  });

  it('refuses a due time outside working hours, the end of them included', () => {
    const parse = (dueAt: string) => () => parseMunicipality(withSettings({ dueAt }));

    expect(parse('22:00')).toThrow(
      'sla.dueAt: 22:00 is outside the working hours 08:00–18:00 (sla.calendar.workingHours): a promise must fall due within them',
    );
    expect(parse('18:00')).toThrow('sla.dueAt: 18:00 is outside the working hours 08:00–18:00');
    expect(parse('07:59')).toThrow('sla.dueAt: 07:59 is outside');
    expect(parse('17:59')).not.toThrow();
  });

  it('refuses digest times outside working hours, so that no digest goes out at night', () => {
    const parse = () =>
      parseMunicipality(
        withSettings({}, { departments: { at: '07:00' }, officials: { every: 'week', at: '22:30' } }),
        'voorbeeld.json',
      );

    expect(parse).toThrow(
      'digests.departments.at: 07:00 is outside the working hours 08:00–18:00 (sla.calendar.workingHours): digests go out within them',
    );
    expect(parse).toThrow('digests.officials.at: 22:30 is outside the working hours 08:00–18:00');
  });

  it('checks the digest times against the working hours configured', () => {
    const early = withHours({ from: '07:00', until: '16:00' }, { dueAt: '15:30' });

    expect(
      parseMunicipality({ ...early, digests: { departments: { at: '07:00' } } }).digests.departments.at,
    ).toBe('07:00');
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
    expect(paths).toContain('college.email');
    expect(paths).toContain(`departments.${municipality.departments.length - 1}.wethouder.office`);
    expect(paths).toContain(`officials.${municipality.officials.length - 1}.email`);
    expect(found).toHaveLength(3 + 2 * municipality.departments.length + municipality.officials.length);
  });

  it('finds none in a config on real domains', () => {
    expect(undeliverableAddresses(readMunicipalityFile(DEPLOYABLE_MUNICIPALITY))).toEqual([]);
  });
});
