import { fileURLToPath } from 'node:url';

/** The repository root (where `package.json`, the lock file and `functions/` live), independent of cwd. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
