/**
 * A local stand-in for EventBridge Scheduler: invokes a function at a fixed rate with the payload the
 * CDK schedule sends, `{ scheduledTime }`. Runs never overlap; the first run is at start, so a restart
 * catches up with what came due while the system was down.
 */
export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(options: {
  readonly rateMinutes: number;
  readonly invoke: (payload: { scheduledTime: string }) => Promise<unknown>;
  readonly onError: (error: unknown) => void;
  readonly now?: () => Date;
}): Scheduler {
  const now = options.now ?? (() => new Date());
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    current = current.then(() =>
      options.invoke({ scheduledTime: now().toISOString() }).then(
        () => undefined,
        (error: unknown) => options.onError(error),
      ),
    );
  };
  tick();
  const timer = setInterval(tick, options.rateMinutes * 60_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
