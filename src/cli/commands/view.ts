/** `nxlayout view FILE|DIR [--port N]`: browse NeXus files in H5Web, served on 127.0.0.1. */
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_OK, type Io } from '../io.js';
import { startViewServer } from '../../view/index.js';

export interface ViewCommandOptions {
  port?: number;
}

function portNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

/** Serves until SIGINT/SIGTERM (or `stop` resolves, for tests), then closes the server. */
export async function viewCommand(target: string, options: ViewCommandOptions, io: Io, stop?: Promise<void>): Promise<number> {
  const server = await startViewServer({ target, port: options.port ?? 0 });
  io.out(`nxlayout view: serving ${target} at ${server.startUrl}`);
  io.err('open that address in a browser; Ctrl-C stops the server');
  let onSignal = (): void => undefined;
  const signalled = new Promise<void>((resolve) => (onSignal = () => resolve()));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await (stop === undefined ? signalled : Promise.race([signalled, stop]));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.close();
  }
  io.err('nxlayout view: stopped');
  return EXIT_OK;
}

export function registerView(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('view')
    .description('browse NeXus/HDF5 files in H5Web: a local web server (127.0.0.1 only) with the tree, attributes, the default plot, line and heat-map views')
    .argument('<target>', 'an HDF5 file, or a directory: its run list (the report, with thumbnails) links each file to the viewer')
    .option('-p, --port <n>', 'TCP port on 127.0.0.1 (default 0: any free port; the address is printed)', portNumber)
    .addHelpText('after', [
      '',
      'The page is H5Web (@h5web/app with its h5wasm provider), bundled with the package: it loads',
      'nothing from the network, only from this server (a Content-Security-Policy enforces it). The',
      'browser reads the whole file into memory; external links (detector files) are shown, not followed.',
      'SIGINT/SIGTERM (Ctrl-C) stops the server. Exit status: 0 when stopped, 2 when the target, the page',
      'bundle or the port is not available.',
      '',
      'Examples:',
      '  nxlayout view examples/output',
      '  nxlayout view /data/A002_silica/A002_silica_00042_metadata.hdf --port 8080   # ssh -L 8080:127.0.0.1:8080 …',
    ].join('\n'))
    .action(async (target: string, opts: ViewCommandOptions) => setExit(await viewCommand(target, opts, io)));
}
