import { composeActions } from './actions/main.js';
import type { FunctionName } from './declaration.js';
import { composeIntake } from './intake/main.js';
import { composeRouter } from './router/main.js';
import type { Composition } from './shared/composition.js';
import { composeSla } from './sla/main.js';

/** Each declared function's composition, for a runtime that composes them itself (the local one). */
export const compositions: Readonly<Record<FunctionName, Composition>> = {
  intake: composeIntake,
  router: composeRouter,
  sla: composeSla,
  actions: composeActions,
};
