import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Assets } from './assets.js';
import { header } from './request.js';

type Result = APIGatewayProxyStructuredResultV2;
type Headers = Readonly<Record<string, string>>;

/**
 * What every page carries: no scripts at all, styles only from this origin (the stylesheets under
 * `/assets/`), nothing else loaded, forms only to this origin, never framed, no referrer.
 */
export const PAGE_SECURITY_HEADERS: Headers = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A page: never cached (status pages hold personal data), with the page security headers. */
export const htmlPage = (statusCode: number, body: string, headers: Headers = {}): Result => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...PAGE_SECURITY_HEADERS,
    ...headers,
  },
  body,
});

/** A JSON answer of the API: never cached. */
export const jsonResponse = (statusCode: number, body: unknown, headers: Headers = {}): Result => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/** A year: an asset's name holds its content hash, so a changed file has another URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `GET /assets/{file}`: a stylesheet by its hashed name, gzipped when the client accepts it. */
export function assetResponse(event: APIGatewayProxyEventV2, assets: Assets): Result {
  const asset = assets.find(event.pathParameters?.file ?? '');
  if (asset === undefined)
    return {
      statusCode: 404,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...PAGE_SECURITY_HEADERS,
      },
      body: 'Niet gevonden / Not found',
    };
  const headers = {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': IMMUTABLE,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (/\bgzip\b/i.test(header(event, 'accept-encoding') ?? ''))
    return {
      statusCode: 200,
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: asset.gzipped().toString('base64'),
      isBase64Encoded: true,
    };
  return { statusCode: 200, headers, body: asset.css };
}
