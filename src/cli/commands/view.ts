/** `nxlayout view FILE|DIR [--port N]`: browse NeXus files in H5Web, served on 127.0.0.1. */
import { EXIT_OK, type Io } from '../io.js';
import { startViewServer } from '../../view/index.js';
import { onStopSignals } from '../signals.js';

export interface ViewCommandOptions {
  port?: number;
}

/** Serves until SIGINT/SIGTERM (or `stop` resolves, for tests), then closes the server. */
export async function viewCommand(
  target: string,
  options: ViewCommandOptions,
  io: Io,
  stop?: Promise<void>,
): Promise<number> {
  const server = await startViewServer({ target, port: options.port ?? 0 });
  io.out(`nxlayout view: serving ${target} at ${server.startUrl}`);
  io.err('open that address in a browser; Ctrl-C stops the server');
  const signals = onStopSignals();
  try {
    await (stop === undefined ? signals.received : Promise.race([signals.received, stop]));
  } finally {
    signals.dispose();
    await server.close();
  }
  io.err('nxlayout view: stopped');
  return EXIT_OK;
}
/** Its options and help live in ../register/view.ts (loaded without this module's dependencies). */
