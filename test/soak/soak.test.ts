/**
 * The one-minute soak in the normal test run: rounds of record/publish/check/replay/check against the real
 * ArchivingMediaDriver for 60 s, a report every 15 s, and the verdict asserted (0 lost/duplicated/corrupted,
 * flat memory, mappings, fds, handles). `npm run soak -- --minutes 30` is the long version.
 */
import { expect, it } from 'vitest';
import { describeInterop } from '../support/describe-interop.ts';
import { runSoak } from './soak-run.ts';

describeInterop('soak against the Java ArchivingMediaDriver', () => {
  it('runs one minute with every message intact, live and replayed, and flat resources', async () => {
    const lines: string[] = [];
    const report = await runSoak({
      minutes: 1,
      reportEveryMs: 15_000,
      log: (line) => {
        lines.push(line);
        console.log(line);
      },
    });
    expect(report.totals.rounds).toBeGreaterThan(0);
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(lines.some((l) => l.includes('SOAK PASSED'))).toBe(true);
  }, 150_000);
});
