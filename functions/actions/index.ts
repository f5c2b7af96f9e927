import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import { createClients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { secretFromEnv } from '../adapters/link-key.js';
import { observability } from '../adapters/observability.js';
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
    log: logger,
    metrics: counter,
  }),
);
