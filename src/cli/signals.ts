/**
 * SIGINT/SIGTERM for the commands that serve until stopped (`watch`, `serve`, `view`): the handlers
 * go in before start-up, so a signal during it stops the service as soon as there is one to stop.
 */
export interface StopSignals {
  /** Resolves at the first signal, with its reason (`SIGINT received`). */
  readonly received: Promise<string>;
  /** From now on each signal calls `stop` with the first signal's reason; at once if one came already. */
  stopWith(stop: (reason: string) => Promise<unknown>): void;
  /** Removes the handlers. */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function onStopSignals(): StopSignals {
  let reason: string | undefined;
  let stop: ((reason: string) => Promise<unknown>) | undefined;
  let resolveReceived = (_: string): void => undefined;
  const received = new Promise<string>((resolve) => {
    resolveReceived = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    reason ??= `${signal} received`;
    resolveReceived(reason);
    if (stop !== undefined) void stop(reason);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    received,
    stopWith(fn) {
      stop = fn;
      if (reason !== undefined) void fn(reason);
    },
    dispose() {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
