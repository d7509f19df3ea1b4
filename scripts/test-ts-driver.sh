#!/usr/bin/env bash
# The client and archive interop suites against the TypeScript media driver (AERON_TEST_DRIVER=ts: the harness
# starts `aeron-ts driver` as a child process and stops it by PID; an archive runs as `io.aeron.archive.Archive`,
# a plain Java client of it). IPC and UDP (unicast, multicast, MDC, MDS, response channels; issue 17) all run here,
# every case of every suite named. The driver's own tests (test/driver/, with Java peers and Aeron's tools) run in
# `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AERON_TEST_DRIVER=ts

# IPC (pub/sub, conductor, counters, exclusive extras, reentrancy) and UDP unicast (the pub/sub matrix: Java and TS
# clients both ways, concurrent and exclusive, edge sizes, 1,000,000 messages each way over IPC, term-id wrap, two
# Node processes on one stream; connect and driver-timeout cases; error frames from a UDP receiver).
npx vitest run \
  test/client/conductor-pubsub-interop.test.ts \
  test/client/counters-interop.test.ts \
  test/client/exclusive-extras-interop.test.ts \
  test/client/reentrancy-interop.test.ts \
  test/client/pubsub-interop.test.ts \
  test/client/connect-interop.test.ts \
  test/client/publication-error-interop.test.ts \
  "$@"

# Abort signals, channel features over UDP (MDC, MDS), AeronArchive over UDP control channels (connect, record,
# replay), control sessions over control-mode=response, the AeronArchive API coverage (replication, tagged MDS,
# response-channel replays), archive restarts, persistent subscriptions (replays over response channels among them),
# ReplayMerge.
npx vitest run \
  test/client/abort-interop.test.ts \
  test/client/features-interop.test.ts \
  test/archive/interop-connect.test.ts \
  test/archive/interop-response-control.test.ts \
  test/archive/interop-coverage.test.ts \
  test/archive/faults-interop.test.ts \
  test/archive/persistent-subscription-interop.test.ts \
  test/archive/replay-merge-interop.test.ts \
  test/archive/persistent-subscription-restart-interop.test.ts \
  "$@"

# The TS archive server on the TS driver replicating from and to Java archives (each on its own Java driver: REPLICATE,
# STOP_REPLICATION, tagged, live merge, into an empty recording; as a source over response channels), its control
# sessions and replays over response channels (REPLAY_TOKEN), and the client's image under 10 % receive loss injected by
# the TS driver (Java's aeron.debug.receive.data.loss.* names).
npx vitest run \
  test/archive-server/replication-interop.test.ts \
  test/archive-server/response-channel-interop.test.ts \
  test/archive-server/response-channel-replication.test.ts \
  test/archive-server/session-counter-interop.test.ts \
  test/reliability/client-image.test.ts \
  "$@"
