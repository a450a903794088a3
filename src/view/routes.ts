/** Request paths of `nxlayout view` → routes; pure. */
import type { Route } from './models.js';

/** The bundle's files the server hands out (nothing else under the assets folder). */
export const ASSETS: Readonly<Record<string, string>> = {
  'view.js': 'text/javascript; charset=utf-8',
  'view.css': 'text/css; charset=utf-8',
  'view.js.LEGAL.txt': 'text/plain; charset=utf-8',
};

export function route(pathname: string): Route {
  if (pathname === '/') return { kind: 'index' };
  if (pathname === '/view') return { kind: 'viewer' };
  if (pathname === '/api/files') return { kind: 'list' };
  if (pathname === '/favicon.ico') return { kind: 'icon' };
  if (pathname.startsWith('/assets/')) {
    const name = pathname.slice('/assets/'.length);
    return Object.hasOwn(ASSETS, name) ? { kind: 'asset', name } : { kind: 'not-found' };
  }
  if (pathname.startsWith('/files/')) {
    let relative: string;
    try {
      relative = pathname.slice('/files/'.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      return { kind: 'not-found' };
    }
    // Only plain relative paths: no '..', no empty or '.' segment, no backslash, no NUL.
    const segments = relative.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0')))
      return { kind: 'not-found' };
    return { kind: 'file', relative };
  }
  return { kind: 'not-found' };
}

/** The Host header of a request to this server (a DNS-rebinding page sends its own name). */
export function isLocalHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** The viewer page of `file` (relative, `/`-separated). */
export function viewerHref(file: string): string {
  return `/view?file=${encodeURIComponent(file)}`;
}

export function fileHref(file: string): string {
  return `/files/${file.split('/').map(encodeURIComponent).join('/')}`;
}
