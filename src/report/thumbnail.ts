/**
 * A run's default plot as a small inline SVG for the HTML report: a polyline
 * for a 1-D signal, a heat map of rects for a 2-D one. Pure: preview → markup.
 */
import type { ImagePreview, LinePreview, PlotPreview } from '../nexus/index.js';
import { htmlEscape } from './html-escape.js';

export const THUMB_WIDTH = 160;
const THUMB_HEIGHT = 64;

function round(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function extent(values: readonly (number | null)[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function lineSvg(p: LinePreview, label: string): string {
  const w = THUMB_WIDTH;
  const h = THUMB_HEIGHT;
  const pad = 2;
  const xs = p.x !== undefined && extent(p.x) !== undefined ? p.x : p.y.map((_, i) => i);
  const [x0, x1] = extent(xs) ?? [0, 1];
  const [y0, y1] = extent(p.y) ?? [0, 1];
  const sx = (v: number) => pad + (x1 === x0 ? (w - 2 * pad) / 2 : ((v - x0) / (x1 - x0)) * (w - 2 * pad));
  const sy = (v: number) => pad + (y1 === y0 ? (h - 2 * pad) / 2 : (1 - (v - y0) / (y1 - y0)) * (h - 2 * pad));
  const points: string[] = [];
  p.y.forEach((y, i) => {
    const x = xs[i];
    if (y !== null && x !== null && x !== undefined) points.push(`${round(sx(x))},${round(sy(y))}`);
  });
  const mark =
    points.length === 1
      ? `<circle cx="${points[0].split(',')[0]}" cy="${points[0].split(',')[1]}" r="2" fill="#1d6fb8"/>`
      : '';
  return (
    `<svg class="thumb" role="img" aria-label="${label}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><title>${label}</title>` +
    `<rect width="${w}" height="${h}" fill="#fff" stroke="#ddd"/>` +
    `<polyline fill="none" stroke="#1d6fb8" stroke-width="1.2" points="${points.join(' ')}"/>${mark}</svg>`
  );
}

/** A perceptual ramp (dark blue → teal → yellow), `t` in [0, 1]. */
function rampColor(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function imageSvg(p: ImagePreview, label: string): string {
  const cell = Math.max(1, Math.floor(Math.min(THUMB_WIDTH / p.cols, THUMB_HEIGHT / p.rows) * 10) / 10);
  const w = round(cell * p.cols);
  const h = round(cell * p.rows);
  const [lo, hi] = extent(p.values) ?? [0, 1];
  const rects: string[] = [];
  p.values.forEach((v, k) => {
    if (v === null) return;
    const t = hi === lo ? 0.5 : (v - lo) / (hi - lo);
    // Row 0 at the bottom, as H5Web draws a heat map (y grows upwards).
    rects.push(
      `<rect x="${round((k % p.cols) * cell)}" y="${round((p.rows - 1 - Math.floor(k / p.cols)) * cell)}" width="${cell}" height="${cell}" fill="${rampColor(t)}"/>`,
    );
  });
  return `<svg class="thumb" role="img" aria-label="${label}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges"><title>${label}</title>${rects.join('')}</svg>`;
}

/** The thumbnail of a row's plot: SVG for data in the file, a short note for data in another file. */
export function thumbnail(plot: PlotPreview | undefined): string {
  if (plot === undefined) return '<span class="noplot">no default plot</span>';
  if (plot.kind === 'external') return `<span class="noplot">data in ${htmlEscape(plot.file)}</span>`;
  const name = plot.signal.split('/').slice(-2).join('/');
  if (plot.kind === 'line')
    return lineSvg(
      plot,
      htmlEscape(`${name}: ${plot.length} points${plot.xName === undefined ? '' : ` against ${plot.xName}`}`),
    );
  return imageSvg(
    plot,
    htmlEscape(`${name}: ${plot.shape.join(' × ')}${plot.shape.length > 2 ? ' (first frame)' : ''}`),
  );
}
