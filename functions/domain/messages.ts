import type { ErrorKey } from '../../events/case-request.js';
import type { LimitKind } from './intake-limits.js';

export type Language = 'nl' | 'en';

/** Field errors of the intake, Dutch first. */
const fieldErrors: Record<ErrorKey, Record<Language, string>> = {
  required: { nl: 'Dit veld is verplicht.', en: 'This field is required.' },
  type: { nl: 'Deze waarde heeft niet de juiste vorm.', en: 'This value does not have the right form.' },
  tooShort: { nl: 'Deze tekst is te kort.', en: 'This text is too short.' },
  tooLong: { nl: 'Deze tekst is te lang.', en: 'This text is too long.' },
  controlCharacters: {
    nl: 'Deze tekst bevat tekens die niet zijn toegestaan.',
    en: 'This text contains characters that are not allowed.',
  },
  nameWithLink: {
    nl: 'Een naam mag geen webadres bevatten (zoals www.… of iets.nl).',
    en: 'A name may not contain a web address (such as www.… or something.com).',
  },
  nameWithEmail: {
    nl: 'Een naam mag geen e-mailadres bevatten; vul dat in bij E-mailadres.',
    en: 'A name may not contain an e-mail address; enter that under E-mail address.',
  },
  nameWithMarkup: {
    nl: 'Een naam mag geen opmaaktekens bevatten (< > { } [ ] of &…;).',
    en: 'A name may not contain markup characters (< > { } [ ] or &…;).',
  },
  kvkNumber: {
    nl: 'Een KvK-nummer bestaat uit precies 8 cijfers.',
    en: 'A KvK (Chamber of Commerce) number has exactly 8 digits.',
  },
  email: {
    nl: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    en: 'Enter a valid e-mail address, like name@example.com.',
  },
  phone: {
    nl: 'Vul een geldig telefoonnummer in, zoals 06 12345678.',
    en: 'Enter a valid phone number, like +31 6 12345678.',
  },
  language: { nl: 'Kies Nederlands (nl) of Engels (en).', en: 'Choose Dutch (nl) or English (en).' },
  goal: { nl: 'Dit doel kent de gemeente niet.', en: 'The municipality does not know this goal.' },
  goalsMin: { nl: 'Kies minstens één doel.', en: 'Choose at least one goal.' },
  goalsDuplicate: { nl: 'Kies elk doel maar één keer.', en: 'Choose each goal only once.' },
  requestType: { nl: 'Kies een soort aanvraag uit de lijst.', en: 'Choose a request type from the list.' },
  consent: {
    nl: 'Geef toestemming om uw gegevens voor deze aanvraag te gebruiken.',
    en: 'Give consent to use your details for this request.',
  },
  unknownField: { nl: 'Dit veld kennen wij niet.', en: 'This field is not known.' },
  body: { nl: 'Stuur de aanvraag als JSON-object.', en: 'Send the request as a JSON object.' },
};

const isErrorKey = (value: string): value is ErrorKey => value in fieldErrors;

/** Translates a schema error key; anything unexpected reads as a generic "wrong form". */
export const fieldError = (key: string, language: Language): string =>
  (isErrorKey(key) ? fieldErrors[key] : fieldErrors.type)[language];

/** Messages of the API itself. */
export const apiMessages = {
  invalid: {
    nl: 'De aanvraag bevat fouten. Verbeter de genoemde velden.',
    en: 'The request has errors. Please correct the fields listed.',
  },
  invalidJson: { nl: 'De aanvraag is geen geldige JSON.', en: 'The request is not valid JSON.' },
  tooLarge: { nl: 'De aanvraag is te groot.', en: 'The request is too large.' },
  unsupportedMediaType: {
    nl: 'Stuur de aanvraag als application/json of via het formulier.',
    en: 'Send the request as application/json or through the form.',
  },
  invalidIdempotencyKey: {
    nl: 'De Idempotency-Key moet 8 tot 128 leesbare tekens lang zijn.',
    en: 'The Idempotency-Key must be 8 to 128 printable characters.',
  },
  idempotencyKeyReused: {
    nl: 'Dit formulier (deze Idempotency-Key) is al gebruikt voor een andere aanvraag. Open het formulier opnieuw.',
    en: 'This form (this Idempotency-Key) was already used for another request. Open the form again.',
  },
  duplicate: {
    nl: 'Deze aanvraag hadden we al ontvangen. Er is geen tweede aanvraag gemaakt.',
    en: 'We had already received this request. No second request was made.',
  },
  notFound: {
    nl: 'Deze zaak bestaat niet of de link is niet geldig.',
    en: 'This case does not exist or the link is not valid.',
  },
  destroyed: {
    nl: 'Deze aanvraag is vernietigd na afloop van haar bewaartermijn (Archiefwet). Er is niets meer van bewaard, behalve een verklaring van vernietiging.',
    en: 'This request was destroyed when its retention period ended (Archives Act). Nothing of it is kept but a record of its destruction.',
  },
  accepted: {
    nl: 'Uw aanvraag is ontvangen. U krijgt één vast aanspreekpunt bij de gemeente.',
    en: 'Your request has been received. You will get one fixed point of contact at the municipality.',
  },
  unavailable: {
    nl: 'Er ging iets mis aan onze kant. Probeer het over een minuut opnieuw.',
    en: 'Something went wrong on our side. Please try again in a minute.',
  },
} as const satisfies Record<string, Record<Language, string>>;

/** "in 12 minutes", "in 3 hours": when a limited request may be made again (rounded up). */
function waitText(seconds: number, language: Language): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 90)
    return language === 'nl'
      ? `over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}`
      : `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(minutes / 60);
  return language === 'nl' ? `over ${hours} uur` : `in ${hours} hours`;
}

/**
 * Why the intake took no more requests, and when to try again: the contact's e-mail address had its
 * requests for the day, or the connection (source address) its requests for the hour.
 */
export function limitedMessage(
  limits: readonly LimitKind[],
  retryAfterSeconds: number,
  language: Language,
): string {
  const when = waitText(retryAfterSeconds, language);
  if (limits.includes('email'))
    return language === 'nl'
      ? `Met dit e-mailadres zijn vandaag al zoveel aanvragen gedaan als wij per dag aannemen. Probeer het ${when} opnieuw, of bel of mail de gemeente.`
      : `This e-mail address has made as many requests today as we accept in a day. Please try again ${when}, or call or e-mail the municipality.`;
  return language === 'nl'
    ? `Vanaf uw internetverbinding zijn het afgelopen uur al zoveel aanvragen gedaan als wij per uur aannemen. Probeer het ${when} opnieuw.`
    : `Your internet connection has made as many requests this hour as we accept in an hour. Please try again ${when}.`;
}
