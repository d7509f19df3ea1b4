/**
 * The bench's PNG encoder and percentile plot: valid PNG structure (signature, IHDR/IDAT/IEND, lengths, CRCs),
 * image data that inflates back to the raster, and a plot that draws both sides.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { JAVA_COLOUR, percentilePoints, renderPercentilePlot, TS_COLOUR } from '../lib/percentile-plot.ts';
import { crc32, encodePng, PNG_SIGNATURE, type PngChannels } from '../lib/png.ts';
import { Raster, type Rgb } from '../lib/raster.ts';
import { type CaseResult, medianIndex, withPercentilePlot } from '../lib/report.ts';

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
  readonly crc: number;
  /** CRC-32 recomputed over type + data, by a bitwise implementation independent of png.ts's table. */
  readonly expectedCrc: number;
}

function bitwiseCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function parseChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    chunks.push({ type, data, crc, expectedCrc: bitwiseCrc32(png.subarray(offset + 4, offset + 8 + length)) });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

/** Decodes what encodePng writes (filter 0 only): width, height, channels, raster. */
function decode(png: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
  const chunks = parseChunks(png);
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  for (const c of chunks) expect(c.crc).toBe(c.expectedCrc);
  const ihdr = chunks[0]!.data;
  expect(ihdr.length).toBe(13);
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect(ihdr[8]).toBe(8);
  const channels = ihdr[9] === 2 ? 3 : ihdr[9] === 6 ? 4 : -1;
  expect(channels).toBeGreaterThan(0);
  expect([...ihdr.subarray(10, 13)]).toEqual([0, 0, 0]);
  expect(chunks[2]!.data.length).toBe(0);
  const scanlines = inflateSync(chunks[1]!.data);
  const stride = width * channels;
  expect(scanlines.length).toBe((stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    expect(scanlines[y * (stride + 1)]).toBe(0);
    pixels.set(scanlines.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}

describe('PNG encoder', () => {
  it('computes the standard CRC-32 (check value of "123456789", IEND chunk CRC)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes signature, IHDR, IDAT and IEND with valid CRCs for a 3x2 RGB raster', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 13);
    const png = encodePng(3, 2, pixels);
    const decoded = decode(png);
    expect(decoded).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect([...decoded.pixels]).toEqual([...pixels]);
  });

  it('round-trips any raster through inflate (RGB and RGBA)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<PngChannels>(3, 4),
        fc.integer(),
        (width, height, channels, seed) => {
          const pixels = new Uint8Array(width * height * channels);
          let s = seed | 0;
          for (let i = 0; i < pixels.length; i++) {
            s = (Math.imul(s, 1_103_515_245) + 12_345) | 0;
            pixels[i] = s >>> 24;
          }
          const decoded = decode(encodePng(width, height, pixels, channels));
          expect(decoded).toMatchObject({ width, height, channels });
          expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a raster of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(RangeError);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(RangeError);
  });
});

function countColour(raster: Raster, colour: Rgb): number {
  let n = 0;
  for (let i = 0; i < raster.pixels.length; i += 3) {
    if (raster.pixels[i] === colour[0] && raster.pixels[i + 1] === colour[1] && raster.pixels[i + 2] === colour[2]) n++;
  }
  return n;
}

const TS_DETAIL = {
  messages: 50_000,
  p50: 1.4,
  p90: 1.7,
  p99: 8.8,
  'p99.9': 56.6,
  'p99.99': 1008,
  max: 1886,
  mean: 1.9,
};
const JAVA_DETAIL = {
  messages: 50_000,
  p50: 0.6,
  p90: 0.7,
  p99: 0.9,
  'p99.9': 45.8,
  'p99.99': 1142,
  max: 9404,
  mean: 1.2,
};

describe('percentile plot', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reads the p<N> keys of a latency detail, with the max at 100 (1 - 1/n)', () => {
    const points = percentilePoints(TS_DETAIL);
    expect(points.map((p) => p.percentile)).toEqual([50, 90, 99, 99.9, 99.99, 99.998]);
    expect(points.map((p) => p.us)).toEqual([1.4, 1.7, 8.8, 56.6, 1008, 1886]);
    expect(percentilePoints({ messages: 10, value: 3 })).toEqual([]);
    expect(percentilePoints(undefined)).toEqual([]);
  });

  it('draws both sides, the axes and the legend on a white raster', () => {
    const raster = renderPercentilePlot({
      title: 'rtt-ipc-32: round trip by percentile',
      ts: { label: 'TS', main: percentilePoints(TS_DETAIL) },
      java: { label: 'Java', main: percentilePoints(JAVA_DETAIL) },
    });
    expect(raster.width).toBe(960);
    expect(raster.height).toBe(600);
    expect(raster.getPixel(0, 0)).toEqual([255, 255, 255]);
    expect(countColour(raster, TS_COLOUR)).toBeGreaterThan(500);
    expect(countColour(raster, JAVA_COLOUR)).toBeGreaterThan(500);
    expect(countColour(raster, [20, 20, 20])).toBeGreaterThan(1000);
    const decoded = decode(encodePng(raster.width, raster.height, raster.pixels));
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(raster.pixels))).toBe(true);
  });

  it('writes <case>-percentiles.png for a latency result and references it; other results are unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-test-bench-plot-'));
    dirs.push(dir);
    const base: CaseResult = {
      name: 'rtt-ipc-32',
      description: 'ping-pong',
      metric: 'round-trip time, 99th percentile',
      unit: 'µs p99',
      ts: 8.8,
      java: 0.9,
      ratio: 8.8 / 0.9,
      higherIsBetter: false,
      tsSpread: 0.2,
      javaSpread: 0,
      reps: 3,
      tsSamples: [9.9, 8.8, 7.7],
      javaSamples: [0.9, 0.9, 0.9],
      detail: {
        ts: TS_DETAIL,
        java: JAVA_DETAIL,
        tsReps: [{ ...TS_DETAIL, p99: 9.9 }, TS_DETAIL, { ...TS_DETAIL, p99: 7.7 }],
        javaReps: [JAVA_DETAIL, JAVA_DETAIL, JAVA_DETAIL],
      },
    };
    const result = withPercentilePlot(base, dir, 'test');
    expect(result.plot).toBe('rtt-ipc-32-percentiles.png');
    expect(result.percentiles?.ts.find((p) => p.percentile === 99)?.us).toBe(8.8);
    expect(result.percentiles?.java?.length).toBe(6);
    const decoded = decode(readFileSync(join(dir, 'rtt-ipc-32-percentiles.png')));
    expect(decoded).toMatchObject({ width: 960, height: 600, channels: 3 });

    const throughput: CaseResult = { ...base, name: 'ipc-excl-32', detail: { ts: { messages: 5 }, tsReps: [{}] } };
    expect(withPercentilePlot(throughput, dir)).toBe(throughput);
  });

  it('picks the repetition with the median value', () => {
    expect(medianIndex([9.9, 8.8, 7.7])).toBe(1);
    expect(medianIndex([3, 1, 2, 4])).toBe(2);
    expect(medianIndex([5])).toBe(0);
  });

  it('measures text in font cells', () => {
    expect(Raster.textWidth('ab', 2)).toBe((2 * 6 - 1) * 2);
    expect(Raster.textWidth('', 2)).toBe(0);
  });
});
