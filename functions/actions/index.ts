import { createDynamo } from '../adapters/sdk/dynamo.js';
import { createSqs } from '../adapters/sdk/sqs.js';
import { composeActions } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the SDK clients it uses. */
export const handler = await composeActions(process.env, { dynamo: createDynamo(), sqs: createSqs() });
