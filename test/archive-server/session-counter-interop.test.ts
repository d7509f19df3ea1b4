/**
 * A control session's counter (Java `ControlSessionCounter`, type 113, since 1.49.0) in the TypeScript Archive server
 * against Java 1.51.0's ArchivingMediaDriver: the same client connecting to each gets one counter per session with
 * key (archive id, control session id), label `control-session: <clientInfo> sourceIdentity=… sessionId=… -
 * archiveId=<id>`, value = the control session id and reference id = the session's response publication (a
 * registration id of this driver's), and the counter goes when the session closes. The labels are compared with the
 * archive id and the request image's session id put aside (both differ between the two archives).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { ARCHIVE_CONTROL_SESSION_TYPE_ID } from '../../src/transport/aeron-counters.ts';
import { connectAeron } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { type ArchiveTarget, connectClient, javaLocalTarget, launchTsArchive, type TsArchive } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const TS_ARCHIVE_ID = 4113;

/** What a control session counter shows. */
interface SessionCounter {
  readonly counterId: number;
  readonly archiveId: bigint;
  readonly label: string;
  readonly value: number;
  readonly referenceId: number;
}

/** The type-113 counter keyed by `controlSessionId`, or null. */
function sessionCounter(aeron: Aeron, controlSessionId: number): SessionCounter | null {
  const reader = aeron.countersReader;
  let found: SessionCounter | null = null;
  reader.forEach((counterId, typeId, key, label) => {
    if (typeId !== ARCHIVE_CONTROL_SESSION_TYPE_ID || key.getInt64BigInt(8) !== BigInt(controlSessionId)) return;
    found = {
      counterId,
      archiveId: key.getInt64BigInt(0),
      label,
      value: reader.getCounterValue(counterId),
      referenceId: reader.getCounterReferenceId(counterId),
    };
  });
  return found;
}

/** The label with the archive-specific numbers put aside. */
function normalised(label: string): string {
  return label.replace(/sessionId=-?\d+/, 'sessionId=S').replace(/archiveId=-?\d+/, 'archiveId=A');
}

describeInterop("TypeScript Archive server: the control session counter (type 113) as Java's", () => {
  let java: ArchivingDriverHandle;
  let javaAeron: Aeron;
  let ts: TsArchive;

  beforeAll(async () => {
    java = await startArchivingMediaDriver();
    javaAeron = await connectAeron(java);
    ts = await launchTsArchive('session-counter', { archiveId: TS_ARCHIVE_ID, localControlChannel: IPC });
  }, 240_000);

  afterAll(async () => {
    await ts?.close();
    javaAeron?.close();
    await java?.stop();
    expect(ts?.server.errors ?? []).toEqual([]);
  }, 60_000);

  /** Connects to `target`'s archive as `session-counter-probe`; the client, and its session's counter once shown. */
  async function connect(aeron: Aeron, target: ArchiveTarget) {
    const { archive: client } = await connectClient(aeron, target, 'aeron:ipc', {
      clientName: 'session-counter-probe',
    });
    let counter: SessionCounter | null = null;
    await awaitCondition('the control session counter', () => {
      counter = sessionCounter(aeron, client.controlSessionId);
      return counter !== null && counter.value === client.controlSessionId;
    });
    return { client, counter: counter as unknown as SessionCounter };
  }

  it('one counter per session with Java key, label, value and reference id; gone once the session closes', async () => {
    const j = await connect(javaAeron, javaLocalTarget(java));
    const t = await connect(ts.aeron, ts.local);
    try {
      expect(j.counter.archiveId).toBe(BigInt(java.archiveId));
      expect(t.counter.archiveId).toBe(BigInt(TS_ARCHIVE_ID));
      expect(j.counter.label).toMatch(
        /^control-session: name=session-counter-probe .* sourceIdentity=aeron:ipc sessionId=/,
      );
      expect(normalised(t.counter.label)).toBe(normalised(j.counter.label));
      expect(t.counter.label.endsWith(` - archiveId=${TS_ARCHIVE_ID}`)).toBe(true);
      for (const [aeron, counter] of [
        [javaAeron, j.counter],
        [ts.aeron, t.counter],
      ] as const) {
        // the reference id is the response publication's registration id: a publication of that driver, not the counter
        expect(counter.referenceId).toBeGreaterThan(0);
        expect(counter.referenceId).not.toBe(aeron.countersReader.getCounterRegistrationId(counter.counterId));
      }
    } finally {
      j.client.close();
      t.client.close();
    }
    await awaitCondition(
      'both counters gone',
      () => {
        return (
          sessionCounter(javaAeron, j.client.controlSessionId) === null &&
          sessionCounter(ts.aeron, t.client.controlSessionId) === null
        );
      },
      30_000,
    );
  }, 120_000);
});
