import { createDynamo } from '../adapters/sdk/dynamo.js';
import { createSqs } from '../adapters/sdk/sqs.js';
import { composeIntake } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the SDK clients it uses. */
export const handler = await composeIntake(process.env, { dynamo: createDynamo(), sqs: createSqs() });
