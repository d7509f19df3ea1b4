/**
 * How the CLI's online commands reach a running media driver and archive: an Aeron client on the live driver
 * in the Aeron directory, and an archive client over it at the endpoint `options.ts` resolves.
 *
 * Failures are one `CliError` line: no driver / dead driver exit 2 (checked on the CnC file first, by
 * `driver-cnc.ts`, so it is immediate rather than a driver timeout), anything else exit 1.
 */
import { AeronArchive } from '../archive/aeron-archive.ts';
import { Aeron } from '../client/aeron.ts';
import { DriverTimeoutError } from '../client/errors.ts';
import { CliError, EXIT_NO_DRIVER, oneLine } from './cli-error.ts';
import { requireLiveDriver } from './driver-cnc.ts';
import type { ArchiveEndpoint } from './options.ts';

/** Connects an Aeron client to the live driver at `aeronDir`; one-line errors. */
export async function connectAeron(aeronDir: string, nowMs: number): Promise<Aeron> {
  requireLiveDriver(aeronDir, nowMs);
  try {
    return await Aeron.connect({ aeronDir, clientName: 'aeron-ts-cli' });
  } catch (e) {
    if (e instanceof DriverTimeoutError) {
      throw new CliError(`no media driver at ${aeronDir}: ${oneLine(e)}`, EXIT_NO_DRIVER);
    }
    throw new CliError(`cannot connect to the media driver at ${aeronDir}: ${oneLine(e)}`);
  }
}

/** An Aeron client and an archive client over it; `close()` closes both. */
export interface ArchiveConnection extends Disposable {
  /** The Aeron client, connected to the driver. */
  readonly aeron: Aeron;
  /** The archive client, connected over `aeron`. */
  readonly archive: AeronArchive;
  /** Where the archive was reached. */
  readonly endpoint: ArchiveEndpoint;
  /** e.g. `archive 0 via aeron:ipc?term-length=64k stream 10`. */
  readonly description: string;
  /** Closes the archive client, then the Aeron client (also what `[Symbol.dispose]` does). */
  close(): void;
}

/** Connects to the archive at `endpoint` through the driver at `aeronDir`; one-line errors. */
export async function connectArchive(
  aeronDir: string,
  endpoint: ArchiveEndpoint,
  nowMs: number,
  signal?: AbortSignal,
): Promise<ArchiveConnection> {
  const aeron = await connectAeron(aeronDir, nowMs);
  let archive: AeronArchive;
  try {
    archive = await AeronArchive.connect(
      {
        aeron,
        controlRequestChannel: endpoint.controlChannel,
        controlRequestStreamId: endpoint.controlStreamId,
        controlResponseChannel: endpoint.responseChannel,
        controlResponseStreamId: endpoint.responseStreamId,
        clientName: 'aeron-ts-cli',
      },
      signal === undefined ? {} : { signal },
    );
  } catch (e) {
    aeron.close();
    const where = `${endpoint.controlChannel} stream ${endpoint.controlStreamId}`;
    throw new CliError(`cannot connect to the archive on ${where}: ${oneLine(e)}`);
  }
  const close = (): void => {
    archive.close();
    aeron.close();
  };
  return {
    aeron,
    archive,
    endpoint,
    description: `archive ${archive.archiveId} via ${endpoint.controlChannel} stream ${endpoint.controlStreamId}`,
    close,
    [Symbol.dispose]: close,
  };
}
