import type { Language } from '../domain/messages.js';
import { chromeTexts } from '../web/texts.js';

/** The words of the enterprise's pages, Dutch first. `{x}` marks a value filled in by the page. */
export const pageTexts = {
  nl: {
    ...chromeTexts.nl,
    switchLang: 'en',
    formTitle: 'Uw aanvraag bij {municipality}',
    formIntro:
      'Heeft uw sociale onderneming een vraag of voorstel voor de gemeente? Vul dit formulier in. U krijgt één vaste contactpersoon die uw aanvraag afstemt met alle afdelingen die ermee te maken hebben.',
    required: 'Alle velden zijn verplicht, tenzij er "niet verplicht" staat.',
    organisation: 'Uw organisatie',
    organisationName: 'Naam van de organisatie',
    kvkNumber: 'KvK-nummer',
    kvkHint: '8 cijfers, bijvoorbeeld 12345678',
    contact: 'Contactpersoon',
    contactName: 'Naam',
    email: 'E-mailadres',
    emailHint: 'Hierop ontvangt u berichten over uw aanvraag.',
    phone: 'Telefoonnummer (niet verplicht)',
    goals: 'Doelen van uw onderneming',
    goalsHint: 'Kies alle doelen waar uw onderneming aan werkt. Zo weten we welke afdelingen meedoen.',
    requestType: 'Soort aanvraag',
    description: 'Uw vraag of voorstel',
    descriptionHint: 'Beschrijf wat u wilt bereiken en wat u van de gemeente vraagt.',
    consent: 'Toestemming',
    consentLabel:
      'Ik geef de gemeente toestemming mijn gegevens te gebruiken om deze aanvraag te behandelen.',
    privacyLink: 'Lees de privacyverklaring',
    honeypot: 'Laat dit veld leeg',
    submit: 'Aanvraag versturen',
    errorSummary: 'Er is een probleem',
    errorTitlePrefix: 'Fout: ',
    statusTitle: 'Aanvraag {reference}',
    received: 'Uw aanvraag is ontvangen',
    receivedText:
      'Uw referentie is {reference}. Bewaar de link van deze pagina: daarmee volgt u uw aanvraag. Noem de referentie als u contact met ons hebt.',
    duplicateText:
      'Deze aanvraag hadden we al ontvangen, onder referentie {reference}. Er is geen tweede aanvraag gemaakt.',
    statusHeading: 'Status',
    promises: 'Onze toezeggingen',
    statusSubmitted: 'Ontvangen. We wijzen binnen enkele minuten één vaste contactpersoon voor u aan.',
    statusAssigned: 'Uw vaste contactpersoon is {name}.',
    statusResolved: 'Afgerond door uw vaste contactpersoon {name}.',
    outcome: 'Uitkomst',
    next: 'Wat gebeurt er nu?',
    nextSubmitted: [
      'We bekijken welke afdelingen met uw aanvraag te maken hebben.',
      'Eén medewerker wordt uw vaste contactpersoon en stemt af met de andere afdelingen.',
      'Uw contactpersoon neemt contact met u op.',
    ],
    nextAssigned: [
      '{name} is uw vaste contactpersoon voor deze aanvraag en stemt af met de andere afdelingen.',
      '{name} neemt contact met u op.',
    ],
    nextResolved: [
      'Uw aanvraag is afgerond.',
      'Hebt u nog een vraag hierover? Beantwoord een e-mail van {name}, of doe een nieuwe aanvraag.',
    ],
    departments: 'Betrokken afdelingen',
    departmentsPending: 'Nog niet bepaald.',
    lead: 'leidend',
    involved: 'denkt mee',
    joined: 'Afdeling {department} denkt mee',
    history: 'Verloop',
    event: {
      submitted: 'Aanvraag ontvangen',
      assigned: 'Contactpersoon aangewezen',
      notified: 'Contactpersoon geïnformeerd',
      contacted: 'Contactpersoon heeft contact met u opgenomen',
      resolved: 'Aanvraag afgerond',
      paused: 'Gepauzeerd: wachten op u',
      resumed: 'Hervat: de termijnen lopen weer',
      anonymised: 'Persoonsgegevens verwijderd',
      rated: 'U beoordeelde de samenwerking',
    },
    paused: 'Gepauzeerd: wachten op u ({reason})',
    handedOverTo: 'Overgedragen aan {name}',
    handedBack: 'Teruggegeven om een nieuwe contactpersoon te kiezen',
    handedOnUnreachable: 'Het e-mailadres van uw contactpersoon werkte niet: de aanvraag is overgedragen',
    bounced: {
      enterprise:
        'Onze e-mail aan u kwam niet aan: uw e-mailadres werkt niet. Uw contactpersoon is ingelicht',
      contact: 'Onze e-mail aan uw contactpersoon kwam niet aan',
      other: 'Een e-mail over uw aanvraag kwam niet aan',
    },
    notifiedDepartment: 'Afdeling {department} geïnformeerd',
    notifiedDepartmentInDigest: 'Afdeling {department} wordt geïnformeerd in haar dagoverzicht',
    clock: { firstContact: 'eerste contact', decision: 'besluit' },
    sla: {
      reminder: 'Herinnering aan uw contactpersoon ({promise})',
      breach: 'Termijn verstreken ({promise})',
      breachTo: {
        coordinator: 'Coördinator ingelicht ({promise})',
        enterprise: 'U gemaild dat we later zijn ({promise})',
      },
      escalation: 'Wethouder ingelicht ({promise})',
    },
    notifiedEnterprise: 'Bevestiging naar u gemaild',
    refresh: 'Pagina vernieuwen',
    newRequest: 'Nieuwe aanvraag',
    notFoundTitle: 'Niet gevonden',
    thanksTitle: 'Bedankt',
    thanksText: 'Uw aanvraag is ontvangen.',
    tooLargeTitle: 'Aanvraag te groot',
    unsupportedTitle: 'Aanvraag niet leesbaar',
    unavailableTitle: 'Even niet beschikbaar',
    keyReusedTitle: 'Formulier al gebruikt',
    back: 'Terug naar het formulier',
    privacyTitle: 'Privacyverklaring',
    privacyText:
      '{municipality} gebruikt de gegevens uit dit formulier alleen om uw aanvraag te behandelen: om de juiste afdelingen te betrekken, één contactpersoon aan te wijzen en contact met u op te nemen.',
    privacyRetentionTitle: 'Hoe lang wij gegevens bewaren',
    privacyPersonal:
      'Uw persoonsgegevens (de naam, het e-mailadres en het telefoonnummer van de contactpersoon en de beschrijving van uw vraag) en de toelichtingen van onze medewerkers verwijderen wij automatisch {period} na het afronden van uw aanvraag. Zo bewaren wij ze niet langer dan nodig (AVG, artikel 5 lid 1 onder e: opslagbeperking).',
    privacyArchive:
      'De aanvraag zelf, zonder persoonsgegevens, bewaren wij zo lang als de Archiefwet voorschrijft. De Selectielijst gemeenten en intergemeentelijke organen 2020 bepaalt die termijn naar het soort aanvraag en het resultaat waarmee de aanvraag is afgerond:',
    privacyProcessType: 'Selectielijst {number}: {name}',
    privacyResult: '{result}: {consequence} (resultaat {number})',
    privacyDestroyed:
      'Na afloop van de termijn vernietigen wij de aanvraag. Wij houden alleen bij dat zij is vernietigd (de referentie, het soort aanvraag, de datums en het resultaat), zonder persoonsgegevens.',
    privacyKept:
      'Een aanvraag met een resultaat dat blijvend wordt bewaard, gaat zonder persoonsgegevens naar het archief van de gemeente.',
    privacyRights:
      'U kunt ons vragen welke gegevens wij van u hebben, ze te verbeteren of te verwijderen. Noem daarbij uw referentie.',
    anonymisedTitle: 'Persoonsgegevens verwijderd',
    anonymisedText:
      'Op {day} hebben wij de persoonsgegevens bij deze aanvraag verwijderd: de naam, het e-mailadres en het telefoonnummer van de contactpersoon, de beschrijving van uw vraag en de toelichtingen van onze medewerkers.',
    anonymisedWhy:
      'Dat schrijft de wet voor. Volgens de AVG bewaren wij persoonsgegevens niet langer dan nodig is voor het doel waarvoor wij ze kregen (opslagbeperking, artikel 5 lid 1 onder e). Uw aanvraag is afgerond, dus zijn ze niet meer nodig. Hieronder staat wat er van de aanvraag over is.',
    anonymisedDestroyOn:
      'De aanvraag zelf wordt op {day} vernietigd, na afloop van haar bewaartermijn (Archiefwet).',
    anonymisedKeep:
      'De aanvraag zelf, zonder persoonsgegevens, wordt blijvend bewaard in het archief (Archiefwet).',
    statusClosed: 'Afgerond op {day}.',
    result: 'Resultaat',
    resultText: '{result} (Selectielijst {number})',
    destroyedTitle: 'Aanvraag vernietigd',
    destroyedText: 'Aanvraag {reference} is op {day} vernietigd, na afloop van haar bewaartermijn.',
    destroyedWhy:
      'Dat schrijft de Archiefwet voor: de gemeente bewaart een afgeronde aanvraag zo lang als de Selectielijst gemeenten en intergemeentelijke organen 2020 bepaalt voor het resultaat (hier resultaat {number}), en vernietigt haar daarna.',
    destroyedKept:
      'Er is niets meer van bewaard, behalve een verklaring van vernietiging: de referentie, het soort aanvraag, de datums en het resultaat, zonder persoonsgegevens.',
  },
  en: {
    ...chromeTexts.en,
    switchLang: 'nl',
    formTitle: 'Your request to {municipality}',
    formIntro:
      'Does your social enterprise have a question or proposal for the municipality? Fill in this form. You will get one fixed point of contact who coordinates your request with every department involved.',
    required: 'All fields are required unless they say "optional".',
    organisation: 'Your organisation',
    organisationName: 'Name of the organisation',
    kvkNumber: 'KvK number (Chamber of Commerce)',
    kvkHint: '8 digits, for example 12345678',
    contact: 'Contact person',
    contactName: 'Name',
    email: 'E-mail address',
    emailHint: 'We send messages about your request to this address.',
    phone: 'Phone number (optional)',
    goals: 'Goals of your enterprise',
    goalsHint: 'Choose every goal your enterprise works on. This tells us which departments take part.',
    requestType: 'Type of request',
    description: 'Your question or proposal',
    descriptionHint: 'Describe what you want to achieve and what you ask of the municipality.',
    consent: 'Consent',
    consentLabel: 'I allow the municipality to use my details to handle this request.',
    privacyLink: 'Read the privacy statement',
    honeypot: 'Leave this field empty',
    submit: 'Send request',
    errorSummary: 'There is a problem',
    errorTitlePrefix: 'Error: ',
    statusTitle: 'Request {reference}',
    received: 'Your request has been received',
    receivedText:
      'Your reference is {reference}. Keep the link to this page: it shows how your request is doing. Mention the reference when you contact us.',
    duplicateText:
      'We had already received this request, under reference {reference}. No second request was made.',
    statusHeading: 'Status',
    promises: 'Our promises',
    statusSubmitted: 'Received. Within a few minutes we assign one fixed point of contact to you.',
    statusAssigned: 'Your fixed point of contact is {name}.',
    statusResolved: 'Resolved by your fixed point of contact {name}.',
    outcome: 'Outcome',
    next: 'What happens next?',
    nextSubmitted: [
      'We see which departments your request concerns.',
      'One official becomes your fixed point of contact and coordinates with the other departments.',
      'Your contact gets in touch with you.',
    ],
    nextAssigned: [
      '{name} is your fixed point of contact for this request and coordinates with the other departments.',
      '{name} gets in touch with you.',
    ],
    nextResolved: [
      'Your request has been resolved.',
      'Any further question about it? Reply to an e-mail from {name}, or make a new request.',
    ],
    departments: 'Departments involved',
    departmentsPending: 'Not decided yet.',
    lead: 'lead',
    involved: 'involved',
    joined: 'Department {department} is involved',
    history: 'History',
    event: {
      submitted: 'Request received',
      assigned: 'Contact assigned',
      notified: 'Contact informed',
      contacted: 'Your contact got in touch with you',
      resolved: 'Request resolved',
      paused: 'Paused: waiting for you',
      resumed: 'Resumed: the clocks run again',
      anonymised: 'Personal data removed',
      rated: 'You rated the cooperation',
    },
    paused: 'Paused: waiting for you ({reason})',
    handedOverTo: 'Handed over to {name}',
    handedBack: 'Handed back to choose a new contact',
    handedOnUnreachable: "Your contact's e-mail address did not work: the request was handed over",
    bounced: {
      enterprise:
        'Our e-mail to you did not arrive: your e-mail address does not work. Your contact has been told',
      contact: 'Our e-mail to your contact did not arrive',
      other: 'An e-mail about your request did not arrive',
    },
    notifiedDepartment: 'Department {department} informed',
    notifiedDepartmentInDigest: 'Department {department} is informed in its daily digest',
    clock: { firstContact: 'first contact', decision: 'decision' },
    sla: {
      reminder: 'Your contact reminded ({promise})',
      breach: 'Term passed ({promise})',
      breachTo: {
        coordinator: 'Coordinator informed ({promise})',
        enterprise: 'You were told we are late ({promise})',
      },
      escalation: 'Alderman informed ({promise})',
    },
    notifiedEnterprise: 'Confirmation e-mailed to you',
    refresh: 'Refresh this page',
    newRequest: 'New request',
    notFoundTitle: 'Not found',
    thanksTitle: 'Thank you',
    thanksText: 'Your request has been received.',
    tooLargeTitle: 'Request too large',
    unsupportedTitle: 'Request not readable',
    unavailableTitle: 'Temporarily unavailable',
    keyReusedTitle: 'Form already used',
    back: 'Back to the form',
    privacyTitle: 'Privacy statement',
    privacyText:
      '{municipality} uses the details from this form only to handle your request: to involve the right departments, assign one point of contact and get in touch with you.',
    privacyRetentionTitle: 'How long we keep details',
    privacyPersonal:
      "Your personal data (the contact's name, e-mail address and phone number, and the description of your question) and our officials' notes are removed automatically {period} after your request is resolved. That way we keep them no longer than needed (GDPR, Article 5(1)(e): storage limitation).",
    privacyArchive:
      'The request itself, without personal data, is kept as long as the Archives Act (Archiefwet) requires. The Selectielijst gemeenten en intergemeentelijke organen 2020 sets that period by the type of request and the result it was resolved with:',
    privacyProcessType: 'Selectielijst {number}: {name}',
    privacyResult: '{result}: {consequence} (result {number})',
    privacyDestroyed:
      'When the period ends we destroy the request. We only record that it was destroyed (the reference, the type of request, the dates and the result), without personal data.',
    privacyKept:
      "A request with a result that is kept for good goes to the municipality's archive, without personal data.",
    privacyRights:
      'You can ask us which details we hold about you, and have them corrected or deleted. Mention your reference.',
    anonymisedTitle: 'Personal data removed',
    anonymisedText:
      "On {day} we removed the personal data of this request: the contact's name, e-mail address and phone number, the description of your question and our officials' notes.",
    anonymisedWhy:
      'The law requires this. Under the GDPR we keep personal data no longer than needed for the purpose we received them for (storage limitation, Article 5(1)(e)). Your request has been resolved, so they are no longer needed. Below is what is left of the request.',
    anonymisedDestroyOn:
      'The request itself will be destroyed on {day}, when its retention period ends (Archives Act).',
    anonymisedKeep:
      'The request itself, without personal data, is kept for good in the archive (Archives Act).',
    statusClosed: 'Resolved on {day}.',
    result: 'Result',
    resultText: '{result} (Selectielijst {number})',
    destroyedTitle: 'Request destroyed',
    destroyedText: 'Request {reference} was destroyed on {day}, when its retention period ended.',
    destroyedWhy:
      'The Archives Act (Archiefwet) requires this: the municipality keeps a resolved request as long as the Selectielijst gemeenten en intergemeentelijke organen 2020 sets for its result (here result {number}), and destroys it after that.',
    destroyedKept:
      'Nothing of it is kept but a record of its destruction: the reference, the type of request, the dates and the result, without personal data.',
  },
} as const satisfies Record<Language, unknown>;

export type PageTexts = (typeof pageTexts)[Language];
