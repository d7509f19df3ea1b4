/**
 * A replay over a `control-mode=response` channel (Java `AeronArchive.replayViaResponseChannel`):
 *
 * ```
 *   ReplayTokenRequest on the control session ─▶ add the replay subscription (the response channel)
 *   ─▶ add an exclusive publication to the archive's control endpoint, response-correlation-id=<its registration>
 *   ─▶ wait until it is connected ─▶ ReplayRequest with the token on it ─▶ wait for the replay image
 * ```
 *
 * The archive's replay token is a random 64-bit long: it is read exactly (bigint) from the response's relevantId
 * and written exactly into the ReplayRequest. On a failure the replay already started is stopped and the
 * subscription closed; the request publication is closed in every case.
 */
import type { Aeron } from '../client/aeron.ts';
import { ChannelUri } from '../client/channel-uri.ts';
import type { AvailableImageHandler, UnavailableImageHandler } from '../client/conductor-contract.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import type { Subscription } from '../client/subscription.ts';
import { abortable } from './abortable.ts';
import { AeronControlPublication } from './aeron-transport.ts';
import type { ArchiveContext } from './archive-context.ts';
import { ArchiveAbortedError, ArchiveClosedError, ArchiveTimeoutError } from './archive-error.ts';
import { idleAfter } from './archive-idle-strategy.ts';
import type { CallOptions } from './call-options.ts';
import type { ControlPublication } from './control-transport.ts';
import { type ReplayParams, type ResolvedReplayParams, resolveReplayParams } from './replay-params.ts';

/** What the replay needs of the archive client. */
export interface ResponseChannelReplayClient {
  /** The client the subscription and the request publication are added on. */
  readonly aeron: Aeron;
  /** The control request channel and stream, the message timeout and the idle strategy. */
  readonly context: ArchiveContext;
  /** True once the archive client is closed. */
  isClosed(): boolean;
  /** ReplayTokenRequest on the control session. */
  requestReplayToken(recordingId: number, options: CallOptions): Promise<bigint>;
  /**
   * ReplayRequest (recording id, replay channel, stream id, params) on `publication` instead of the control
   * session's; resolves the replay session id.
   */
  sendReplayRequest(
    publication: ControlPublication,
    request: [recordingId: number, replayChannel: string, replayStreamId: number, params: ResolvedReplayParams],
    options: CallOptions,
  ): Promise<bigint>;
  /** StopReplayRequest, outside the request queue. */
  trySendStopReplayRequest(replaySessionId: bigint): boolean;
}

/** The call's options: its signal and deadline, and the replay subscription's image handlers. */
export interface ResponseChannelReplayOptions extends CallOptions {
  /** Called when the replay image joins (omitted: the client context's; null: none). */
  readonly availableImageHandler?: AvailableImageHandler | null;
  /** Called when the replay image leaves (omitted: the client context's; null: none). */
  readonly unavailableImageHandler?: UnavailableImageHandler | null;
}

/** Replays `recordingId` over the response channel `replayChannel` (module comment). */
export async function replayViaResponseChannel(
  client: ResponseChannelReplayClient,
  recordingId: number,
  replayChannel: string,
  replayStreamId: number,
  replayParams: ReplayParams,
  options: ResponseChannelReplayOptions,
): Promise<{ readonly subscription: Subscription; readonly replaySessionId: bigint }> {
  const { aeron, context } = client;
  const replayToken = await client.requestReplayToken(recordingId, options);
  const subscription = await abortable(
    aeron.addSubscription(replayChannel, replayStreamId, {
      availableImageHandler: options.availableImageHandler,
      unavailableImageHandler: options.unavailableImageHandler,
      signal: options.signal,
    }),
    'replay',
    { signal: options.signal },
    (late) => late.close(),
  );
  let publication: ExclusivePublication | null = null;
  let replaySessionId: bigint | null = null;
  try {
    publication = await abortable(
      aeron.addExclusivePublication(
        responseRequestChannel(context.controlRequestChannel, subscription.registrationId),
        context.controlRequestStreamId,
        { signal: options.signal },
      ),
      'replay',
      { signal: options.signal },
      (late) => late.close(),
    );
    const ready = publication;
    await waitFor(
      client,
      () => ready.isConnected() && ready.positionLimit() > 0,
      'timed out waiting for replay publication to connect',
      options,
    );
    const params = resolveReplayParams({ ...replayParams, replayToken });
    replaySessionId = await client.sendReplayRequest(
      new AeronControlPublication(ready),
      [recordingId, replayChannel, replayStreamId, params],
      options,
    );
    await waitFor(client, () => subscription.isConnected(), 'timed out waiting for replay to connect', options);
    return { subscription, replaySessionId };
  } catch (error) {
    if (replaySessionId !== null) client.trySendStopReplayRequest(replaySessionId);
    subscription.close();
    throw error;
  } finally {
    publication?.close();
  }
}

/**
 * Polls `condition` on the event loop until true, the message timeout, the call deadline or an abort, paced by
 * the idle strategy (a fresh wait: reset first).
 */
function waitFor(
  client: ResponseChannelReplayClient,
  condition: () => boolean,
  message: string,
  options: CallOptions,
): Promise<void> {
  const { clock, idleStrategy, messageTimeoutMs } = client.context;
  const deadline = clock() + Math.min(messageTimeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
  idleStrategy.reset();
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (client.isClosed()) reject(new ArchiveClosedError());
      else if (options.signal?.aborted) reject(new ArchiveAbortedError(message, { cause: options.signal.reason }));
      else if (condition()) resolve();
      else if (clock() > deadline) reject(new ArchiveTimeoutError(message));
      else idleAfter(idleStrategy.idle(0), check);
    };
    check();
  });
}

/** Java's request channel for a response-channel replay: no session/term params, 64k terms, the correlation id. */
export function responseRequestChannel(controlRequestChannel: string, subscriptionRegistrationId: number): string {
  const uri = ChannelUri.parse(controlRequestChannel);
  for (const key of ['session-id', 'term-id', 'init-term-id', 'term-offset']) uri.remove(key);
  uri.put('response-correlation-id', String(subscriptionRegistrationId));
  uri.put('term-length', String(64 * 1024));
  uri.put('ssc', 'false');
  return uri.toString();
}
