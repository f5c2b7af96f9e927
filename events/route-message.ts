import * as z from 'zod';

/** The message on the route queue: "this case needs an accountable contact". */
export const ROUTE_MESSAGE = { type: 'case.submitted', version: 1 } as const;

export const routeMessageSchema = z.strictObject({
  type: z.literal(ROUTE_MESSAGE.type),
  version: z.literal(ROUTE_MESSAGE.version),
  reference: z.string().min(1).max(40),
  /**
   * The enterprise's status link, for the e-mail that names their contact. Only intake knows it (the
   * token is stored hashed); a case queued again by the SLA job goes without, and its e-mail says so.
   */
  statusUrl: z.url().max(500).optional(),
  /**
   * How many times the router put this case off because the mail service could not take its e-mails yet
   * (throttled, sender not verified, sending paused): each time it queues the message again, later, instead
   * of failing it toward the dead-letter queue. Absent on a first message.
   */
  deferrals: z.number().int().min(1).max(100_000).optional(),
});

export type RouteMessage = z.infer<typeof routeMessageSchema>;

export const routeMessage = (reference: string, statusUrl?: string): RouteMessage => ({
  ...ROUTE_MESSAGE,
  reference,
  statusUrl,
});
