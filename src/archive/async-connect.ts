/**
 * `AsyncConnect` (Java `AeronArchive.AsyncConnect`) and its steps. The class lives with `AeronArchive` (Java nests
 * it there), its state machine in `archive-connector.ts`; this module keeps their import path.
 */
export { AsyncConnect } from './aeron-archive.ts';
export { AsyncConnectState } from './archive-connector.ts';
