/**
 * Paired A/B of the offer path of two or more checkouts in ONE process: each checkout's publication and image
 * share nothing but the process, and the measurement alternates batches between them (rotating who goes first), so
 * the load of a shared machine hits every side alike. Times `BATCH` offers of `LEN` bytes (default 1024 × 32 B)
 * per sample, then drains them with a poll and a driver duty cycle (untimed); prints one JSON line: each side's
 * median ns per offer and the median of its per-batch difference against the first side, by the wall clock and by
 * the process's CPU time (`process.cpuUsage`, µs resolution: a batch takes tens of µs, the medians over hundreds of
 * batches resolve well below that). `OP=claim` times `tryClaim` + `putBytes` + `commit` (each side's own
 * `BufferClaim`) instead of `offer`.
 *
 * ```bash
 * git worktree add --detach /tmp/aeron-ts-base <commit>; ln -s "$PWD/node_modules" /tmp/aeron-ts-base/node_modules
 * node --import tsx --no-concurrent-recompilation bench/micro/offer-ab.ts concurrent 4000 /tmp/aeron-ts-base "$PWD"
 * ```
 *
 * Each checkout's IPC fixture is imported from its own tree (`harness/ipc-fixture.ts`, or
 * `test/client/data-support/ipc-fixture.ts` before the harness folder existed). Repeat the run ≥ 5 times with the
 * order of the roots alternated and compare the medians (bench/README.md, "Offer path").
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Publication {
  offer(buffer: Uint8Array, offset: number, length: number): number;
  tryClaim(length: number, claim: unknown): number;
}
interface Fixture {
  readonly publication: Publication;
  readonly subscription: { poll(handler: (...args: unknown[]) => void, limit: number): number };
  readonly driver: { duty(): void };
  close(): void;
}
type FixtureClass = new (kind: string, dir: string, options: object) => Fixture;

const [kind = 'concurrent', measureMs = '4000', ...roots] = process.argv.slice(2);
if (roots.length === 0) throw new Error('usage: offer-ab.ts <concurrent|exclusive> <measureMs> <root>...');
const LEN = Number(process.env.LEN ?? 32);
const BATCH = Number(process.env.BATCH ?? 1024);
const OP = process.env.OP ?? 'offer';
if (OP !== 'offer' && OP !== 'claim') throw new Error(`OP must be offer or claim: ${OP}`);
/** CPU nanoseconds per message of the last batch (its wall figure is what `batch` returns). */
const cpu = new Float64Array(1);
const ADMIN_ACTION = -3;
const dir = mkdtempSync(join(tmpdir(), 'offer-ab-'));
let sink = 0;

/** One batch timer per side, each its own function so that each side's offer call site has its own feedback. */
function makeBatch(fixture: Fixture, claim: unknown): () => number {
  const op =
    OP === 'claim'
      ? `const r = publication.tryClaim(LEN, claim);
      if (r > 0) {
        claim.putBytes(0, message, 0, LEN);
        claim.commit();
      }`
      : 'const r = publication.offer(message, 0, LEN);';
  const source = `return function batch() {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let n = 0;
    while (n < BATCH) {
      ${op}
      if (r > 0) n++;
      else if (r !== ADMIN_ACTION) throw new Error('offer ' + r);
    }
    const t = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    cpu[0] = ((c.user + c.system) * 1000) / BATCH;
    while (subscription.poll(handler, 1 << 20) > 0) {}
    driver.duty();
    return t / BATCH;
  }`;
  const handler = (_b: unknown, _o: unknown, length: unknown): void => {
    sink += length as number;
  };
  const factory = new Function(
    'publication',
    'subscription',
    'driver',
    'message',
    'handler',
    'BATCH',
    'LEN',
    'ADMIN_ACTION',
    'claim',
    'cpu',
    source,
  );
  return factory(
    fixture.publication,
    fixture.subscription,
    fixture.driver,
    new Uint8Array(LEN),
    handler,
    BATCH,
    LEN,
    ADMIN_ACTION,
    claim,
    cpu,
  );
}

const sides: { root: string; batch: () => number; fixture: Fixture }[] = [];
for (const root of roots) {
  const modern = join(root, 'harness/ipc-fixture.ts');
  const path = existsSync(modern) ? modern : join(root, 'test/client/data-support/ipc-fixture.ts');
  const { IpcFixture } = (await import(path)) as { IpcFixture: FixtureClass };
  const { BufferClaim } = (await import(join(root, 'src/logbuffer/index.ts'))) as { BufferClaim: new () => unknown };
  const fixture = new IpcFixture(kind, dir, {
    termLength: 16 * 1024 * 1024,
    sessionId: 1000 + sides.length,
    correlationId: 500 + sides.length,
  });
  sides.push({ root, batch: makeBatch(fixture, new BufferClaim()), fixture });
}

const warmupEnd = Date.now() + 2000;
while (Date.now() < warmupEnd) for (const side of sides) side.batch();
const samples: number[][] = sides.map(() => []);
const cpuSamples: number[][] = sides.map(() => []);
const end = Date.now() + Number(measureMs);
for (let k = 0; Date.now() < end; k++) {
  for (let j = 0; j < sides.length; j++) {
    const i = (j + k) % sides.length;
    samples[i]!.push(sides[i]!.batch());
    cpuSamples[i]!.push(cpu[0]!);
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const first = samples[0]!;
const firstCpu = cpuSamples[0]!;
console.log(
  JSON.stringify({
    kind,
    op: OP,
    length: LEN,
    batch: BATCH,
    pairs: first.length,
    sides: sides.map((side, i) => ({
      root: side.root,
      nsPerOffer: median(samples[i]!),
      pairedVsFirst: median(first.map((a, b) => samples[i]![b]! - a)),
      cpuNsPerOffer: median(cpuSamples[i]!),
      cpuPairedVsFirst: median(firstCpu.map((a, b) => cpuSamples[i]![b]! - a)),
    })),
    sink: sink > 0,
  }),
);
for (const side of sides) side.fixture.close();
rmSync(dir, { recursive: true, force: true });
