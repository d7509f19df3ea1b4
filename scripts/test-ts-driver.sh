#!/usr/bin/env bash
# The client interop suites against the TypeScript media driver (AERON_TEST_DRIVER=ts: the harness starts
# `aeron-ts driver` as a child process and stops it by PID). The TS driver has IPC only until issue 17 (UDP),
# so this runs the suites whose every case is IPC, and the IPC cases of pubsub-interop (test names carry the
# transport). The driver's own tests (test/driver/, with Java clients and Aeron's tools) run in `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AERON_TEST_DRIVER=ts

# Every case on IPC.
npx vitest run \
  test/client/conductor-pubsub-interop.test.ts \
  test/client/counters-interop.test.ts \
  test/client/exclusive-extras-interop.test.ts \
  test/client/reentrancy-interop.test.ts \
  "$@"

# The IPC cases of the pub/sub matrix: Java and TS clients both ways, concurrent and exclusive, edge sizes,
# 1,000,000 messages each way, term-id wrap, two Node processes on one stream.
npx vitest run test/client/pubsub-interop.test.ts -t 'ipc' "$@"
