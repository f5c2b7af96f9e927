import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One running system per data folder: the embedded DynamoDB cannot share its files between two
 * processes. The lock file holds the owner's pid and URLs; a lock left by a process that is gone is
 * taken over.
 */
export class AlreadyRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: { pid: number; intake?: string },
  ) {
    super(
      `Aanspreekpunt is already running on data folder ${dataDir} (pid ${owner.pid}` +
        `${owner.intake ? `, intake ${owner.intake}` : ''}). ` +
        'Stop that one first (Ctrl-C in its terminal), or start this one with another DATA_DIR.',
    );
    this.name = 'AlreadyRunningError';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface Lock {
  /** Records what the owner serves, for the message a second start prints. */
  describe(info: { intake: string }): Promise<void>;
  release(): Promise<void>;
}

export async function acquireLock(dataDir: string): Promise<Lock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'aanspreekpunt.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify({ pid: process.pid }));
      await file.close();
      return {
        describe: (info) => writeFile(path, JSON.stringify({ pid: process.pid, ...info })),
        release: () => rm(path, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: unknown; intake?: unknown } = {};
      try {
        owner = JSON.parse(await readFile(path, 'utf8'));
      } catch {
        // An unreadable lock is a leftover of a crash while writing it.
      }
      if (typeof owner.pid === 'number' && alive(owner.pid))
        throw new AlreadyRunningError(dataDir, {
          pid: owner.pid,
          intake: typeof owner.intake === 'string' ? owner.intake : undefined,
        });
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${path}`);
}
