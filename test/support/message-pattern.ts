/**
 * Deterministic message content for pub/sub interop tests, identical to `test/java/PubSubProbe.java`.
 *
 * Both sides derive message `i` of a source from `(seed, i)` alone, so a subscriber verifies content,
 * length and order of every message without being sent the expected data. All arithmetic is int32
 * wrapping (`Math.imul` here, `int *` in Java).
 *
 * ```
 * fmix32(x)  = murmur3 finalizer: x ^= x>>>16; x *= 0x85EBCA6B; x ^= x>>>13; x *= 0xC2B2AE35; x ^= x>>>16
 * h(seed, i) = fmix32(seed * 0x9E3779B9 + i)
 *
 * message i, length n, from source `seed`:
 *   byte offset  0       4        8                                                         n
 *                +-------+--------+---------------------------------------------------------+
 *                | i LE  | seed LE| byte (j & 3) of fmix32(h + (j >>> 2) * 0x85EBCA6B), LE    |
 *                +-------+--------+---------------------------------------------------------+
 *   (a message shorter than 8 bytes is the prefix of this layout)
 *
 * size of message i:  "a,b,c"            -> list[i % list.length]
 *                     "random:s:max"     -> unsigned(fmix32(s * 0x27D4EB2F + i)) % (max + 1)
 *                     "random:s:min:max" -> min + unsigned(fmix32(s * 0x27D4EB2F + i)) % (max - min + 1)
 *
 * checksum: CRC-32 (IEEE 802.3, as java.util.zip.CRC32) over the payloads of one source in order;
 *           several sources combine by XOR. Printed as 8 lowercase hex digits.
 * ```
 *
 * Nothing here allocates per message: `fillMessage`, `firstMismatch`, `Crc32.update` and
 * `MessageVerifier.onMessage` work on the caller's bytes.
 */

const GOLDEN = 0x9e3779b9 | 0;
const C1 = 0x85ebca6b | 0;
const C2 = 0xc2b2ae35 | 0;
const SIZE_MUL = 0x27d4eb2f | 0;

export function fmix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, C1);
  x ^= x >>> 13;
  x = Math.imul(x, C2);
  x ^= x >>> 16;
  return x;
}

function messageHash(seed: number, index: number): number {
  return fmix32((Math.imul(seed, GOLDEN) + index) | 0);
}

function patternByte(seed: number, index: number, h: number, j: number): number {
  let word: number;
  if (j < 4) word = index;
  else if (j < 8) word = seed;
  else word = fmix32((h + Math.imul(j >>> 2, C1)) | 0);
  return (word >>> ((j & 3) * 8)) & 0xff;
}

/** Writes message `index` of source `seed` (length `length`) into `buf` at `offset`. */
export function fillMessage(buf: Uint8Array, offset: number, length: number, seed: number, index: number): void {
  const h = messageHash(seed, index);
  for (let j = 0; j < length; j++) buf[offset + j] = patternByte(seed, index, h, j);
}

/** Offset (within the message) of the first byte that differs from the pattern, or -1. */
export function firstMismatch(buf: Uint8Array, offset: number, length: number, seed: number, index: number): number {
  const h = messageHash(seed, index);
  for (let j = 0; j < length; j++) {
    if (buf[offset + j] !== patternByte(seed, index, h, j)) return j;
  }
  return -1;
}

/** True when the bytes are exactly message `index` of source `seed`. */
export function checkMessage(buf: Uint8Array, offset: number, length: number, seed: number, index: number): boolean {
  return firstMismatch(buf, offset, length, seed, index) < 0;
}

/** A size schedule, in the same text form the Java probe takes (`"0,1,31"` or `"random:7:1:64"`). */
export class MessageSizes {
  readonly spec: string;
  readonly min: number;
  readonly max: number;
  private readonly list: readonly number[] | null;
  private readonly randomSeed: number;

  constructor(spec: string | readonly number[]) {
    this.spec = typeof spec === 'string' ? spec : spec.join(',');
    if (this.spec.startsWith('random:')) {
      const parts = this.spec.split(':').map(Number);
      this.list = null;
      this.randomSeed = (parts[1] ?? 0) | 0;
      this.min = parts.length === 4 ? (parts[2] ?? 0) : 0;
      this.max = parts[parts.length - 1] ?? 0;
    } else {
      this.list = this.spec.split(',').map((s) => Number(s.trim()));
      this.randomSeed = 0;
      this.min = Math.min(...this.list);
      this.max = Math.max(...this.list);
    }
    if (!(this.max >= this.min && this.min >= 0) || (this.list?.some((n) => !Number.isInteger(n)) ?? false)) {
      throw new Error(`bad size schedule: ${this.spec}`);
    }
  }

  sizeOf(index: number): number {
    if (this.list !== null) return this.list[index % this.list.length] ?? 0;
    const r = fmix32((Math.imul(this.randomSeed, SIZE_MUL) + index) | 0) >>> 0;
    return this.min + (r % (this.max - this.min + 1));
  }
}

const CRC_TABLE: Int32Array = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** Streaming CRC-32 (IEEE), the same value as `java.util.zip.CRC32`. */
export class Crc32 {
  private crc = -1;

  update(buf: Uint8Array, offset: number, length: number): void {
    let c = this.crc;
    for (let i = offset, end = offset + length; i < end; i++) {
      c = (CRC_TABLE[(c ^ (buf[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
    }
    this.crc = c;
  }

  /** Unsigned 32-bit value. */
  value(): number {
    return (this.crc ^ -1) >>> 0;
  }

  reset(): void {
    this.crc = -1;
  }
}

/** 8 lowercase hex digits, as the Java probe prints checksums. */
export function crcHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

const MAX_REPORTED_ERRORS = 10;

/**
 * Checks messages as they arrive from one or more sources (seeds `baseSeed .. baseSeed+sources-1`,
 * `countPerSource` each), the TS twin of the Java probe's subscriber. With several sources every
 * message must be at least 8 bytes long: bytes 4..7 carry the seed.
 */
export class MessageVerifier {
  readonly sizes: MessageSizes;
  readonly baseSeed: number;
  readonly sources: number;
  readonly countPerSource: number;
  /** Next expected index per source (= messages seen from it). */
  readonly next: Int32Array;
  readonly crcs: readonly Crc32[];
  received = 0;
  errorCount = 0;
  /** The first few errors, described. */
  readonly errors: string[] = [];

  constructor(options: {
    sizes: MessageSizes | string | readonly number[];
    seed: number;
    count: number;
    sources?: number;
  }) {
    this.sizes = options.sizes instanceof MessageSizes ? options.sizes : new MessageSizes(options.sizes);
    this.baseSeed = options.seed | 0;
    this.sources = options.sources ?? 1;
    this.countPerSource = options.count;
    this.next = new Int32Array(this.sources);
    this.crcs = Array.from({ length: this.sources }, () => new Crc32());
    if (this.sources > 1 && this.sizes.min < 8) throw new Error('several sources need every message size >= 8');
  }

  get expectedTotal(): number {
    return this.countPerSource * this.sources;
  }

  get done(): boolean {
    return this.received >= this.expectedTotal;
  }

  /** Verifies one whole (reassembled) message. */
  onMessage(buf: Uint8Array, offset: number, length: number): void {
    let source = 0;
    if (this.sources > 1) {
      source = length >= 8 ? readInt32LE(buf, offset + 4) - this.baseSeed : -1;
      if (source < 0 || source >= this.sources) {
        this.error(`message of length ${length} from no known source`);
        this.received++;
        return;
      }
    }
    const index = this.next[source] ?? 0;
    const seed = (this.baseSeed + source) | 0;
    if (index >= this.countPerSource) {
      this.error(`extra message from seed ${seed} after ${this.countPerSource} (length ${length})`);
    } else {
      const expectedLength = this.sizes.sizeOf(index);
      if (length !== expectedLength) {
        this.error(
          `seed ${seed} message ${index}: length ${length} expected ${expectedLength}${describeHeader(buf, offset, length)}`,
        );
      } else {
        const at = firstMismatch(buf, offset, length, seed, index);
        if (at >= 0) {
          this.error(
            `seed ${seed} message ${index} (length ${length}): byte ${at} differs${describeHeader(buf, offset, length)}`,
          );
        }
      }
      this.crcs[source]?.update(buf, offset, length);
    }
    this.next[source] = index + 1;
    this.received++;
  }

  /** XOR of the per-source CRCs (the single CRC with one source). */
  checksum(): number {
    let x = 0;
    for (const crc of this.crcs) x ^= crc.value();
    return x >>> 0;
  }

  private error(message: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(message);
  }
}

/** The checksum a publisher of `count` messages from `seed` reports (computed without a transport). */
export function expectedChecksum(sizes: MessageSizes, seed: number, count: number): number {
  const crc = new Crc32();
  const buf = new Uint8Array(Math.max(8, sizes.max));
  for (let i = 0; i < count; i++) {
    const length = sizes.sizeOf(i);
    fillMessage(buf, 0, length, seed, i);
    crc.update(buf, 0, length);
  }
  return crc.value();
}

/** The little-endian int32 at `offset` of `buf` (the index and seed fields of a message). */
export function readInt32LE(buf: Uint8Array, offset: number): number {
  return (
    (buf[offset] ?? 0) |
    ((buf[offset + 1] ?? 0) << 8) |
    ((buf[offset + 2] ?? 0) << 16) |
    ((buf[offset + 3] ?? 0) << 24) |
    0
  );
}

function describeHeader(buf: Uint8Array, offset: number, length: number): string {
  return length >= 8 ? ` (carries index ${readInt32LE(buf, offset)} seed ${readInt32LE(buf, offset + 4)})` : '';
}
