/**
 * The TypeScript media driver and the TypeScript archive in one call (Java's `ArchivingMediaDriver`): no JVM, no
 * second process.
 *
 * ```
 *  launch(options)   driver first: MediaDriver.launch in options.driver.aeronDir when one is given, else
 *                    MediaDriver.launchEmbedded (a fresh <default aeron dir>-<uuid>, deleted on close);
 *                    then an Aeron client on that driver's directory and Archive.launch with it
 *                    (options.archive.aeronDir is replaced)
 *  a failed archive  stops the driver it started, then rejects with the archive's error
 *  close()           archive first (its recordings stopped in the catalog), its Aeron client, then the driver;
 *                    idempotent
 * ```
 *
 * ```ts
 * await using archiving = await ArchivingMediaDriver.launch({ archive: { archiveDir: '/var/lib/aeron-archive' } });
 * // clients: Aeron.connect({ aeronDir: archiving.aeronDir }), AeronArchive on the local control channel
 * ```
 */

import { Aeron } from '../client/aeron.ts';
import type { LaunchOptions } from '../driver/media-driver.ts';
import { MediaDriver } from '../driver/media-driver.ts';
import type { MediaDriverOptions } from '../driver/media-driver-context.ts';
import { Archive } from './archive.ts';
import type { ArchiveServerOptions } from './archive-options.ts';

/** What `ArchivingMediaDriver.launch` accepts: the driver's options and the archive's, each optional. */
export interface ArchivingMediaDriverOptions {
  /** The media driver's options; without `aeronDir` the driver is embedded (fresh directory, deleted on close). */
  readonly driver?: Partial<MediaDriverOptions>;
  /** The archive's options; its `aeronDir` is the driver's. */
  readonly archive?: ArchiveServerOptions;
}

/** A running TS media driver with a TS archive on it (module comment). Close it with `close()`. */
export class ArchivingMediaDriver implements AsyncDisposable {
  /** The media driver. */
  readonly driver: MediaDriver;
  /** The archive, a client of {@link ArchivingMediaDriver.driver}. */
  readonly archive: Archive;
  readonly #aeron: Aeron;
  #closing: Promise<void> | null = null;

  private constructor(driver: MediaDriver, archive: Archive, aeron: Aeron) {
    this.driver = driver;
    this.archive = archive;
    this.#aeron = aeron;
  }

  /**
   * Starts the driver, then the archive on it (module comment). Rejects as `MediaDriver.launch` and
   * `Archive.launch` do; `launch.signal` aborts the driver's start (`MediaDriverError` ABORTED), the archive's
   * client connect and the archive's launch (`AeronAbortedError`), stopping what was started.
   */
  static async launch(
    options: ArchivingMediaDriverOptions = {},
    launch: LaunchOptions = {},
  ): Promise<ArchivingMediaDriver> {
    const driverOptions = options.driver ?? {};
    const driver =
      driverOptions.aeronDir === undefined
        ? await MediaDriver.launchEmbedded(driverOptions, launch)
        : await MediaDriver.launch({ ...driverOptions, aeronDir: driverOptions.aeronDir }, launch);
    let aeron: Aeron | null = null;
    try {
      aeron = await Aeron.connect({ aeronDir: driver.aeronDir, signal: launch.signal });
      const archive = await Archive.launch({ ...options.archive, aeronDir: driver.aeronDir }, aeron, {
        signal: launch.signal,
      });
      return new ArchivingMediaDriver(driver, archive, aeron);
    } catch (e) {
      await aeron?.close();
      await driver.close();
      throw e;
    }
  }

  /** The driver's directory: what clients connect to. */
  get aeronDir(): string {
    return this.driver.aeronDir;
  }

  /** Closes the archive, then the driver (module comment). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** `await using archiving = await ArchivingMediaDriver.launch(…)`: the same as `close()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    try {
      await this.archive.close();
    } finally {
      try {
        await this.#aeron.close();
      } finally {
        await this.driver.close();
      }
    }
  }
}
