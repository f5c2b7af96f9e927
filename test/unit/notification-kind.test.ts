import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NotificationKind,
  notificationKey,
  notificationKeyCodec,
  notificationKindSchema,
  parseNotificationKey,
  sentIn,
} from '../../functions/domain/notification-kind.js';
import { CLOCKS, STEPS, stepKinds } from '../../functions/domain/sla.js';

/** Every key the system has ever stored, with the kind it stands for (existing data depends on them). */
const STORED: readonly (readonly [string, NotificationKind])[] = [
  ['assignment', { type: 'assignment' }],
  ['enterprise', { type: 'enterprise' }],
  ['department:duurzaamheid', { type: 'department', department: 'duurzaamheid' }],
  ['handover:1:contact', { type: 'handover', round: 1, to: 'contact' }],
  ['handover:12:enterprise', { type: 'handover', round: 12, to: 'enterprise' }],
  ['firstContact:reminder', { type: 'step', clock: 'firstContact', step: 'reminder', to: 'contact' }],
  ['firstContact:breach', { type: 'step', clock: 'firstContact', step: 'breach', to: 'contact' }],
  [
    'firstContact:breach:coordinator',
    { type: 'step', clock: 'firstContact', step: 'breach', to: 'coordinator' },
  ],
  [
    'firstContact:breach:enterprise',
    { type: 'step', clock: 'firstContact', step: 'breach', to: 'enterprise' },
  ],
  ['firstContact:escalation', { type: 'step', clock: 'firstContact', step: 'escalation', to: 'wethouder' }],
  ['decision:reminder', { type: 'step', clock: 'decision', step: 'reminder', to: 'contact' }],
  ['decision:breach', { type: 'step', clock: 'decision', step: 'breach', to: 'contact' }],
  ['decision:breach:coordinator', { type: 'step', clock: 'decision', step: 'breach', to: 'coordinator' }],
  ['decision:escalation', { type: 'step', clock: 'decision', step: 'escalation', to: 'wethouder' }],
  ['question:1', { type: 'question', round: 1 }],
  ['answer:3', { type: 'answer', round: 3 }],
];

const stepKindsOfTheLadder = CLOCKS.flatMap((clock) => STEPS.flatMap((step) => stepKinds(clock, step)));

const anyKind: fc.Arbitrary<NotificationKind> = fc.oneof(
  fc.constant({ type: 'assignment' as const }),
  fc.constant({ type: 'enterprise' as const }),
  fc.string({ minLength: 1 }).map((department) => ({ type: 'department' as const, department })),
  fc.record({
    type: fc.constant('handover' as const),
    round: fc.integer({ min: 1, max: 1_000_000 }),
    to: fc.constantFrom('contact' as const, 'enterprise' as const),
  }),
  fc.record({
    type: fc.constantFrom('question' as const, 'answer' as const),
    round: fc.integer({ min: 1, max: 1_000_000 }),
  }),
  fc.constantFrom(...stepKindsOfTheLadder),
);

describe('notification kinds: the key stored for each kind', () => {
  it.each(STORED)('stores %s as before', (key, kind) => {
    // Act
    const written = notificationKey(kind);
    const read = parseNotificationKey(key);

    // Assess
    expect(written).toBe(key);
    expect(read).toEqual(kind);
  });

  it('has a stored key for every e-mail of the SLA ladder, each its own', () => {
    // Act
    const keys = stepKindsOfTheLadder.map(notificationKey);

    // Assess: the ten step keys of the table, none twice
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(
      STORED.map(([key]) => key)
        .filter((key) => key.startsWith('firstContact:') || key.startsWith('decision:'))
        .sort(),
    );
  });

  it('reads back every kind it writes, whatever the department or the round', () => {
    fc.assert(
      fc.property(anyKind, (kind) => {
        // Act
        const key = notificationKey(kind);

        // Assess
        expect(parseNotificationKey(key)).toEqual(kind);
        expect(notificationKeyCodec.decode(key)).toEqual(kind);
        expect(notificationKeyCodec.encode(kind)).toBe(key);
      }),
    );
  });

  it.each([
    ['an unknown word', 'reminder'],
    ['an empty department', 'department:'],
    ['handover round 0', 'handover:0:contact'],
    ['a handover to nobody known', 'handover:1:wethouder'],
    ['a decision breach to the enterprise (never sent)', 'decision:breach:enterprise'],
    ['a reminder to the coordinator (never sent)', 'firstContact:reminder:coordinator'],
    ['an escalation with its addressee spelled out', 'decision:escalation:wethouder'],
    ['an unknown clock', 'closing:breach'],
    ['the empty string', ''],
  ])('refuses %s', (_, key) => {
    // Act
    const parsed = parseNotificationKey(key);
    const decoded = notificationKeyCodec.safeDecode(key);

    // Assess
    expect(parsed).toBeUndefined();
    expect(decoded.success).toBe(false);
  });

  it('refuses a kind that is not one of the union', () => {
    expect(notificationKindSchema.safeParse({ type: 'handover', round: 1.5, to: 'contact' }).success).toBe(
      false,
    );
    expect(
      notificationKindSchema.safeParse({ type: 'step', clock: 'decision', step: 'breach', to: 'mayor' })
        .success,
    ).toBe(false);
  });

  it('tells from a case’s record which kinds went out', () => {
    // Prepare
    const sent = sentIn({ 'firstContact:breach': { at: '2025-03-03T09:00:00Z', messageId: 'm-1' } });

    // Assess
    expect(sent({ type: 'step', clock: 'firstContact', step: 'breach', to: 'contact' })).toBe(true);
    expect(sent({ type: 'step', clock: 'firstContact', step: 'breach', to: 'coordinator' })).toBe(false);
  });
});
