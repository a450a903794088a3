/**
 * `nxlayout view`'s HTTP server (node:http, 127.0.0.1 only): the bundled H5Web
 * page, the run list of a directory (the report, each row linked to the viewer),
 * a JSON file list, and the bytes of the files it may show. Nothing else is read.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NxlError } from '../errors.js';
import { isInside } from '../nexus/index.js';
import { buildReport, findHdf5Files, formatReport, HDF5_EXTENSIONS } from '../report/index.js';
import { SECURITY_HEADERS } from './csp.js';
import type { ViewOptions, ViewServer } from './models.js';
import { ASSETS, fileHref, isLocalHost, route, viewerHref } from './routes.js';

const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

const VIEWER_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nxlayout view</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/view.css">
</head>
<body>
<div id="root"></div>
<script type="module" src="/assets/view.js"></script>
</body>
</html>
`;

interface Target {
  /** The folder files are served from. */
  root: string;
  /** The one file a FILE target shows (relative to root); undefined for a directory. */
  single?: string;
}

async function resolveTarget(target: string): Promise<Target> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch (e) {
    throw new NxlError(
      'VIEW_IO',
      `cannot read ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file: target },
      { hint: 'give an HDF5 file or a directory of them', cause: e },
    );
  }
  const abs = await realpath(target);
  return info.isDirectory() ? { root: abs } : { root: path.dirname(abs), single: path.basename(abs) };
}

function loadAssets(dir: string): Map<string, Buffer> {
  const assets = new Map<string, Buffer>();
  for (const name of ['view.js', 'view.css']) {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      throw new NxlError(
        'VIEW_IO',
        `the viewer's page is missing: ${file}`,
        { file },
        { hint: 'build it with `npm run build` (tsc, then scripts/bundle-view.mjs)' },
      );
    }
    assets.set(name, readFileSync(file));
  }
  const legal = path.join(dir, 'view.js.LEGAL.txt');
  if (existsSync(legal)) assets.set('view.js.LEGAL.txt', readFileSync(legal));
  return assets;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
  });
  res.end(head ? undefined : body);
}

/** The absolute path of a file the target may show, or undefined. */
async function servable(target: Target, relative: string): Promise<string | undefined> {
  if (target.single !== undefined && relative !== target.single) return undefined;
  if (!HDF5_EXTENSIONS.includes(path.extname(relative).toLowerCase()) || path.basename(relative).startsWith('.'))
    return undefined;
  try {
    const real = await realpath(path.join(target.root, ...relative.split('/')));
    return isInside(target.root, real) && (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function listFiles(target: Target): Promise<{ file: string; size: number }[]> {
  const files =
    target.single !== undefined ? [path.join(target.root, target.single)] : await findHdf5Files(target.root);
  return Promise.all(
    files.map(async (f) => ({
      file: path.relative(target.root, f).split(path.sep).join('/'),
      size: (await stat(f)).size,
    })),
  );
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  target: Target,
  shown: string,
  assets: Map<string, Buffer>,
  port: number,
): Promise<void> {
  if (!isLocalHost(req.headers.host, port))
    return send(
      res,
      403,
      'text/plain; charset=utf-8',
      'nxlayout view answers requests to 127.0.0.1 and localhost only\n',
    );
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
  const head = req.method === 'HEAD';
  const r = route(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  switch (r.kind) {
    case 'index': {
      if (target.single !== undefined) {
        res.writeHead(302, { ...SECURITY_HEADERS, Location: viewerHref(target.single) });
        return void res.end();
      }
      const report = await buildReport(target.root);
      report.dir = shown;
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        formatReport(report, 'html', { file: (row) => fileHref(row.file), view: (row) => viewerHref(row.file) }),
        head,
      );
    }
    case 'viewer':
      return send(res, 200, 'text/html; charset=utf-8', VIEWER_HTML, head);
    case 'asset': {
      const body = assets.get(r.name);
      return body === undefined
        ? send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head)
        : send(res, 200, ASSETS[r.name], body, head);
    }
    case 'list':
      return send(
        res,
        200,
        'application/json; charset=utf-8',
        JSON.stringify({ files: await listFiles(target) }) + '\n',
        head,
      );
    case 'file': {
      const abs = await servable(target, r.relative);
      if (abs === undefined) return send(res, 404, 'text/plain; charset=utf-8', `not found: ${r.relative}\n`, head);
      const { size } = await stat(abs);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/x-hdf5',
        'Content-Length': size,
        'Cache-Control': 'no-cache',
      });
      if (head) return void res.end();
      const stream = createReadStream(abs);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    case 'icon':
      res.writeHead(204, SECURITY_HEADERS);
      return void res.end();
    case 'not-found':
      return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  }
}

/** Starts serving `options.target` on 127.0.0.1 (VIEW_IO when the target, the page or the port is not there). */
export async function startViewServer(options: ViewOptions): Promise<ViewServer> {
  const target = await resolveTarget(options.target);
  const assets = loadAssets(options.assetsDir ?? DEFAULT_ASSETS_DIR);
  let port = options.port ?? 0;
  const server = createServer((req, res) => {
    handle(req, res, target, options.target, assets, port).catch((e: unknown) => {
      if (!res.headersSent)
        send(res, 500, 'text/plain; charset=utf-8', `nxlayout view: ${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new NxlError(
          'VIEW_IO',
          `cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}`,
          {},
          {
            hint:
              e.code === 'EADDRINUSE'
                ? 'the port is taken: choose another with --port (0: any free port)'
                : 'choose another --port',
            cause: e,
          },
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    startUrl: target.single === undefined ? url : `http://127.0.0.1:${port}${viewerHref(target.single)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
