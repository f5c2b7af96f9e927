import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from '../../infra/local/runtime.js';

/** `npm start` as a user runs it, in its own process group so a Ctrl-C can be sent to all of it. */
export interface Started {
  readonly child: ChildProcess;
  readonly urls: Record<string, string>;
  output(): string;
  /** Ctrl-C in the terminal: SIGINT to the whole process group; resolves with the exit code. */
  interrupt(): Promise<number | string>;
  exited: Promise<number | string>;
}

export function npmStart(env: Record<string, string>): {
  ready: Promise<Started>;
  exited: Promise<number | string>;
  output(): string;
} {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  // npm re-raises a Ctrl-C on itself, so its own exit is by signal even when ours was clean.
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const ready = new Promise<Started>((resolve, reject) => {
    const check = () => {
      if (/^ready$/m.test(output)) {
        const urls: Record<string, string> = {};
        for (const match of output.matchAll(/^([a-z]+): ((?:http|file):\/\/\S+)$/gm))
          if (match[1] && match[2]) urls[match[1]] = match[2];
        resolve({
          child,
          urls,
          output: () => output,
          exited,
          interrupt: async () => {
            if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
              process.kill(-child.pid, 'SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before ready:\n${output}`)));
  });
  // A start that is expected to fail is awaited through `exited`: its `ready` must not count as unhandled.
  ready.catch(() => undefined);
  return { ready, exited, output: () => output };
}
