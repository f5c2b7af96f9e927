import { describeCaseStore } from '../support/case-store-suite.js';
import { startMoto } from '../support/moto.js';

/**
 * The same conditional writes and sparse-index queries as on dynalite, on moto server's DynamoDB. moto checks
 * a condition and writes without a lock across its request threads, so the race test sends its writes in turn.
 */
describeCaseStore('moto server', startMoto, { atomicUnderConcurrency: false });
