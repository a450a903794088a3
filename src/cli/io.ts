/** The console a command writes to: injected so commands can be run in-process by tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal (progress bars, colours). */
  readonly interactive: boolean;
  /** Writes to stderr as is, no newline added (the redrawn progress line); without it there is no progress line. */
  errRaw?(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  interactive: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && process.env.CI === undefined,
  errRaw: (text) => process.stderr.write(text),
};

/** Exit codes (as in knip): 0 success, 1 findings at error level / failed runs, 2 usage or configuration. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
