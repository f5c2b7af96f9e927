import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Language } from '../domain/messages.js';
import { isLanguage, pickLanguage } from './language.js';

/**
 * The steps every page and endpoint reads a request with, so that they behave the same everywhere:
 * headers, the language, the body under a limit.
 */

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  event.headers?.[name] ?? undefined;

/** The media type of the body, lower case, without parameters (`application/json`). */
export const contentTypeOf = (event: APIGatewayProxyEventV2): string =>
  (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** The language the link or the switch asked for (`?lang=nl` or `?lang=en`), if any. */
export const askedLanguage = (event: APIGatewayProxyEventV2): Language | undefined => {
  const asked = event.queryStringParameters?.lang;
  return isLanguage(asked) ? asked : undefined;
};

/** The request's language: `?lang=`, else Accept-Language (q-values), else Dutch. */
export const requestLanguage = (event: APIGatewayProxyEventV2): Language =>
  pickLanguage(askedLanguage(event), header(event, 'accept-language'));

export interface BodyOptions {
  /** Bodies above this many bytes are refused before any parsing. */
  readonly maxBytes: number;
}

export type Body =
  | { readonly ok: true; readonly bytes: Buffer; readonly text: () => string }
  | { readonly ok: false; readonly reason: 'tooLarge' };

/** The request body as bytes (API Gateway may send it base64-encoded), or `tooLarge` above the limit. */
export function readBody(event: APIGatewayProxyEventV2, options: BodyOptions): Body {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > options.maxBytes) return { ok: false, reason: 'tooLarge' };
  return { ok: true, bytes, text: () => bytes.toString('utf8') };
}

/**
 * The address a request came from, for the per-source limit: the client's IP as API Gateway saw it, or behind
 * the edge the viewer's, which `behindEdge` (web/edge.ts) has put there.
 */
export const sourceOf = (event: APIGatewayProxyEventV2): string => event.requestContext.http.sourceIp;
