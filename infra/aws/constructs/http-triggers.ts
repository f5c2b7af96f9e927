import { HttpApi, HttpMethod, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
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
}

const method = z.enum(HttpMethod);

/** `"POST /cases"` -> `{ method: POST, path: '/cases' }`. */
export function parseRoute(route: string): { readonly method: HttpMethod; readonly path: string } {
  const space = route.indexOf(' ');
  return { method: method.parse(route.slice(0, space)), path: route.slice(space + 1) };
}

/**
 * The public entrance: one HTTP API with every declared route, each integrated with its function.
 * The `$default` stage is created explicitly because only then can it be throttled.
 */
export class HttpTriggers extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Base URL of the API (the `$default` stage serves at the root). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpTriggersProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName: props.apiName, createDefaultStage: false });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
    });
    this.url = this.stage.url;
    for (const { name, fn, trigger } of props.functions) {
      const integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn);
      for (const route of trigger.routes) {
        const { method, path } = parseRoute(route);
        this.api.addRoutes({ path, methods: [method], integration });
      }
    }
  }
}
