import { SESv2Client } from '@aws-sdk/client-sesv2';
import { captured } from '../tracing.js';
import { clientOptions } from './options.js';

/** The SES client of a function that sends mail, captured by the tracer. */
export const createSes = (): SESv2Client => captured(new SESv2Client(clientOptions()));
