/**
 * An RGB raster to draw charts on without any graphics package: filled rectangles, thick lines, dashed lines and
 * text in a built-in 5x7 bitmap font (ASCII letters, digits, the punctuation charts need, and µ), scaled by an
 * integer factor. Encode the result with `encodePng(r.width, r.height, r.pixels)` (png.ts).
 *
 * Layout: `pixels[(y * width + x) * 3 + c]`, c = 0 red, 1 green, 2 blue; (0, 0) is the top-left corner.
 */

export type Rgb = readonly [number, number, number];

/**
 * 5x7 glyphs, each seven rows of five cells ('#' set), top row first. Drawn by hand for this file.
 */
const GLYPHS: Readonly<Record<string, string>> = {
  ' ': '.....|.....|.....|.....|.....|.....|.....',
  '0': '.###.|#...#|#..##|#.#.#|##..#|#...#|.###.',
  '1': '..#..|.##..|..#..|..#..|..#..|..#..|.###.',
  '2': '.###.|#...#|....#|...#.|..#..|.#...|#####',
  '3': '#####|...#.|..#..|...#.|....#|#...#|.###.',
  '4': '...#.|..##.|.#.#.|#..#.|#####|...#.|...#.',
  '5': '#####|#....|####.|....#|....#|#...#|.###.',
  '6': '..##.|.#...|#....|####.|#...#|#...#|.###.',
  '7': '#####|....#|...#.|..#..|.#...|.#...|.#...',
  '8': '.###.|#...#|#...#|.###.|#...#|#...#|.###.',
  '9': '.###.|#...#|#...#|.####|....#|...#.|.##..',
  A: '.###.|#...#|#...#|#####|#...#|#...#|#...#',
  B: '####.|#...#|#...#|####.|#...#|#...#|####.',
  C: '.###.|#...#|#....|#....|#....|#...#|.###.',
  D: '###..|#..#.|#...#|#...#|#...#|#..#.|###..',
  E: '#####|#....|#....|####.|#....|#....|#####',
  F: '#####|#....|#....|####.|#....|#....|#....',
  G: '.###.|#...#|#....|#.###|#...#|#...#|.####',
  H: '#...#|#...#|#...#|#####|#...#|#...#|#...#',
  I: '.###.|..#..|..#..|..#..|..#..|..#..|.###.',
  J: '..###|...#.|...#.|...#.|...#.|#..#.|.##..',
  K: '#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#',
  L: '#....|#....|#....|#....|#....|#....|#####',
  M: '#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#',
  N: '#...#|#...#|##..#|#.#.#|#..##|#...#|#...#',
  O: '.###.|#...#|#...#|#...#|#...#|#...#|.###.',
  P: '####.|#...#|#...#|####.|#....|#....|#....',
  Q: '.###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#',
  R: '####.|#...#|#...#|####.|#.#..|#..#.|#...#',
  S: '.####|#....|#....|.###.|....#|....#|####.',
  T: '#####|..#..|..#..|..#..|..#..|..#..|..#..',
  U: '#...#|#...#|#...#|#...#|#...#|#...#|.###.',
  V: '#...#|#...#|#...#|#...#|#...#|.#.#.|..#..',
  W: '#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.',
  X: '#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#',
  Y: '#...#|#...#|.#.#.|..#..|..#..|..#..|..#..',
  Z: '#####|....#|...#.|..#..|.#...|#....|#####',
  a: '.....|.....|.###.|....#|.####|#...#|.####',
  b: '#....|#....|#.##.|##..#|#...#|#...#|####.',
  c: '.....|.....|.###.|#....|#....|#...#|.###.',
  d: '....#|....#|.##.#|#..##|#...#|#...#|.####',
  e: '.....|.....|.###.|#...#|#####|#....|.###.',
  f: '..##.|.#..#|.#...|###..|.#...|.#...|.#...',
  g: '.....|.####|#...#|#...#|.####|....#|.###.',
  h: '#....|#....|#.##.|##..#|#...#|#...#|#...#',
  i: '..#..|.....|.##..|..#..|..#..|..#..|.###.',
  j: '...#.|.....|..##.|...#.|...#.|#..#.|.##..',
  k: '#....|#....|#..#.|#.#..|##...|#.#..|#..#.',
  l: '.##..|..#..|..#..|..#..|..#..|..#..|.###.',
  m: '.....|.....|##.#.|#.#.#|#.#.#|#...#|#...#',
  n: '.....|.....|#.##.|##..#|#...#|#...#|#...#',
  o: '.....|.....|.###.|#...#|#...#|#...#|.###.',
  p: '.....|.....|####.|#...#|#...#|####.|#....',
  q: '.....|.....|.####|#...#|#...#|.####|....#',
  r: '.....|.....|#.##.|##..#|#....|#....|#....',
  s: '.....|.....|.###.|#....|.###.|....#|####.',
  t: '.#...|.#...|###..|.#...|.#...|.#..#|..##.',
  u: '.....|.....|#...#|#...#|#...#|#..##|.##.#',
  v: '.....|.....|#...#|#...#|#...#|.#.#.|..#..',
  w: '.....|.....|#...#|#...#|#.#.#|#.#.#|.#.#.',
  x: '.....|.....|#...#|.#.#.|..#..|.#.#.|#...#',
  y: '.....|.....|#...#|#...#|.####|....#|.###.',
  z: '.....|.....|#####|...#.|..#..|.#...|#####',
  µ: '.....|#...#|#...#|#...#|##..#|#.##.|#....',
  '.': '.....|.....|.....|.....|.....|.##..|.##..',
  ',': '.....|.....|.....|.....|.##..|..#..|.#...',
  ';': '.....|.##..|.##..|.....|.##..|..#..|.#...',
  ':': '.....|.##..|.##..|.....|.##..|.##..|.....',
  '-': '.....|.....|.....|#####|.....|.....|.....',
  '+': '.....|..#..|..#..|#####|..#..|..#..|.....',
  '=': '.....|.....|#####|.....|#####|.....|.....',
  '%': '##...|##..#|...#.|..#..|.#...|#..##|...##',
  '/': '.....|....#|...#.|..#..|.#...|#....|.....',
  '(': '...#.|..#..|.#...|.#...|.#...|..#..|...#.',
  ')': '.#...|..#..|...#.|...#.|...#.|..#..|.#...',
  '[': '.###.|.#...|.#...|.#...|.#...|.#...|.###.',
  ']': '.###.|...#.|...#.|...#.|...#.|...#.|.###.',
  _: '.....|.....|.....|.....|.....|.....|#####',
  '<': '...#.|..#..|.#...|#....|.#...|..#..|...#.',
  '>': '.#...|..#..|...#.|....#|...#.|..#..|.#...',
  '?': '.###.|#...#|....#|...#.|..#..|.....|..#..',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal advance per character, in font cells (5 wide + 1 gap). */
export const GLYPH_ADVANCE = 6;

/** Parsed glyph bitmaps: 7 rows of 5-bit masks (bit 4 = leftmost). */
const BITMAPS: ReadonlyMap<string, readonly number[]> = new Map(
  Object.entries(GLYPHS).map(([ch, rows]) => [
    ch,
    rows.split('|').map((row) => [...row].reduce((m, c) => (m << 1) | (c === '#' ? 1 : 0), 0)),
  ]),
);

export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, colour: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = (yi * this.width + xi) * 3;
    this.pixels[i] = colour[0];
    this.pixels[i + 1] = colour[1];
    this.pixels[i + 2] = colour[2];
  }

  getPixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 3;
    return [this.pixels[i]!, this.pixels[i + 1]!, this.pixels[i + 2]!];
  }

  fillRect(x: number, y: number, w: number, h: number, colour: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 3;
        this.pixels[i] = colour[0];
        this.pixels[i + 1] = colour[1];
        this.pixels[i + 2] = colour[2];
      }
    }
  }

  strokeRect(x: number, y: number, w: number, h: number, colour: Rgb): void {
    this.line(x, y, x + w, y, colour);
    this.line(x + w, y, x + w, y + h, colour);
    this.line(x + w, y + h, x, y + h, colour);
    this.line(x, y + h, x, y, colour);
  }

  /**
   * A line of `thickness` pixels (a square brush stepped along it); `dash` = [on, off] lengths in pixels for a
   * dashed line.
   */
  line(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    colour: Rgb,
    thickness = 1,
    dash?: readonly [number, number],
  ): void {
    const length = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(length * 2));
    const half = (thickness - 1) / 2;
    for (let s = 0; s <= steps; s++) {
      if (dash !== undefined && (s / 2) % (dash[0] + dash[1]) >= dash[0]) continue;
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      if (thickness <= 1) this.setPixel(x, y, colour);
      else this.fillRect(x - half, y - half, thickness, thickness, colour);
    }
  }

  /** Width in pixels of `text` at `scale`. */
  static textWidth(text: string, scale: number): number {
    return text.length === 0 ? 0 : ([...text].length * GLYPH_ADVANCE - 1) * scale;
  }

  /**
   * Draws `text` with its top-left corner at (x, y), `scale` pixels per font cell. `align` places x at the
   * text's left edge, centre or right edge. Characters without a glyph are drawn as '?'.
   */
  text(x: number, y: number, text: string, colour: Rgb, scale = 2, align: 'left' | 'center' | 'right' = 'left'): void {
    const w = Raster.textWidth(text, scale);
    let cx = Math.round(align === 'left' ? x : align === 'center' ? x - w / 2 : x - w);
    const top = Math.round(y);
    for (const ch of text) {
      const rows = BITMAPS.get(ch) ?? BITMAPS.get('?')!;
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        const mask = rows[r]!;
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (mask & (1 << (GLYPH_WIDTH - 1 - c))) this.fillRect(cx + c * scale, top + r * scale, scale, scale, colour);
        }
      }
      cx += GLYPH_ADVANCE * scale;
    }
  }

  /** Text rotated 90° anticlockwise (reads bottom to top), centred vertically on y, left edge at x. */
  textVertical(x: number, y: number, text: string, colour: Rgb, scale = 2): void {
    const w = Raster.textWidth(text, scale);
    let cy = Math.round(y + w / 2);
    const left = Math.round(x);
    for (const ch of text) {
      const rows = BITMAPS.get(ch) ?? BITMAPS.get('?')!;
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        const mask = rows[r]!;
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (mask & (1 << (GLYPH_WIDTH - 1 - c)))
            this.fillRect(left + r * scale, cy - (c + 1) * scale, scale, scale, colour);
        }
      }
      cy -= GLYPH_ADVANCE * scale;
    }
  }
}
