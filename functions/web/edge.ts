import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { header } from './request.js';
import { PAGE_SECURITY_HEADERS } from './responses.js';

/**
 * Edge protection (deployed with context `edge=true`, infra/aws/constructs/edge.ts): CloudFront with AWS WAF
 * in front of the HTTP API. An HTTP API takes no WAF and cannot refuse requests that skip CloudFront, so
 * CloudFront adds a secret header to every request it forwards, and the HTTP functions refuse each request
 * without it. The stack sets the two variables below on the HTTP functions only with edge; without them
 * (no edge, the local runtime, the tests) nothing here changes a request.
 */

/** The secret CloudFront sends in {@link EDGE_ORIGIN_HEADER} (from Secrets Manager, resolved at deploy). */
export const EDGE_ORIGIN_SECRET_ENV = 'EDGE_ORIGIN_SECRET';
/** The host name viewers reach the service at: the distribution's domain, or the custom domain. */
export const EDGE_PUBLIC_HOST_ENV = 'EDGE_PUBLIC_HOST';
/** The origin custom header CloudFront adds to each request it forwards to the API. */
export const EDGE_ORIGIN_HEADER = 'x-aanspreekpunt-edge';
/** CloudFront's header with the viewer's address and port (`198.51.100.7:46532`, `2001:db8::7:46532`). */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** Shorter secrets are refused at cold start: the stack generates 48 characters. */
const MIN_SECRET_LENGTH = 32;

export interface EdgeOrigin {
  /** The value of {@link EDGE_ORIGIN_HEADER} on every request that came through CloudFront. */
  readonly secret: string;
  /** The host name the viewer addressed (see {@link EDGE_PUBLIC_HOST_ENV}). */
  readonly publicHost: string;
}

/**
 * The edge the function is deployed behind, from its environment: `undefined` when neither variable is set
 * (no edge). One without the other, or a short secret, is a deployment error and fails the cold start.
 */
export function edgeOriginFromEnv(env: NodeJS.ProcessEnv): EdgeOrigin | undefined {
  const secret = env[EDGE_ORIGIN_SECRET_ENV];
  const publicHost = env[EDGE_PUBLIC_HOST_ENV];
  if (secret === undefined && publicHost === undefined) return undefined;
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH)
    throw new Error(`missing or invalid environment variable ${EDGE_ORIGIN_SECRET_ENV}`);
  if (publicHost === undefined || publicHost === '')
    throw new Error(`missing or invalid environment variable ${EDGE_PUBLIC_HOST_ENV}`);
  return { secret, publicHost };
}

/** The edge of this deployment, read once at cold start. */
const deployedEdge = edgeOriginFromEnv(process.env);

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether the request carries the edge's secret header (compared in constant time). */
export function cameThroughEdge(event: APIGatewayProxyEventV2, edge: EdgeOrigin): boolean {
  const presented = header(event, EDGE_ORIGIN_HEADER);
  return presented !== undefined && timingSafeEqual(digest(presented), digest(edge.secret));
}

/** The IP part of a `CloudFront-Viewer-Address` value (the port follows the last colon), if it is an IP. */
export function viewerIpOf(viewerAddress: string): string | undefined {
  const ip = viewerAddress.slice(0, viewerAddress.lastIndexOf(':'));
  return isIP(ip) === 0 ? undefined : ip;
}

/**
 * The IP address of the client that sent an API Gateway HTTP API request, for per-IP limits and abuse
 * investigation. Normally `requestContext.http.sourceIp` (the address that connected to API Gateway).
 * Behind the edge (`edge=true`) that is a CloudFront server, so when the request carries the edge's secret
 * header, the viewer's address from `CloudFront-Viewer-Address` is taken instead. Without the secret (a
 * request that skipped CloudFront, which {@link behindEdge} refuses anyway) the header is not believed:
 * anyone can send it. `edge` defaults to this deployment's (from the environment at cold start).
 */
export function clientIpOf(
  event: APIGatewayProxyEventV2,
  edge: EdgeOrigin | undefined = deployedEdge,
): string {
  const sourceIp = event.requestContext.http.sourceIp;
  if (edge === undefined || !cameThroughEdge(event, edge)) return sourceIp;
  const viewerAddress = header(event, VIEWER_ADDRESS_HEADER);
  return (viewerAddress === undefined ? undefined : viewerIpOf(viewerAddress)) ?? sourceIp;
}

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The answer to a request that skipped CloudFront. */
const notThroughEdge: APIGatewayProxyStructuredResultV2 = {
  statusCode: 403,
  headers: {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...PAGE_SECURITY_HEADERS,
  },
  body: 'Deze dienst is alleen bereikbaar via het adres van de gemeente. / This service is reachable only at the municipality’s address.',
};

/**
 * An HTTP handler behind the edge: a request without the edge's secret header is answered 403 without
 * reaching the handler; one with it reaches the handler as the viewer sent it: `requestContext.domainName` is
 * the public host (so links the handler builds from it, such as the status page's, lead through CloudFront
 * and not to the API's own endpoint), and `requestContext.http.sourceIp` is the viewer's address (so the
 * intake's per-source limit counts clients, not CloudFront's servers). Without an edge the handler is
 * returned as it is.
 */
export function behindEdge(handler: HttpHandler, edge: EdgeOrigin | undefined = deployedEdge): HttpHandler {
  if (edge === undefined) return handler;
  return async (event) => {
    if (!cameThroughEdge(event, edge)) return notThroughEdge;
    const { requestContext } = event;
    return handler({
      ...event,
      requestContext: {
        ...requestContext,
        domainName: edge.publicHost,
        http: { ...requestContext.http, sourceIp: clientIpOf(event, edge) },
      },
    });
  };
}
