/** `nxlayout view`'s options and help; the server (../commands/view.ts) is loaded only when the command runs. */
import { InvalidArgumentError, type Command } from 'commander';
import type { Io } from '../io.js';
import type { ViewCommandOptions } from '../commands/view.js';

function portNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

export function registerView(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('view')
    .description(
      'browse NeXus/HDF5 files in H5Web: a local web server (127.0.0.1 only) with the tree, attributes, the default plot, line and heat-map views',
    )
    .argument(
      '<target>',
      'an HDF5 file, or a directory: its run list (the report, with thumbnails) links each file to the viewer',
    )
    .option('-p, --port <n>', 'TCP port on 127.0.0.1 (default 0: any free port; the address is printed)', portNumber)
    .addHelpText(
      'after',
      [
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
      ].join('\n'),
    )
    .action(async (target: string, opts: ViewCommandOptions) => {
      const { viewCommand } = await import('../commands/view.js');
      setExit(await viewCommand(target, opts, io));
    });
}
