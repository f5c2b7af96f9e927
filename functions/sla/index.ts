import { createClients } from '../adapters/clients.js';
import { composeSla } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the real SDK clients. */
export const handler = await composeSla(process.env, createClients());
