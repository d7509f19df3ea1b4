/**
 * The CLI against the real Java media driver (pinned 1.51.0 jar), run as a child process, with a Java client
 * (test/java/AeronStatProbe.java) holding an IPC and a UDP publication+subscription open:
 * describe, stat (vs Java's AeronStat and CountersReader), streams, errors (a provoked driver error), loss,
 * dump-log of the live IPC publication's log buffer (frames = messages sent, padding at the 64k term end),
 * and finally the one-line errors once the driver is dead.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { aeronRelease } from '../../harness/aeron-version.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { runCliProcess } from './support/run-cli.ts';
import { startTrafficProbe, type TrafficProbe } from './support/traffic-probe.ts';

const IPC_MESSAGES = 100;
const MESSAGE_LENGTH = 1000;
const FRAME_LENGTH = 32 + MESSAGE_LENGTH;
const ALIGNED_FRAME_LENGTH = 1056;
const TERM_LENGTH = 64 * 1024;
const FRAMES_IN_TERM_0 = Math.floor(TERM_LENGTH / ALIGNED_FRAME_LENGTH); // 62
const PADDING_OFFSET = FRAMES_IN_TERM_0 * ALIGNED_FRAME_LENGTH; // 65472
const IPC_END_POSITION = TERM_LENGTH + (IPC_MESSAGES - FRAMES_IN_TERM_0) * ALIGNED_FRAME_LENGTH;
/** Counter types whose values do not move once the traffic has stopped. */
const STABLE_TYPES = new Set([1, 2, 3, 4, 5, 9, 12]);

interface StatJson {
  alive: boolean;
  pid: number;
  counters: { id: number; typeId: number; label: string; value: number; registrationId: number }[];
}

interface StreamsJson {
  streams: {
    sessionId: number;
    streamId: number;
    channel: string;
    publisher: { registrationId: number; position: number; limit: number; remainingWindow: number } | null;
    sender: { position: number; backlog: number } | null;
    receiver: { highWaterMark: number; position: number } | null;
    subscribers: { registrationId: number; position: number; lag: number | null }[];
  }[];
}

interface DumpJson {
  metadata: { termLength: number; initialTermId: number; sessionId: number; streamId: number; correlationId: number };
  frames: {
    position: number;
    termOffset: number;
    frameLength: number;
    status: string;
    typeName: string;
    flags: number;
    sessionId: number;
    streamId: number;
    payloadLength: number;
    payloadText: string;
    warnings: string[];
  }[];
  gaps: { partition: number; termOffset: number; length: number }[];
  summary: { frames: number; data: number; padding: number; problems: number };
}

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describeInterop('aeron-ts CLI against the Java media driver', () => {
  let driver: DriverHandle;
  let probe: TrafficProbe | undefined;
  let dir: string;

  beforeAll(async () => {
    driver = await startMediaDriver();
    dir = driver.aeronDir;
    probe = await startTrafficProbe(dir, await freeUdpPort(), IPC_MESSAGES);
  });

  afterAll(async () => {
    await probe?.close();
    await driver?.stop();
    assertNoLeftovers();
  });

  it('describe: says the driver is alive, with its pid and CnC version', async () => {
    const result = await runCliProcess(['describe', '--aeron-dir', dir, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const d = json<{ alive: boolean; pid: number; cncVersion: string; clientLivenessTimeoutNs: number }>(result.stdout);
    expect(d).toMatchObject({ alive: true, pid: driver.pid, cncVersion: '0.2.0', clientLivenessTimeoutNs: 10e9 });

    const text = await runCliProcess(['describe', '--aeron-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('ALIVE');
    expect(text.stdout).toContain(`pid:`);
    expect(text.stdout).toContain(String(driver.pid));
  });

  it("stat --once --json: the same counter ids and labels as Java's AeronStat, the same types and stable values as Java's CountersReader", async () => {
    const aeronStat = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.samples.AeronStat',
      args: ['watch=false'],
      jvmArgs: [...AERON_JVM_FLAGS, `-Daeron.dir=${dir}`],
      timeoutMs: 60_000,
    });
    expect(aeronStat.code).toBe(0);
    const javaLines = aeronStat.stdout
      .split('\n')
      .map((l) => /^\s*(\d+):\s+(-?[\d,]+) - (.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ id: Number(m[1]), label: m[3] ?? '' }));
    expect(javaLines.length).toBeGreaterThan(20);

    const result = await runCliProcess(['stat', '--once', '--json', '--aeron-dir', dir]);
    expect(result.code).toBe(0);
    const stat = json<StatJson>(result.stdout);
    expect(stat.alive).toBe(true);
    expect(stat.pid).toBe(driver.pid);
    expect(stat.counters.map((c) => ({ id: c.id, label: c.label }))).toEqual(javaLines);

    const javaCounters = await probe!.counters();
    const ours = await runCliProcess(['stat', '--once', '--json', '--aeron-dir', dir]);
    const oursById = new Map(json<StatJson>(ours.stdout).counters.map((c) => [c.id, c]));
    expect([...oursById.keys()]).toEqual(javaCounters.map((c) => c.id));
    let stableCompared = 0;
    for (const j of javaCounters) {
      const o = oursById.get(j.id)!;
      expect({ id: o.id, typeId: o.typeId, label: o.label }).toEqual({ id: j.id, typeId: j.typeId, label: j.label });
      if (STABLE_TYPES.has(j.typeId)) {
        expect(o.value, o.label).toBe(j.value);
        stableCompared++;
      }
    }
    expect(stableCompared).toBeGreaterThanOrEqual(10);

    const filtered = await runCliProcess(['stat', '--once', '--json', '--type', '4', '--aeron-dir', dir]);
    const subs = json<StatJson>(filtered.stdout).counters;
    expect(subs.length).toBe(2);
    expect(subs.every((c) => c.typeId === 4 && c.label.startsWith('sub-pos:'))).toBe(true);

    const text = await runCliProcess(['stat', '--once', '--label', '^pub-pos', '--aeron-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/heartbeat age \d+ms/);
    expect(text.stdout).toContain(
      `${aeronRelease(driver.softwareVersion).publisherPositionLabel.concurrent}: ${probe!.ipc.registrationId} ${probe!.ipc.sessionId} 1001 aeron:ipc`,
    );
  });

  it('stat --count 2 --json prints JSON lines, one per refresh', async () => {
    const result = await runCliProcess(['stat', '--count', '2', '--interval', '100', '--json', '--aeron-dir', dir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(json<StatJson>(line).counters.length).toBeGreaterThan(20);
  });

  it('streams: the live publications with their subscribers, positions and lag', async () => {
    const result = await runCliProcess(['streams', '--json', '--aeron-dir', dir]);
    expect(result.code).toBe(0);
    const { streams } = json<StreamsJson>(result.stdout);
    const ipc = streams.find((s) => s.streamId === 1001 && s.sessionId === probe!.ipc.sessionId);
    expect(ipc?.channel).toBe('aeron:ipc?term-length=64k');
    expect(ipc?.publisher).toMatchObject({ registrationId: probe!.ipc.registrationId, position: IPC_END_POSITION });
    expect(ipc?.publisher?.remainingWindow).toBe(ipc!.publisher!.limit - IPC_END_POSITION);
    expect(ipc?.sender).toBeNull();
    expect(ipc?.subscribers).toHaveLength(1);
    expect(ipc?.subscribers[0]).toMatchObject({ position: IPC_END_POSITION, lag: 0 });

    const udp = streams.find((s) => s.streamId === 1002 && s.sessionId === probe!.udp.sessionId);
    expect(udp?.channel).toMatch(/^aeron:udp\?endpoint=localhost:\d+\|term-length=64k$/);
    const udpEnd = IPC_END_POSITION;
    expect(udp?.publisher).toMatchObject({ registrationId: probe!.udp.registrationId, position: udpEnd });
    expect(udp?.sender).toMatchObject({ position: udpEnd, backlog: 0 });
    expect(udp?.receiver).toMatchObject({ highWaterMark: udpEnd, position: udpEnd });
    expect(udp?.subscribers).toHaveLength(1);
    expect(udp?.subscribers[0]).toMatchObject({ position: udpEnd, lag: 0 });

    const text = await runCliProcess(['streams', '--aeron-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`session ${probe!.ipc.sessionId}  stream 1001  aeron:ipc?term-length=64k`);
    expect(text.stdout).toContain(`publisher ${probe!.ipc.registrationId}`);
    expect(text.stdout).toMatch(/subscriber \d+\s+position 105,664\s+lag 0 bytes/);
    expect(text.stdout).toMatch(/sender \d+\s+position 105,664/);
    expect(text.stdout).toMatch(/receiver \d+/);
  });

  it('errors: shows the error the invalid channel provoked in the driver', async () => {
    expect(probe!.provokedError).not.toBe('none');
    const result = await runCliProcess(['errors', '--json', '--aeron-dir', dir]);
    expect(result.code).toBe(0);
    const report = json<{ distinctErrors: number; errors: { observationCount: number; encodedException: string }[] }>(
      result.stdout,
    );
    expect(report.distinctErrors).toBeGreaterThanOrEqual(1);
    const provoked = report.errors.find((e) => e.encodedException.includes('99999'));
    expect(provoked, JSON.stringify(report.errors.map((e) => e.encodedException.slice(0, 200)))).toBeDefined();
    expect(provoked!.observationCount).toBeGreaterThanOrEqual(1);

    const text = await runCliProcess(['errors', '--aeron-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\d+ observations from \S+ to \S+ for:/);
    expect(text.stdout).toContain('99999');
    expect(text.stdout).toMatch(/\d+ distinct errors observed in/);
  });

  it('loss: reads the (empty) loss report', async () => {
    const result = await runCliProcess(['loss', '--json', '--aeron-dir', dir]);
    expect(result.code).toBe(0);
    expect(json<{ entries: unknown[] }>(result.stdout).entries).toEqual([]);
    const text = await runCliProcess(['loss', '--aeron-dir', dir]);
    expect(text.stdout).toContain('no loss observed');
  });

  /**
   * The driver zeroes what every consumer has passed: all of it for IPC, all but the last term for network
   * publications and images. So the UDP logs hold a suffix of the messages (from msg-38 at the latest),
   * the padding at the end of term 0 and all of term 1; the IPC log is all zeros.
   */
  function checkUdpLog(dump: DumpJson, sessionId: number): void {
    expect(dump.metadata).toMatchObject({ termLength: TERM_LENGTH, sessionId, streamId: 1002 });
    const data = dump.frames.filter((f) => f.typeName === 'DATA');
    const first = IPC_MESSAGES - data.length;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(FRAMES_IN_TERM_0 - 24);
    expect(dump.summary).toMatchObject({ frames: data.length + 1, data: data.length, padding: 1, problems: 0 });
    data.forEach((f, index) => {
      const i = first + index;
      expect(f).toMatchObject({
        status: 'ok',
        frameLength: FRAME_LENGTH,
        flags: 0xc0,
        sessionId,
        streamId: 1002,
        payloadLength: MESSAGE_LENGTH,
        warnings: [],
      });
      const prefix = `msg-${i}:`;
      expect(f.payloadText).toBe(prefix + String.fromCharCode(97 + (i % 26)).repeat(64 - prefix.length));
      expect(f.position).toBe(
        i < FRAMES_IN_TERM_0 ? i * ALIGNED_FRAME_LENGTH : TERM_LENGTH + (i - FRAMES_IN_TERM_0) * ALIGNED_FRAME_LENGTH,
      );
    });
    const padding = dump.frames.find((f) => f.typeName === 'PAD');
    expect(padding).toMatchObject({
      position: PADDING_OFFSET,
      termOffset: PADDING_OFFSET,
      frameLength: TERM_LENGTH - PADDING_OFFSET,
      payloadLength: 0,
    });
    expect(dump.frames.indexOf(padding!)).toBe(FRAMES_IN_TERM_0 - first);
    expect(dump.gaps).toEqual(
      first === 0 ? [] : [{ partition: 0, termOffset: 0, length: first * ALIGNED_FRAME_LENGTH }],
    );
  }

  it('dump-log: the live UDP publication and its image hold the messages sent, with padding at the 64k term end', async () => {
    const file = join(dir, 'publications', `${probe!.udp.registrationId}.logbuffer`);
    const result = await runCliProcess(['dump-log', file, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dump = json<DumpJson>(result.stdout);
    expect(dump.metadata.correlationId).toBe(probe!.udp.registrationId);
    checkUdpLog(dump, probe!.udp.sessionId);

    const images = readdirSync(join(dir, 'images'));
    expect(images).toHaveLength(1);
    const image = await runCliProcess(['dump-log', join(dir, 'images', images[0]!), '--json']);
    expect(image.code).toBe(0);
    checkUdpLog(json<DumpJson>(image.stdout), probe!.udp.sessionId);

    const page = await runCliProcess(['dump-log', file, '--from', String(TERM_LENGTH), '--limit', '2', '--json']);
    expect(json<DumpJson>(page.stdout).frames.map((f) => f.payloadText.split(':')[0])).toEqual([
      `msg-${FRAMES_IN_TERM_0}`,
      `msg-${FRAMES_IN_TERM_0 + 1}`,
    ]);

    const text = await runCliProcess([
      'dump-log',
      file,
      '--from',
      String(TERM_LENGTH),
      '--limit',
      '3',
      '--payload-bytes',
      '16',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('term length:');
    expect(text.stdout).toMatch(
      /\[65536\] partition 1 offset 0: DATA length 1032 flags BE-- \(0xc0\) term -?\d+ session/,
    );
    expect(text.stdout).toContain('|msg-62:kkkkkkkkk|');
    expect(text.stdout).toContain('3 frames: 3 data');
  });

  it('dump-log: the consumed IPC publication log is all zeros (the driver cleaned it): no frames, no crash', async () => {
    const file = join(dir, 'publications', `${probe!.ipc.registrationId}.logbuffer`);
    const result = await runCliProcess(['dump-log', file, '--json']);
    expect(result.code).toBe(0);
    const dump = json<DumpJson>(result.stdout);
    expect(dump.metadata).toMatchObject({ correlationId: probe!.ipc.registrationId, streamId: 1001 });
    expect(dump.summary.problems).toBe(0);
  });

  it('a dead driver: stat and streams fail with one line and exit 2; describe says NOT ALIVE and exits 2 (0 with --allow-dead); errors still reads', async () => {
    await probe!.close();
    probe = undefined;
    driver.kill('SIGKILL');
    await driver.exited;
    await sleep(1_500);

    // Seven CLI processes, started together: each pays Node + tsx start-up, which on two loaded cores is seconds.
    const [stat, streams, described, describedText, allowed, postMortem, errors] = await Promise.all([
      runCliProcess(['stat', '--once', '--driver-timeout', '1000', '--aeron-dir', dir]),
      runCliProcess(['streams', '--driver-timeout', '1000', '--aeron-dir', dir]),
      runCliProcess(['describe', '--json', '--driver-timeout', '1000', '--aeron-dir', dir]),
      runCliProcess(['describe', '--driver-timeout', '1000', '--aeron-dir', dir]),
      runCliProcess(['describe', '--allow-dead', '--driver-timeout', '1000', '--aeron-dir', dir]),
      runCliProcess(['stat', '--once', '--allow-dead', '--json', '--aeron-dir', dir]),
      runCliProcess(['errors', '--aeron-dir', dir]),
    ]);
    for (const result of [stat, streams]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^aeron-ts: media driver at .* \(pid \d+\) is not alive \(last heartbeat \d+ ms ago/);
    }
    // describe prints the description either way, and exits 2 like every command unless --allow-dead
    expect(described.code, described.stderr).toBe(2);
    expect(json<{ alive: boolean }>(described.stdout).alive).toBe(false);
    expect(described.stderr.trim()).toMatch(/^aeron-ts: media driver at .* \(pid \d+\) is not alive \(/);
    expect(describedText.code).toBe(2);
    expect(describedText.stdout).toContain('NOT ALIVE');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('NOT ALIVE');

    expect(postMortem.code).toBe(0);
    expect(json<StatJson>(postMortem.stdout).counters.length).toBeGreaterThan(20);

    expect(errors.code).toBe(0);
    expect(errors.stdout).toContain('99999');
  });
});
