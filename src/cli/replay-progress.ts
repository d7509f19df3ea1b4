/**
 * The progress bar of `replay` (position / stop position, rate) on stderr, and only when stderr is a
 * terminal, so piped output never mixes with it.
 */
import { SingleBar } from 'cli-progress';
import { formatGrouped } from './format.ts';

/** What the replay loop tells the progress display. */
export interface Progress {
  /** The replay reached `position`. */
  update(position: number): void;
  /** The replay is over: remove the bar. */
  stop(): void;
}

/** A cli-progress bar on stderr over `startPosition..stopPosition` when stderr is a terminal, else nothing. */
export function progressFor(startPosition: number, stopPosition: number): Progress {
  // The progress bar is a property of the process's stderr, which CliContext does not carry.
  if (process.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'replay [{bar}] {percentage}% | {value}/{total} bytes | {rate}',
    hideCursor: true,
    clearOnComplete: true,
  });
  const started = Date.now();
  const total = stopPosition - startPosition;
  const rate = (done: number): string => {
    const seconds = (Date.now() - started) / 1000;
    return seconds <= 0 ? '-' : `${formatGrouped(Math.round(done / seconds / 1024))} KiB/s`;
  };
  bar.start(total, 0, { rate: '-' });
  return {
    update: (position) => bar.update(position - startPosition, { rate: rate(position - startPosition) }),
    stop: () => bar.stop(),
  };
}
