import { randomBytes } from 'node:crypto';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import { createClients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { secretFromEnv } from '../adapters/link-key.js';
import { observability } from '../adapters/observability.js';
import { dynamoOfficialDirectory } from '../adapters/officials.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { actionLinkMaker } from '../domain/action-link.js';
import { createActionsHandler } from './handler.js';

// Cold start: environment, the link key, clients and config are read once.
const resources = resourcesFromEnv('actions');
const key = await secretFromEnv('actions', 'actionLinkKey');
const clients = createClients();
const { logger, counter, instrument } = observability('actions');

export const handler = instrument(
  createActionsHandler({
    cases: dynamoCaseStore(clients.dynamo, resources.table('cases')),
    municipality,
    clock: () => new Date(),
    key,
    officials: dynamoOfficialDirectory(clients.dynamo, resources.table('cases')),
    queue: sqsRouteQueue(clients.sqs, resources.queue('route')),
    // Links this function shows on its own pages are relative: they open on the same host.
    links: actionLinkMaker({ key, baseUrl: '', clock: () => new Date(), randomBytes }),
    log: logger,
    metrics: counter,
  }),
);
