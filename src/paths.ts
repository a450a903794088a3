/**
 * Path arithmetic without `node:path`, for the core (it must run in a browser
 * too): POSIX paths, plus the joining of a Windows-semantics resource root.
 * Same results as node:path's posix functions for the cases nxlayout meets.
 */

/** The current directory where there is one (Node), else `/` (a browser). */
function currentDirectory(): string {
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  return typeof proc?.cwd === 'function' ? proc.cwd() : '/';
}

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** A Windows absolute path: `C:\…`, `C:/…`, `\\server\…` or a leading separator. */
export function isWin32Absolute(p: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(p);
}

/** `.` and `..` segments resolved, repeated slashes collapsed (as path.posix.normalize). */
export function normalize(p: string): string {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const trailing = p.endsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  let joined = out.join('/');
  if (joined === '' && !absolute) joined = '.';
  if (trailing && joined !== '' && joined !== '.') joined += '/';
  else if (trailing && joined === '.') joined = './';
  return absolute ? '/' + joined : joined;
}

/** path.posix.join. */
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

/** path.win32.join for a root and a relative path: backslashes, `.`/`..` resolved, the drive kept. */
export function win32Join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('\\');
  if (joined === '') return '.';
  const m = /^([a-zA-Z]:)?([\\/]*)(.*)$/.exec(joined)!;
  const drive = m[1] ?? '';
  const rooted = (m[2] ?? '') !== '';
  // `\\server\share\…` (UNC): both leading separators stay
  const unc = drive === '' && (m[2] ?? '').length >= 2;
  const out: string[] = [];
  for (const part of (m[3] ?? '').split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const trailing = /[\\/]$/.test(joined) && out.length > 0 ? '\\' : '';
  return `${drive}${unc ? '\\\\' : rooted ? '\\' : ''}${out.join('\\')}${trailing}` || '.';
}

/** path.posix.dirname. */
export function dirname(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

/** path.posix.resolve: against the current directory when no part is absolute. */
export function resolve(...parts: string[]): string {
  let out = '';
  for (let i = parts.length - 1; i >= 0 && !out.startsWith('/'); i--) {
    const part = parts[i];
    if (part === undefined || part === '') continue;
    out = out === '' ? part : `${part}/${out}`;
  }
  if (!out.startsWith('/')) out = `${currentDirectory()}/${out}`;
  const n = normalize(out);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** path.posix.relative between two absolute paths. */
export function relative(from: string, to: string): string {
  const a = resolve(from)
    .split('/')
    .filter((s) => s !== '');
  const b = resolve(to)
    .split('/')
    .filter((s) => s !== '');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The last segment of a path (as path.posix.basename without a suffix). */
export function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
