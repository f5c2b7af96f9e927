import { randomBytes } from 'node:crypto';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import { createClients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { crashingMailer, faultsFromEnv } from '../adapters/faults.js';
import { publicBaseUrlFromEnv, secretFromEnv } from '../adapters/link-key.js';
import { sesMailer } from '../adapters/mailer.js';
import { observability } from '../adapters/observability.js';
import { dynamoOfficialDirectory } from '../adapters/officials.js';
import { actionLinkMaker } from '../domain/action-link.js';
import { createRouterHandler } from './handler.js';

const resources = resourcesFromEnv('router');
const linkKey = await secretFromEnv('router', 'actionLinkKey');
const baseUrl = publicBaseUrlFromEnv('router');
const clients = createClients();
const { logger, counter, instrument } = observability('router');
// The chaos run only (never set in production): the router fails before some e-mails, as a crash would.
const crashRate = faultsFromEnv()?.['router-crash'] ?? 0;

export const handler = instrument(
  createRouterHandler({
    cases: dynamoCaseStore(clients.dynamo, resources.table('cases')),
    officials: dynamoOfficialDirectory(clients.dynamo, resources.table('cases')),
    mailer: crashingMailer(
      sesMailer(clients.ses, { configurationSet: process.env.MAIL_CONFIGURATION_SET || undefined }),
      crashRate,
    ),
    municipality,
    clock: () => new Date(),
    links: actionLinkMaker({ key: linkKey, baseUrl, clock: () => new Date(), randomBytes }),
    log: logger,
    metrics: counter,
  }),
);
