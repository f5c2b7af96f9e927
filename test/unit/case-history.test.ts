import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_VERSION, caseEventSchema } from '../../events/case-history.js';
import { notificationEvent, notificationKeyCodec } from '../../functions/domain/notification-kind.js';

const samples: unknown = JSON.parse(
  await readFile(new URL('../../events/samples/case-history.json', import.meta.url), 'utf8'),
);
const AT = '2026-12-01T09:00:00.000Z';

describe('case history events (events/case-history.ts)', () => {
  it('reads every sample, one of each event type of the union', () => {
    const events = caseEventSchema.array().parse(samples);

    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(caseEventSchema.options.map((option) => option.shape.type.value)),
    );
    expect(events.every((e) => e.version === CASE_EVENT_VERSION)).toBe(true);
  });

  it('reads an event stored before events carried a version as version 1', () => {
    expect(caseEventSchema.parse({ type: 'contacted', at: AT, by: 'a-jansen' })).toEqual({
      type: 'contacted',
      version: 1,
      at: AT,
      by: 'a-jansen',
    });
  });

  it('refuses a version it cannot read, an unknown type and unknown fields', () => {
    expect(caseEventSchema.safeParse({ type: 'contacted', version: 2, at: AT, by: 'x' }).success).toBe(false);
    expect(caseEventSchema.safeParse({ type: 'deleted', version: 1, at: AT }).success).toBe(false);
    expect(
      caseEventSchema.safeParse({ type: 'contacted', version: 1, at: AT, by: 'x', extra: 1 }).success,
    ).toBe(false);
  });
});

describe('the history event of an e-mail, by its kind', () => {
  it.each([
    ['firstContact:reminder', { type: 'reminded', clock: 'firstContact', step: 'reminder' }],
    ['decision:reminder', { type: 'reminded', clock: 'decision', step: 'reminder' }],
    ['firstContact:breach', { type: 'reminded', clock: 'firstContact', step: 'breach' }],
    ['firstContact:breach:coordinator', { type: 'escalated', clock: 'firstContact', to: 'coordinator' }],
    ['decision:escalation', { type: 'escalated', clock: 'decision', to: 'wethouder' }],
    ['firstContact:breach:enterprise', { type: 'notified' }],
    ['assignment', { type: 'notified' }],
    ['department:wonen', { type: 'notified' }],
    ['handover:1:contact', { type: 'notified' }],
  ])('%s', (key, expected) => {
    const event = notificationEvent(notificationKeyCodec.decode(key), AT);

    expect(event).toMatchObject({ ...expected, version: 1, at: AT, notification: key });
    expect(caseEventSchema.parse(event)).toEqual(event);
  });
});
