import { describeCaseStoreContract } from '../support/case-store-suite.js';
import { memoryCaseStore, memoryOfficialDirectory } from '../support/fakes.js';

/** The fake the unit tests use keeps the contract of the DynamoDB case store: the same suite, in memory. */
describeCaseStoreContract('the case store (in-memory fake of the unit tests)', {
  fresh: async () => ({ store: memoryCaseStore(), officials: memoryOfficialDirectory() }),
});
