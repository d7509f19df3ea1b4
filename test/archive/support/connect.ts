/** Connects an `AeronArchive` to a `FakeArchive` with short, test-friendly timeouts. */
import { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import type { ArchiveOptions } from '../../../src/archive/archive-context.ts';
import { FakeArchive, type FakeArchiveOptions } from './fake-archive.ts';

export const REQUEST_CHANNEL = 'aeron:udp?endpoint=localhost:8010';
export const RESPONSE_CHANNEL = 'aeron:udp?endpoint=localhost:0';

export function archiveOptions(fake: FakeArchive, extra: Partial<ArchiveOptions> = {}): ArchiveOptions {
  return {
    transport: fake,
    controlRequestChannel: REQUEST_CHANNEL,
    controlResponseChannel: RESPONSE_CHANNEL,
    messageTimeoutMs: 5_000,
    idleServiceIntervalMs: 5,
    clientName: 'unit-test',
    ...extra,
  };
}

export async function connectFake(
  fakeOptions: FakeArchiveOptions = {},
  extra: Partial<ArchiveOptions> = {},
): Promise<{ fake: FakeArchive; archive: AeronArchive }> {
  const fake = new FakeArchive(fakeOptions);
  const archive = await AeronArchive.connect(archiveOptions(fake, extra));
  return { fake, archive };
}
