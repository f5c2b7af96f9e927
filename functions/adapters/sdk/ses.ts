import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../tracing.js';
import { clientOptions } from './options.js';

/** The SES client of a function that sends mail, captured by the tracer. */
export const createSes = (): SESv2Client => tracer.captureAWSv3Client(new SESv2Client(clientOptions()));
