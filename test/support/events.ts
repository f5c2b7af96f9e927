import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** What a test says about an HTTP request; everything else gets a plausible API Gateway v2 value. */
export interface ApiEventInput {
  readonly routeKey: 'POST /cases' | 'GET /cases/{reference}' | (string & {});
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  /** Header names as API Gateway v2 delivers them: lowercase. */
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly domainName?: string;
  readonly requestId?: string;
  /** The client's address as API Gateway saw it (default 192.0.2.1). */
  readonly sourceIp?: string;
}

export const API_DOMAIN = 'aanspreekpunt.voorbeeld.example';

/** An API Gateway HTTP API (payload v2) event. */
export function apiEvent(input: ApiEventInput): APIGatewayProxyEventV2 {
  const [method = 'GET', template = '/'] = input.routeKey.split(' ');
  const path = Object.entries(input.pathParameters ?? {}).reduce(
    (p, [name, value]) => p.replace(`{${name}}`, encodeURIComponent(value)),
    template,
  );
  const rawQueryString = new URLSearchParams(input.query ?? {}).toString();
  const domainName = input.domainName ?? API_DOMAIN;
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: path,
    rawQueryString,
    headers: { host: domainName, 'x-forwarded-proto': 'https', ...input.headers },
    queryStringParameters: input.query,
    pathParameters: input.pathParameters,
    body: input.body,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: input.requestId ?? 'request-1',
      routeKey: input.routeKey,
      stage: '$default',
      time: '03/Mar/2025:09:00:00 +0000',
      timeEpoch: Date.parse('2025-03-03T09:00:00Z'),
    },
  };
}

/** A `POST /cases` with a JSON body. */
export const postCase = (
  body: unknown,
  headers: Record<string, string> = {},
  sourceIp?: string,
): APIGatewayProxyEventV2 =>
  apiEvent({
    routeKey: 'POST /cases',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
    sourceIp,
  });

/** A `GET /cases/{reference}` with an optional token, asking for JSON unless the headers say otherwise. */
export const getCase = (
  reference: string,
  token: string | undefined,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 =>
  apiEvent({
    routeKey: 'GET /cases/{reference}',
    pathParameters: { reference },
    query: token === undefined ? undefined : { token },
    headers: { accept: 'application/json', ...headers },
  });

/** One SQS record as Lambda's event source mapping delivers it. */
export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1741000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1741000000001',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:aanspreekpunt-route',
    awsRegion: 'eu-central-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** The little of a Lambda context the handlers touch. */
export function lambdaContext(functionName = 'router'): Context {
  const context = {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: 'invocation-1',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  };
  return context as unknown as Context;
}
