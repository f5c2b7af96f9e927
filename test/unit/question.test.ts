import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { ActionClaims } from '../../functions/domain/action-link.js';
import { type ActionChange, planAction } from '../../functions/domain/actions.js';
import { addWorkingDays, workingDaysBetween } from '../../functions/domain/calendar.js';
import { assign, assignedCase, type Case, contactOf, ROUTING_GRACE_MS } from '../../functions/domain/case.js';
import { routingNotifications } from '../../functions/domain/mail/notifications.js';
import {
  answerRefusalOf,
  answerSchema,
  answersOf,
  openQuestion,
  planAnswer,
} from '../../functions/domain/question.js';
import { anonymise } from '../../functions/domain/retention.js';
import { anOfficial, aTag, SUBMITTED_AT, submittedCase } from '../support/cases.js';

/** The pure planning of "information requested": the question is the pause's reason, the answer resumes. */

const calendar = municipality.sla.calendar;
const official = anOfficial('a-jansen', ['werk']);
const contact = contactOf(official);
const PAUSED_AT = new Date('2025-03-04T10:00:00.000Z');
/** Eight calendar days later: six working days (Wed 5 ... Wed 12 March 2025, no holidays). */
const ANSWERED_AT = new Date('2025-03-12T10:00:00.000Z');
const QUESTION = 'Kunt u de jaarcijfers van 2024 sturen?';

const claims = (action: ActionClaims['action'], id = `link-${action}`): ActionClaims => ({
  id,
  reference: 'AP-2345-6789',
  official: 'a-jansen',
  lang: 'nl',
  action,
  expiresAt: new Date(ANSWERED_AT.getTime() + 86_400_000).toISOString(),
});

/** The case as the store makes it from a change (clocks rewritten, history appended). */
function applied(c: Case, change: Pick<ActionChange, 'rewrite' | 'history'>): Case {
  const clocks = { ...c.clocks };
  for (const r of change.rewrite) clocks[r.name] = r.clock;
  return { ...c, clocks, history: [...c.history, change.history] };
}

function routed(): Case {
  const c = submittedCase();
  return assignedCase(
    c,
    assign(c, [aTag('werk', true)], { contact, choice: 'coverage' }, SUBMITTED_AT, municipality.sla),
  );
}

function paused(question = QUESTION): Case {
  const c = routed();
  return applied(c, planAction(c, claims('pause'), PAUSED_AT, calendar, { text: question }));
}

describe('the question to the enterprise (a pause with its reason)', () => {
  it('is the last pause while the case is paused: its text, its round and when it was asked', () => {
    // Prepare
    const c = paused();

    // Act
    const open = openQuestion(c);

    // Assess
    expect(open).toEqual({ round: 1, question: QUESTION, askedAt: PAUSED_AT.toISOString() });
  });

  it('is closed once the official resumes the case: nothing is asked any more', () => {
    // Prepare
    const c = paused();
    const resumed = applied(c, planAction(c, claims('resume'), ANSWERED_AT, calendar));

    // Act / Assess
    expect(openQuestion(resumed)).toBeUndefined();
    expect(answerRefusalOf(resumed)).toBe('notAsked');
  });

  it('is e-mailed to the enterprise once per pause: the second pause is a question of its own', () => {
    // Prepare: paused, answered, paused again
    const first = paused();
    const plan = planAnswer(first, 'De cijfers zijn bijgevoegd.', ANSWERED_AT, calendar);
    if (!plan.ok) throw new Error('the answer is taken');
    const answered = applied(first, plan.change);
    const later = new Date(ANSWERED_AT.getTime() + 86_400_000);
    const again = applied(
      answered,
      planAction(answered, claims('pause', 'link-2'), later, calendar, { text: 'En de begroting?' }),
    );

    // Act
    const kinds = (c: Case) =>
      routingNotifications(
        c,
        contact,
        municipality,
        undefined,
        undefined,
        'https://x.example/cases/AP?token=t',
      )
        .map((n) => n.kind)
        .filter((k) => k.type === 'question' || k.type === 'answer');

    // Assess
    expect(kinds(first)).toEqual([{ type: 'question', round: 1 }]);
    expect(kinds(answered)).toEqual([{ type: 'answer', round: 1 }]);
    expect(kinds(again)).toEqual([
      { type: 'question', round: 2 },
      { type: 'answer', round: 1 },
    ]);
    const question = routingNotifications(
      again,
      contact,
      municipality,
      undefined,
      undefined,
      'https://x.example/q',
    ).find((n) => n.kind.type === 'question');
    expect(question?.mail.to).toBe(again.request.contact.email);
    expect(question?.mail.text).toContain('En de begroting?');
    expect(question?.mail.text).toContain('https://x.example/q');
  });

  it('asks for a look by the SLA job within the routing grace: a lost route message is queued again', () => {
    // Prepare
    const c = routed();

    // Act
    const change = planAction(c, claims('pause'), PAUSED_AT, calendar, { text: QUESTION });

    // Assess
    expect(change.nextAt).toBe(new Date(PAUSED_AT.getTime() + ROUTING_GRACE_MS).toISOString());
  });
});

describe('the answer (planAnswer)', () => {
  it('appends the answer and resumes the paused clocks exactly as the official resume does', () => {
    // Prepare
    const c = paused();

    // Act
    const plan = planAnswer(c, 'De cijfers zijn bijgevoegd.', ANSWERED_AT, calendar);
    const resume = planAction(c, claims('resume'), ANSWERED_AT, calendar);

    // Assess: the same clocks as a resume, moved by the working days paused
    if (!plan.ok) throw new Error(`refused: ${plan.refusal}`);
    const days = workingDaysBetween(PAUSED_AT, ANSWERED_AT, calendar);
    expect(days).toBe(6);
    expect(plan.change.rewrite).toEqual(resume.rewrite);
    const decision = plan.change.rewrite.find((r) => r.name === 'decision');
    const before = c.clocks.decision?.due ?? '';
    expect(decision?.clock.due).toBe(addWorkingDays(new Date(before), days, calendar).due.toISOString());
    expect(decision?.clock.pausedAt).toBeUndefined();
    expect(decision?.pausedAt).toBe(PAUSED_AT.toISOString());
    expect(plan.change.history).toEqual({
      type: 'answered',
      version: 1,
      at: ANSWERED_AT.toISOString(),
      answer: 'De cijfers zijn bijgevoegd.',
      workingDays: days,
    });
    expect(plan.change.round).toBe(1);
    expect(plan.change.nextAt <= new Date(ANSWERED_AT.getTime() + ROUTING_GRACE_MS).toISOString()).toBe(true);
  });

  it('is refused a second time for the same question, and when nothing is asked', () => {
    // Prepare
    const c = paused();
    const plan = planAnswer(c, 'Eerste antwoord.', ANSWERED_AT, calendar);
    if (!plan.ok) throw new Error('the first answer is taken');
    const answered = applied(c, plan.change);

    // Act
    const second = planAnswer(answered, 'Tweede antwoord.', ANSWERED_AT, calendar);
    const never = planAnswer(routed(), 'Een antwoord.', ANSWERED_AT, calendar);

    // Assess
    expect(second).toEqual({ ok: false, refusal: 'answered' });
    expect(never).toEqual({ ok: false, refusal: 'notAsked' });
    expect(answersOf(answered).map((a) => a.round)).toEqual([1]);
  });

  it('is refused for a resolved case', () => {
    // Prepare
    const c: Case = { ...paused(), status: 'resolved' };

    // Act / Assess
    expect(planAnswer(c, 'Een antwoord.', ANSWERED_AT, calendar)).toEqual({ ok: false, refusal: 'closed' });
  });

  it.each([
    ['empty', '   '],
    ['too long', 'a'.repeat(2001)],
    ['a control character', 'een\u0000antwoord'],
    ['an escape sequence', 'rood\u001b[31m'],
  ])('refuses an answer that is %s', (_what, text) => {
    expect(answerSchema.safeParse(text).success).toBe(false);
  });

  it('takes newlines and markup as text (escaped where it is shown)', () => {
    expect(answerSchema.parse(' regel 1\nregel <2> ')).toBe('regel 1\nregel <2>');
  });
});

describe('the answer is personal data', () => {
  it('is emptied when the case is anonymised, as the other free texts are', () => {
    // Prepare: a paused case answered, then resolved with its archive consequences
    const c = paused();
    const plan = planAnswer(c, 'Mijn telefoon is 0612345678.', ANSWERED_AT, calendar);
    if (!plan.ok) throw new Error('the answer is taken');
    const resolved: Case = {
      ...c,
      status: 'resolved',
      history: [...c.history, plan.change.history],
      archive: {
        processType: 'subsidie',
        processTypeNumber: 8,
        result: 'granted',
        selectielijst: '8.1.7',
        nomination: 'destroy',
        from: '2025-03-12',
        period: 'P5Y',
        actionDate: '2031-01-01',
      },
      anonymiseOn: '2026-03-12',
    };

    // Act
    const anonymised = anonymise(resolved, new Date('2026-03-12T01:00:00.000Z'));

    // Assess
    const answered = anonymised.history.find((h) => h.type === 'answered');
    expect(answered).toMatchObject({ type: 'answered', answer: '' });
    expect(JSON.stringify(anonymised)).not.toContain('0612345678');
  });
});
