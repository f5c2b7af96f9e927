import { createDynamo } from '../adapters/sdk/dynamo.js';
import { composeRetention } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the SDK client it uses. */
export const handler = await composeRetention(process.env, { dynamo: createDynamo() });
