/**
 * The media driver's system counters (Aeron 1.51.0 `SystemCounterDescriptor`, `SystemCounters`,
 * `MediaDriver.Context.concludeCounters`): 46 counters allocated first, in id order, so that counter id =
 * descriptor id = registration id.
 *
 * ```
 *  each system counter:  typeId 0 (DRIVER_SYSTEM_COUNTER_TYPE_ID)
 *                        key    +0 int32 descriptor id
 *                        registrationId = descriptor id, ownerId = -1
 *  values set at start:  34 Aeron software  = semantic version of the Aeron release spoken (1.51.0)
 *                        43 Control protocol version = 1.0.0 (clients read it before GET_NEXT_AVAILABLE_SESSION_ID)
 *  labels extended:      26-31 ": <threading mode>" (and ": threshold=<duration> <mode>" for 27/29/31),
 *                        33 ": threshold=<duration>", 25 ": driverName=<name>" (by the conductor)
 * ```
 *
 * There is no "client keepalives" system counter in 1.51.0: client liveness is the per-client heartbeat
 * counter (type 11) and timeouts are counted by CLIENT_TIMEOUTS (24).
 */
import { DRIVER_SYSTEM_COUNTER_TYPE_ID } from '../transport/aeron-counters.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import { composeSemanticVersion } from '../transport/semantic-version.ts';
import { CONTROL_PROTOCOL_SEMANTIC_VERSION } from './command/control-protocol.ts';

/** Version info in the labels of ERRORS and AERON_VERSION (Java: `version=<v> commit=<sha>`). */
export const DRIVER_VERSION_INFO = 'version=0.1.0 commit=aeron-ts';

/** The Aeron release whose formats and protocol this driver speaks: the value of AERON_VERSION (34). */
export const AERON_PROTOCOL_VERSION: number = composeSemanticVersion(1, 51, 0);

/** One system counter: its id (= counter id) and label. */
export interface SystemCounterDescriptor {
  /** The descriptor id: also the counter id, the registration id and the key (Java `SystemCounterDescriptor.id`). */
  readonly id: number;
  /** The counter's label before any suffix the driver appends (Java `SystemCounterDescriptor.label`). */
  readonly label: string;
}

/** Every system counter of Aeron 1.51.0 by name (`SystemCounterDescriptor`), ids 0-45. */
export const SystemCounterDescriptors = {
  BYTES_SENT: { id: 0, label: 'Bytes sent' },
  BYTES_RECEIVED: { id: 1, label: 'Bytes received' },
  RECEIVER_PROXY_FAILS: { id: 2, label: 'Failed offers to ReceiverProxy' },
  SENDER_PROXY_FAILS: { id: 3, label: 'Failed offers to SenderProxy' },
  CONDUCTOR_PROXY_FAILS: { id: 4, label: 'Failed offers to DriverConductorProxy' },
  NAK_MESSAGES_SENT: { id: 5, label: 'NAKs sent' },
  NAK_MESSAGES_RECEIVED: { id: 6, label: 'NAKs received' },
  STATUS_MESSAGES_SENT: { id: 7, label: 'Status Messages sent' },
  STATUS_MESSAGES_RECEIVED: { id: 8, label: 'Status Messages received' },
  HEARTBEATS_SENT: { id: 9, label: 'Heartbeats sent' },
  HEARTBEATS_RECEIVED: { id: 10, label: 'Heartbeats received' },
  RETRANSMITS_SENT: { id: 11, label: 'Retransmits sent' },
  FLOW_CONTROL_UNDER_RUNS: { id: 12, label: 'Flow control under runs' },
  FLOW_CONTROL_OVER_RUNS: { id: 13, label: 'Flow control over runs' },
  INVALID_PACKETS: { id: 14, label: 'Invalid packets' },
  ERRORS: { id: 15, label: `Errors: ${DRIVER_VERSION_INFO}` },
  SHORT_SENDS: { id: 16, label: 'Short sends' },
  FREE_FAILS: { id: 17, label: 'Failed attempts to free log buffers' },
  SENDER_FLOW_CONTROL_LIMITS: { id: 18, label: 'Sender flow control limits, i.e. back-pressure events' },
  UNBLOCKED_PUBLICATIONS: { id: 19, label: 'Unblocked Publications' },
  UNBLOCKED_COMMANDS: { id: 20, label: 'Unblocked Control Commands' },
  POSSIBLE_TTL_ASYMMETRY: { id: 21, label: 'Possible TTL Asymmetry' },
  CONTROLLABLE_IDLE_STRATEGY: { id: 22, label: 'ControllableIdleStrategy status' },
  LOSS_GAP_FILLS: { id: 23, label: 'Loss gap fills' },
  CLIENT_TIMEOUTS: { id: 24, label: 'Client liveness timeouts' },
  RESOLUTION_CHANGES: { id: 25, label: 'Resolution changes' },
  CONDUCTOR_MAX_CYCLE_TIME: { id: 26, label: 'Conductor max cycle time doing its work in ns' },
  CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED: { id: 27, label: 'Conductor work cycle exceeded threshold count' },
  SENDER_MAX_CYCLE_TIME: { id: 28, label: 'Sender max cycle time doing its work in ns' },
  SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED: { id: 29, label: 'Sender work cycle exceeded threshold count' },
  RECEIVER_MAX_CYCLE_TIME: { id: 30, label: 'Receiver max cycle time doing its work in ns' },
  RECEIVER_CYCLE_TIME_THRESHOLD_EXCEEDED: { id: 31, label: 'Receiver work cycle exceeded threshold count' },
  NAME_RESOLVER_MAX_TIME: { id: 32, label: 'NameResolver max time in ns' },
  NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED: { id: 33, label: 'NameResolver exceeded threshold count' },
  AERON_VERSION: { id: 34, label: `Aeron software: ${DRIVER_VERSION_INFO}` },
  BYTES_CURRENTLY_MAPPED: { id: 35, label: 'Bytes currently mapped' },
  RETRANSMITTED_BYTES: { id: 36, label: 'Retransmitted bytes' },
  RETRANSMIT_OVERFLOW: { id: 37, label: 'Retransmit Pool Overflow count' },
  ERROR_FRAMES_RECEIVED: { id: 38, label: 'Error Frames received' },
  ERROR_FRAMES_SENT: { id: 39, label: 'Error Frames sent' },
  PUBLICATIONS_REVOKED: { id: 40, label: 'Publications Revoked' },
  PUBLICATION_IMAGES_REVOKED: { id: 41, label: 'Publication Images Revoked' },
  IMAGES_REJECTED: { id: 42, label: 'Images rejected' },
  CONTROL_PROTOCOL_VERSION: { id: 43, label: 'Control protocol version' },
  STATUS_MESSAGES_REJECTED: { id: 44, label: 'Status Messages rejected' },
  ASYNC_EXECUTOR_PROXY_FAILS: { id: 45, label: 'Failed offers to AsyncExecutorProxy' },
} as const satisfies Record<string, SystemCounterDescriptor>;

/** The name of a system counter. */
export type SystemCounterName = keyof typeof SystemCounterDescriptors;

/** Settings that shape the labels of the cycle-time counters. */
export interface SystemCountersOptions {
  /** Java's threading mode name appended to the cycle-time labels (`SHARED`: one duty cycle does all). */
  readonly threadingMode: string;
  /** Conductor cycle threshold in ns, shown in CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED's label. */
  readonly conductorCycleThresholdNs: number;
  /** Sender cycle threshold in ns, shown in SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED's label. */
  readonly senderCycleThresholdNs: number;
  /** Receiver cycle threshold in ns, shown in RECEIVER_CYCLE_TIME_THRESHOLD_EXCEEDED's label. */
  readonly receiverCycleThresholdNs: number;
  /** Name resolver threshold in ns, shown in NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED's label. */
  readonly nameResolverThresholdNs: number;
}

/** Agrona `SystemUtil.formatDuration`: the largest whole unit of s, ms, us, ns. */
export function formatDuration(durationNs: number): string {
  for (const [unit, ns] of [
    ['s', 1_000_000_000],
    ['ms', 1_000_000],
    ['us', 1_000],
  ] as const) {
    if (durationNs >= ns && durationNs % ns === 0) return `${durationNs / ns}${unit}`;
  }
  return `${durationNs}ns`;
}

/** The allocated system counters, by name. */
export class SystemCounters {
  readonly #counters = new Map<SystemCounterName, AtomicCounter>();

  /** Allocates every system counter in id order (they must be the first counters of the CnC file). */
  constructor(countersManager: CountersManager, options: SystemCountersOptions) {
    for (const [name, descriptor] of Object.entries(SystemCounterDescriptors) as Array<
      [SystemCounterName, SystemCounterDescriptor]
    >) {
      const counterId = countersManager.allocate(descriptor.label, DRIVER_SYSTEM_COUNTER_TYPE_ID, (key) =>
        key.putInt32(0, descriptor.id),
      );
      countersManager.setCounterRegistrationId(counterId, descriptor.id);
      countersManager.setCounterOwnerId(counterId, -1);
      this.#counters.set(name, new AtomicCounter(countersManager.valuesBuffer, counterId, countersManager));
    }

    this.get('AERON_VERSION').set(AERON_PROTOCOL_VERSION);
    this.get('CONTROL_PROTOCOL_VERSION').set(CONTROL_PROTOCOL_SEMANTIC_VERSION);
    const mode = options.threadingMode;
    const append = (name: SystemCounterName, suffix: string): void => {
      countersManager.appendToLabel(this.get(name).id, suffix);
    };
    append('CONDUCTOR_MAX_CYCLE_TIME', `: ${mode}`);
    append(
      'CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED',
      `: threshold=${formatDuration(options.conductorCycleThresholdNs)} ${mode}`,
    );
    append('SENDER_MAX_CYCLE_TIME', `: ${mode}`);
    append(
      'SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED',
      `: threshold=${formatDuration(options.senderCycleThresholdNs)} ${mode}`,
    );
    append('RECEIVER_MAX_CYCLE_TIME', `: ${mode}`);
    append(
      'RECEIVER_CYCLE_TIME_THRESHOLD_EXCEEDED',
      `: threshold=${formatDuration(options.receiverCycleThresholdNs)} ${mode}`,
    );
    append('NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED', `: threshold=${formatDuration(options.nameResolverThresholdNs)}`);
  }

  /** The counter of one system counter. */
  get(name: SystemCounterName): AtomicCounter {
    return this.#counters.get(name)!;
  }

  /** Frees every system counter. */
  close(): void {
    for (const counter of this.#counters.values()) counter.close();
  }
}
