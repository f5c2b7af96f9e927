import { createClients } from '../adapters/clients.js';
import { composeIntake } from './main.js';

/** The Lambda entry: the function composed once, at cold start, with the real SDK clients. */
export const handler = await composeIntake(process.env, createClients());
