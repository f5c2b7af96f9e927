import { composeActions } from './actions/main.js';
import type { FunctionName } from './declaration.js';
import { composeDigest } from './digest/main.js';
import { composeIntake } from './intake/main.js';
import { composeMailEvents } from './mail-events/main.js';
import { composeRetention } from './retention/main.js';
import { composeRouter } from './router/main.js';
import { type Composition, composition } from './shared/composition.js';
import { composeSla } from './sla/main.js';

/**
 * Each declared function's composition and the SDK clients it uses (those its declaration says: a table is
 * DynamoDB, a queue SQS, `sendsMail` SES), for a runtime that composes them itself (the local one).
 */
export const compositions: Readonly<Record<FunctionName, Composition>> = {
  intake: composition(['dynamo', 'sqs'], composeIntake),
  router: composition(['dynamo', 'sqs', 'ses'], composeRouter),
  sla: composition(['dynamo', 'sqs', 'ses'], composeSla),
  actions: composition(['dynamo', 'sqs'], composeActions),
  mailEvents: composition(['dynamo', 'sqs', 'ses'], composeMailEvents),
  retention: composition(['dynamo'], composeRetention),
  digest: composition(['dynamo', 'ses'], composeDigest),
};
