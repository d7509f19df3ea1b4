/**
 * Fuzz targets for the driver responses the client reads (to-clients broadcast), see driver-response-specs.ts:
 *
 * - `client:<Flyweight>`: one per response flyweight. Valid encodings (built with the flyweight's setters,
 *   or from the layout constants for the setter-less `PublicationErrorFrameFlyweight`), the same mutated,
 *   and random bytes, placed at a random offset (-2..9) in a buffer with 0..24 bytes of garbage after them;
 *   every getter is called, each on its own (a `TransportError` from one, an out-of-bounds read, is counted
 *   in `observed` and the others are still read); anything else fails, and an unmutated valid encoding must
 *   read back exactly the values written, with `length()` equal to the encoded length.
 * - `client:driver-events-adapter`: `DriverEventsAdapter.receive()` as a whole, over a sequence of records
 *   (mostly a response type with a matching, mutated or random body; sometimes a mismatched or unknown
 *   type id), delivered either by a stub receiver (record in an exactly-sized buffer, so over-reads fail)
 *   or through a real `BroadcastTransmitter` + `CopyBroadcastReceiver` (transmitted all at once, which may
 *   lap the receiver, or one by one). Correlation ids are drawn mostly from 0..20 so that they hit the
 *   client id and the ids in flight. `TransportError`s from a record are counted and the next record is
 *   read; anything else fails, and the stub conductor checks the dispatch contract: a correlated callback
 *   only for an id that was in flight, once, after the adapter removed it; an id leaves the in-flight set
 *   only with its callback (or, counted in `observed`, when reading the rest of its response failed); ON_COUNTER_READY for an id not in flight is an available counter; a lapped
 *   receiver marks the adapter invalid.
 */
import fc from 'fast-check';
import {
  ON_AVAILABLE_IMAGE,
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_EXCLUSIVE_PUBLICATION_READY,
  ON_NEXT_AVAILABLE_SESSION_ID,
  ON_OPERATION_SUCCESS,
  ON_PUBLICATION_ERROR,
  ON_PUBLICATION_READY,
  ON_STATIC_COUNTER,
  ON_SUBSCRIPTION_READY,
  ON_UNAVAILABLE_COUNTER,
  ON_UNAVAILABLE_IMAGE,
  type PublicationErrorFrameFlyweight,
} from '../../src/client/command/index.ts';
import {
  DriverEventsAdapter,
  type DriverEventsListener,
  type DriverEventsReceiver,
  type PublicationReady,
} from '../../src/client/driver-events-adapter.ts';
import {
  AtomicBuffer,
  BROADCAST_TRAILER_LENGTH,
  BroadcastLappedError,
  BroadcastReceiver,
  BroadcastTransmitter,
  CopyBroadcastReceiver,
  type MessageHandler,
} from '../../src/transport/index.ts';
import { type ResponseSpec, type ResponseValues, readResponse, responseSpecs } from './driver-response-specs.ts';
import { type AnyFuzzTarget, type FuzzTarget, isTransportError, observe } from './fuzz-target.ts';
import { fillSeeded, type Mutation, mutate, mutationsArb } from './mutate.ts';

const RESPONSE_TYPE_IDS = [
  ON_ERROR,
  ON_AVAILABLE_IMAGE,
  ON_PUBLICATION_READY,
  ON_OPERATION_SUCCESS,
  ON_UNAVAILABLE_IMAGE,
  ON_EXCLUSIVE_PUBLICATION_READY,
  ON_SUBSCRIPTION_READY,
  ON_COUNTER_READY,
  ON_UNAVAILABLE_COUNTER,
  ON_CLIENT_TIMEOUT,
  ON_STATIC_COUNTER,
  ON_PUBLICATION_ERROR,
  ON_NEXT_AVAILABLE_SESSION_ID,
] as const;

/** Where a body comes from: a valid encoding, the same mutated, or random bytes. */
type Body =
  | { readonly kind: 'valid'; readonly values: ResponseValues }
  | { readonly kind: 'mutated'; readonly values: ResponseValues; readonly mutations: readonly Mutation[] }
  | { readonly kind: 'random'; readonly bytes: Uint8Array };

function bodyArb(spec: ResponseSpec): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 2, arbitrary: spec.values.map((values) => ({ kind: 'valid' as const, values })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(spec.values, mutationsArb)
        .map(([values, mutations]) => ({ kind: 'mutated' as const, values, mutations })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'random' as const, bytes })) },
  );
}

/** Encodes (and mutates) a body; the result is a fresh copy. */
function bodyBytes(spec: ResponseSpec, body: Body, scratch: AtomicBuffer): Uint8Array {
  if (body.kind === 'random') return body.bytes;
  scratch.bytes.fill(0, 0, 512);
  const length = spec.encode(scratch, 0, body.values);
  const bytes = scratch.bytes.subarray(0, length);
  return body.kind === 'mutated' ? mutate(bytes, body.mutations) : bytes.slice();
}

/** A buffer holding `bytes` at `max(0, pad)` followed by `tail` seeded garbage bytes. */
function placed(bytes: Uint8Array, pad: number, tail: number, tailSeed: number): AtomicBuffer {
  const start = Math.max(0, pad);
  const buffer = new AtomicBuffer(new ArrayBuffer(start + bytes.length + tail));
  buffer.bytes.set(bytes, start);
  fillSeeded(buffer.bytes, tailSeed, start + bytes.length);
  return buffer;
}

// ---- one flyweight -------------------------------------------------------------------------------------------

interface FlyweightInput {
  readonly body: Body;
  readonly pad: number;
  readonly tail: number;
  readonly tailSeed: number;
}

function flyweightTarget(spec: ResponseSpec): FuzzTarget<FlyweightInput> {
  const scratch = new AtomicBuffer(new ArrayBuffer(4096));
  const observed = new Map<string, number>();
  const onError = (e: unknown): void => {
    if (!isTransportError(e)) throw e;
    observe(observed, e);
  };
  return {
    name: `client:${spec.name}`,
    layer: 'client',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed,
    arbitrary: () =>
      fc.record({
        body: bodyArb(spec),
        pad: fc.integer({ min: -2, max: 9 }),
        tail: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 })),
        tailSeed: fc.integer(),
      }),
    execute(input) {
      const bytes = bodyBytes(spec, input.body, scratch);
      const buffer = placed(bytes, input.pad, input.tail, input.tailSeed);
      // Every getter, each on its own: one failing (out of bounds) does not skip the others.
      const read = readResponse(spec, buffer, input.pad, onError);
      if (input.body.kind === 'valid' && input.pad >= 0) {
        // An unmutated encoding reads back exactly what was written, and length() is the encoded length.
        const written: ResponseValues = { ...input.body.values, length: bytes.length };
        for (const key of Object.keys(spec.getters)) {
          if (!(key in written)) continue;
          if (!(key in read) || !Object.is(read[key], written[key])) {
            throw new Error(`${spec.name}.${key} read ${String(read[key])}, written ${String(written[key])}`);
          }
        }
      }
    },
  };
}

// ---- the adapter ----------------------------------------------------------------------------------------------

interface AdapterRecord {
  readonly msgTypeId: number;
  readonly spec: number;
  readonly body: Body;
}

interface AdapterInput {
  readonly clientId: number;
  readonly inFlight: readonly number[];
  readonly records: readonly AdapterRecord[];
  readonly delivery: 'stub' | 'broadcast-burst' | 'broadcast-interleaved';
  readonly capLog2: number;
  readonly pad: number;
  readonly tail: number;
  readonly tailSeed: number;
}

function fail(message: string): never {
  throw new Error(`DriverEventsAdapter contract: ${message}`);
}

function checkInt(name: string, value: number): void {
  if (!Number.isInteger(value)) fail(`${name} = ${value} is not an integer`);
}

/** A conductor stub that checks what the adapter hands it. */
class CheckingListener implements DriverEventsListener {
  readonly initial = new Set<number>();
  readonly delivered = new Set<number>();
  inFlight = new Set<number>();
  calls = 0;

  start(inFlight: readonly number[]): Set<number> {
    this.initial.clear();
    this.delivered.clear();
    this.dropped.clear();
    for (const id of inFlight) this.initial.add(id);
    this.inFlight = new Set(inFlight);
    this.calls = 0;
    return this.inFlight;
  }

  /** A correlated response: its id was in flight, is delivered once, and was removed before the call. */
  #correlated(kind: string, correlationId: number): void {
    this.calls++;
    checkInt(`${kind} correlationId`, correlationId);
    if (!this.initial.has(correlationId)) fail(`${kind} for ${correlationId}, never in flight`);
    if (this.delivered.has(correlationId) || this.dropped.has(correlationId)) {
      fail(`${kind} for ${correlationId} delivered twice`);
    }
    if (this.inFlight.has(correlationId)) fail(`${kind} for ${correlationId} still in flight`);
    this.delivered.add(correlationId);
  }

  readonly #before = new Set<number>();
  /** Ids a response removed from the in-flight set before reading one of its fields failed. */
  readonly dropped = new Set<number>();

  beforeReceive(): void {
    this.#before.clear();
    for (const id of this.inFlight) this.#before.add(id);
  }

  /**
   * After a `receive` that threw: the adapter removes a correlated id from the in-flight set BEFORE it reads
   * the rest of the response (as Aeron's adapter sets its received correlation id first), so an
   * out-of-bounds string in a response for an in-flight id loses that id without a callback. Counted, not
   * failed (the conductor's command deadline still ends the wait); returns how many ids were dropped.
   */
  afterFailedReceive(): number {
    let dropped = 0;
    for (const id of this.#before) {
      if (!this.inFlight.has(id) && !this.delivered.has(id)) {
        this.dropped.add(id);
        dropped++;
      }
    }
    return dropped;
  }

  /** Every id that left the in-flight set was delivered (or dropped by a response that failed to read). */
  finish(): void {
    for (const id of this.initial) {
      if (!this.inFlight.has(id) && !this.delivered.has(id) && !this.dropped.has(id)) {
        fail(`${id} left the in-flight set without a callback`);
      }
    }
    for (const id of this.inFlight) if (!this.initial.has(id)) fail(`${id} appeared in the in-flight set`);
  }

  onError(correlationId: number, errorCode: number, message: string): void {
    this.#correlated('onError', correlationId);
    checkInt('errorCode', errorCode);
    if (typeof message !== 'string') fail('error message is not a string');
  }

  onChannelEndpointError(channelStatusId: number, message: string): void {
    this.calls++;
    checkInt('channelStatusId', channelStatusId);
    if (typeof message !== 'string') fail('endpoint error message is not a string');
  }

  onNewPublication(ready: PublicationReady, exclusive: boolean): void {
    this.#correlated('onNewPublication', ready.correlationId);
    for (const key of [
      'registrationId',
      'streamId',
      'sessionId',
      'publicationLimitCounterId',
      'channelStatusIndicatorId',
    ] as const) {
      checkInt(key, ready[key]);
    }
    if (typeof ready.logFileName !== 'string' || typeof exclusive !== 'boolean') fail('bad publication ready');
  }

  onNewSubscription(correlationId: number, channelStatusIndicatorId: number): void {
    this.#correlated('onNewSubscription', correlationId);
    checkInt('channelStatusIndicatorId', channelStatusIndicatorId);
  }

  onOperationSuccess(correlationId: number): void {
    this.#correlated('onOperationSuccess', correlationId);
  }

  onAvailableImage(
    correlationId: number,
    sessionId: number,
    subscriptionRegistrationId: number,
    subscriberPositionId: number,
    logFileName: string,
    sourceIdentity: string,
  ): void {
    this.calls++;
    checkInt('image correlationId', correlationId);
    checkInt('sessionId', sessionId);
    checkInt('subscriptionRegistrationId', subscriptionRegistrationId);
    checkInt('subscriberPositionId', subscriberPositionId);
    if (typeof logFileName !== 'string' || typeof sourceIdentity !== 'string') fail('bad image strings');
  }

  onUnavailableImage(correlationId: number, subscriptionRegistrationId: number): void {
    this.calls++;
    checkInt('image correlationId', correlationId);
    checkInt('subscriptionRegistrationId', subscriptionRegistrationId);
  }

  onNewCounter(correlationId: number, counterId: number): void {
    this.#correlated('onNewCounter', correlationId);
    checkInt('counterId', counterId);
  }

  onAvailableCounter(registrationId: number, counterId: number): void {
    this.calls++;
    checkInt('registrationId', registrationId);
    checkInt('counterId', counterId);
    if (this.inFlight.has(registrationId)) fail(`available counter ${registrationId} is still in flight`);
  }

  onUnavailableCounter(registrationId: number, counterId: number): void {
    this.calls++;
    checkInt('registrationId', registrationId);
    checkInt('counterId', counterId);
  }

  onStaticCounter(correlationId: number, counterId: number): void {
    this.#correlated('onStaticCounter', correlationId);
    checkInt('counterId', counterId);
  }

  onClientTimeout(): void {
    this.calls++;
  }

  onPublicationError(frame: PublicationErrorFrameFlyweight): void {
    this.calls++;
    // Every field, as the conductor reads them for its publication error handler.
    checkInt('registrationId', frame.registrationId());
    checkInt('destinationRegistrationId', frame.destinationRegistrationId());
    checkInt('sessionId', frame.sessionId());
    checkInt('streamId', frame.streamId());
    checkInt('receiverId', frame.receiverId());
    checkInt('groupTag', frame.groupTag());
    checkInt('errorCode', frame.errorCode());
    checkInt('sourcePort', frame.sourcePort());
    checkInt('addressType', frame.addressType());
    if (typeof frame.errorMessage() !== 'string' || typeof frame.sourceAddress() !== 'string') {
      fail('bad publication error strings');
    }
    frame.length();
  }

  onNextAvailableSessionId(correlationId: number, nextSessionId: number): void {
    this.#correlated('onNextAvailableSessionId', correlationId);
    checkInt('nextSessionId', nextSessionId);
  }
}

/** Delivers prepared records one per `receive`, each alone in an exactly-sized buffer (plus garbage tail). */
class StubReceiver implements DriverEventsReceiver {
  records: { msgTypeId: number; buffer: AtomicBuffer; index: number; length: number }[] = [];
  #next = 0;

  reset(): void {
    this.records = [];
    this.#next = 0;
  }

  receive(handler: MessageHandler): number {
    const record = this.records[this.#next];
    if (record === undefined) return 0;
    this.#next++;
    handler(record.msgTypeId, record.buffer, record.index, record.length);
    return 1;
  }
}

function adapterTarget(): FuzzTarget<AdapterInput> {
  const specs = responseSpecs();
  const observed = new Map<string, number>();
  const scratch = new AtomicBuffer(new ArrayBuffer(4096));
  const listener = new CheckingListener();
  const stub = new StubReceiver();
  // One arbitrary per spec, built once (a `chain` would rebuild them for every record).
  const recordArb: fc.Arbitrary<AdapterRecord> = fc.oneof(
    ...specs.map((spec, index) =>
      fc
        .tuple(
          fc.oneof(
            { weight: 12, arbitrary: fc.constantFrom(...spec.msgTypeIds) },
            { weight: 2, arbitrary: fc.constantFrom(...RESPONSE_TYPE_IDS) },
            { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -1, max: 0x1000 }), fc.integer()) },
          ),
          bodyArb(spec),
        )
        .map(([msgTypeId, body]) => ({ msgTypeId, spec: index, body })),
    ),
  );

  const drain = (adapter: DriverEventsAdapter, limit: number): boolean => {
    for (let i = 0; i < limit; i++) {
      let read: number;
      listener.beforeReceive();
      try {
        read = adapter.receive();
      } catch (e) {
        if (!isTransportError(e)) throw e;
        observe(observed, e);
        if (listener.afterFailedReceive() > 0) observe(observed, 'in-flight-id-dropped');
        if (e instanceof BroadcastLappedError) {
          if (!adapter.isInvalid) fail('lapped but not invalid');
          return false;
        }
        if (adapter.isInvalid) fail(`invalid after ${(e as Error).name}`);
        continue;
      }
      if (read === 0) return true;
      if (read !== 1) fail(`receive() returned ${read}`);
    }
    return true;
  };

  return {
    name: 'client:driver-events-adapter',
    layer: 'client',
    allowedName: 'TransportError',
    allowed: isTransportError,
    observed,
    arbitrary: () =>
      fc.record({
        clientId: fc.integer({ min: 0, max: 20 }),
        inFlight: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 10 }),
        records: fc.array(recordArb, { maxLength: 12 }),
        delivery: fc.constantFrom('stub', 'broadcast-burst', 'broadcast-interleaved'),
        capLog2: fc.integer({ min: 7, max: 12 }),
        pad: fc.integer({ min: 0, max: 9 }),
        tail: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 })),
        tailSeed: fc.integer(),
      }),
    execute(input) {
      const inFlight = listener.start(input.inFlight);
      const bodies = input.records.map((r) => bodyBytes(specs[r.spec] as ResponseSpec, r.body, scratch));
      if (input.delivery === 'stub') {
        stub.reset();
        input.records.forEach((r, i) => {
          const bytes = bodies[i] as Uint8Array;
          const buffer = placed(bytes, input.pad, input.tail, input.tailSeed + i);
          stub.records.push({ msgTypeId: r.msgTypeId, buffer, index: input.pad, length: bytes.length });
        });
        drain(new DriverEventsAdapter(input.clientId, stub, listener, inFlight), input.records.length + 1);
      } else {
        const capacity = 2 ** input.capLog2;
        const buffer = new AtomicBuffer(new ArrayBuffer(capacity + BROADCAST_TRAILER_LENGTH));
        const transmitter = new BroadcastTransmitter(buffer);
        const receiver = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
        const adapter = new DriverEventsAdapter(input.clientId, receiver, listener, inFlight);
        const burst = input.delivery === 'broadcast-burst';
        let valid = true;
        input.records.forEach((r, i) => {
          if (!valid || r.msgTypeId < 1) return; // the transmitter rejects type ids < 1
          const bytes = bodies[i] as Uint8Array;
          transmitter.transmit(r.msgTypeId, bytes, 0, Math.min(bytes.length, transmitter.maxMsgLength));
          if (!burst) valid = drain(adapter, 2);
        });
        if (valid) drain(adapter, input.records.length + 1);
      }
      listener.finish();
    },
  };
}

/** Every driver response target: one per flyweight, then the adapter. */
export function driverResponseTargets(): AnyFuzzTarget[] {
  return [...responseSpecs().map(flyweightTarget), adapterTarget()];
}
