import { createDynamo } from '../adapters/sdk/dynamo.js';
import { createSes } from '../adapters/sdk/ses.js';
import { createSqs } from '../adapters/sdk/sqs.js';
import { composeMailEvents } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the SDK clients it uses. */
export const handler = await composeMailEvents(process.env, {
  dynamo: createDynamo(),
  ses: createSes(),
  sqs: createSqs(),
});
