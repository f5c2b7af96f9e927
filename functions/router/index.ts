import { createClients } from '../adapters/clients.js';
import { composeRouter } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the real SDK clients. */
export const handler = await composeRouter(process.env, createClients());
