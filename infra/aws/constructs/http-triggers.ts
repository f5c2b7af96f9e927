import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { pascal } from './ids.js';
import type { Triggered } from './triggers.js';

export interface HttpTriggersProps {
  /** API name shown in the console. */
  readonly apiName: string;
  /** Functions with an `http` trigger; each declared route is added to the one API. */
  readonly functions: readonly Triggered<'http'>[];
  /** Requests per second (steady) and burst the `$default` stage accepts. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** How long access log entries are kept. */
  readonly accessLogRetention: RetentionDays;
  /**
   * The API's own domain and its ACM certificate (same Region). Given, the API serves there only: the
   * default execute-api endpoint is disabled.
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string } | undefined;
}

/**
 * One JSON line per request. The route key (`GET /cases/{reference}`) is logged instead of the path, so the
 * tokens in status and action links (path and query) never reach the logs; the source IP is kept for abuse
 * investigation, for the retention period only.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  route: '$context.routeKey',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  bytes: '$context.responseLength',
} as const;

const method = z.enum(HttpMethod);

/** Why the routes have no authorizer (cdk-nag AwsSolutions-APIG4), for whoever reviews the template. */
const publicRoute = {
  id: 'AwsSolutions-APIG4',
  reason:
    'The routes are public by design and each carries its own proof where one is needed: the intake form, the privacy statement and POST /cases serve enterprises without an account (validated by an allow-list schema, size-limited, throttled at the stage, with a honeypot and idempotency); GET /cases/{reference} answers only with the random status token whose hash is stored (a wrong token and an unknown case answer the same 404); /actions/{token} accepts only HMAC-SHA256-signed, expiring, single-use links sent to the assigned official, and changes state only on POST; GET /my-cases/{token} accepts only HMAC-SHA256-signed links from the digest of an official that expire with the next digest, and only reads; /satisfaction/{token} accepts only HMAC-SHA256-signed links e-mailed to the enterprise of a resolved case, expiring after 30 days, and records one answer per case, only on POST. An IAM, JWT or Lambda authorizer would demand an identity neither enterprises nor officials (who act from e-mail) have.',
} as const;

/** `"POST /cases"` -> `{ method: POST, path: '/cases' }`. */
export function parseRoute(route: string): { readonly method: HttpMethod; readonly path: string } {
  const space = route.indexOf(' ');
  return { method: method.parse(route.slice(0, space)), path: route.slice(space + 1) };
}

/**
 * The public entrance: one HTTP API with every declared route, each integrated with its function.
 * The `$default` stage is created explicitly because only then can it be throttled; it writes access
 * logs to its own log group.
 */
export class HttpTriggers extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The custom domain, when one is given: its DNS name points at `regionalDomainName`. */
  readonly domain: DomainName | undefined;
  /** Base URL of the API: its own domain, else the `$default` stage (which serves at the root). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpTriggersProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      createDefaultStage: false,
      // With a domain of its own, links and users reach the API there only: an execute-api address in an
      // e-mail from the municipality looks like phishing, and a second entrance is one more to watch.
      disableExecuteApiEndpoint: props.domain !== undefined,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.accessLogRetention });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    if (props.domain === undefined) {
      this.domain = undefined;
      this.url = this.stage.url;
    } else {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      // An explicit mapping: `defaultDomainMapping` needs the API's own default stage, and the throttled
      // `$default` stage above is created apart from the API.
      new ApiMapping(this, 'DomainMapping', { api: this.api, domainName: this.domain, stage: this.stage });
      this.url = `https://${props.domain.name}/`;
    }
    for (const { name, fn, trigger } of props.functions) {
      const integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn);
      for (const route of trigger.routes) {
        const { method, path } = parseRoute(route);
        for (const added of this.api.addRoutes({ path, methods: [method], integration }))
          Validations.of(added).acknowledge(publicRoute);
      }
    }
  }
}
