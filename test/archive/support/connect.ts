/**
 * Connects an `AeronArchive` to a `FakeArchive` with short, test-friendly timeouts; what a test connects is
 * closed when the test finishes.
 */
import { onTestFinished } from 'vitest';
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

/** Closes `resource` when the current test finishes (passed or failed); returns it. Call it inside a test. */
export function closeAfterTest<T extends { close(): void }>(resource: T): T {
  onTestFinished(() => resource.close());
  return resource;
}

/** A new `FakeArchive` and an `AeronArchive` connected to it, closed when the current test finishes. */
export async function connectFake(
  fakeOptions: FakeArchiveOptions = {},
  extra: Partial<ArchiveOptions> = {},
): Promise<{ fake: FakeArchive; archive: AeronArchive }> {
  const fake = new FakeArchive(fakeOptions);
  const archive = closeAfterTest(await AeronArchive.connect(archiveOptions(fake, extra)));
  return { fake, archive };
}
