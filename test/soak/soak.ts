/**
 * `npm run soak -- --minutes N [--report-every-seconds S] [--messages-per-round M]`
 *
 * Runs `runSoak()` (see `soak-run.ts`) against a real ArchivingMediaDriver it starts itself, prints one report
 * line per period and a summary table, and exits 0 when every check passed, 1 otherwise. Heap numbers are
 * taken after a full GC: with `--expose-gc` (`node --expose-gc --import tsx test/soak/soak.ts`) or, under plain
 * `tsx`, through the run-time flag (see `resource-sample.ts`). Ctrl-C kills the driver by pid and exits.
 */
import { parseArgs } from 'node:util';
import { runSoak } from './soak-run.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'report-every-seconds': { type: 'string', default: '60' },
    'messages-per-round': { type: 'string', default: '2000' },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    console.error(`--${name} needs a positive number, got ${text}`);
    process.exit(2);
  }
  return value;
}

const minutes = positive('minutes', values.minutes);
const reportEverySeconds = positive('report-every-seconds', values['report-every-seconds']);
const messagesPerRound = Math.floor(positive('messages-per-round', values['messages-per-round']));

console.log(
  `[soak] ${minutes} min, a report every ${reportEverySeconds} s, ${messagesPerRound} messages per round, node ${process.version}`,
);
runSoak({ minutes, reportEveryMs: reportEverySeconds * 1000, messagesPerRound }).then(
  (report) => process.exit(report.ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
