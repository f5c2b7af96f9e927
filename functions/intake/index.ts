import { randomBytes } from 'node:crypto';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import { createClients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { observability } from '../adapters/observability.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { createIntakeHandler } from './handler.js';

// Cold start: environment, clients and config are read once.
const resources = resourcesFromEnv('intake');
const clients = createClients();
const { logger, counter, instrument } = observability('intake');

export const handler = instrument(
  createIntakeHandler({
    cases: dynamoCaseStore(clients.dynamo, resources.table('cases')),
    queue: sqsRouteQueue(clients.sqs, resources.queue('route')),
    municipality,
    clock: () => new Date(),
    randomBytes,
    log: logger,
    metrics: counter,
  }),
);
