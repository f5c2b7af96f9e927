import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { PortInUseError } from './emulators.js';

/**
 * A local stand-in for API Gateway HTTP API (payload format 2.0): it turns requests into the same
 * events API Gateway sends and maps the handler's result back, so the handlers run unchanged.
 */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface GatewayRoute {
  /** `POST /cases`, `GET /cases/{reference}` */
  readonly routeKey: string;
  readonly handler: HttpHandler;
  readonly context: () => Context;
}

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute extends GatewayRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: string[];
}

function compile(route: GatewayRoute): CompiledRoute {
  const [method = '', path = ''] = route.routeKey.split(' ');
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{([a-zA-Z0-9_]+)\+?\}$/.exec(segment);
      if (param?.[1]) {
        params.push(param[1]);
        return segment.endsWith('+}') ? '(.+)' : '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, method, pattern: new RegExp(`^${source}$`), params };
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|multipart\/form-data)/i;

export function toEvent(
  req: IncomingMessage,
  body: Buffer,
  route: CompiledRoute,
  match: RegExpExecArray,
  host: string,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters: Record<string, string> = {};
  route.params.forEach((name, i) => {
    pathParameters[name] = decodeURIComponent(match[i + 1] ?? '');
  });
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '') || body.length === 0;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: cookies.length > 0 ? cookies : undefined,
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: route.params.length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  if (
    typeof result !== 'object' ||
    result === null ||
    !('statusCode' in result) ||
    result.statusCode === undefined
  ) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? ''
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : result.body;
  res.writeHead(result.statusCode, headers).end(body);
}

function message(res: ServerResponse, statusCode: number, text: string): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify({ message: text }));
}

export interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startGateway(
  routes: readonly GatewayRoute[],
  options: { host: string; port: number; onError: (error: unknown) => void },
): Promise<Gateway> {
  const compiled = routes.map(compile);
  const inFlight = new Set<Promise<void>>();

  const server: Server = createServer((req, res) => {
    const work = (async (): Promise<void> => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      const method = req.method ?? 'GET';
      let route: CompiledRoute | undefined;
      let match: RegExpExecArray | null = null;
      for (const candidate of compiled) {
        if (candidate.method !== method) continue;
        match = candidate.pattern.exec(path);
        if (match) {
          route = candidate;
          break;
        }
      }
      if (!route || !match) {
        req.resume();
        message(res, 404, 'Not Found');
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAYLOAD_BYTES) {
          message(res, 413, 'Request Entity Too Large');
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const host = req.headers.host ?? `${options.host}:${options.port}`;
      try {
        send(
          res,
          await route.handler(toEvent(req, Buffer.concat(chunks), route, match, host), route.context()),
        );
      } catch (error) {
        options.onError(error);
        message(res, 500, 'Internal Server Error');
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError('intake', options.port, 'PORT') : error),
    );
    server.listen(options.port, options.host, () => resolve((server.address() as AddressInfo).port));
  });

  return {
    url: `http://${options.host}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.allSettled(inFlight);
    },
  };
}
