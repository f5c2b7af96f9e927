import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import { type Action, verifyAction } from '../domain/action-link.js';
import { outcomeSchema, planAction, reasonSchema, refusalOf } from '../domain/actions.js';
import { type Language, pickLanguage } from '../domain/messages.js';
import type { CaseStore, Clock, Counter, Log } from '../domain/ports.js';
import { messagePage } from '../intake/views.js';
import { htmlPage } from '../shared/pages.js';
import { problemStatus } from './texts.js';
import { confirmPage, donePage, problemPage } from './views.js';

export interface ActionsDeps {
  readonly cases: CaseStore;
  readonly municipality: Municipality;
  readonly clock: Clock;
  /** The key that signed the links. */
  readonly key: Uint8Array;
  readonly log: Log;
  readonly metrics: Counter;
}

type Result = APIGatewayProxyStructuredResultV2;

/** Form posts larger than this are not read (an outcome is at most 2000 characters). */
const MAX_BODY_BYTES = 16 * 1024;
/** The text an action needs from its form: the outcome to resolve, the reason to pause. */
const TEXT_FIELDS: Partial<Record<Action, { name: string; schema: typeof outcomeSchema }>> = {
  resolve: { name: 'outcome', schema: outcomeSchema },
  pause: { name: 'reason', schema: reasonSchema },
};
/** Action pages are never indexed. */
const NO_INDEX = { 'x-robots-tag': 'noindex, nofollow' };

/**
 * Officials' actions through the signed links in their e-mails (`/actions/{token}`). GET verifies the link
 * and shows what it would do, changing nothing (mail scanners open links); POST verifies again and applies
 * the action with one conditional write that also records the link as used. A tampered, expired or used
 * link, or one for an official who is no longer the contact, changes nothing and says why.
 */
export function createActionsHandler(deps: ActionsDeps) {
  const m = deps.municipality;

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    const token = event.pathParameters?.token ?? '';
    const query = event.queryStringParameters ?? {};
    const asked = query.lang === 'nl' || query.lang === 'en' ? query.lang : undefined;
    const fallback = pickLanguage(asked, event.headers?.['accept-language']);
    const isPost = event.routeKey.startsWith('POST ');
    try {
      const now = deps.clock();
      const verified = verifyAction(token, deps.key, now);
      if (!verified.ok) {
        deps.metrics.count(verified.reason === 'expired' ? 'ActionLinksExpired' : 'ActionLinksInvalid');
        const problem = verified.reason === 'expired' ? 'expired' : 'invalid';
        return htmlPage(
          problemStatus[problem],
          problemPage({ lang: fallback, municipality: m, token, problem }),
          NO_INDEX,
        );
      }
      const { claims } = verified;
      const lang: Language = asked ?? claims.lang;
      const refuse = (problem: NonNullable<ReturnType<typeof refusalOf>>) =>
        htmlPage(
          problemStatus[problem],
          problemPage({ lang, municipality: m, token, problem, reference: claims.reference }),
          NO_INDEX,
        );

      const c = await deps.cases.get(claims.reference);
      const refusal = refusalOf(c, claims);
      if (refusal !== undefined || c === undefined) return refuse(refusal ?? 'missing');
      if (!isPost) return htmlPage(200, confirmPage({ lang, municipality: m, token, claims, c }), NO_INDEX);

      let text: string | undefined;
      const field = TEXT_FIELDS[claims.action];
      if (field !== undefined) {
        const raw = event.body ?? '';
        const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
        const typed =
          body.byteLength > MAX_BODY_BYTES
            ? ''
            : (new URLSearchParams(body.toString('utf8')).get(field.name) ?? '');
        const parsed = field.schema.safeParse(typed);
        if (!parsed.success)
          return htmlPage(
            400,
            confirmPage({
              lang,
              municipality: m,
              token,
              claims,
              c,
              outcome: typed.slice(0, 2000),
              outcomeError: true,
            }),
            NO_INDEX,
          );
        text = parsed.data;
      }
      const change = planAction(c, claims, now, m.sla.calendar, text);
      if (!(await deps.cases.applyAction(change))) {
        // Something changed between the read and the write (the link was used, the case handed over).
        const again = refusalOf(await deps.cases.get(claims.reference), claims);
        return refuse(again ?? 'used');
      }
      deps.metrics.count('ActionsApplied');
      deps.log.info('action applied', {
        reference: c.reference,
        action: claims.action,
        official: claims.official,
      });
      return htmlPage(200, donePage({ lang, municipality: m, token, claims, c }), NO_INDEX);
    } catch (error) {
      deps.log.error('action failed', { routeKey: event.routeKey, error });
      return htmlPage(503, problemPageUnavailable(fallback, m), NO_INDEX);
    }
  };
}

const unavailable = {
  nl: {
    title: 'Even niet beschikbaar',
    text: 'Er ging iets mis aan onze kant. Er is niets veranderd. Probeer het over een minuut opnieuw.',
  },
  en: {
    title: 'Temporarily unavailable',
    text: 'Something went wrong on our side. Nothing has changed. Please try again in a minute.',
  },
} as const;

function problemPageUnavailable(lang: Language, m: Municipality): string {
  return messagePage({
    lang,
    municipality: m,
    ...unavailable[lang],
    switchHref: `?lang=${lang === 'nl' ? 'en' : 'nl'}`,
  });
}
