import type { Municipality } from '../../config/schema.js';
import { html } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import {
  COMMENT_MAX,
  type CommentProblem,
  type RatingErrors,
  type RatingRefusal,
  type RatingTyped,
  type ScoreProblem,
} from '../domain/satisfaction.js';
import {
  alert,
  choiceField,
  describedBy,
  errorMessage,
  fieldClass,
  fieldsetClass,
  hint,
  invalidAttribute,
  label,
  legend,
  link,
  paragraph,
  textareaClass,
} from '../web/components.js';
import { otherLanguage as other } from '../web/language.js';
import { layout } from '../web/layout.js';
import { fill } from '../web/texts.js';

/**
 * The enterprise's satisfaction form (`/satisfaction/{token}`, the link in its e-mail once its case was
 * resolved): one question, a score from 1 to 5 as radio buttons and an optional comment, posted as a plain
 * HTML form (no script needed). Dutch first, English with the language switch or `?lang=en`.
 */

/** Why a satisfaction link takes no answer: its own problems (invalid, expired) and the case's. */
export type SatisfactionProblem = 'invalid' | 'expired' | RatingRefusal;

/** The words of the satisfaction pages, Dutch first. `{x}` marks a value filled in by the page. */
export const satisfactionTexts = {
  nl: {
    title: 'Hoe was de samenwerking?',
    intro:
      'Uw aanvraag {reference} is afgerond. Eén vraag: hoe was de samenwerking met de gemeente? Uw antwoord helpt de gemeente, en de wethouder, zien waar het beter kan.',
    question: 'Hoe was de samenwerking met de gemeente?',
    scoreHint: 'Kies een cijfer van 1 (slecht) tot 5 (zeer goed).',
    scores: { 1: '1 – slecht', 2: '2 – matig', 3: '3 – redelijk', 4: '4 – goed', 5: '5 – zeer goed' },
    comment: 'Toelichting (niet verplicht)',
    commentHint:
      'Wat ging goed, wat kan beter? Hoogstens {max} tekens. Noem geen namen of gegevens van anderen: uw toelichting wordt met uw andere persoonsgegevens verwijderd.',
    once: 'De aanvraag neemt één antwoord; u kunt het daarna niet meer wijzigen.',
    button: 'Verstuur mijn antwoord',
    errorPrefix: 'Fout: ',
    errorSummary: 'Controleer uw antwoord',
    fieldScore: 'Cijfer',
    fieldComment: 'Toelichting',
    scoreErrors: {
      missing: 'Kies een cijfer van 1 tot 5.',
      invalid: 'Dit is geen cijfer van 1 tot 5; kies er een.',
    } satisfies Record<ScoreProblem, string>,
    commentErrors: {
      tooLong: 'De toelichting is te lang: hoogstens {max} tekens.',
      control: 'De toelichting bevat tekens die niet in een tekst horen (stuurtekens); haal ze weg.',
    } satisfies Record<CommentProblem, string>,
    doneTitle: 'Dank u wel',
    doneText:
      'Uw antwoord over aanvraag {reference} is ontvangen: {score} van 5. Het staat nu in het verloop van uw aanvraag op de statuspagina.',
    problemTitle: {
      invalid: 'Link ongeldig',
      expired: 'Link verlopen',
      missing: 'Aanvraag niet gevonden',
      anonymised: 'Persoonsgegevens verwijderd',
      destroyed: 'Aanvraag vernietigd',
      notResolved: 'Aanvraag nog niet afgerond',
      alreadyRated: 'U hebt al geantwoord',
    } satisfies Record<SatisfactionProblem, string>,
    problemText: {
      invalid:
        'Deze link is niet geldig: hij is beschadigd of aangepast. Gebruik de link precies zoals hij in onze e-mail staat. Er is niets veranderd.',
      expired: 'Deze link is verlopen: hij werkt 30 dagen na onze e-mail. Er is niets veranderd.',
      missing: 'Deze aanvraag bestaat niet (meer). Er is niets veranderd.',
      anonymised:
        'De persoonsgegevens van deze aanvraag zijn verwijderd, zoals de wet vraagt; er kan geen antwoord meer bij. Er is niets veranderd.',
      destroyed:
        'Deze aanvraag is vernietigd na de bewaartermijn; er kan geen antwoord meer bij. Er is niets veranderd.',
      notResolved:
        'Deze aanvraag is nog niet afgerond. U krijgt de vraag per e-mail zodra dat zo is. Er is niets veranderd.',
      alreadyRated:
        'Voor deze aanvraag is al een antwoord gegeven; dank daarvoor. Een aanvraag neemt één antwoord, dus er is niets veranderd.',
    } satisfies Record<SatisfactionProblem, string>,
    reference: 'Referentie',
    tooLargeTitle: 'Te veel tekst',
    tooLargeText:
      'Uw antwoord is te groot om te verwerken. Er is niets veranderd. Maak de toelichting korter.',
    back: 'Terug naar de vraag',
  },
  en: {
    title: 'How was working with us?',
    intro:
      'Your request {reference} has been resolved. One question: how was working with the municipality? Your answer helps the municipality, and the alderman, see where to do better.',
    question: 'How was working with the municipality?',
    scoreHint: 'Choose a score from 1 (poor) to 5 (very good).',
    scores: { 1: '1 – poor', 2: '2 – fair', 3: '3 – reasonable', 4: '4 – good', 5: '5 – very good' },
    comment: 'Comment (optional)',
    commentHint:
      'What went well, what could be better? At most {max} characters. Do not name others or give their details: your comment is removed with your other personal data.',
    once: 'The request takes one answer; you cannot change it afterwards.',
    button: 'Send my answer',
    errorPrefix: 'Error: ',
    errorSummary: 'Please check your answer',
    fieldScore: 'Score',
    fieldComment: 'Comment',
    scoreErrors: {
      missing: 'Choose a score from 1 to 5.',
      invalid: 'This is not a score from 1 to 5; choose one.',
    } satisfies Record<ScoreProblem, string>,
    commentErrors: {
      tooLong: 'The comment is too long: at most {max} characters.',
      control:
        'The comment contains characters that do not belong in a text (control characters); remove them.',
    } satisfies Record<CommentProblem, string>,
    doneTitle: 'Thank you',
    doneText:
      'Your answer about request {reference} has been received: {score} out of 5. It is now in the history of your request on the status page.',
    problemTitle: {
      invalid: 'Link not valid',
      expired: 'Link expired',
      missing: 'Request not found',
      anonymised: 'Personal data removed',
      destroyed: 'Request destroyed',
      notResolved: 'Request not resolved yet',
      alreadyRated: 'You have answered already',
    } satisfies Record<SatisfactionProblem, string>,
    problemText: {
      invalid:
        'This link is not valid: it is damaged or changed. Use the link exactly as it is in our e-mail. Nothing has changed.',
      expired: 'This link has expired: it works for 30 days after our e-mail. Nothing has changed.',
      missing: 'This request does not exist (any more). Nothing has changed.',
      anonymised:
        'The personal data of this request have been removed, as the law requires; no answer can be added any more. Nothing has changed.',
      destroyed:
        'This request was destroyed after its retention period; no answer can be added any more. Nothing has changed.',
      notResolved:
        'This request has not been resolved yet. You will get the question by e-mail once it is. Nothing has changed.',
      alreadyRated:
        'An answer has been given for this request already; thank you. A request takes one answer, so nothing has changed.',
    } satisfies Record<SatisfactionProblem, string>,
    reference: 'Reference',
    tooLargeTitle: 'Too much text',
    tooLargeText: 'Your answer is too large to process. Nothing has changed. Please shorten the comment.',
    back: 'Back to the question',
  },
} as const;

/** The HTTP status of each problem: a changed link 403, gone 410, answered or not resolved yet 409. */
export const satisfactionStatus = {
  invalid: 403,
  expired: 410,
  missing: 410,
  anonymised: 410,
  destroyed: 410,
  notResolved: 409,
  alreadyRated: 409,
} as const satisfies Record<SatisfactionProblem, number>;

const SCORES = [1, 2, 3, 4, 5] as const;

const selfHref = (token: string, lang: Language) => `/satisfaction/${encodeURIComponent(token)}?lang=${lang}`;

/** The question: the score's radio buttons and the comment, with what was sent and what was wrong with it. */
export function satisfactionPage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
  readonly reference: string;
  readonly typed?: RatingTyped;
  readonly errors?: RatingErrors;
}): string {
  const t = satisfactionTexts[o.lang];
  const max = String(COMMENT_MAX);
  const scoreError = o.errors?.score === undefined ? undefined : t.scoreErrors[o.errors.score];
  const commentError =
    o.errors?.comment === undefined ? undefined : fill(t.commentErrors[o.errors.comment], { max });
  const problems = [
    ...(scoreError === undefined ? [] : [{ anchor: 'score-1', field: t.fieldScore, message: scoreError }]),
    ...(commentError === undefined
      ? []
      : [{ anchor: 'comment', field: t.fieldComment, message: commentError }]),
  ];
  const summary =
    problems.length === 0
      ? ''
      : html`<div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="error-summary-title" id="error-summary"><div class="utrecht-alert__content"><div class="utrecht-alert__message">
<h2 class="utrecht-heading-2" id="error-summary-title">${t.errorSummary}</h2>
<ul class="utrecht-unordered-list">${problems.map((p) => html`<li class="utrecht-unordered-list__item">${link(`#${p.anchor}`, `${p.field}: ${p.message}`)}</li>`)}</ul>
</div></div></div>`;
  const scoreInvalid = scoreError !== undefined;
  const commentInvalid = commentError !== undefined;
  const main = html`${summary}
<h1 class="utrecht-heading-1">${t.title}</h1>
${paragraph(html`${t.reference}: <span class="aanspreekpunt-reference reference">${o.reference}</span>`)}
${paragraph(fill(t.intro, { reference: o.reference }))}
<form method="post" action="${selfHref(o.token, o.lang)}">
<fieldset class="${fieldsetClass(scoreInvalid)}"${describedBy('score', { hint: true, error: scoreInvalid })}>
${legend(t.question)}
${hint('score', t.scoreHint)}
${errorMessage('score', scoreError, o.lang)}
${SCORES.map((score) =>
  choiceField('radio', {
    id: `score-${score}`,
    name: 'score',
    value: String(score),
    text: t.scores[score],
    checked: o.typed?.score === String(score),
    invalid: scoreInvalid,
  }),
)}
</fieldset>
<div class="${fieldClass(commentInvalid)}">
${label('comment', t.comment)}
${hint('comment', fill(t.commentHint, { max }))}
${errorMessage('comment', commentError, o.lang)}
<textarea id="comment" name="comment" class="${textareaClass(commentInvalid)}" rows="5" maxlength="${max}"${describedBy('comment', { hint: true, error: commentInvalid })}${invalidAttribute(commentInvalid)}>${o.typed?.comment ?? ''}</textarea>
</div>
${paragraph(t.once)}
<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">${t.button}</button>
</form>`;
  return layout({
    lang: o.lang,
    title: `${problems.length > 0 ? t.errorPrefix : ''}${t.title}`,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main,
  });
}

/** The answer is recorded: thanks, and what was recorded. */
export function satisfactionDonePage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
  readonly reference: string;
  readonly score: number;
}): string {
  const t = satisfactionTexts[o.lang];
  return layout({
    lang: o.lang,
    title: t.doneTitle,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${t.doneTitle}</h1>
${alert('ok', paragraph(fill(t.doneText, { reference: o.reference, score: String(o.score) })), html` role="status"`)}`,
  });
}

/** Why the link takes no answer (answered already, expired, ...), in plain words; nothing changed. */
export function satisfactionProblemPage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
  readonly problem: SatisfactionProblem;
  readonly reference?: string;
}): string {
  const t = satisfactionTexts[o.lang];
  const title = t.problemTitle[o.problem];
  return layout({
    lang: o.lang,
    title,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${title}</h1>
${o.reference === undefined ? '' : paragraph(html`${t.reference}: <span class="aanspreekpunt-reference reference">${o.reference}</span>`)}
${paragraph(t.problemText[o.problem])}`,
  });
}

/** A post above the body limit: nothing was read, nothing changed. */
export function satisfactionTooLargePage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
}): string {
  const t = satisfactionTexts[o.lang];
  return layout({
    lang: o.lang,
    title: t.tooLargeTitle,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${t.tooLargeTitle}</h1>
${paragraph(t.tooLargeText)}
${paragraph(link(selfHref(o.token, o.lang), t.back))}`,
  });
}
