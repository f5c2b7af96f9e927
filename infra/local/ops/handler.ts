import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { Municipality } from '../../../config/schema.js';
import { pickLanguage } from '../../../functions/web/language.js';
import { htmlPage } from '../../../functions/web/responses.js';
import type { RecentErrors } from './errors.js';
import { type OpsFigures, opsFigures } from './figures.js';
import { AUTO_REFRESH_SECONDS, opsPage } from './page.js';
import type { OpsReadings } from './source.js';

/**
 * `GET /ops` (the page) and `GET /ops.json` (the same figures) on the local gateway. Local only: the AWS
 * stack has no such route; there the CloudWatch dashboard shows these figures.
 */
export const OPS_ROUTES = ['GET /ops', 'GET /ops.json'] as const;

export interface OpsDeps {
  readonly read: () => Promise<OpsReadings>;
  readonly errors: RecentErrors;
  readonly municipality: Municipality;
  readonly clock: () => Date;
  /** The DLQ's name, shown when it holds messages. */
  readonly deadLetterQueue: string;
}

/** Unknown or malformed values are ignored: the page always answers with its defaults. */
const querySchema = z.object({
  lang: z.enum(['nl', 'en']).optional().catch(undefined),
  refresh: z.literal(String(AUTO_REFRESH_SECONDS)).optional().catch(undefined),
});

export function createOpsHandler(deps: OpsDeps) {
  async function figures(): Promise<OpsFigures> {
    const read = await deps.read();
    return opsFigures({
      cases: read.cases,
      unreadable: read.unreadable,
      officials: read.officials,
      queues: read.queues,
      errors: deps.errors.list(),
      now: deps.clock(),
      municipality: deps.municipality,
    });
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const f = await figures();
    if (event.routeKey === 'GET /ops.json')
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify(f),
      };
    const query = querySchema.parse(event.queryStringParameters ?? {});
    const lang = pickLanguage(query.lang, event.headers['accept-language']);
    return htmlPage(
      200,
      opsPage({
        figures: f,
        lang,
        municipality: deps.municipality,
        autoRefresh: query.refresh !== undefined,
        deadLetterQueue: deps.deadLetterQueue,
      }),
    );
  };
}
