/**
 * The short version of `npm run fuzz`: every target for 2,000 inputs (FUZZ_RUNS overrides), on worker
 * threads with the hang watchdog, from a fixed seed so the run is deterministic. Only the typed error of a
 * target's layer may escape; a hang or crash fails too. The message carries the reproduce command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TargetRunResult } from './run-target.ts';
import { formatFailure, runFuzz } from './runner.ts';
import { targetNames } from './targets.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = 20260822;
const names = targetNames();
const results = new Map<string, TargetRunResult>();

beforeAll(async () => {
  for (const r of await runFuzz({ names, runs: RUNS, seed: SEED, workers: 2, stallMs: 60_000 })) {
    results.set(r.name, r);
  }
}, 600_000);

describe('fuzz (short run)', () => {
  it('covers every archive message decoder, the transport readers and the driver response parsers', () => {
    expect(names.filter((n) => n.startsWith('archive:'))).toHaveLength(50);
    expect(names).toEqual(
      expect.arrayContaining([
        'archive-mark:MarkFileHeader',
        'transport:broadcast-receiver',
        'transport:counters-reader',
        'transport:error-log-reader',
        'transport:loss-report-reader',
        'transport:cnc',
        'transport:ring-buffer-reader',
        'client:image-poll',
        'client:ErrorResponseFlyweight',
        'client:PublicationBuffersReadyFlyweight',
        'client:IdIntResponseFlyweight',
        'client:IdResponseFlyweight',
        'client:ImageBuffersReadyFlyweight',
        'client:ImageMessageFlyweight',
        'client:PublicationErrorFrameFlyweight',
        'client:NextAvailableSessionIdFlyweight',
        'client:driver-events-adapter',
      ]),
    );
  });

  it.each(names)('%s: only the typed error escapes, no hang', (name) => {
    const r = results.get(name);
    expect(r, `${name} produced no result`).toBeDefined();
    if (r === undefined) return;
    expect(r.failure, formatFailure(r)).toBeNull();
    expect(r.runs).toBe(RUNS);
  });
});
