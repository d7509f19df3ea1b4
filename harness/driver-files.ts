/**
 * Just enough of a running driver's files, read with plain positioned fs reads (no mmap), to tell
 * when a test driver is ready. Independent of `src/` on purpose: the harness must not depend on the
 * code it tests. Facts from Aeron 1.51.0 (CncFileDescriptor, CountersReader, ArchiveMarkFile).
 *
 * cnc.dat header (little-endian), followed by the buffers in this order:
 * ```
 *   0  int  cncVersion            (written last, with release: non-zero = initialised)
 *   4  int  toDriverBufferLength
 *   8  int  toClientsBufferLength
 *  12  int  countersMetadataBufferLength
 *  16  int  countersValuesBufferLength
 *  20  int  errorLogBufferLength
 *  24  long clientLivenessTimeoutNs
 *  32  long startTimestampMs
 *  40  long pid
 *  48  int  filePageSize
 * 128  to-driver ring | to-clients broadcast | counters metadata | counters values | error log
 * ```
 * Counter metadata record (512 bytes each, allocated in order, first UNUSED ends the list):
 * ```
 *   0 int state (0 unused, 1 allocated, -1 reclaimed)   4 int typeId
 *  16 key (112 bytes)                                  128 int labelLength   132 label (380 bytes)
 * ```
 * Counter value record: 128 bytes each, the long value at offset 0.
 *
 * archive-mark.dat: an 8-byte SBE message header (blockLength, templateId 200, schemaId 100, version: non-zero as
 * soon as the file exists), then the MarkFileHeader whose int version (offset 8) is non-zero once the archive
 * signals ready (Java `ArchiveMarkFile.signalReady`, from `Archive.Context.conclude`).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CNC_HEADER_LENGTH = 128;
const METADATA_RECORD_LENGTH = 512;
const VALUE_RECORD_LENGTH = 128;
const KEY_OFFSET = 16;
const LABEL_LENGTH_OFFSET = 128;
const LABEL_OFFSET = 132;
const RECORD_UNUSED = 0;
const RECORD_ALLOCATED = 1;
/** AeronCounters.DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID; its key is `int length` + channel (ASCII). */
export const RECEIVE_CHANNEL_STATUS_TYPE_ID = 7;
/** ChannelEndpointStatus.ACTIVE. */
export const CHANNEL_STATUS_ACTIVE = 1n;

/** Reads `length` bytes at `position`; returns fewer when the file is shorter, null when it is absent. */
function readAt(path: string, position: number, length: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(length);
    let total = 0;
    while (total < length) {
      const n = readSync(fd, buffer, total, length - total, position + total);
      if (n === 0) break;
      total += n;
    }
    return buffer.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** Offset of the MarkFileHeader's version in archive-mark.dat (after the SBE message header). */
export const ARCHIVE_MARK_VERSION_OFFSET = 8;

/** The int at `offset` of a file (cncVersion at 0, the archive mark file's version), or 0 when absent or too short. */
export function readVersionField(path: string, offset = 0): number {
  const bytes = readAt(path, offset, 4);
  return bytes !== null && bytes.length === 4 ? bytes.readInt32LE(0) : 0;
}

export interface CounterSnapshot {
  readonly id: number;
  readonly typeId: number;
  readonly key: Buffer;
  readonly label: string;
  readonly value: bigint;
}

/** Allocated counters of an initialised cnc.dat (empty when not initialised yet). Test-only, allocates freely. */
export function readCounters(cncPath: string): CounterSnapshot[] {
  const header = readAt(cncPath, 0, CNC_HEADER_LENGTH);
  if (header === null || header.length < CNC_HEADER_LENGTH || header.readInt32LE(0) === 0) return [];
  const metadataOffset = CNC_HEADER_LENGTH + header.readInt32LE(4) + header.readInt32LE(8);
  const metadataLength = header.readInt32LE(12);
  const valuesOffset = metadataOffset + metadataLength;
  const counters: CounterSnapshot[] = [];
  const chunkRecords = 64;
  for (let first = 0; first * METADATA_RECORD_LENGTH < metadataLength; first += chunkRecords) {
    const chunk = readAt(
      cncPath,
      metadataOffset + first * METADATA_RECORD_LENGTH,
      chunkRecords * METADATA_RECORD_LENGTH,
    );
    if (chunk === null) return counters;
    for (let i = 0; (i + 1) * METADATA_RECORD_LENGTH <= chunk.length; i++) {
      const record = chunk.subarray(i * METADATA_RECORD_LENGTH, (i + 1) * METADATA_RECORD_LENGTH);
      const state = record.readInt32LE(0);
      if (state === RECORD_UNUSED) return counters;
      if (state !== RECORD_ALLOCATED) continue;
      const id = first + i;
      const labelLength = Math.min(Math.max(record.readInt32LE(LABEL_LENGTH_OFFSET), 0), 380);
      const valueBytes = readAt(cncPath, valuesOffset + id * VALUE_RECORD_LENGTH, 8);
      counters.push({
        id,
        typeId: record.readInt32LE(4),
        key: Buffer.from(record.subarray(KEY_OFFSET, LABEL_LENGTH_OFFSET)),
        label: record.toString('latin1', LABEL_OFFSET, LABEL_OFFSET + labelLength),
        value: valueBytes !== null && valueBytes.length === 8 ? valueBytes.readBigInt64LE(0) : 0n,
      });
    }
    if (chunk.length < chunkRecords * METADATA_RECORD_LENGTH) return counters;
  }
  return counters;
}

/** The channel in a channel-status counter's key: `int length` then ASCII. */
export function channelOfStatusKey(key: Buffer): string {
  const length = Math.min(Math.max(key.readInt32LE(0), 0), key.length - 4);
  return key.toString('latin1', 4, 4 + length);
}

/** True when the driver has an ACTIVE receive channel whose channel contains `fragment`. */
export function hasActiveReceiveChannel(cncPath: string, fragment: string): boolean {
  return readCounters(cncPath).some(
    (c) =>
      c.typeId === RECEIVE_CHANNEL_STATUS_TYPE_ID &&
      c.value === CHANNEL_STATUS_ACTIVE &&
      channelOfStatusKey(c.key).includes(fragment),
  );
}
