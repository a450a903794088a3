/**
 * File-per-frame external data: the name of each frame's file, as the
 * handlers that read them build it — Python's `str.format` templates of
 * stream_resource parameters (`img_{:05d}.tif`), areaDetector's printf-style
 * `template % (path, filename, n)` (AD_TIFF…), NPY_SEQ's `NAME_INDEX.npy`.
 */

/** `{}`, `{0}`, `{:05d}`, `{:d}`, `{:6}` with one integer: Python's str.format, as far as a file template uses it. */
export function formatBraces(template: string, n: number): string {
  return template.replace(/\{\{|\}\}|\{(\d*)(?::([^}]*))?\}/g, (m, _pos: string, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const s = /^(0)?(\d+)?d?$/.exec(spec ?? '');
    const width = s?.[2] === undefined ? 0 : Number(s[2]);
    return String(n).padStart(width, s?.[1] === '0' ? '0' : ' ');
  });
}

/** `%s` and `%d`/`%6.6d`/`%06d` in order, as Python's `%` operator fills them (areaDetector's FileTemplate). */
export function formatPercent(template: string, values: readonly (string | number)[]): string {
  let i = 0;
  return template.replace(
    /%%|%(-?)(0?)(\d*)(?:\.(\d+))?([sdi])/g,
    (m, left: string, zero: string, width: string, precision: string | undefined, type: string) => {
      if (m === '%%') return '%';
      const v = values[i++];
      let text = type === 's' ? String(v ?? '') : String(Math.trunc(Number(v)));
      if (type !== 's' && precision !== undefined) text = text.padStart(Number(precision), '0');
      const w = width === '' ? 0 : Number(width);
      return left === '-' ? text.padEnd(w) : text.padStart(w, zero === '0' && type !== 's' ? '0' : ' ');
    },
  );
}

/** Joins a directory (as written, with or without its trailing slash) and a file name. */
export function inDirectory(dir: string, name: string): string {
  return dir === '' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
