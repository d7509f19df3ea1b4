/**
 * The archive connection a {@link PersistentSubscription} owns (Java's package-private `AsyncAeronArchive`):
 * connects an {@link AeronArchive} from the subscription's archive options, and connects again after
 * the connection is lost. Driven by `poll()` from the subscription's duty cycle; nothing here blocks.
 *
 * ```
 *   CONNECTING ── AeronArchive.connect resolves ──▶ CONNECTED (onConnected)
 *       ▲   └──── connect rejects: onError (not terminal), next poll starts a new connect
 *       │                                    │ the client reports DISCONNECTED, or markDisconnected()
 *       └──── onDisconnected ◀── DISCONNECTED (the old client is closed)
 *   a connect that cannot start (options rejected by AeronArchive.Context checks, Aeron client closed) ─▶
 *   CLOSED (onError)
 * ```
 *
 * As Java's `AsyncAeronArchive`, every poll while CONNECTED checks the control response subscription
 * (`AeronArchive.isConnected()`), so a lost archive is noticed in any state of the subscription, LIVE included,
 * without a request. A request that fails with `ArchiveNotConnectedError` also marks it (`markDisconnected()`).
 */
import type { Aeron } from '../client/aeron.ts';
import { AeronArchive } from './aeron-archive.ts';
import type { ArchiveOptions } from './archive-context.ts';
import { ArchiveClosedError, ArchiveError, ArchiveNotConnectedError } from './archive-error.ts';
import { type Pending, track } from './pending.ts';

/** Java `AsyncAeronArchiveListener`. */
export interface ArchiveConnectionListener {
  /** A connect succeeded: `archive` is usable (Java `onConnected`). */
  onConnected(): void;
  /** The connection was lost and the old client closed; a new connect starts (Java `onDisconnected`). */
  onDisconnected(): void;
  /** A connect failed (Java `onError`); retried unless the connection is now CLOSED. */
  onError(error: unknown): void;
}

/** The states of a {@link PersistentSubscriptionArchive} (module comment). */
export type ArchiveConnectionState = 'CONNECTING' | 'CONNECTED' | 'DISCONNECTED' | 'CLOSED';

/**
 * The archive options a persistent subscription connects with (Java `aeronArchiveContext`): its Aeron client is
 * always the subscription's, never owned by the archive client (it outlives every reconnect).
 */
export type PersistentSubscriptionArchiveOptions = Omit<
  ArchiveOptions,
  'aeron' | 'aeronDir' | 'aeronOptions' | 'transport' | 'ownsAeronClient'
>;

/**
 * The reconnecting archive connection of a persistent subscription (module comment; Java `AsyncAeronArchive`).
 * Internal to {@link PersistentSubscription}; not exported from an entry point.
 */
export class PersistentSubscriptionArchive {
  #state: ArchiveConnectionState = 'CONNECTING';
  #connecting: Pending<AeronArchive> | null = null;
  #client: AeronArchive | null = null;

  readonly #aeron: Aeron;
  readonly #options: PersistentSubscriptionArchiveOptions;
  readonly #listener: ArchiveConnectionListener;

  constructor(aeron: Aeron, options: PersistentSubscriptionArchiveOptions, listener: ArchiveConnectionListener) {
    this.#aeron = aeron;
    this.#options = options;
    this.#listener = listener;
  }

  /** Where the connection is: CONNECTING, CONNECTED, DISCONNECTED or CLOSED. */
  get state(): ArchiveConnectionState {
    return this.#state;
  }

  /** The connected client; only valid while `isConnected()`. */
  get archive(): AeronArchive {
    const client = this.#client;
    if (client === null) throw new ArchiveNotConnectedError('archive is not connected');
    return client;
  }

  /** True while CONNECTED and the client itself still reports CONNECTED. */
  isConnected(): boolean {
    return this.#state === 'CONNECTED' && this.#client?.state() === 'CONNECTED';
  }

  /** True once closed, or once a connect could not start (terminal). */
  isClosed(): boolean {
    return this.#state === 'CLOSED';
  }

  /**
   * One step of the connection's duty cycle (Java `AsyncAeronArchive.poll`): starts or checks a connect, notices
   * a lost connection, closes the old client. Returns the work done (0 when nothing changed); calls the listener.
   */
  poll(): number {
    switch (this.#state) {
      case 'CONNECTING':
        return this.#pollConnecting();
      case 'CONNECTED':
        if (this.#client?.isConnected() !== true) {
          this.#state = 'DISCONNECTED';
          return 1;
        }
        return 0;
      case 'DISCONNECTED':
        return this.#restartAfterDisconnect();
      case 'CLOSED':
        return 0;
    }
  }

  /**
   * Java `AsyncAeronArchive.trySendStopReplayRequest`: offers StopReplayRequest at once without awaiting the
   * answer; false when not connected or not sent.
   */
  trySendStopReplayRequest(replaySessionId: bigint): boolean {
    const client = this.#client;
    return this.isConnected() && client !== null && client.trySendStopReplayRequest(replaySessionId);
  }

  /** A request failed because the control session is gone (or the client was closed under it). */
  markDisconnected(): void {
    if (this.#state === 'CONNECTED') this.#state = 'DISCONNECTED';
  }

  /** Closes the client and gives up a connect in flight (its client is closed when it arrives). Idempotent. */
  close(): void {
    if (this.#state === 'CLOSED') return;
    this.#state = 'CLOSED';
    const connecting = this.#connecting;
    this.#connecting = null;
    if (connecting !== null) closeWhenDone(connecting);
    this.#client?.close();
    this.#client = null;
  }

  #pollConnecting(): number {
    const connecting = this.#connecting;
    if (connecting === null) {
      this.#connecting = track(AeronArchive.connect({ ...this.#options, aeron: this.#aeron }));
      return 1;
    }
    if (!connecting.done) return 0;
    this.#connecting = null;
    if (connecting.error !== null || connecting.value === null) {
      if (isContextError(connecting.error) || this.#aeron.isClosed) this.#state = 'CLOSED';
      this.#listener.onError(connecting.error);
      return 1;
    }
    this.#client = connecting.value;
    this.#state = 'CONNECTED';
    this.#listener.onConnected();
    return 1;
  }

  /** The archive went away: drop the client and connect again on the next poll. */
  #restartAfterDisconnect(): number {
    try {
      this.#client?.close();
    } catch {
      // quietly, as Java's CloseHelper.quietClose
    }
    this.#client = null;
    this.#state = 'CONNECTING';
    this.#listener.onDisconnected();
    return 1;
  }
}

/** True when an archive request failed because the session is gone rather than with an answer. */
export function isDisconnection(error: unknown): boolean {
  return error instanceof ArchiveNotConnectedError || error instanceof ArchiveClosedError;
}

/**
 * Java fails a persistent subscription only when `AeronArchive.asyncConnect` cannot start (its context is
 * rejected, or the Aeron client is closed); every other connect failure is retried.
 */
function isContextError(error: unknown): boolean {
  return (
    error instanceof ArchiveError && error.code === 'ARCHIVE_ERROR' && error.message.startsWith('AeronArchive.Context')
  );
}

function closeWhenDone(pending: Pending<AeronArchive>): void {
  const check = (): void => {
    if (pending.done) pending.value?.close();
    else setTimeout(check, 10).unref?.();
  };
  check();
}
