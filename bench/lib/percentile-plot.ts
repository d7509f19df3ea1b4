/**
 * The percentile plot of a latency case, TS vs Java, as HdrHistogram's plotter draws a distribution: x is the
 * percentile on a log scale of 1 / (1 - p) (50 % → 2, 90 % → 10, 99 % → 100, 99.9 % → 1000 ...), y the round
 * trip in µs (linear, or log when the values span more than 20×). Each side is one thick line with markers (the
 * repetition with the median value) over thin lighter lines (every repetition). The last point of a line is
 * the maximum, placed at the percentile 100 × (1 - 1/n) of its n samples.
 *
 * Input is the `detail` a latency sample carries: keys `p<percentile>` (`p50`, `p99.9` ...) in µs, `max`, and
 * `messages` (sample count); any extra `p<N>` keys a measurement adds appear on the plot.
 */
import { writeFileSync } from 'node:fs';
import { encodePng } from './png.ts';
import { Raster, type Rgb } from './raster.ts';

export interface PercentilePoint {
  /** 0 < percentile < 100. */
  readonly percentile: number;
  readonly us: number;
}

type Detail = Readonly<Record<string, unknown>> | null | undefined;

const PERCENTILE_KEY = /^p(\d+(?:\.\d+)?)$/;

/** The distribution in a latency sample's detail, by ascending percentile (empty when there is none). */
export function percentilePoints(detail: Detail): PercentilePoint[] {
  if (detail === null || detail === undefined) return [];
  const points: PercentilePoint[] = [];
  for (const [key, value] of Object.entries(detail)) {
    const m = PERCENTILE_KEY.exec(key);
    if (m === null || typeof value !== 'number' || !Number.isFinite(value)) continue;
    const percentile = Number(m[1]);
    if (percentile > 0 && percentile < 100) points.push({ percentile, us: value });
  }
  const max = detail.max;
  const messages = detail.messages;
  if (typeof max === 'number' && typeof messages === 'number' && messages > 1) {
    const percentile = 100 * (1 - 1 / messages);
    if (points.every((p) => p.percentile < percentile)) points.push({ percentile, us: max });
  }
  return points.sort((a, b) => a.percentile - b.percentile);
}

export interface SideSeries {
  /** Legend label, e.g. "TS (aeron-ts)". */
  readonly label: string;
  /** The repetition drawn thick (median value). */
  readonly main: readonly PercentilePoint[];
  /** Every repetition, drawn thin; may include `main`. */
  readonly reps?: readonly (readonly PercentilePoint[])[];
}

export interface PercentilePlotOptions {
  readonly title: string;
  readonly ts: SideSeries;
  readonly java: SideSeries | null;
  readonly yLabel?: string;
  /** A line under the plot (run conditions). */
  readonly note?: string;
  readonly width?: number;
  readonly height?: number;
}

export const TS_COLOUR: Rgb = [31, 119, 180];
export const JAVA_COLOUR: Rgb = [230, 100, 10];
const AXIS: Rgb = [40, 40, 40];
const GRID: Rgb = [222, 222, 222];
const TEXT: Rgb = [20, 20, 20];
const MUTED: Rgb = [110, 110, 110];

function lighten(c: Rgb, amount: number): Rgb {
  return [
    Math.round(c[0] + (255 - c[0]) * amount),
    Math.round(c[1] + (255 - c[1]) * amount),
    Math.round(c[2] + (255 - c[2]) * amount),
  ];
}

/** x coordinate of a percentile: log10(1 / (1 - p)). */
function percentileX(percentile: number): number {
  return Math.log10(1 / (1 - percentile / 100));
}

function percentileLabel(decade: number): string {
  if (decade === Math.log10(2)) return '50%';
  const nines = 100 - 100 / 10 ** decade;
  return `${Number(nines.toFixed(decade))}%`;
}

/** A µs value for an axis label: 0.5 us, 12 us, 250 us, 1.5 ms, 20 ms (the bitmap font has no µ). */
export function formatMicros(us: number): string {
  if (us >= 1_000_000) return `${Number((us / 1_000_000).toPrecision(3))} s`;
  if (us >= 1000) return `${Number((us / 1000).toPrecision(3))} ms`;
  return `${Number(us.toPrecision(3))} us`;
}

interface YAxis {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function yAxis(values: readonly number[]): YAxis {
  const positive = values.filter((v) => v > 0);
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  if (positive.length > 0 && hi / lo > 20) {
    const min = 10 ** Math.floor(Math.log10(lo));
    const max = 10 ** Math.ceil(Math.log10(hi));
    const decades = Math.round(Math.log10(max / min));
    const multiples = decades <= 3 ? [1, 2, 5] : [1];
    const ticks: number[] = [];
    for (let d = min; d <= max * 1.0001; d *= 10) {
      for (const m of multiples) if (d * m <= max * 1.0001) ticks.push(d * m);
    }
    return { log: true, min, max, ticks };
  }
  const top = hi > 0 ? hi : 1;
  const step = niceStep(top, 6);
  const max = Math.ceil((top * 1.05) / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 1000; v += step) ticks.push(Number(v.toPrecision(12)));
  return { log: false, min: 0, max, ticks };
}

/** Draws the plot (see the module comment). */
export function renderPercentilePlot(options: PercentilePlotOptions): Raster {
  const width = options.width ?? 960;
  const height = options.height ?? 600;
  const raster = new Raster(width, height);
  const sides = [
    { series: options.ts, colour: TS_COLOUR },
    ...(options.java === null ? [] : [{ series: options.java, colour: JAVA_COLOUR }]),
  ];
  const allPoints = sides.flatMap((s) => [s.series.main, ...(s.series.reps ?? [])]).flat();
  const right = width - 28;
  const top = 64;
  const bottom = height - 96;

  raster.text(width / 2, 18, options.title, TEXT, 2, 'center');
  if (allPoints.length === 0) {
    raster.text(width / 2, height / 2, 'no percentile data', MUTED, 2, 'center');
    return raster;
  }

  const y = yAxis(allPoints.map((p) => p.us));
  const left = 44 + Math.max(...y.ticks.map((t) => Raster.textWidth(formatMicros(t), 2)));
  const xMin = percentileX(50);
  const xMax = Math.max(4, Math.ceil(Math.max(...allPoints.map((p) => percentileX(p.percentile))) - 1e-9));
  const px = (percentile: number): number => left + ((percentileX(percentile) - xMin) / (xMax - xMin)) * (right - left);
  const py = (us: number): number => {
    const f = y.log
      ? (Math.log10(Math.max(us, y.min)) - Math.log10(y.min)) / (Math.log10(y.max) - Math.log10(y.min))
      : (us - y.min) / (y.max - y.min);
    return bottom - f * (bottom - top);
  };

  // grid and tick labels
  const xTicks = [Math.log10(2)];
  for (let d = 1; d <= xMax; d++) xTicks.push(d);
  for (const t of xTicks) {
    const x = left + ((t - xMin) / (xMax - xMin)) * (right - left);
    raster.line(x, top, x, bottom, GRID);
    raster.line(x, bottom, x, bottom + 6, AXIS);
    const label = percentileLabel(t);
    const half = Raster.textWidth(label, 2) / 2;
    raster.text(Math.min(Math.max(x, half + 2), width - half - 2), bottom + 12, label, TEXT, 2, 'center');
  }
  for (const t of y.ticks) {
    const yy = py(t);
    raster.line(left, yy, right, yy, GRID);
    raster.line(left - 6, yy, left, yy, AXIS);
    raster.text(left - 10, yy - 7, formatMicros(t), TEXT, 2, 'right');
  }
  raster.strokeRect(left, top, right - left, bottom - top, AXIS);
  raster.text(
    (left + right) / 2,
    bottom + 36,
    'percentile (log scale of 1/(1-p)); last point = max',
    TEXT,
    2,
    'center',
  );
  raster.textVertical(
    14,
    (top + bottom) / 2,
    options.yLabel ?? `round trip time${y.log ? ' (log scale)' : ''}`,
    TEXT,
    2,
  );
  if (options.note !== undefined) raster.text(left, height - 26, options.note, MUTED, 2);

  // lines: thin repetitions first, then the thick median repetition with markers
  const polyline = (points: readonly PercentilePoint[], colour: Rgb, thickness: number): void => {
    const visible = points.filter((p) => p.percentile >= 50);
    for (let i = 1; i < visible.length; i++) {
      const a = visible[i - 1]!;
      const b = visible[i]!;
      raster.line(px(a.percentile), py(a.us), px(b.percentile), py(b.us), colour, thickness);
    }
  };
  for (const side of sides) {
    for (const rep of side.series.reps ?? []) polyline(rep, lighten(side.colour, 0.6), 1);
  }
  for (const side of sides) {
    polyline(side.series.main, side.colour, 3);
    for (const p of side.series.main) {
      if (p.percentile >= 50) raster.fillRect(px(p.percentile) - 4, py(p.us) - 4, 9, 9, side.colour);
    }
  }

  // legend: in the corner of the plot area that the lines cross least
  const rows = sides.map((s) => {
    const n = s.series.reps?.length ?? 1;
    return { colour: s.colour, text: n > 1 ? `${s.series.label}: median rep, thin: all ${n}` : s.series.label };
  });
  const legendWidth = 56 + Math.max(...rows.map((r) => Raster.textWidth(r.text, 2)));
  const legendHeight = 12 + rows.length * 24;
  const samples: Array<readonly [number, number]> = [];
  for (const side of sides) {
    for (const line of [side.series.main, ...(side.series.reps ?? [])]) {
      const visible = line.filter((p) => p.percentile >= 50);
      for (let i = 1; i < visible.length; i++) {
        const a = visible[i - 1]!;
        const b = visible[i]!;
        for (let k = 0; k <= 20; k++) {
          samples.push([
            px(a.percentile) + ((px(b.percentile) - px(a.percentile)) * k) / 20,
            py(a.us) + ((py(b.us) - py(a.us)) * k) / 20,
          ]);
        }
      }
    }
  }
  const corners: Array<readonly [number, number]> = [
    [left + 12, top + 12],
    [right - 12 - legendWidth, bottom - 12 - legendHeight],
    [right - 12 - legendWidth, top + 12],
    [left + 12, bottom - 12 - legendHeight],
  ];
  const crossings = (c: readonly [number, number]): number =>
    samples.filter(([x, yy]) => x >= c[0] && x <= c[0] + legendWidth && yy >= c[1] && yy <= c[1] + legendHeight).length;
  const [lx, ly] = corners.reduce((best, c) => (crossings(c) < crossings(best) ? c : best));
  raster.fillRect(lx, ly, legendWidth, legendHeight, [255, 255, 255]);
  raster.strokeRect(lx, ly, legendWidth, legendHeight, MUTED);
  rows.forEach((row, i) => {
    const yy = ly + 18 + i * 24;
    raster.line(lx + 10, yy, lx + 42, yy, row.colour, 3);
    raster.fillRect(lx + 22, yy - 4, 9, 9, row.colour);
    raster.text(lx + 50, yy - 7, row.text, TEXT, 2);
  });
  return raster;
}

/** Renders and writes the plot as a PNG file. */
export function writePercentilePlot(path: string, options: PercentilePlotOptions): void {
  const raster = renderPercentilePlot(options);
  writeFileSync(path, encodePng(raster.width, raster.height, raster.pixels));
}
