/**
 * JSON text as document logs carry it. Python's `json` module writes the
 * floats NaN, Infinity and -Infinity as the bare tokens `NaN`, `Infinity` and
 * `-Infinity` (allow_nan=True is its default), which strict JSON forbids:
 * a detector that read NaN must not cost its event.
 *
 * Cheap on the common path: JSON.parse first; only text that JSON.parse
 * refuses and that holds such a token outside every string is parsed again
 * with the tokens read as the numbers they stand for. Strings are never
 * changed ("NaN" inside a string stays the text "NaN").
 */

const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;
const VALUES: Record<(typeof TOKENS)[number], number> = { '-Infinity': -Infinity, Infinity: Infinity, NaN: NaN };

/** True for a character that may continue a bare word (so `NaNa` or `Infinityx` is not a token). */
function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c);
}

/**
 * `text` with each NaN/Infinity token outside strings replaced by a string
 * placeholder `"<mark>TOKEN"` (`mark` as JSON text); undefined when there is none.
 */
function markTokens(text: string, mark: string): string | undefined {
  let out = '';
  let from = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token === undefined || isWordChar(text[i + token.length]) || isWordChar(text[i - 1])) continue;
    out += `${text.slice(from, i)}"${mark}${token}"`;
    i += token.length - 1;
    from = i + 1;
    found = true;
  }
  return found ? out + text.slice(from) : undefined;
}

/**
 * A mark (a string starting with NUL, which JSON text can only write escaped)
 * whose escaped form occurs nowhere in `text`: no string of the document can
 * be mistaken for a placeholder. Returns the mark and its JSON text.
 */
function freshMark(text: string): { mark: string; json: string } {
  let suffix = '';
  while (text.includes(`\\u0000nxl-nan${suffix}:`)) suffix += '~';
  return { mark: `\u0000nxl-nan${suffix}:`, json: `\\u0000nxl-nan${suffix}:` };
}

/**
 * JSON.parse, reading Python's NaN / Infinity / -Infinity tokens as numbers.
 * Throws JSON.parse's own error when the text is not JSON even so.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!text.includes('NaN') && !text.includes('Infinity')) throw e;
    const { mark, json } = freshMark(text);
    const marked = markTokens(text, json);
    if (marked === undefined) throw e;
    try {
      return JSON.parse(marked, (_key, value: unknown) =>
        typeof value === 'string' && value.startsWith(mark)
          ? VALUES[value.slice(mark.length) as (typeof TOKENS)[number]]
          : value,
      );
    } catch {
      throw e;
    }
  }
}
