#!/usr/bin/env bash
# The client and archive interop suites against the TypeScript media driver (AERON_TEST_DRIVER=ts: the harness
# starts `aeron-ts driver` as a child process and stops it by PID; an archive runs as `io.aeron.archive.Archive`,
# a plain Java client of it). IPC and UDP unicast (issue 17) both run here. What the TS driver does not build yet
# is left out, each with its reason below; remove an exclusion when its feature lands. By test name (NOT_BUILT):
#   response channels over UDP (control-mode=response)      -> NOT_SUPPORTED today (over IPC they run)
# (MDC dynamic/manual, MDS and UDP publication error frames run since session 7.) Whole suites:
# interop-response-control (response channels), interop-coverage (response-channel replays among its cases).
# The driver's own tests (test/driver/, with Java peers and Aeron's tools) run in `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AERON_TEST_DRIVER=ts

# Test names (describe and test, joined) matching this are not run: the features above.
NOT_BUILT='control-mode=response (over UDP|channel)|response-channel|shouldSwitchFromReplayToLiveAndFallBackToReplay'

# Every case: IPC (pub/sub, conductor, counters, exclusive extras, reentrancy) and UDP unicast (the pub/sub matrix:
# Java and TS clients both ways, concurrent and exclusive, edge sizes, 1,000,000 messages each way over IPC,
# term-id wrap, two Node processes on one stream; connect and driver-timeout cases).
npx vitest run \
  test/client/conductor-pubsub-interop.test.ts \
  test/client/counters-interop.test.ts \
  test/client/exclusive-extras-interop.test.ts \
  test/client/reentrancy-interop.test.ts \
  test/client/pubsub-interop.test.ts \
  test/client/connect-interop.test.ts \
  test/client/publication-error-interop.test.ts \
  "$@"

# Every case but the features not built: abort signals, channel features over UDP, AeronArchive over UDP control
# channels (connect, record, replay), archive restarts, persistent subscriptions.
npx vitest run \
  test/client/abort-interop.test.ts \
  test/client/features-interop.test.ts \
  test/archive/interop-connect.test.ts \
  test/archive/faults-interop.test.ts \
  test/archive/persistent-subscription-interop.test.ts \
  test/archive/replay-merge-interop.test.ts \
  test/archive/persistent-subscription-restart-interop.test.ts \
  -t "^(?!.*(${NOT_BUILT}))" \
  "$@"
