/**
 * `Catalog.replaceRecording` (Java `Catalog.replaceRecording`): every field of a descriptor rewritten but its
 * controlSessionId and correlationId; a longer frame shifts the frames after it, a shorter one keeps its length;
 * the other recordings are untouched and everything reads back after a reopen. `replaceChannels` (UPDATE_CHANNEL)
 * is the same with the channels only.
 */
import { afterAll, expect, it } from 'vitest';
import { ArchiveServerError } from '../../src/archive-server/archive-server-error.ts';
import { Catalog, type NewRecording } from '../../src/archive-server/catalog.ts';
import { removeScratch, scratchDir, syntheticRecording } from './support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeScratch(d);
});

const replacement: NewRecording = {
  startPosition: 4096,
  stopPosition: 8192,
  startTimestamp: 1_700_000_000_000,
  stopTimestamp: 1_700_000_000_500,
  initialTermId: -7,
  segmentFileLength: 256 * 1024,
  termBufferLength: 128 * 1024,
  mtuLength: 8192,
  sessionId: -12345,
  streamId: 42,
  strippedChannel: `aeron:udp?endpoint=localhost:40123|alias=${'x'.repeat(300)}`,
  originalChannel: `aeron:udp?endpoint=localhost:40123|alias=${'x'.repeat(300)}|term-length=128k`,
  sourceIdentity: '127.0.0.1:40124',
};

it('rewrites a descriptor, longer and then shorter, keeping the others and its session fields', () => {
  const archiveDir = scratchDir('catalog-replace');
  dirs.push(archiveDir);
  const catalog = Catalog.open({ archiveDir });
  const ids = [0, 1, 2].map((i) => catalog.addNewRecording(syntheticRecording(i, 0)));
  catalog.extendRecording(1, 77, 88, 99);
  const before = ids.map((id) => catalog.descriptor(id));
  catalog.replaceRecording(1, replacement);
  const expected = { ...replacement, recordingId: 1, controlSessionId: 77, correlationId: 88 };
  expect(catalog.descriptor(1)).toEqual(expected);
  expect(catalog.descriptor(0)).toEqual(before[0]);
  expect(catalog.descriptor(2)).toEqual(before[2]);
  catalog.close();

  const reopened = Catalog.open({ archiveDir, recover: false }); // 0 and 2 are active with no segments
  expect(reopened.descriptor(1)).toEqual(expected);
  expect(reopened.descriptor(2)).toEqual(before[2]);
  const short = syntheticRecording(1, 0);
  reopened.replaceRecording(1, short);
  expect(reopened.descriptor(1)).toEqual({
    ...short,
    stopPosition: -1,
    stopTimestamp: -1,
    recordingId: 1,
    controlSessionId: 77,
    correlationId: 88,
  });
  expect(reopened.descriptor(2)).toEqual(before[2]);
  expect(reopened.nextRecordingId).toBe(3);
  expect(() => reopened.replaceRecording(9, short)).toThrow(
    new ArchiveServerError('UNKNOWN_RECORDING', 'unknown recording id: 9'),
  );
  reopened.close();
});
