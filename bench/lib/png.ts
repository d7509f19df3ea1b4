/**
 * A minimal PNG encoder (PNG spec, ISO/IEC 15948): 8-bit truecolour (RGB) or truecolour with alpha (RGBA),
 * no interlace, every scanline with filter type 0 (None), the image data deflated with `node:zlib`.
 *
 * ```
 * file  = signature 89 50 4E 47 0D 0A 1A 0A, then chunks IHDR, IDAT, IEND
 * chunk = length (uint32 BE, data bytes only) | type (4 ASCII) | data | CRC-32 (uint32 BE) over type + data
 * IHDR  = width (uint32 BE) | height (uint32 BE) | bit depth 8 | colour type 2 (RGB) or 6 (RGBA)
 *         | compression 0 | filter 0 | interlace 0                                         (13 bytes)
 * IDAT  = zlib stream of the scanlines, each: filter byte 0 then width * channels bytes
 * ```
 * CRC-32 is the ISO 3309 / zlib one: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF.
 */
import { deflateSync } from 'node:zlib';

export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Channels per pixel: 3 (RGB) or 4 (RGBA). */
export type PngChannels = 3 | 4;

const COLOUR_TYPE: Record<PngChannels, number> = { 3: 2, 4: 6 };

let crcTable: Uint32Array | null = null;

function table(): Uint32Array {
  if (crcTable !== null) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/** CRC-32 of `bytes` (unsigned). */
export function crc32(bytes: Uint8Array): number {
  const t = table();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes a raster: `pixels` holds `height` rows of `width * channels` bytes, top row first, R G B (A) per
 * pixel.
 */
export function encodePng(width: number, height: number, pixels: Uint8Array, channels: PngChannels = 3): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bad PNG size ${width}x${height}`);
  }
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(`raster has ${pixels.length} bytes, expected ${stride * height}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = COLOUR_TYPE[channels];
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;
  const scanlines = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (stride + 1)] = 0;
    scanlines.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
