import { randomBytes } from 'node:crypto';
import { municipality } from '../../config/index.js';
import { declaration } from '../../infra/declaration.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import { createClients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { publicBaseUrlFromEnv, secretFromEnv } from '../adapters/link-key.js';
import { sesMailer } from '../adapters/mailer.js';
import { observability } from '../adapters/observability.js';
import { dynamoOfficialDirectory } from '../adapters/officials.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { actionLinkMaker } from '../domain/action-link.js';
import { createSlaHandler } from './handler.js';

const resources = resourcesFromEnv('sla');
const trigger = declaration.functions.sla?.trigger;
const SLA_RATE_MINUTES = trigger?.kind === 'schedule' ? trigger.rateMinutes : 5;
const linkKey = await secretFromEnv('sla', 'actionLinkKey');
const baseUrl = publicBaseUrlFromEnv('sla');
const clients = createClients();
const { logger, counter, instrument } = observability('sla');

export const handler = instrument(
  createSlaHandler({
    cases: dynamoCaseStore(clients.dynamo, resources.table('cases')),
    officials: dynamoOfficialDirectory(clients.dynamo, resources.table('cases')),
    rateMinutes: SLA_RATE_MINUTES,
    queue: sqsRouteQueue(clients.sqs, resources.queue('route')),
    mailer: sesMailer(clients.ses, { configurationSet: process.env.MAIL_CONFIGURATION_SET || undefined }),
    municipality,
    clock: () => new Date(),
    links: actionLinkMaker({ key: linkKey, baseUrl, clock: () => new Date(), randomBytes }),
    log: logger,
    metrics: counter,
  }),
);
