/**
 * The channels of a {@link ReplayMerge} (Java `ReplayMerge` constructor and `resolveReplayPort`):
 * validation, and the replay channel the archive replays to.
 *
 * ```
 *   replay channel = <replayChannel> + linger=0 + eos=false + endpoint=<replay destination's endpoint>
 *   replay destination endpoint host:0  → RESOLVE_REPLAY_PORT: the port bound by the subscription
 * ```
 */

import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { ChannelUri, IPC_CHANNEL } from '../client/channel-uri.ts';

const ENDPOINT = 'endpoint';

/**
 * Checks a {@link ReplayMerge}'s channels and builds its replay channel (module comment). Internal to
 * `ReplayMerge`; not exported from an entry point.
 */
export class ReplayMergeChannels {
  readonly #replayUri: ChannelUri;
  readonly #replayEndpoint: string;
  /** The replay destination's endpoint ends with `:0`: the replay channel needs the port the driver bound. */
  readonly needsReplayPortResolution: boolean;

  /**
   * Throws `InvalidArgumentError` (INVALID_ARGUMENT) when a channel is IPC or the subscription channel lacks
   * `control-mode=manual` (Java's `ReplayMerge` constructor: `IllegalArgumentException`), or when the replay
   * destination has no endpoint.
   */
  constructor(subscriptionChannel: string, replayChannel: string, replayDestination: string, liveDestination: string) {
    if (
      subscriptionChannel.startsWith(IPC_CHANNEL) ||
      replayChannel.startsWith(IPC_CHANNEL) ||
      replayDestination.startsWith(IPC_CHANNEL) ||
      liveDestination.startsWith(IPC_CHANNEL)
    ) {
      throw new InvalidArgumentError('IPC merging is not supported');
    }
    if (!subscriptionChannel.includes('control-mode=manual')) {
      throw new InvalidArgumentError(`Subscription URI must have 'control-mode=manual' uri=${subscriptionChannel}`);
    }
    this.#replayUri = ChannelUri.parse(replayChannel);
    this.#replayUri.put('linger', '0');
    this.#replayUri.put('eos', 'false');
    const endpoint = ChannelUri.parse(replayDestination).get(ENDPOINT);
    if (endpoint === undefined)
      throw new InvalidArgumentError(`replay destination has no endpoint: ${replayDestination}`);
    this.#replayEndpoint = endpoint;
    this.needsReplayPortResolution = endpoint.endsWith(':0');
    if (!this.needsReplayPortResolution) this.#replayUri.put(ENDPOINT, endpoint);
  }

  /**
   * Java `subscription.resolvedEndpoint()` then `replaceEndpointWildcardPort`: takes the bound address whose host
   * matches the replay destination's (else the first one). False while nothing is bound yet.
   */
  resolveReplayPort(localSocketAddresses: readonly string[]): boolean {
    if (localSocketAddresses.length === 0) return false;
    const host = this.#replayEndpoint.substring(0, this.#replayEndpoint.lastIndexOf(':'));
    const resolved =
      localSocketAddresses.find((a) => a.substring(0, a.lastIndexOf(':')) === host && !a.endsWith(':0')) ??
      localSocketAddresses.find((a) => !a.endsWith(':0'));
    if (resolved === undefined) return false;
    this.#replayUri.put(ENDPOINT, this.#replayEndpoint);
    this.#replayUri.replaceEndpointWildcardPort(resolved);
    return true;
  }

  /** The channel the archive replays to. */
  replayChannel(): string {
    return this.#replayUri.toString();
  }
}
