import { routeMessage } from '../../events/route-message.js';
import { type QueueForRoutingDeps, queueForRouting } from './queue-for-routing.js';

/**
 * Hand a case over (the official chose a colleague, or gave it back to routing, through an action link).
 * 1. The handover is applied as an action (`apply-action.ts`): the new contact, or none, with the clocks
 *    as they are (the promises were made to the enterprise, not by one official), and `nextAt` set.
 * 2. The case is queued for the router.
 * 3. The router (`route-case.ts`) sends the e-mails of the handover round, once each: the new contact
 *    and the enterprise; a case given back is routed again, not to the official who gave it back.
 * A lost queue message loses nothing: the SLA job finds the case by its `nextAt` and queues it again.
 */
export async function handOver(deps: QueueForRoutingDeps, reference: string): Promise<void> {
  await queueForRouting(deps, routeMessage(reference), {
    level: 'warn',
    text: 'handover not queued; the SLA job queues it again',
  });
}
