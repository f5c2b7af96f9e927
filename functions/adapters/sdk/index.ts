import type { ClientName, Clients } from '../clients.js';
import { createDynamo } from './dynamo.js';
import { createSes } from './ses.js';
import { createSqs } from './sqs.js';

/**
 * The named SDK clients, for a runtime that composes the functions itself (the local one) and for tests. A
 * Lambda entry (`functions/<name>/index.ts`) never imports this module: it imports the one module per client
 * it uses, so its bundle holds no other client.
 */
export function createClients(names: readonly ClientName[]): Partial<Clients> {
  const uses = (name: ClientName) => names.includes(name);
  return {
    ...(uses('dynamo') ? { dynamo: createDynamo() } : {}),
    ...(uses('sqs') ? { sqs: createSqs() } : {}),
    ...(uses('ses') ? { ses: createSes() } : {}),
  };
}
