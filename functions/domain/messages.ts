import type { ErrorKey } from '../../events/case-request.js';

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
  accepted: {
    nl: 'Uw aanvraag is ontvangen. U krijgt één vast aanspreekpunt bij de gemeente.',
    en: 'Your request has been received. You will get one fixed point of contact at the municipality.',
  },
  unavailable: {
    nl: 'Er ging iets mis aan onze kant. Probeer het over een minuut opnieuw.',
    en: 'Something went wrong on our side. Please try again in a minute.',
  },
} as const satisfies Record<string, Record<Language, string>>;
