import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import {
  assign,
  caseSchema,
  chooseContact,
  ROUTING_GRACE_MS,
  submitCase,
  tagDepartments,
} from '../../functions/domain/case.js';
import { startClocks } from '../../functions/domain/sla.js';
import { anOfficial, aTag, sampleRequest } from '../support/cases.js';

// The choice of the contact itself is tested in choose-contact.test.ts, keyword matching in keywords.test.ts.
/** A description in which no keyword rule of the example finds anything. */
const PLAIN = 'Wij repareren fietsen met mensen die lang thuis zaten.';

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
    const request = sampleRequest({
      goals: ['poverty', 'work'],
      requestType: 'question',
      description: PLAIN,
    });

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
    const request = sampleRequest({
      goals: ['retired-goal', 'care'],
      requestType: 'question',
      description: PLAIN,
    });

    const tags = tagDepartments(request, municipality);

    expect(tags).toEqual([{ department: 'zorg', lead: true, reasons: [{ kind: 'goal', goal: 'care' }] }]);
  });
});

describe('assign', () => {
  it('records who was assigned, when, why, and for which departments', () => {
    const now = new Date('2025-03-03T09:02:00.000Z');
    const c = submitCase({ request: sampleRequest(), reference: 'AP-2345-6789', tokenHash: 'ab', now });
    const tags = [aTag('werk', true), aTag('economie')];
    const chosen = chooseContact({
      tags,
      officials: [anOfficial('a-jansen', ['werk'])],
      openCases: new Map(),
      now,
      municipality,
    });

    const assignment = assign(c, tags, chosen, now, municipality.sla);

    expect(assignment).toEqual({
      reference: 'AP-2345-6789',
      status: 'assigned',
      tags,
      contact: chosen.contact,
      assignedAt: '2025-03-03T09:02:00.000Z',
      clocks: startClocks(new Date(c.submittedAt), c.request.requestType, municipality.sla),
      // The SLA job looks once the routing grace has passed (were all its e-mails sent?), then at the clocks.
      nextAt: '2025-03-03T09:07:00.000Z',
      history: {
        type: 'assigned',
        version: 1,
        at: '2025-03-03T09:02:00.000Z',
        contact: 'a-jansen',
        departments: ['werk', 'economie'],
        choice: 'coverage',
      },
    });
    expect(chosen.contact.id).toBe('a-jansen');
  });

  it('records for a deputy whom they stand in for', () => {
    const now = new Date('2025-03-03T09:02:00.000Z');
    const c = submitCase({ request: sampleRequest(), reference: 'AP-2345-6789', tokenHash: 'ab', now });
    const tags = [aTag('werk', true)];
    const chosen = chooseContact({
      tags,
      officials: [
        anOfficial('a-jansen', ['werk'], {
          deputy: 'm-bakker',
          absences: [{ from: '2025-03-03', to: '2025-03-03' }],
        }),
        anOfficial('m-bakker', ['werk']),
      ],
      openCases: new Map(),
      now,
      municipality,
    });

    const assignment = assign(c, tags, chosen, now, municipality.sla);

    expect(assignment.history).toEqual({
      type: 'assigned',
      version: 1,
      at: '2025-03-03T09:02:00.000Z',
      contact: 'm-bakker',
      departments: ['werk'],
      choice: 'deputy',
      standsInFor: 'a-jansen',
    });
    expect(caseSchema.shape.history.element.safeParse(assignment.history).success).toBe(true);
  });
});
