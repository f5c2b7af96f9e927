import { createDynamo } from '../adapters/sdk/dynamo.js';
import { createSes } from '../adapters/sdk/ses.js';
import { composeDigest } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the SDK clients it uses. */
export const handler = await composeDigest(process.env, { dynamo: createDynamo(), ses: createSes() });
