/**
 * A file mapped into memory with `mmap(MAP_SHARED)`, exposed as an `ArrayBuffer`.
 *
 * One of the two modules that load `koffi` (3.3.4: the FFI used to reach libc's `mmap`/`munmap`; Node core has
 * no mmap); the other is `src/driver/media/libc-socket.ts` (the driver's UDP sockets and native buffers). Through koffi 3 a `void *` comes back as a BigInt address (`MAP_FAILED` as `0xffff_ffff_ffff_ffffn`)
 * and a NULL pointer as `null`. The file is opened with Node's `fs` so failures arrive as ordinary errno codes,
 * mapped, and the descriptor closed again straight away (a mapping outlives its descriptor).
 *
 * Linux only (package.json `os`). The darwin branch of `loadLibc` (`libc.dylib`, its `MAP_ANONYMOUS` and
 * `MAP_NORESERVE` values) is kept but untested.
 *
 * ## Lifecycle and stale views
 *
 * `koffi.view()` wraps the mapped address in an external `ArrayBuffer`. A plain `munmap` while any typed array or
 * `DataView` over that buffer is still reachable would leave it pointing at unmapped memory: the next access is a
 * SIGSEGV that kills the process.
 *
 * So `close()` does not leave a hole. It atomically replaces the file mapping with a private anonymous
 * zero-filled mapping at the same address (`mmap(MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)`):
 * the file mapping is gone at once (exactly once; `close()` is idempotent), and stale views read zeros and
 * write into private memory that nobody sees, instead of crashing. The placeholder's address range is
 * `munmap`ed when the `ArrayBuffer` itself is garbage collected (a `FinalizationRegistry`), when no view over
 * it can exist any more. A mapping that is never closed is unmapped the same way. Only if the placeholder
 * can not be created (address-space exhaustion) does `close()` fall back to a plain `munmap`, and then stale
 * views are fatal again. After `close()`, `buffer` throws `MappedFileError` with code `CLOSED`.
 *
 * ## Never `transfer()` a mapped buffer
 *
 * The GC-time `munmap` is tied to the `ArrayBuffer` object `koffi.view()` returned, so that object must stay the
 * only owner of the memory. `ArrayBuffer.prototype.transfer()` breaks this: it exists from V8 11.4, so on Node 22
 * and 24 (not on Node 20), and on a koffi view (measured on Node 24) it detaches the original and returns a new
 * `ArrayBuffer` that still points at the mapped memory. When the detached original is collected, its finalizer
 * unmaps the range the new buffer still uses, and the next access through the new buffer crashes the process;
 * meanwhile `buffer` returns the detached, zero-length original. Do not call `transfer()` (nor its fixed-length
 * twin `transferToFixedLength()`, not measured separately) on `MappedFile.buffer`, nor on the `.buffer` of a typed
 * array or `DataView` over it (the views inside every `AtomicBuffer` of the CnC file, the counters and the log
 * buffers are such views). Copy the bytes out instead. `structuredClone(ab, { transfer })` and `postMessage` do
 * not detach such an external buffer: Node copies it (measured on Node 20; not re-measured on Node 22 or 24).
 *
 * `readOnly` maps with `MAP_PRIVATE` and `PROT_READ | PROT_WRITE` over a read-only descriptor: reads see the
 * file, a stray write can not crash the process (a `PROT_READ` mapping would SIGSEGV) and never reaches the
 * file, but the written page stops seeing updates from other processes.
 */
import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import koffi from 'koffi';
import { TransportError } from './transport-error.ts';

/** Error codes of `MappedFileError`. */
export type MappedFileErrorCode = 'NOT_FOUND' | 'PERMISSION_DENIED' | 'TOO_SHORT' | 'MAP_FAILED' | 'CLOSED';

/** Opening or mapping a file failed, or a closed mapping was used. */
export class MappedFileError extends TransportError {
  /** The path involved. */
  readonly path: string;
  /** OS errno for `MAP_FAILED` (0 when unknown). */
  readonly errno: number;

  constructor(code: MappedFileErrorCode, path: string, message: string, errno = 0) {
    super(code, message);
    this.path = path;
    this.errno = errno;
  }
}

/** Options of `MappedFile.open`. */
export interface MappedFileOpenOptions {
  /** Refuse (`TOO_SHORT`) a file shorter than this many bytes. A zero-length file is always refused. */
  readonly expectedMinLength?: number;
  /** Map a private copy-on-write view: local writes never reach the file (see the module comment). */
  readonly readOnly?: boolean;
}

interface Libc {
  readonly mmap: (addr: unknown, length: number, prot: number, flags: number, fd: number, offset: number) => unknown;
  readonly munmap: (addr: unknown, length: number) => number;
  readonly mapAnonymous: number;
  readonly mapNoReserve: number;
}

const PROT_READ = 0x1;
const PROT_WRITE = 0x2;
const MAP_SHARED = 0x1;
const MAP_PRIVATE = 0x2;
const MAP_FIXED = 0x10;
/** `(void *) -1`, as koffi reports it through `koffi.address`. */
const MAP_FAILED_ADDRESS = 0xffff_ffff_ffff_ffffn;

let libc: Libc | undefined;

function loadLibc(): Libc {
  if (libc !== undefined) return libc;
  const darwin = process.platform === 'darwin';
  if (process.platform !== 'linux' && !darwin) {
    throw new MappedFileError('MAP_FAILED', '', `memory-mapped files are not supported on ${process.platform}`);
  }
  const lib = koffi.load(darwin ? 'libc.dylib' : 'libc.so.6');
  libc = {
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    munmap: lib.func('int munmap(void *addr, size_t length)'),
    mapAnonymous: darwin ? 0x1000 : 0x20,
    mapNoReserve: darwin ? 0x40 : 0x4000,
  };
  return libc;
}

interface MappingToken {
  readonly address: unknown;
  readonly length: number;
}

/** Unmaps an address range once its ArrayBuffer is unreachable (so no view can touch it any more). */
const unmapWhenCollected = new FinalizationRegistry<MappingToken>((token) => {
  loadLibc().munmap(token.address, token.length);
});

function isMapFailed(address: unknown): boolean {
  return address === null || koffi.address(address) === MAP_FAILED_ADDRESS;
}

function openError(path: string, e: unknown): MappedFileError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new MappedFileError('NOT_FOUND', path, `no such file: ${path}`);
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return new MappedFileError('PERMISSION_DENIED', path, `permission denied: ${path}`);
  }
  return new MappedFileError('MAP_FAILED', path, `cannot open ${path}: ${err.message}`, Math.abs(err.errno ?? 0));
}

/** A mapped file; see the module comment for the close semantics. */
export class MappedFile implements Disposable {
  /** The file this mapping was made from. */
  readonly path: string;
  /** Mapped length in bytes (the file length when mapped). */
  readonly length: number;
  /** Whether this is a private, copy-on-write mapping. */
  readonly readOnly: boolean;

  #buffer: ArrayBuffer | undefined;
  readonly #address: unknown;
  /** Unregister token for the GC-time munmap (must not be the buffer itself). */
  readonly #token: object = {};

  private constructor(path: string, address: unknown, length: number, readOnly: boolean) {
    this.path = path;
    this.#address = address;
    this.length = length;
    this.readOnly = readOnly;
    const buffer = koffi.view(address, length);
    this.#buffer = buffer;
    unmapWhenCollected.register(buffer, { address, length }, this.#token);
  }

  /** Maps an existing file, all of it. */
  static open(path: string, options: MappedFileOpenOptions = {}): MappedFile {
    const readOnly = options.readOnly ?? false;
    let fd: number;
    try {
      fd = openSync(path, readOnly ? 'r' : 'r+');
    } catch (e) {
      throw openError(path, e);
    }
    try {
      const length = fstatSync(fd).size;
      const expected = options.expectedMinLength ?? 1;
      if (length === 0 || length < expected) {
        throw new MappedFileError(
          'TOO_SHORT',
          path,
          `file ${path} is ${length} bytes, expected at least ${Math.max(expected, 1)}`,
        );
      }
      return MappedFile.#map(path, fd, length, readOnly);
    } finally {
      closeSync(fd);
    }
  }

  /** Creates (or truncates) a zero-filled file of `length` bytes and maps it shared. */
  static create(path: string, length: number): MappedFile {
    if (!Number.isSafeInteger(length) || length <= 0) {
      throw new MappedFileError('TOO_SHORT', path, `cannot create ${path} with length ${length}`);
    }
    let fd: number;
    try {
      fd = openSync(path, 'w+', 0o644);
    } catch (e) {
      throw openError(path, e);
    }
    try {
      ftruncateSync(fd, length);
      return MappedFile.#map(path, fd, length, false);
    } finally {
      closeSync(fd);
    }
  }

  static #map(path: string, fd: number, length: number, readOnly: boolean): MappedFile {
    const c = loadLibc();
    const flags = readOnly ? MAP_PRIVATE : MAP_SHARED;
    const address = c.mmap(null, length, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (isMapFailed(address)) {
      const errno = koffi.errno();
      throw new MappedFileError('MAP_FAILED', path, `mmap of ${path} (${length} bytes) failed, errno=${errno}`, errno);
    }
    return new MappedFile(path, address, length, readOnly);
  }

  /** The mapped memory. Throws `MappedFileError` (`CLOSED`) after `close()`. */
  get buffer(): ArrayBuffer {
    const buffer = this.#buffer;
    if (buffer === undefined) {
      throw new MappedFileError('CLOSED', this.path, `mapping of ${this.path} is closed`);
    }
    return buffer;
  }

  /** True once `close()` has run. */
  get isClosed(): boolean {
    return this.#buffer === undefined;
  }

  /** Releases the file mapping. Idempotent. Stale views then see private zero memory (module comment). */
  close(): void {
    if (this.#buffer === undefined) return;
    this.#buffer = undefined;
    const c = loadLibc();
    const placeholder = c.mmap(
      this.#address,
      this.length,
      PROT_READ | PROT_WRITE,
      MAP_FIXED | MAP_PRIVATE | c.mapAnonymous | c.mapNoReserve,
      -1,
      0,
    );
    if (isMapFailed(placeholder)) {
      // Could not swap in a placeholder: unmap for real (stale views become fatal) and make sure the GC
      // never unmaps the range again, since something else may be mapped there by then.
      unmapWhenCollected.unregister(this.#token);
      c.munmap(this.#address, this.length);
    }
  }

  /** `close()`, for `using`: releases the file mapping (stale views then read zeros; see the module comment). */
  [Symbol.dispose](): void {
    this.close();
  }
}
