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
});

export type RouteMessage = z.infer<typeof routeMessageSchema>;

export const routeMessage = (reference: string, statusUrl?: string): RouteMessage => ({
  ...ROUTE_MESSAGE,
  reference,
  statusUrl,
});
