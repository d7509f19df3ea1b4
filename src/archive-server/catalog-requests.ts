/**
 * The requests answered from the catalog (Java `ArchiveConductor.listRecordings` … `updateChannel`): listings,
 * positions, find-last, the recording subscriptions listing and UPDATE_CHANNEL, with Java's responses.
 *
 * ```
 *  LIST_RECORDINGS / _FOR_URI / LIST_RECORDING   a ListRecordingsSession (one listing per session at a time:
 *                                                "active listing already in progress"); LIST_RECORDING of an
 *                                                unknown id: RECORDING_UNKNOWN
 *  FIND_LAST_MATCHING_RECORDING                  OK(id or -1); "minRecordingId=<n> < 0" (UNKNOWN_RECORDING)
 *  RECORDING_ / START_ / STOP_ / MAX_RECORDED_POSITION   OK(position); "unknown recording id: <id>"
 *  LIST_RECORDING_SUBSCRIPTIONS                  a ListRecordingSubscriptionsSession, or SUBSCRIPTION_UNKNOWN
 *  UPDATE_CHANNEL                                the descriptor's channels replaced (Java's UpdateChannelSession
 *                                                done at once), OK; unknown id: RECORDING_UNKNOWN
 * ```
 */
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import type { Catalog } from './catalog.ts';
import type { ControlSession, SessionWork } from './control-session.ts';
import {
  type ListedSubscription,
  ListRecordingSubscriptionsSession,
  ListRecordingsSession,
} from './list-recordings-session.ts';
import { strippedChannelBuilder } from './stripped-channel.ts';

/** What the catalog requests need from the conductor. */
export interface CatalogRequestsHost {
  /** The catalog. */
  readonly catalog: Catalog;
  /** The listings the duty cycle works (a new listing is pushed here). */
  readonly listings: SessionWork[];
  /** The recording subscriptions, by registration id. */
  readonly recordingSubscriptions: ReadonlyMap<number, ListedSubscription>;
  /** The recorded position of an active recording, or NULL_POSITION when it is not recording. */
  recordedPosition(recordingId: number): number;
  /** The time of the current duty cycle. */
  nowMs(): number;
  /** Java's `hasRecording`: true, or false after ERROR UNKNOWN_RECORDING "unknown recording id: …". */
  hasRecording(session: ControlSession, correlationId: number, recordingId: number): boolean;
}

/** The catalog requests of a conductor (module comment). */
export class CatalogRequests {
  readonly #host: CatalogRequestsHost;

  /** Requests over `host`'s catalog. */
  constructor(host: CatalogRequestsHost) {
    this.#host = host;
  }

  /** LIST_RECORDINGS (streamId null) and LIST_RECORDINGS_FOR_URI. */
  listRecordings(
    session: ControlSession,
    correlationId: number,
    fromRecordingId: number,
    count: number,
    streamId: number | null,
    channelFragment: string,
  ): void {
    const host = this.#host;
    if (session.hasActiveListing(correlationId, host.nowMs())) return;
    const listing = new ListRecordingsSession(
      host.catalog,
      session,
      correlationId,
      fromRecordingId,
      count,
      streamId,
      channelFragment,
    );
    session.activeListing = listing;
    host.listings.push(listing);
  }

  /** LIST_RECORDING. */
  listRecording(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (session.hasActiveListing(correlationId, host.nowMs())) return;
    if (!host.catalog.hasRecording(recordingId)) session.sendRecordingUnknown(correlationId, recordingId, host.nowMs());
    else this.listRecordings(session, correlationId, recordingId, 1, null, '');
  }

  /** FIND_LAST_MATCHING_RECORDING. */
  findLastMatchingRecording(
    session: ControlSession,
    correlationId: number,
    minRecordingId: number,
    sessionId: number,
    streamId: number,
    channelFragment: string,
  ): void {
    const host = this.#host;
    if (minRecordingId < 0) {
      session.sendErrorResponse(
        correlationId,
        ArchiveErrorCode.UNKNOWN_RECORDING,
        `minRecordingId=${minRecordingId} < 0`,
        host.nowMs(),
      );
    } else {
      const found = host.catalog.findLast(minRecordingId, sessionId, streamId, channelFragment);
      session.sendOkResponse(correlationId, found, host.nowMs());
    }
  }

  /** RECORDING_POSITION: the recorded position of an active recording, else NULL_POSITION. */
  recordingPosition(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    session.sendOkResponse(correlationId, host.recordedPosition(recordingId), host.nowMs());
  }

  /** START_POSITION. */
  startPosition(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    session.sendOkResponse(correlationId, host.catalog.startPosition(recordingId), host.nowMs());
  }

  /** STOP_POSITION (NULL_POSITION while recording). */
  stopPosition(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    session.sendOkResponse(correlationId, host.catalog.stopPosition(recordingId), host.nowMs());
  }

  /** MAX_RECORDED_POSITION: the recorded position while recording, else the stop position. */
  maxRecordedPosition(session: ControlSession, correlationId: number, recordingId: number): void {
    const host = this.#host;
    if (!host.hasRecording(session, correlationId, recordingId)) return;
    const recorded = host.recordedPosition(recordingId);
    const position = recorded === NULL_POSITION ? host.catalog.stopPosition(recordingId) : recorded;
    session.sendOkResponse(correlationId, position, host.nowMs());
  }

  /** LIST_RECORDING_SUBSCRIPTIONS (Java `listRecordingSubscriptions`). */
  listRecordingSubscriptions(
    session: ControlSession,
    correlationId: number,
    pseudoIndex: number,
    count: number,
    applyStreamId: boolean,
    streamId: number,
    channelFragment: string,
  ): void {
    const host = this.#host;
    if (session.hasActiveListing(correlationId, host.nowMs())) return;
    if (pseudoIndex < 0 || pseudoIndex >= host.recordingSubscriptions.size || count <= 0) {
      session.sendSubscriptionUnknown(correlationId, host.nowMs());
      return;
    }
    const listing = new ListRecordingSubscriptionsSession(
      host.recordingSubscriptions,
      session,
      correlationId,
      pseudoIndex,
      count,
      applyStreamId,
      streamId,
      channelFragment,
    );
    session.activeListing = listing;
    host.listings.push(listing);
  }

  /** UPDATE_CHANNEL (Java `updateChannel`; its `UpdateChannelSession` done at once). */
  updateChannel(session: ControlSession, correlationId: number, recordingId: number, channel: string): void {
    const host = this.#host;
    const now = host.nowMs();
    if (session.hasActiveListing(correlationId, now)) return;
    if (!host.catalog.hasRecording(recordingId)) {
      session.sendRecordingUnknown(correlationId, recordingId, now);
      return;
    }
    let stripped: string;
    try {
      stripped = strippedChannelBuilder(ChannelUri.parse(channel)).build();
    } catch (e) {
      session.sendErrorResponse(correlationId, ArchiveErrorCode.GENERIC, String((e as Error).message), now);
      return;
    }
    host.catalog.replaceChannels(recordingId, stripped, channel);
    session.sendOkResponse(correlationId, 0, now);
  }
}
