/**
 * The refresh loop of the live views (`stat`, `streams`): a snapshot, then another every interval, until the
 * count is reached or SIGINT/SIGTERM. Text snapshots on a terminal each start on a cleared screen.
 */
import { type CliContext, sleepUnlessAborted } from './command.ts';
import type { Output } from './output.ts';

const ANSI_CLEAR_HOME = '\u001b[2J\u001b[H';

/** How many snapshots, and how far apart. */
export interface RefreshSchedule {
  /** Snapshots to print (`Number.POSITIVE_INFINITY`: until interrupted). */
  readonly count: number;
  /** Milliseconds between two snapshots. */
  readonly intervalMs: number;
}

/**
 * Calls `print` `schedule.count` times, `schedule.intervalMs` apart, stopping early when `context.signal`
 * aborts; clears the screen before each text snapshot when stdout is a terminal and more than one is due.
 */
export async function refreshSnapshots(
  context: CliContext,
  out: Output,
  schedule: RefreshSchedule,
  print: () => void,
): Promise<void> {
  const clear = !out.json && context.isTty && schedule.count > 1;
  for (let i = 0; i < schedule.count && !context.signal.aborted; i++) {
    if (i > 0) await sleepUnlessAborted(schedule.intervalMs, context.signal);
    if (context.signal.aborted) break;
    if (clear) out.raw(ANSI_CLEAR_HOME);
    print();
  }
}
