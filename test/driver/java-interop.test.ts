/**
 * The real Java Aeron against the TypeScript media driver, one JVM at a time:
 * - Aeron's own tools from the pinned aeron-all jar read what the driver writes: `AeronStat` (cnc.dat header
 *   and counters, with a client counter added through the to-driver ring buffer), `ErrorStat` (the distinct
 *   error log) and `LossStat` (loss-report.dat);
 * - the Java client (test/driver/java/DriverCounterProbe.java, compiled at test time) connects, adds a counter,
 *   finds its heartbeat counter, removes the counter, is refused a response publication without
 *   response-correlation-id (GENERIC_ERROR, as Java's driver), and closes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AERON_VERSION, aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, type JavaResult, runJava } from '../../harness/java.ts';
import { ON_COUNTER_READY } from '../../src/driver/command/control-protocol.ts';
import { RECORD_RECLAIMED } from '../../src/transport/counters-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { CncView, launchTestDriver, type TestDriver, waitFor } from './support.ts';

function runTool(mainClass: string, aeronDir: string, args: readonly string[] = []): Promise<JavaResult> {
  return runJava({
    classpath: [aeronJarPath()],
    mainClass,
    args,
    jvmArgs: [...AERON_JVM_FLAGS, `-Daeron.dir=${aeronDir}`],
    timeoutMs: 120_000,
  });
}

describeInterop("Aeron's tools read the TS driver's files", () => {
  let driver: TestDriver;
  let classes: string;

  beforeAll(async () => {
    classes = compileJava({
      sources: [join(import.meta.dirname, 'java', 'DriverCounterProbe.java')],
      classpath: [aeronJarPath()],
    });
    driver = await launchTestDriver();
  });

  afterAll(async () => {
    await driver?.close();
  });

  it('AeronStat shows the CnC version, the driver pid and every counter with its label', async () => {
    using view = new CncView(driver.aeronDir);
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 1001, 'aeron-ts counter for AeronStat');
    await view.awaitEvent(
      'ON_COUNTER_READY',
      (e) => e.type === ON_COUNTER_READY && e.body.getInt64(0) === registrationId,
    );
    driver.driver.systemCounters.get('BYTES_SENT').set(1_234_567);

    const result = await runTool('io.aeron.samples.AeronStat', driver.aeronDir, ['watch=false']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(new RegExp(`Aeron Stat \\(CnC v0\\.2\\.0\\), pid ${process.pid}, heartbeat age \\d+ms`));
    expect(out).toMatch(/^\s+0:\s+1,234,567 - Bytes sent$/m);
    expect(out).toMatch(/^\s+15:\s+0 - Errors: version=0\.1\.0 commit=aeron-ts$/m);
    expect(out).toMatch(/^\s+19:\s+0 - Unblocked Publications$/m);
    expect(out).toMatch(/^\s+24:\s+0 - Client liveness timeouts$/m);
    expect(out).toMatch(/^\s+26:\s+[\d,]+ - Conductor max cycle time doing its work in ns: INVOKER$/m);
    expect(out).toMatch(/^\s+27:\s+\d+ - Conductor work cycle exceeded threshold count: threshold=100ms INVOKER$/m);
    expect(out).toMatch(/^\s+43:\s+65,536 - Control protocol version$/m);
    expect(out).toMatch(/^\s+45:\s+0 - Failed offers to AsyncExecutorProxy$/m);
    expect(out).toMatch(new RegExp(`^\\s+46:\\s+[\\d,]+ - client-heartbeat: id=${clientId}$`, 'm'));
    expect(out).toMatch(/^\s+47:\s+0 - aeron-ts counter for AeronStat$/m);
  });

  it('ErrorStat lists the distinct errors with their observation counts', async () => {
    class ProbeError extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'ProbeError';
      }
    }
    const errors = [new ProbeError('first failure'), new ProbeError('second failure')];
    for (let i = 0; i < 3; i++) driver.driver.errorLog.record(errors[0]);
    driver.driver.errorLog.record(errors[1]);

    const result = await runTool('io.aeron.samples.ErrorStat', driver.aeronDir);
    expect(result.stderr).toBe('');
    const out = result.stdout;
    expect(out).toMatch(/^3 observations from .* to .* for:\nProbeError: first failure\n\s+at /m);
    expect(out).toMatch(/^1 observations from .* to .* for:\nProbeError: second failure\n/m);
    expect(out).toContain('2 distinct errors observed.');
  });

  it('LossStat lists the loss report entries', async () => {
    const at = Date.now();
    const entry = driver.driver.lossReport.createEntry(
      1408,
      at,
      -1_234,
      1001,
      'aeron:udp?endpoint=localhost:40123',
      '127.0.0.1:56789',
    );
    entry!.recordObservation(2816, at + 5);
    driver.driver.lossReport.createEntry(64, at, 7, 1002, 'aeron:udp?endpoint=localhost:40124', '[::1]:1');

    const result = await runTool('io.aeron.samples.LossStat', driver.aeronDir);
    expect(result.stderr).toBe('');
    const out = result.stdout;
    expect(out).toMatch(/^2,4224,[^,]+,[^,]+,-1234,1001,aeron:udp\?endpoint=localhost:40123,127\.0\.0\.1:56789$/m);
    expect(out).toMatch(/^1,64,[^,]+,[^,]+,7,1002,aeron:udp\?endpoint=localhost:40124,\[::1\]:1$/m);
    expect(out).toContain('2 loss entries');
  });

  it('the Java client connects, adds a counter it reads back, finds its heartbeat, removes the counter and closes', async () => {
    // A driver of its own: the raw client of the AeronStat test times out on the shared one.
    await using own = await launchTestDriver();

    const result = await runJava({
      classpath: [aeronJarPath(), classes],
      mainClass: 'DriverCounterProbe',
      args: [own.aeronDir],
      jvmArgs: AERON_JVM_FLAGS,
      timeoutMs: 120_000,
    });
    expect(result.stderr).not.toMatch(/Exception/);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const clientId = Number(/^CLIENT (\d+)$/.exec(lines[0]!)![1]);
    expect(clientId).toBeGreaterThan(0);

    const counter = /^COUNTER (\d+) (\d+) (\d+) (\d+) (.*)$/.exec(lines[1]!)!;
    expect(counter).not.toBeNull();
    const [, id, registrationId, typeId, ownerId, label] = counter;
    expect(Number(typeId)).toBe(1001);
    expect(Number(ownerId)).toBe(clientId);
    expect(label).toBe('java counter on the ts driver');
    expect(Number(registrationId)).toBeGreaterThan(clientId);

    const heartbeat = /^HEARTBEAT (\d+) (.*)$/.exec(lines[2]!)!;
    expect(heartbeat[2]).toMatch(
      new RegExp(
        `^client-heartbeat: id=${clientId} name=ts-driver-probe version=${AERON_VERSION.replaceAll('.', '\\.')}`,
      ),
    );

    expect(lines[3]).toMatch(/^REMOVED -?\d+$/);
    expect(lines[4]).toBe('REFUSED GENERIC_ERROR');
    expect(lines[5]).toBe('CLOSED');

    const counters = own.driver.countersManager;
    expect(counters.getCounterState(Number(id))).toBe(RECORD_RECLAIMED);
    await waitFor('the driver to reap the closed client', () => own.driver.clientCount === 0);
    expect(counters.getCounterState(Number(heartbeat[1]))).toBe(RECORD_RECLAIMED);
    expect(counters.getCounterValue(24)).toBe(0);
  });
});
