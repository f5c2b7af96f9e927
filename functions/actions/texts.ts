import type { Action } from '../domain/action-link.js';
import type { ActionRefusal } from '../domain/actions.js';
import type { Language } from '../domain/messages.js';

/** Why a link does nothing: its own problems (invalid, expired) and the case's (see `ActionRefusal`). */
export type LinkProblem = 'invalid' | 'expired' | ActionRefusal;

/** The words of the officials' action pages, Dutch first. `{x}` marks a value filled in by the page. */
export const actionTexts = {
  nl: {
    title: {
      'contact-made': 'Contact gemaakt bevestigen',
      resolve: 'Aanvraag afronden',
      pause: 'Aanvraag pauzeren',
      resume: 'Aanvraag hervatten',
      'hand-over': 'Aanvraag overdragen',
      join: 'Wij denken mee',
    },
    explain: {
      'contact-made':
        'U bevestigt dat u contact hebt opgenomen met {organisation} over aanvraag {reference}. De termijn voor het eerste contact stopt: er komen geen herinneringen of escalaties meer over het eerste contact.',
      resolve:
        'U rondt aanvraag {reference} van {organisation} af. Alle termijnen stoppen en de aanvraag telt niet meer mee als open zaak. De ondernemer ziet de uitkomst op de statuspagina en krijgt één e-mail met de vraag hoe de samenwerking was.',
      pause:
        'U pauzeert aanvraag {reference} van {organisation} met een vraag aan de ondernemer. De lopende termijnen staan stil en er gaan geen herinneringen of escalaties uit. De ondernemer krijgt uw vraag per e-mail en beantwoordt haar op de statuspagina; het antwoord hervat de termijnen en komt per e-mail bij u.',
      resume:
        'U hervat aanvraag {reference} van {organisation}. De termijnen lopen weer; de deadlines schuiven op met het aantal werkdagen dat de aanvraag gepauzeerd was.',
      'hand-over':
        'U draagt aanvraag {reference} van {organisation} over: aan een collega, of terug naar de verdeling, die dan een ander aanspreekpunt kiest. De nieuwe contactpersoon krijgt een e-mail met de aanvraag en de acties; de ondernemer hoort wie de nieuwe contactpersoon is. De toezeggingen aan de ondernemer blijven staan.',
      join: 'U laat weten dat uw afdeling wil meedenken over aanvraag {reference} van {organisation}. Uw afdeling wordt als betrokken vastgelegd; het aanspreekpunt krijgt daarvan een e-mail met het adres van uw afdeling, en de ondernemer ziet op de statuspagina dat uw afdeling meedenkt. Het aanspreekpunt blijft de enige contactpersoon van de ondernemer.',
    },
    reference: 'Referentie',
    organisation: 'Organisatie',
    contact: 'Aanspreekpunt',
    nothingYet: 'Er is nog niets veranderd: dat gebeurt pas als u op de knop drukt.',
    outcome: 'Uitkomst',
    outcomeHint: 'Wat is er besloten of afgesproken? De ondernemer ziet deze tekst.',
    outcomeError: 'Vul de uitkomst in (hoogstens 2000 tekens).',
    result: 'Resultaat',
    resultHint:
      'Het resultaat bepaalt hoe lang de aanvraag bewaard blijft (Selectielijst gemeenten en intergemeentelijke organen 2020, {processType}).',
    resultError: 'Kies een resultaat.',
    fromHint: 'Alleen nodig bij: {results}. De bewaartermijn loopt vanaf deze dag.',
    fromErrors: {
      fromMissing: 'Vul deze datum in: het gekozen resultaat telt vanaf die dag.',
      fromBeforeClosing: 'Deze datum ligt vóór vandaag; kies vandaag of een latere dag.',
      fromTooLate: 'Deze datum ligt meer dan 30 jaar vooruit; controleer hem.',
    },
    archiveTitle: 'Archief',
    archiveDestroy:
      'Resultaat: {result} (Selectielijst {number}). Archiefactiedatum: {actionDate}, waardering: vernietigen.',
    archiveKeep: 'Resultaat: {result} (Selectielijst {number}). Waardering: blijvend bewaren.',
    anonymiseOn: 'De persoonsgegevens van de ondernemer worden verwijderd op {day}.',
    reason: 'Uw vraag aan de ondernemer',
    reasonHint:
      'Wat moet de ondernemer u laten weten of aanleveren? De ondernemer krijgt deze vraag per e-mail en ziet haar op de statuspagina.',
    reasonError: 'Vul uw vraag aan de ondernemer in (hoogstens 500 tekens).',
    handOverTo: 'Overdragen aan',
    handOverHint: 'Kies een collega die nu aanwezig is, of laat de verdeling een ander aanspreekpunt kiezen.',
    handOverError: 'Kies een collega uit de lijst, of de verdeling.',
    handOverChoose: 'Kies…',
    handOverRouting: 'Terug naar de verdeling (een ander aanspreekpunt kiezen)',
    routingName: 'de verdeling',
    resumeNow: 'Nu hervatten',
    errorPrefix: 'Fout: ',
    tooLargeTitle: 'Te veel tekst',
    tooLargeText:
      'Wat u stuurde is te groot om te lezen. Er is niets veranderd. Ga terug, maak de tekst korter en probeer het opnieuw.',
    button: {
      'contact-made': 'Ja, ik heb contact gemaakt',
      resolve: 'Aanvraag afronden',
      pause: 'Aanvraag pauzeren',
      resume: 'Aanvraag hervatten',
      'hand-over': 'Aanvraag overdragen',
      join: 'Ja, wij denken mee',
    },
    doneTitle: {
      'contact-made': 'Contact geregistreerd',
      resolve: 'Aanvraag afgerond',
      pause: 'Aanvraag gepauzeerd',
      resume: 'Aanvraag hervat',
      'hand-over': 'Aanvraag overgedragen',
      join: 'Vastgelegd: uw afdeling denkt mee',
    },
    doneText: {
      'contact-made':
        'Dank u. Het eerste contact met {organisation} over {reference} is geregistreerd; de termijn voor het eerste contact is gestopt.',
      resolve: 'Dank u. Aanvraag {reference} van {organisation} is afgerond; alle termijnen zijn gestopt.',
      pause:
        'Aanvraag {reference} van {organisation} is gepauzeerd; de termijnen staan stil. De ondernemer krijgt uw vraag per e-mail; zodra zij antwoordt, lopen de termijnen weer en krijgt u het antwoord per e-mail. Zelf hervatten kan met de knop hieronder of met de link "Hervatten" in de e-mail over deze aanvraag.',
      resume:
        'Aanvraag {reference} van {organisation} is hervat; de termijnen lopen weer, verlengd met de gepauzeerde werkdagen.',
      'hand-over':
        'Aanvraag {reference} van {organisation} is overgedragen aan {to}. De nieuwe contactpersoon en de ondernemer krijgen een e-mail; u bent niet langer het aanspreekpunt.',
      join: 'Dank u. Uw afdeling is vastgelegd als betrokken bij aanvraag {reference} van {organisation}. Het aanspreekpunt krijgt een e-mail en neemt contact met u op.',
    },
    problemTitle: {
      invalid: 'Link ongeldig',
      expired: 'Link verlopen',
      used: 'Link al gebruikt',
      notContact: 'Niet meer uw aanvraag',
      closed: 'Aanvraag al afgerond',
      alreadyContacted: 'Contact al geregistreerd',
      alreadyPaused: 'Aanvraag al gepauzeerd',
      notRunning: 'Geen lopende termijn',
      notPaused: 'Aanvraag niet gepauzeerd',
      missing: 'Aanvraag niet gevonden',
      anonymised: 'Persoonsgegevens verwijderd',
      destroyed: 'Aanvraag vernietigd',
      alreadyInvolved: 'Uw afdeling denkt al mee',
      notTouched: 'Niet bij uw afdeling',
    } satisfies Record<LinkProblem, string>,
    problemText: {
      invalid:
        'Deze link is niet geldig: hij is beschadigd of aangepast. Er is niets veranderd. Gebruik de link precies zoals hij in de e-mail staat.',
      expired:
        'Deze link is verlopen: links in e-mails werken 30 dagen. Er is niets veranderd. Neem contact op met de coördinator als u nog iets aan deze aanvraag wilt doen.',
      used: 'Deze link is al gebruikt. Er is niets veranderd: wat u ermee deed, is al geregistreerd.',
      notContact:
        'U bent niet (meer) het aanspreekpunt voor deze aanvraag, dus deze link werkt niet meer. Er is niets veranderd.',
      closed: 'Deze aanvraag is al afgerond. Er is niets veranderd.',
      alreadyContacted: 'Het eerste contact met de ondernemer is al geregistreerd. Er is niets veranderd.',
      alreadyPaused: 'Deze aanvraag is al gepauzeerd. Er is niets veranderd.',
      notRunning:
        'Er loopt geen termijn meer voor deze aanvraag, dus er valt niets te pauzeren. Er is niets veranderd.',
      notPaused: 'Deze aanvraag is niet gepauzeerd, dus er valt niets te hervatten. Er is niets veranderd.',
      missing: 'Deze aanvraag bestaat niet (meer). Er is niets veranderd.',
      anonymised:
        'Deze aanvraag is al lang afgerond en de persoonsgegevens van de ondernemer zijn verwijderd, zoals de wet voorschrijft. Er valt niets meer aan te doen; er is niets veranderd.',
      destroyed:
        'Deze aanvraag is vernietigd na afloop van de bewaartermijn (Archiefwet). Alleen een verklaring van vernietiging is bewaard; er is niets veranderd.',
      alreadyInvolved:
        'Uw afdeling is al vastgelegd als betrokken bij deze aanvraag; het aanspreekpunt weet ervan. Er is niets veranderd.',
      notTouched: 'Deze aanvraag raakt uw afdeling niet. Er is niets veranderd.',
    } satisfies Record<LinkProblem, string>,
  },
  en: {
    title: {
      'contact-made': 'Confirm contact made',
      resolve: 'Resolve the request',
      pause: 'Pause the request',
      resume: 'Resume the request',
      'hand-over': 'Hand the request over',
      join: 'We want to be involved',
    },
    explain: {
      'contact-made':
        'You confirm that you got in touch with {organisation} about request {reference}. The first-contact clock stops: no more reminders or escalations about the first contact.',
      resolve:
        'You resolve request {reference} from {organisation}. All clocks stop and the request no longer counts as an open case. The enterprise sees the outcome on its status page and gets one e-mail asking how working with the municipality went.',
      pause:
        'You pause request {reference} from {organisation} with a question to the enterprise. The running clocks stand still and no reminders or escalations go out. The enterprise gets your question by e-mail and answers it on its status page; the answer resumes the clocks and reaches you by e-mail.',
      resume:
        'You resume request {reference} from {organisation}. The clocks run again; the deadlines move by the working days the request was paused.',
      'hand-over':
        'You hand request {reference} from {organisation} over: to a colleague, or back to routing, which then chooses another point of contact. The new contact gets an e-mail with the request and the actions; the enterprise hears who its new contact is. The promises to the enterprise stand.',
      join: "You let us know that your department wants to be involved in request {reference} from {organisation}. Your department is recorded as involved; the point of contact gets an e-mail about it with your department's address, and the enterprise sees on its status page that your department is involved. The point of contact stays the enterprise's only contact.",
    },
    reference: 'Reference',
    organisation: 'Organisation',
    contact: 'Point of contact',
    nothingYet: 'Nothing has changed yet: that only happens when you press the button.',
    outcome: 'Outcome',
    outcomeHint: 'What was decided or agreed? The enterprise sees this text.',
    outcomeError: 'Fill in the outcome (at most 2000 characters).',
    result: 'Result',
    resultHint:
      'The result sets how long the request is kept (Selectielijst gemeenten en intergemeentelijke organen 2020, {processType}).',
    resultError: 'Choose a result.',
    fromHint: 'Only needed for: {results}. The retention period runs from this day.',
    fromErrors: {
      fromMissing: 'Fill in this date: the chosen result counts from that day.',
      fromBeforeClosing: 'This date is before today; choose today or a later day.',
      fromTooLate: 'This date is more than 30 years ahead; please check it.',
    },
    archiveTitle: 'Archive',
    archiveDestroy:
      'Result: {result} (Selectielijst {number}). Archive action date: {actionDate}, nomination: destroy.',
    archiveKeep: 'Result: {result} (Selectielijst {number}). Nomination: keep for good.',
    anonymiseOn: "The enterprise's personal data are removed on {day}.",
    reason: 'Your question to the enterprise',
    reasonHint:
      'What is the enterprise to tell you or deliver? The enterprise gets this question by e-mail and sees it on its status page.',
    reasonError: 'Fill in your question to the enterprise (at most 500 characters).',
    handOverTo: 'Hand over to',
    handOverHint: 'Choose a colleague who is in today, or let routing choose another point of contact.',
    handOverError: 'Choose a colleague from the list, or routing.',
    handOverChoose: 'Choose…',
    handOverRouting: 'Back to routing (choose another point of contact)',
    routingName: 'routing',
    resumeNow: 'Resume now',
    errorPrefix: 'Error: ',
    tooLargeTitle: 'Too much text',
    tooLargeText:
      'What you sent is too large to read. Nothing has changed. Go back, make the text shorter and try again.',
    button: {
      'contact-made': 'Yes, I made contact',
      resolve: 'Resolve the request',
      pause: 'Pause the request',
      resume: 'Resume the request',
      'hand-over': 'Hand the request over',
      join: 'Yes, we want to be involved',
    },
    doneTitle: {
      'contact-made': 'Contact recorded',
      resolve: 'Request resolved',
      pause: 'Request paused',
      resume: 'Request resumed',
      'hand-over': 'Request handed over',
      join: 'Recorded: your department is involved',
    },
    doneText: {
      'contact-made':
        'Thank you. The first contact with {organisation} about {reference} is recorded; the first-contact clock has stopped.',
      resolve: 'Thank you. Request {reference} from {organisation} is resolved; all clocks have stopped.',
      pause:
        'Request {reference} from {organisation} is paused; the clocks stand still. The enterprise gets your question by e-mail; as soon as it answers, the clocks run again and you get the answer by e-mail. To resume yourself, use the button below or the "Resume" link in the e-mail about this request.',
      resume:
        'Request {reference} from {organisation} is resumed; the clocks run again, extended by the paused working days.',
      'hand-over':
        'Request {reference} from {organisation} is handed over to {to}. The new contact and the enterprise get an e-mail; you are no longer the point of contact.',
      join: 'Thank you. Your department is recorded as involved in request {reference} from {organisation}. The point of contact gets an e-mail and will get in touch with you.',
    },
    problemTitle: {
      invalid: 'Link not valid',
      expired: 'Link expired',
      used: 'Link already used',
      notContact: 'No longer your request',
      closed: 'Request already resolved',
      alreadyContacted: 'Contact already recorded',
      alreadyPaused: 'Request already paused',
      notRunning: 'No clock running',
      notPaused: 'Request not paused',
      missing: 'Request not found',
      anonymised: 'Personal data removed',
      destroyed: 'Request destroyed',
      alreadyInvolved: 'Your department is involved already',
      notTouched: 'Not for your department',
    } satisfies Record<LinkProblem, string>,
    problemText: {
      invalid:
        'This link is not valid: it is damaged or was changed. Nothing has changed. Use the link exactly as it is in the e-mail.',
      expired:
        'This link has expired: links in e-mails work for 30 days. Nothing has changed. Contact the coordinator if you still need to act on this request.',
      used: 'This link has already been used. Nothing has changed: what you did with it is already recorded.',
      notContact:
        'You are not (or no longer) the point of contact for this request, so this link no longer works. Nothing has changed.',
      closed: 'This request has already been resolved. Nothing has changed.',
      alreadyContacted:
        'The first contact with the enterprise has already been recorded. Nothing has changed.',
      alreadyPaused: 'This request is already paused. Nothing has changed.',
      notRunning:
        'No clock is running for this request any more, so there is nothing to pause. Nothing has changed.',
      notPaused: 'This request is not paused, so there is nothing to resume. Nothing has changed.',
      missing: 'This request does not exist (any more). Nothing has changed.',
      anonymised:
        "This request was resolved long ago and the enterprise's personal data have been removed, as the law requires. Nothing more can be done with it; nothing has changed.",
      destroyed:
        'This request was destroyed when its retention period ended (Archives Act). Only a record of its destruction is kept; nothing has changed.',
      alreadyInvolved:
        'Your department is recorded as involved in this request already; the point of contact knows. Nothing has changed.',
      notTouched: 'This request does not touch your department. Nothing has changed.',
    } satisfies Record<LinkProblem, string>,
  },
} as const satisfies Record<Language, { title: Record<Action, string>; [key: string]: unknown }>;

/** The HTTP status of each problem: 403 not yours or not ours, 410 gone, 409 already done. */
export const problemStatus: Record<LinkProblem, number> = {
  invalid: 403,
  notContact: 403,
  expired: 410,
  missing: 410,
  anonymised: 410,
  destroyed: 410,
  used: 409,
  closed: 409,
  alreadyContacted: 409,
  alreadyPaused: 409,
  notRunning: 409,
  notPaused: 409,
  alreadyInvolved: 409,
  notTouched: 403,
};
