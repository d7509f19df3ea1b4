/** Every benchmark case, in run order. Data-path cases (IPC, UDP, ping-pong, archive) plug in here. */
import type { BenchCase } from '../lib/bench-case.ts';
import { codecAlloc, codecRoundtrip, codecRoundtripBytes } from './codec-cases.ts';

export const ALL_CASES: readonly BenchCase[] = [codecRoundtrip, codecRoundtripBytes, codecAlloc];
