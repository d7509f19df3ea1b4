/** The gate of the suites that run against the real Java Aeron (the pinned jar). */
import { describe, it } from 'vitest';
import { interopGate } from '../../harness/aeron-jars.ts';

const gate = interopGate(['aeron']);

/** `describe` that runs with Java and the jar, skips locally without, and fails in CI without. */
export function describeInterop(name: string, body: () => void): void {
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
