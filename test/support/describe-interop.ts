/**
 * The gate of the suites that run against the real Java Aeron (the pinned jars): the one way a test file says
 * it needs Java. With Java and the jars the suite runs; without them it is skipped on a developer's machine and
 * fails in CI (`CI` set), so a CI run never passes by skipping.
 */
import { describe, it } from 'vitest';
import { type InteropGate, interopGate } from '../../harness/aeron-jars.ts';

/** The jars a suite needs: Aeron's (`aeron-all`), and SBE's (`sbe-all`) for the codec golden suites. */
export type InteropNeeds = ReadonlyArray<'aeron' | 'sbe'>;

const gates = new Map<string, InteropGate>();

/** The gate for `needs` (computed once per process: it runs `java -version`). */
export function interop(needs: InteropNeeds = ['aeron']): InteropGate {
  const key = [...needs].sort().join('+');
  let gate = gates.get(key);
  if (gate === undefined) {
    gate = interopGate(needs);
    gates.set(key, gate);
  }
  return gate;
}

/** `describe` that runs with Java and the jars, skips locally without, and fails in CI without. */
export function describeInterop(name: string, body: () => void, needs: InteropNeeds = ['aeron']): void {
  const gate = interop(needs);
  if (gate.mode === 'fail') {
    describe(name, () => {
      it('has Java and the pinned Aeron jar', () => {
        throw new Error(gate.missing);
      });
    });
  } else {
    describe.skipIf(gate.mode === 'skip')(name, body);
  }
}
