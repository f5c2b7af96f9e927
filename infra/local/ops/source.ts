import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Official } from '../../../config/schema.js';
import { caseFromItem } from '../../../functions/adapters/cases.js';
import { dynamoOfficialDirectory } from '../../../functions/adapters/officials.js';
import type { Case } from '../../../functions/domain/case.js';
import type { QueueDepth } from './figures.js';

/**
 * What the ops page reads from the local emulators. Not for AWS: the cases come from a paginated Scan of
 * the whole table, which is fine for the few thousand cases of a local system and exactly what a
 * production table must never see on every page view (there, the CloudWatch dashboard reads metrics).
 */
export interface OpsReadings {
  readonly cases: readonly Case[];
  readonly unreadable: number;
  readonly officials: readonly Official[];
  readonly queues: { readonly route: QueueDepth; readonly deadLetter: QueueDepth };
}

export interface OpsSourceOptions {
  readonly db: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly table: string;
  readonly queueUrl: string;
  readonly deadLetterUrl: string;
  /**
   * The queue counts in-flight messages in ApproximateNumberOfMessages too (local-aws-sqs 2.0.2 does; real
   * SQS does not): subtract them to get the waiting ones.
   */
  readonly visibleIncludesInFlight: boolean;
}

const CASE_PREFIX = 'CASE#';

export function opsSource(o: OpsSourceOptions): () => Promise<OpsReadings> {
  const officials = dynamoOfficialDirectory(o.db, o.table, { cacheMs: 0 });

  async function cases(): Promise<{ cases: Case[]; unreadable: number }> {
    const found: Case[] = [];
    let unreadable = 0;
    const pages = paginateScan(
      { client: o.db },
      {
        TableName: o.table,
        FilterExpression: 'begins_with(pk, :case)',
        ExpressionAttributeValues: { ':case': CASE_PREFIX },
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) {
        try {
          found.push(caseFromItem(item));
        } catch {
          unreadable++;
        }
      }
    return { cases: found, unreadable };
  }

  async function depth(url: string): Promise<QueueDepth> {
    const { Attributes: a = {} } = await o.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const count = (value: string | undefined) => {
      const n = Number(value ?? 0);
      return Number.isInteger(n) && n >= 0 ? n : 0;
    };
    const listed = count(a.ApproximateNumberOfMessages);
    const inFlight = count(a.ApproximateNumberOfMessagesNotVisible);
    return { visible: o.visibleIncludesInFlight ? Math.max(0, listed - inFlight) : listed, inFlight };
  }

  return async () => {
    const [read, list, route, deadLetter] = await Promise.all([
      cases(),
      officials.list(),
      depth(o.queueUrl),
      depth(o.deadLetterUrl),
    ]);
    return { ...read, officials: list, queues: { route, deadLetter } };
  };
}
