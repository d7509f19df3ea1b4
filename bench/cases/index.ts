/** Every benchmark case, in run order. Data-path cases (IPC, UDP, ping-pong, archive) plug in here. */
import type { BenchCase } from '../lib/bench-case.ts';
import { archiveRecord, archiveReplay } from './archive-cases.ts';
import { codecAlloc, codecRoundtrip, codecRoundtripBytes, codecRoundtripFlat } from './codec-cases.ts';
import { allocDataPath, ipcConc32, ipcExcl32, rttIpc32, rttUdp32, udp1k, udp32 } from './data-path-cases.ts';
import { DRIVER_RUNNER_CASES } from './driver-runner-cases.ts';

export const ALL_CASES: readonly BenchCase[] = [
  codecRoundtrip,
  codecRoundtripBytes,
  codecRoundtripFlat,
  codecAlloc,
  ipcExcl32,
  ipcConc32,
  udp32,
  udp1k,
  rttIpc32,
  rttUdp32,
  allocDataPath,
  archiveRecord,
  archiveReplay,
  ...DRIVER_RUNNER_CASES,
];
