import { SQSClient } from '@aws-sdk/client-sqs';
import { captured } from '../tracing.js';
import { clientOptions } from './options.js';

/** The SQS client of a function that sends to a queue, captured by the tracer. */
export const createSqs = (): SQSClient => captured(new SQSClient(clientOptions()));
