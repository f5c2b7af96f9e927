import type { RouteMessage } from '../../events/route-message.js';
import { errorSummary } from '../domain/errors.js';
import type { Counter, Log, RouteQueue } from '../domain/ports.js';

export interface QueueForRoutingDeps {
  readonly queue: RouteQueue;
  readonly log: Log;
  readonly metrics: Counter;
}

/**
 * Queues a stored case for the router. A failure is counted (`RouteEnqueueFailed`) and logged, not thrown:
 * the case was stored with `nextAt` set, so the SLA job queues it again once that passes, and the caller
 * (an enterprise, an official) need not try again.
 */
export async function queueForRouting(
  deps: QueueForRoutingDeps,
  message: RouteMessage,
  failure: { readonly level: 'warn' | 'error'; readonly text: string },
): Promise<void> {
  try {
    await deps.queue.send(message);
  } catch (error) {
    deps.metrics.count('RouteEnqueueFailed');
    deps.log[failure.level](failure.text, { reference: message.reference, error: errorSummary(error) });
  }
}
