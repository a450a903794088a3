/** Epoch seconds → ISO 8601 text with a time zone, to the microsecond, without the wall clock. */
import { NxlError } from '../errors.js';

/** `tz`: minutes east of UTC, or "Z", "+05:30", "-0600", "UTC". Default UTC ("Z"). */
export function iso8601(epochSeconds: unknown, tz?: unknown): string {
  const t = typeof epochSeconds === 'string' && epochSeconds.trim() !== '' ? Number(epochSeconds) : epochSeconds;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new NxlError('EVAL_CALCULATION', `iso8601 needs epoch seconds, got ${JSON.stringify(epochSeconds)}`);
  }
  const offsetMinutes = parseOffset(tz);
  const totalMicros = Math.round((t + offsetMinutes * 60) * 1e6);
  const seconds = Math.floor(totalMicros / 1e6);
  const micros = totalMicros - seconds * 1e6;
  const d = new Date(seconds * 1000);
  const date = d.toISOString().slice(0, 19);
  const frac = micros === 0 ? '' : `.${String(micros).padStart(6, '0')}`;
  return `${date}${frac}${formatOffset(offsetMinutes)}`;
}

function parseOffset(tz: unknown): number {
  if (tz === undefined || tz === null || tz === 'Z' || tz === 'UTC' || tz === 'utc') return 0;
  if (typeof tz === 'number' && Number.isFinite(tz)) return tz;
  if (typeof tz === 'string') {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz.trim());
    if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  throw new NxlError(
    'EVAL_CALCULATION',
    `time zone ${JSON.stringify(tz)} is not understood`,
    {},
    {
      hint: 'use minutes east of UTC (e.g. -300) or "+HH:MM" / "-HH:MM" / "Z"',
    },
  );
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
