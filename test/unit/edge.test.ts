import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { composeActions } from '../../functions/actions/main.js';
import { createDynamo } from '../../functions/adapters/sdk/dynamo.js';
import { createSqs } from '../../functions/adapters/sdk/sqs.js';
import { declaration, environmentFor } from '../../functions/declaration.js';
import { composeIntake } from '../../functions/intake/main.js';
import {
  behindEdge,
  cameThroughEdge,
  clientIpOf,
  EDGE_ORIGIN_HEADER,
  EDGE_ORIGIN_SECRET_ENV,
  EDGE_PUBLIC_HOST_ENV,
  type EdgeOrigin,
  edgeOriginFromEnv,
  VIEWER_ADDRESS_HEADER,
  viewerIpOf,
} from '../../functions/web/edge.js';
import { required } from '../support/cases.js';
import { API_DOMAIN, apiEvent, lambdaContext } from '../support/events.js';
import { awsResourceNames } from '../support/resources.js';

const edge: EdgeOrigin = {
  secret: 'a'.repeat(24) + 'b'.repeat(24),
  publicHost: 'd111111abcdef8.cloudfront.net',
};

/** A request as API Gateway delivers it; its source IP is 192.0.2.1 (the connecting address). */
const request = (headers: Record<string, string> = {}) =>
  apiEvent({ routeKey: 'GET /', headers: { 'accept-language': 'nl', ...headers } });

const throughEdge = (headers: Record<string, string> = {}) =>
  request({ [EDGE_ORIGIN_HEADER]: edge.secret, ...headers });

/** A handler that records the event it was given and answers 200. */
function recordingHandler() {
  const seen: APIGatewayProxyEventV2[] = [];
  const handler = async (event: APIGatewayProxyEventV2) => {
    seen.push(event);
    return { statusCode: 200, body: 'ok' };
  };
  return { seen, handler };
}

describe('edge origin check: the environment', () => {
  it('reads no edge when neither variable is set', () => {
    expect(edgeOriginFromEnv({})).toBeUndefined();
  });

  it('reads the secret and the public host when both are set', () => {
    const read = edgeOriginFromEnv({
      [EDGE_ORIGIN_SECRET_ENV]: edge.secret,
      [EDGE_PUBLIC_HOST_ENV]: edge.publicHost,
    });

    expect(read).toEqual(edge);
  });

  it.each([
    ['the public host without a secret', { [EDGE_PUBLIC_HOST_ENV]: edge.publicHost }, EDGE_ORIGIN_SECRET_ENV],
    [
      'a secret shorter than 32 characters',
      { [EDGE_ORIGIN_SECRET_ENV]: 'short', [EDGE_PUBLIC_HOST_ENV]: edge.publicHost },
      EDGE_ORIGIN_SECRET_ENV,
    ],
    ['a secret without the public host', { [EDGE_ORIGIN_SECRET_ENV]: edge.secret }, EDGE_PUBLIC_HOST_ENV],
  ])('fails the cold start on %s, naming the variable', (_, env, name) => {
    expect(() => edgeOriginFromEnv(env)).toThrow(name);
  });
});

describe('edge origin check: requests', () => {
  it('admits a request with the secret header', () => {
    expect(cameThroughEdge(throughEdge(), edge)).toBe(true);
  });

  it.each([
    ['without the header', request()],
    ['with another value', request({ [EDGE_ORIGIN_HEADER]: `${edge.secret}x` })],
    ['with an empty value', request({ [EDGE_ORIGIN_HEADER]: '' })],
  ])('refuses a request %s', (_, event) => {
    expect(cameThroughEdge(event, edge)).toBe(false);
  });

  it('answers 403 to a request that skipped CloudFront, without calling the handler', async () => {
    // Prepare
    const { seen, handler } = recordingHandler();
    // Act
    const result = await behindEdge(handler, edge)(request());
    // Assess
    expect(result.statusCode).toBe(403);
    expect(result.body).toMatch(/alleen bereikbaar.*only at/);
    expect(seen).toHaveLength(0);
  });

  it('passes a request through CloudFront on, with the public host as its domain name and the viewer as its source', async () => {
    // Prepare
    const { seen, handler } = recordingHandler();
    // Act
    const result = await behindEdge(
      handler,
      edge,
    )(throughEdge({ [VIEWER_ADDRESS_HEADER]: '203.0.113.9:46532' }));
    // Assess
    expect(result.statusCode).toBe(200);
    expect(seen.map((event) => event.requestContext.domainName)).toEqual([edge.publicHost]);
    // The intake's per-source limit counts this address, not CloudFront's (192.0.2.1 connected).
    expect(seen.map((event) => event.requestContext.http.sourceIp)).toEqual(['203.0.113.9']);
    expect(seen[0]?.headers['accept-language']).toBe('nl');
  });

  it('leaves the handler as it is without an edge', async () => {
    // Prepare
    const { seen, handler } = recordingHandler();
    // Act
    const wrapped = behindEdge(handler, undefined);
    const result = await wrapped(request());
    // Assess
    expect(wrapped).toBe(handler);
    expect(result.statusCode).toBe(200);
    expect(seen.map((event) => event.requestContext.domainName)).toEqual([API_DOMAIN]);
  });
});

describe('the client IP of an HTTP API request', () => {
  it('is the source IP without an edge, whatever CloudFront-Viewer-Address says', () => {
    const event = request({ [VIEWER_ADDRESS_HEADER]: '203.0.113.9:443' });

    expect(clientIpOf(event, undefined)).toBe('192.0.2.1');
  });

  it.each([
    ['an IPv4 viewer', '203.0.113.9:46532', '203.0.113.9'],
    ['an IPv6 viewer', '2001:db8::7:46532', '2001:db8::7'],
  ])('is the viewer address behind the edge when the secret header is there: %s', (_, value, ip) => {
    const event = throughEdge({ [VIEWER_ADDRESS_HEADER]: value });

    expect(clientIpOf(event, edge)).toBe(ip);
  });

  it('does not believe CloudFront-Viewer-Address on a request without the secret header', () => {
    const event = request({ [VIEWER_ADDRESS_HEADER]: '203.0.113.9:46532' });

    expect(clientIpOf(event, edge)).toBe('192.0.2.1');
  });

  it('falls back to the source IP when the viewer address is missing or not an address', () => {
    expect(clientIpOf(throughEdge(), edge)).toBe('192.0.2.1');
    expect(clientIpOf(throughEdge({ [VIEWER_ADDRESS_HEADER]: 'nonsense' }), edge)).toBe('192.0.2.1');
  });

  it('reads the IP part of a viewer address only when it is an IP', () => {
    expect(viewerIpOf('198.51.100.7:80')).toBe('198.51.100.7');
    expect(viewerIpOf('evil.example:80')).toBeUndefined();
    expect(viewerIpOf('198.51.100.7')).toBeUndefined();
  });
});

describe('the HTTP functions as deployed behind the edge', () => {
  const resources = awsResourceNames;
  const edgeEnv = { [EDGE_ORIGIN_SECRET_ENV]: edge.secret, [EDGE_PUBLIC_HOST_ENV]: edge.publicHost };
  const clients = () => ({ dynamo: createDynamo(), sqs: createSqs() });

  it('the intake refuses a request that skipped CloudFront and serves the form to one through it', async () => {
    // Prepare: the environment the stack gives the intake with edge=true
    const env = {
      ...environmentFor(required(declaration.functions.intake, 'intake'), resources),
      ...edgeEnv,
    };
    const handler = await composeIntake(env, clients());
    // Act
    const skipped = await handler(request(), lambdaContext('intake'));
    const through = await handler(throughEdge(), lambdaContext('intake'));
    // Assess
    expect(skipped.statusCode).toBe(403);
    expect(through.statusCode).toBe(200);
    expect(through.body).toContain('<form');
  });

  it('the actions function refuses a request that skipped CloudFront', async () => {
    // Prepare
    const env = {
      ...environmentFor(required(declaration.functions.actions, 'actions'), resources),
      ACTION_LINK_KEY: Buffer.alloc(32, 7).toString('base64'),
      ...edgeEnv,
    };
    const handler = await composeActions(env, clients());
    const event = apiEvent({ routeKey: 'GET /actions/{token}', pathParameters: { token: 'not-a-link' } });
    // Act
    const result = await handler(event, lambdaContext('actions'));
    // Assess
    expect(result.statusCode).toBe(403);
    expect(result.body).toMatch(/alleen bereikbaar/);
  });
});
