import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import {
  assign,
  type Candidate,
  caseSchema,
  chooseContact,
  ROUTING_GRACE_MS,
  submitCase,
  type Tag,
  tagDepartments,
} from '../../functions/domain/case.js';
import { sampleRequest } from '../support/cases.js';

const candidate = (id: string, departments: string[], language: 'nl' | 'en' = 'nl'): Candidate => ({
  id,
  name: id,
  email: `${id}@voorbeeld.example`,
  language,
  departments,
});

const tag = (department: string, lead = false): Tag => ({
  department,
  lead,
  reasons: [{ kind: 'goal', goal: department }],
});

describe('submitCase', () => {
  it('starts a valid case as submitted with nextAt one grace period ahead', () => {
    const now = new Date('2025-03-03T09:00:00.000Z');

    const c = submitCase({ request: sampleRequest(), reference: 'AP-2345-6789', tokenHash: 'ab', now });

    expect(caseSchema.safeParse(c).success).toBe(true);
    expect(c).toMatchObject({
      status: 'submitted',
      submittedAt: '2025-03-03T09:00:00.000Z',
      nextAt: new Date(now.getTime() + ROUTING_GRACE_MS).toISOString(),
      history: [{ type: 'submitted', at: '2025-03-03T09:00:00.000Z' }],
    });
  });
});

describe('tagDepartments', () => {
  it('merges the reasons of goals that share a department', () => {
    const request = sampleRequest({ goals: ['poverty', 'work'], requestType: 'question' });

    const tags = tagDepartments(request, municipality);

    expect(tags).toEqual([
      {
        department: 'werk',
        lead: true,
        reasons: [
          { kind: 'goal', goal: 'poverty' },
          { kind: 'goal', goal: 'work' },
        ],
      },
    ]);
  });

  it('skips a goal the catalog no longer knows, the next known goal leading', () => {
    const request = sampleRequest({ goals: ['retired-goal', 'care'], requestType: 'question' });

    const tags = tagDepartments(request, municipality);

    expect(tags).toEqual([{ department: 'zorg', lead: true, reasons: [{ kind: 'goal', goal: 'care' }] }]);
  });
});

describe('chooseContact', () => {
  it('prefers the official of the lead department over one covering more departments', () => {
    const tags = [tag('werk', true), tag('economie'), tag('inkoop')];
    const candidates = [candidate('a-broad', ['economie', 'inkoop']), candidate('z-lead', ['werk'])];

    const contact = chooseContact(tags, candidates, municipality);

    expect(contact.id).toBe('z-lead');
  });

  it('among lead officials prefers the one covering most tagged departments', () => {
    const tags = [tag('werk', true), tag('economie')];
    const candidates = [candidate('a-narrow', ['werk']), candidate('b-broad', ['werk', 'economie'])];

    const contact = chooseContact(tags, candidates, municipality);

    expect(contact.id).toBe('b-broad');
  });

  it('breaks a tie on the lowest id, whatever the order of the directory', () => {
    const tags = [tag('zorg', true)];
    const candidates = [candidate('s-devries', ['zorg']), candidate('l-visser', ['zorg'], 'en')];

    const contact = chooseContact(tags, candidates, municipality);

    expect(contact).toEqual({
      kind: 'official',
      id: 'l-visser',
      name: 'l-visser',
      email: 'l-visser@voorbeeld.example',
      language: 'en',
    });
  });

  it('falls back to the coordinator when nobody covers a tagged department', () => {
    const tags = [tag('zorg', true)];

    const contact = chooseContact(tags, [candidate('r-bos', ['wonen'])], municipality);

    expect(contact).toEqual({ kind: 'coordinator', id: 'coordinator', ...municipality.coordinator });
  });
});

describe('assign', () => {
  it('records who was assigned, when, and for which departments', () => {
    const now = new Date('2025-03-03T09:02:00.000Z');
    const c = submitCase({ request: sampleRequest(), reference: 'AP-2345-6789', tokenHash: 'ab', now });
    const tags = [tag('werk', true), tag('economie')];
    const contact = chooseContact(tags, [candidate('a-jansen', ['werk'])], municipality);

    const assignment = assign(c, tags, contact, now);

    expect(assignment).toEqual({
      reference: 'AP-2345-6789',
      status: 'assigned',
      tags,
      contact,
      assignedAt: '2025-03-03T09:02:00.000Z',
      history: {
        type: 'assigned',
        at: '2025-03-03T09:02:00.000Z',
        contact: 'a-jansen',
        departments: ['werk', 'economie'],
      },
    });
  });
});
