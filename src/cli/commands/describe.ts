/** `aeron-ts describe`: the CnC file header and whether the driver is alive (CncFileReader / DriverTool). */
import type { Command } from 'commander';
import { semanticVersionToString } from '../../transport/index.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { assessLiveness, notAliveError, openDriverCnc } from '../driver-cnc.ts';
import { formatBytes, formatDuration, formatKeyValues, formatNanos, formatTimestamp } from '../format.ts';
import { addLivenessOptions, globalOptions, type LivenessFlags, livenessPolicy } from '../options.ts';

function run(command: Command, context: CliContext, options: LivenessFlags): void {
  const { aeronDir, out } = globalOptions(command, context);
  const { driverTimeoutMs, allowDead } = livenessPolicy(options);
  using cnc = openDriverCnc(aeronDir);
  const now = context.now();
  const heartbeatMs = cnc.heartbeatMs();
  const liveness = assessLiveness(heartbeatMs, now, driverTimeoutMs);
  const h = cnc.header;
  const version = semanticVersionToString(h.cncVersion);
  if (out.json) {
    out.document({
      aeronDir,
      cncFile: cnc.cncPath,
      fileLength: cnc.fileLength,
      cncVersion: version,
      cncVersionRaw: h.cncVersion,
      pid: h.pid,
      startTimestampMs: h.startTimestampMs,
      startTime: formatTimestamp(h.startTimestampMs),
      heartbeatTimestampMs: heartbeatMs,
      heartbeatAgeMs: liveness.heartbeatAgeMs,
      alive: liveness.alive,
      liveness: liveness.reason,
      driverTimeoutMs,
      clientLivenessTimeoutNs: h.clientLivenessTimeoutNs,
      filePageSize: h.filePageSize,
      toDriverBufferLength: h.toDriverBufferLength,
      toClientsBufferLength: h.toClientsBufferLength,
      countersMetadataBufferLength: h.countersMetadataBufferLength,
      countersValuesBufferLength: h.countersValuesBufferLength,
      errorLogBufferLength: h.errorLogBufferLength,
      maxCounterId: cnc.counters.maxCounterId,
    });
  } else {
    printDescription();
  }
  // The description is printed either way (it is what a post mortem needs); the exit code says whether a
  // live driver was found, as every other command's does: 2 when not, unless --allow-dead.
  if (!liveness.alive && !allowDead) throw notAliveError(cnc, liveness);

  function printDescription(): void {
    out.line(`Media driver at ${aeronDir}: ${liveness.alive ? 'ALIVE' : 'NOT ALIVE'}`);
    out.lines(
      formatKeyValues([
        ['driver', liveness.reason],
        ['pid', String(h.pid)],
        ['started', `${formatTimestamp(h.startTimestampMs)} (${formatDuration(now - h.startTimestampMs)} ago)`],
        ['heartbeat', heartbeatMs > 0 ? `${formatTimestamp(heartbeatMs)} (age ${liveness.heartbeatAgeMs} ms)` : 'none'],
        ['cnc file', `${cnc.cncPath} (${formatBytes(cnc.fileLength)}, CnC version ${version})`],
        ['client liveness timeout', formatNanos(h.clientLivenessTimeoutNs)],
        ['driver timeout (used here)', `${driverTimeoutMs} ms`],
        ['file page size', String(h.filePageSize === 0 ? 4096 : h.filePageSize)],
        ['to-driver buffer', `${h.toDriverBufferLength} bytes (${formatBytes(h.toDriverBufferLength)})`],
        ['to-clients buffer', `${h.toClientsBufferLength} bytes (${formatBytes(h.toClientsBufferLength)})`],
        [
          'counters metadata',
          `${h.countersMetadataBufferLength} bytes (${formatBytes(h.countersMetadataBufferLength)})`,
        ],
        [
          'counters values',
          `${h.countersValuesBufferLength} bytes (${formatBytes(h.countersValuesBufferLength)}, max counter id ${cnc.counters.maxCounterId})`,
        ],
        ['error log', `${h.errorLogBufferLength} bytes (${formatBytes(h.errorLogBufferLength)})`],
      ]),
    );
  }
}

/**
 * `aeron-ts describe [--driver-timeout <ms>] [--allow-dead]`: prints the CnC header of the driver in `--aeron-dir` (CnC
 * version, pid, start time, heartbeat and its age, client liveness timeout, region lengths, max counter id) and whether
 * the driver is alive; `--json` prints the same fields as one document. The description is printed even for a dead
 * driver, then the command fails with `CliError` (exit code 2, `EXIT_NO_DRIVER`) unless `--allow-dead`; a missing or
 * invalid `cnc.dat` is a `CliError` too. `--driver-timeout` (default 10 000 ms) is the heartbeat age beyond which the
 * driver counts as dead. Java: `CncFileReader` / `DriverTool`.
 */
export const describeCommand: CliCommand = {
  name: 'describe',
  register(program, context) {
    addLivenessOptions(
      program
        .command('describe')
        .description('describe the CnC file: version, region lengths, driver pid, start time, heartbeat, liveness'),
      'exit 0 even when the driver is not alive (the description is printed either way)',
    )
      .addHelpText(
        'after',
        '\nExamples:\n  $ aeron-ts describe\n  $ aeron-ts describe --aeron-dir /dev/shm/aeron-me --json',
      )
      .action((options: LivenessFlags, command: Command) => run(command, context, options));
  },
};
