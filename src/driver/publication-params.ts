/**
 * The parameters of a new publication, from its channel URI and the driver's options (Aeron 1.51.0
 * `PublicationParams.getPublicationParams`, `confirmMatch`), with Java's checks and messages.
 *
 * ```
 *  param                         default (IPC)                        check (INVALID_CHANNEL unless noted)
 *  stream-id                     the command's stream id              must equal it
 *  tags=<channel>,<entity tag>   none                                 not -1, not in use
 *  session-id=<n> | tag:<t>      next session id of the driver        tag: an IPC publication with that tag
 *  term-length                   ipcTermBufferLength                  power of 2, 64 KiB..1 GiB (GENERIC_ERROR,
 *                                                                     java.lang.IllegalStateException)
 *  mtu                           ipcMtuLength                         > 32, <= 65504, x32 (GENERIC_ERROR,
 *                                                                     ConfigurationException); <= max message length
 *  pub-wnd                       producerWindowLength(term, ipc term window)   mtu <= w <= term / 2
 *  linger                        publicationLingerTimeoutNs
 *  eos                           true                                 ("true" = signal end of stream)
 *  sparse                        termBufferSparseFile
 *  ssc                           spiesSimulateConnection
 *  untethered-*-timeout          the driver's untethered timeouts
 *  max-resend                    16                                   1..16
 *  init-term-id, term-id, term-offset   random initial term id, term id = it, offset 0
 *                                all three or none; offset <= term length, x32, >= 0; term-id - init-term-id >= 0
 *  response-correlation-id       -1                                   a number >= -1, or `prototype` (-2)
 *  control-mode=response         not a response publication           (isResponse)
 * ```
 */
import { randomInt } from 'node:crypto';
import {
  ChannelUri,
  CONTROL_MODE_RESPONSE,
  EOS_PARAM_NAME,
  INITIAL_TERM_ID_PARAM_NAME,
  INVALID_TAG,
  LINGER_PARAM_NAME,
  MAX_RESEND_PARAM_NAME,
  MDC_CONTROL_MODE_PARAM_NAME,
  MTU_LENGTH_PARAM_NAME,
  PROTOTYPE_CORRELATION_ID,
  PUBLICATION_WINDOW_LENGTH_PARAM_NAME,
  RESPONSE_CORRELATION_ID_PARAM_NAME,
  SESSION_ID_PARAM_NAME,
  SPARSE_PARAM_NAME,
  SPIES_SIMULATE_CONNECTION_PARAM_NAME,
  STREAM_ID_PARAM_NAME,
  TERM_ID_PARAM_NAME,
  TERM_LENGTH_PARAM_NAME,
  TERM_OFFSET_PARAM_NAME,
  UNTETHERED_LINGER_TIMEOUT_PARAM_NAME,
  UNTETHERED_RESTING_TIMEOUT_PARAM_NAME,
  UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME,
} from '../logbuffer/channel-uri.ts';
import { computeMaxMessageLength, FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import {
  checkTermLength,
  computePosition,
  positionBitsToShift,
  TERM_MAX_LENGTH,
} from '../logbuffer/log-buffer-descriptor.ts';
import { ERROR_CODE_GENERIC_ERROR, ERROR_CODE_INVALID_CHANNEL } from './command/control-protocol.ts';
import { MAX_RESEND_DEFAULT, mtuLengthProblem, producerWindowLength } from './configuration.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import { parseDuration, parseSize } from './system-util.ts';

/**
 * `response-correlation-id=prototype` as a value (Java `PublicationParams.PROTOTYPE_VALUE_CORRELATION_ID`): a
 * response publication made with the minimum term length, linked to no image.
 */
export const PROTOTYPE_VALUE_CORRELATION_ID = -2;

/** Largest `max-resend` accepted (Java `Configuration.MAX_RESEND_MAX`). */
const MAX_RESEND_MAX = 16;

/** What the parameters need of the conductor. */
export interface PublicationParamsConductor {
  /** The next session id not reserved and not in use on (stream id, channel) (`nextAvailableSessionId`). */
  nextAvailableSessionId(streamId: number): number;
  /** The IPC publication with entity tag `tag`, or null (`findIpcPublicationByTag`). */
  findIpcPublicationByTag(
    tag: number,
  ): { sessionId: number; mtuLength: number; termLength: number; channel: string } | null;
}

/** The resolved parameters of one publication. */
export interface PublicationParams {
  /** Linger (ns) written in the log metadata. */
  readonly lingerTimeoutNs: number;
  /** Entity tag, or -1. */
  readonly entityTag: number;
  /** Untethered window limit timeout (ns). */
  readonly untetheredWindowLimitTimeoutNs: number;
  /** Untethered linger timeout (ns). */
  readonly untetheredLingerTimeoutNs: number;
  /** Untethered resting timeout (ns). */
  readonly untetheredRestingTimeoutNs: number;
  /**
   * `response-correlation-id`: -1 when absent, {@link PROTOTYPE_VALUE_CORRELATION_ID} for `prototype`, else the
   * registration id of a response subscription (a request publication) or of an image (a response publication).
   * Registration ids come from the driver's correlation counter: below 2^53.
   */
  readonly responseCorrelationId: number;
  /** Term length (bytes). */
  readonly termLength: number;
  /** MTU (bytes). */
  readonly mtuLength: number;
  /** How far the publisher may run ahead of the slowest subscriber (bytes). */
  readonly publicationWindowLength: number;
  /** Initial term id. */
  readonly initialTermId: number;
  /** Term id to start in. */
  readonly termId: number;
  /** Offset to start at in `termId`. */
  readonly termOffset: number;
  /** Session id. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Max resend (metadata only for IPC). */
  readonly maxResend: number;
  /** True when init-term-id, term-id and term-offset were given. */
  readonly hasPosition: boolean;
  /** True when the session id came from a `tag:`. */
  readonly isSessionIdTagged: boolean;
  /** Signal end of stream when the publication closes. */
  readonly signalEos: boolean;
  /** Sparse log file. */
  readonly isSparse: boolean;
  /** Spies simulate a connection. */
  readonly spiesSimulateConnection: boolean;
  /** `control-mode=response`. */
  readonly isResponse: boolean;
}

/**
 * Parses `channel` (`parseUri`): `ControlProtocolError` INVALID_CHANNEL when it is not a channel URI.
 */
export function parseChannelUri(channel: string): ChannelUri {
  try {
    return ChannelUri.parse(channel);
  } catch (e) {
    throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, (e as Error).message, { cause: e });
  }
}

/** Java `PublicationParams.getPublicationParams` for an IPC channel; see the module comment. */
export function getPublicationParams(
  channelUri: ChannelUri,
  ctx: MediaDriverContext,
  conductor: PublicationParamsConductor,
  streamId: number,
): PublicationParams {
  const isIpc = channelUri.isIpc;
  let termLength = isIpc ? ctx.ipcTermBufferLength : ctx.publicationTermBufferLength;
  let mtuLength = isIpc ? ctx.ipcMtuLength : ctx.mtuLength;

  const streamIdParam = channelUri.get(STREAM_ID_PARAM_NAME);
  if (streamIdParam !== undefined) {
    const configured = parseIntParam(streamIdParam, STREAM_ID_PARAM_NAME);
    if (configured !== streamId) {
      throw invalidChannel(`${STREAM_ID_PARAM_NAME}=${configured} does not match provided streamId=${streamId}`);
    }
  }

  let entityTag = INVALID_TAG;
  const tagParam = channelUri.entityTag();
  if (tagParam !== undefined) {
    entityTag = parseLongParam(tagParam, 'invalid entity tag, must be a number');
    if (entityTag === INVALID_TAG) throw invalidChannel(`${INVALID_TAG} tag is reserved: channel=${channelUri}`);
    const existing = conductor.findIpcPublicationByTag(entityTag);
    if (existing !== null) {
      throw invalidChannel(
        `${entityTag} entityTag already in use: existingChannel=${existing.channel} channel=${channelUri}`,
      );
    }
  }

  let sessionId: number;
  let isSessionIdTagged = false;
  const sessionIdParam = channelUri.get(SESSION_ID_PARAM_NAME);
  if (sessionIdParam !== undefined) {
    isSessionIdTagged = ChannelUri.isTagged(sessionIdParam);
    if (isSessionIdTagged) {
      let tag: number;
      try {
        tag = ChannelUri.getTag(sessionIdParam);
      } catch (e) {
        throw invalidChannel(`${SESSION_ID_PARAM_NAME}=${sessionIdParam} has an invalid tag: channel=${channelUri}`, e);
      }
      const publication = conductor.findIpcPublicationByTag(tag);
      if (publication === null) {
        throw invalidChannel(
          `${SESSION_ID_PARAM_NAME}=${sessionIdParam} must reference an IPC publication: channel=${channelUri}`,
        );
      }
      sessionId = publication.sessionId;
      mtuLength = publication.mtuLength;
      termLength = publication.termLength;
    } else {
      sessionId = parseIntParam(sessionIdParam, SESSION_ID_PARAM_NAME);
    }
  } else {
    sessionId = conductor.nextAvailableSessionId(streamId);
  }

  const termLengthParam = channelUri.get(TERM_LENGTH_PARAM_NAME);
  if (termLengthParam !== undefined) {
    const explicit = parseSizeParam(TERM_LENGTH_PARAM_NAME, termLengthParam);
    try {
      checkTermLength(explicit);
    } catch (e) {
      throw javaError(ILLEGAL_STATE_EXCEPTION, (e as Error).message, e);
    }
    if (isSessionIdTagged && explicit !== termLength) {
      throw invalidChannel(
        `${TERM_LENGTH_PARAM_NAME}=${explicit} does not match session-id tag value: channel=${channelUri}`,
      );
    }
    termLength = explicit;
  }

  const mtuParam = channelUri.get(MTU_LENGTH_PARAM_NAME);
  if (mtuParam !== undefined) {
    const explicit = parseSizeParam(MTU_LENGTH_PARAM_NAME, mtuParam);
    const problem = mtuLengthProblem(explicit);
    if (problem !== null) throw javaError(CONFIGURATION_EXCEPTION, `ERROR - ${problem}`);
    if (isSessionIdTagged && explicit !== mtuLength) {
      throw invalidChannel(
        `${MTU_LENGTH_PARAM_NAME}=${explicit} does not match session-id tag value: channel=${channelUri}`,
      );
    }
    mtuLength = explicit;
  }
  const maxMessageLength = computeMaxMessageLength(termLength);
  if (mtuLength > maxMessageLength) {
    throw invalidChannel(
      `MTU greater than max message length for term length: mtu=${mtuLength} maxMessageLength=${maxMessageLength} termLength=${termLength} channel=${channelUri}`,
    );
  }

  let publicationWindowLength: number;
  const windowParam = channelUri.get(PUBLICATION_WINDOW_LENGTH_PARAM_NAME);
  if (windowParam !== undefined) {
    const window = parseSizeParam(PUBLICATION_WINDOW_LENGTH_PARAM_NAME, windowParam);
    if (window < mtuLength) {
      throw invalidChannel(
        `${PUBLICATION_WINDOW_LENGTH_PARAM_NAME}=${window} cannot be less than the ${MTU_LENGTH_PARAM_NAME}=${mtuLength}`,
      );
    }
    if (window > termLength >> 1) {
      throw invalidChannel(
        `${PUBLICATION_WINDOW_LENGTH_PARAM_NAME}=${window} must not exceed half the ${TERM_LENGTH_PARAM_NAME}=${termLength}`,
      );
    }
    publicationWindowLength = window;
  } else {
    publicationWindowLength = producerWindowLength(
      termLength,
      isIpc ? ctx.ipcPublicationTermWindowLength : ctx.publicationTermWindowLength,
    );
  }

  const lingerParam = channelUri.get(LINGER_PARAM_NAME);
  const lingerTimeoutNs =
    lingerParam !== undefined ? parseDurationParam(LINGER_PARAM_NAME, lingerParam) : ctx.publicationLingerTimeoutNs;
  const eos = channelUri.get(EOS_PARAM_NAME);
  const sparse = channelUri.get(SPARSE_PARAM_NAME);
  const ssc = channelUri.get(SPIES_SIMULATE_CONNECTION_PARAM_NAME);
  const untetheredWindowLimitTimeoutNs = timeoutParam(
    channelUri,
    UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME,
    ctx.untetheredWindowLimitTimeoutNs,
  );
  let untetheredLingerTimeoutNs = timeoutParam(
    channelUri,
    UNTETHERED_LINGER_TIMEOUT_PARAM_NAME,
    ctx.untetheredLingerTimeoutNs,
  );
  if (untetheredLingerTimeoutNs === -1) untetheredLingerTimeoutNs = untetheredWindowLimitTimeoutNs;
  const untetheredRestingTimeoutNs = timeoutParam(
    channelUri,
    UNTETHERED_RESTING_TIMEOUT_PARAM_NAME,
    ctx.untetheredRestingTimeoutNs,
  );
  let maxResend = MAX_RESEND_DEFAULT;
  const maxResendParam = channelUri.get(MAX_RESEND_PARAM_NAME);
  if (maxResendParam !== undefined) {
    maxResend = parseIntParam(maxResendParam, MAX_RESEND_PARAM_NAME);
    if (maxResend <= 0 || maxResend > MAX_RESEND_MAX) {
      throw invalidChannel(`invalid ${MAX_RESEND_PARAM_NAME}=${maxResend}, must be > 0 and <= ${MAX_RESEND_MAX}`);
    }
  }

  const initialTermIdParam = channelUri.get(INITIAL_TERM_ID_PARAM_NAME);
  const termIdParam = channelUri.get(TERM_ID_PARAM_NAME);
  const termOffsetParam = channelUri.get(TERM_OFFSET_PARAM_NAME);
  const count = [initialTermIdParam, termIdParam, termOffsetParam].filter((p) => p !== undefined).length;
  let initialTermId: number;
  let termId: number;
  let termOffset: number;
  let hasPosition = false;
  if (count > 0) {
    if (count < 3) {
      throw invalidChannel(
        `params must be used as a complete set: ${INITIAL_TERM_ID_PARAM_NAME} ${TERM_ID_PARAM_NAME} ${TERM_OFFSET_PARAM_NAME} channel=${channelUri}`,
      );
    }
    initialTermId = parseIntParam(initialTermIdParam!, INITIAL_TERM_ID_PARAM_NAME);
    termId = parseIntParam(termIdParam!, TERM_ID_PARAM_NAME);
    termOffset = parseIntParam(termOffsetParam!, TERM_OFFSET_PARAM_NAME);
    if (termOffset > termLength) {
      throw invalidChannel(
        `${TERM_OFFSET_PARAM_NAME}=${termOffset} > ${TERM_LENGTH_PARAM_NAME}=${termLength}: channel=${channelUri}`,
      );
    }
    if (termOffset < 0 || termOffset > TERM_MAX_LENGTH) {
      throw invalidChannel(`${TERM_OFFSET_PARAM_NAME}=${termOffset} out of range: channel=${channelUri}`);
    }
    if ((termOffset & (FRAME_ALIGNMENT - 1)) !== 0) {
      throw invalidChannel(
        `${TERM_OFFSET_PARAM_NAME}=${termOffset} must be a multiple of FRAME_ALIGNMENT: channel=${channelUri}`,
      );
    }
    if (((termId - initialTermId) | 0) < 0) {
      throw invalidChannel(
        `difference greater than 2^31 - 1: ${INITIAL_TERM_ID_PARAM_NAME}=${initialTermId} when ${TERM_ID_PARAM_NAME}=${termId} channel=${channelUri}`,
      );
    }
    hasPosition = true;
  } else {
    initialTermId = generateRandomisedId();
    termId = initialTermId;
    termOffset = 0;
  }

  return {
    lingerTimeoutNs,
    entityTag,
    untetheredWindowLimitTimeoutNs,
    untetheredLingerTimeoutNs,
    untetheredRestingTimeoutNs,
    responseCorrelationId: parseResponseCorrelationId(channelUri),
    termLength,
    mtuLength,
    publicationWindowLength,
    initialTermId,
    termId,
    termOffset,
    sessionId,
    streamId,
    maxResend,
    hasPosition,
    isSessionIdTagged,
    signalEos: eos === undefined || eos === 'true',
    isSparse: sparse !== undefined ? sparse === 'true' : ctx.termBufferSparseFile,
    spiesSimulateConnection: ssc !== undefined ? ssc === 'true' : ctx.spiesSimulateConnection,
    isResponse: channelUri.get(MDC_CONTROL_MODE_PARAM_NAME) === CONTROL_MODE_RESPONSE,
  };
}

/**
 * Java `PublicationParams.parseResponseCorrelationId`: -1 when absent, `prototype` as
 * {@link PROTOTYPE_VALUE_CORRELATION_ID}, else an int64 >= -1; otherwise INVALID_CHANNEL with Java's text.
 */
function parseResponseCorrelationId(channelUri: ChannelUri): number {
  const value = channelUri.get(RESPONSE_CORRELATION_ID_PARAM_NAME);
  if (value === undefined) return -1;
  if (value === PROTOTYPE_CORRELATION_ID) return PROTOTYPE_VALUE_CORRELATION_ID;
  if (/^[+-]?\d+$/.test(value)) {
    const parsed = BigInt(value);
    if (parsed >= -1n && parsed <= INT64_MAX) return Number(parsed);
  }
  throw invalidChannel(
    `invalid ${RESPONSE_CORRELATION_ID_PARAM_NAME}, must be a number greater than or equal to -1, or '${PROTOTYPE_CORRELATION_ID}'`,
  );
}

/** Java `Long.MAX_VALUE`. */
const INT64_MAX = 0x7fff_ffff_ffff_ffffn;

/** What `confirmMatch` compares of an existing publication. */
export interface ExistingPublication {
  /** Its MTU. */
  readonly mtuLength: number;
  /** Its term length. */
  readonly termLength: number;
  /** Its session id. */
  readonly sessionId: number;
  /** Its channel as first added. */
  readonly channel: string;
  /** Its initial term id. */
  readonly initialTermId: number;
  /** The term id it started in. */
  readonly startingTermId: number;
  /** The offset it started at. */
  readonly startingTermOffset: number;
}

/**
 * The position a publication starts at when its channel gave `init-term-id`, `term-id` and `term-offset`
 * (`params.hasPosition`), which its publisher and sender counters start from (Java `DriverConductor`'s
 * `computePosition(termId, termOffset, positionBitsToShift(termLength), initialTermId)`).
 */
export function initialPosition(params: PublicationParams): number {
  return computePosition(
    params.termId,
    params.termOffset,
    positionBitsToShift(params.termLength),
    params.initialTermId,
  );
}

/**
 * Java `PublicationParams.confirmMatch`: a shared publication added again must agree on every parameter the new
 * channel names; otherwise `ControlProtocolError` GENERIC_ERROR as `java.lang.IllegalStateException : <message>`
 * (what Java's adapter answers for the `IllegalStateException` it throws).
 */
export function confirmMatch(channelUri: ChannelUri, params: PublicationParams, existing: ExistingPublication): void {
  const check = (name: string, existingValue: number, requested: number): void => {
    if (channelUri.containsKey(name) && existingValue !== requested) {
      throw javaError(
        ILLEGAL_STATE_EXCEPTION,
        `existing publication has different '${name}': existing=${existingValue} requested=${requested} existingChannel=${existing.channel} channel=${channelUri}`,
      );
    }
  };
  check(MTU_LENGTH_PARAM_NAME, existing.mtuLength, params.mtuLength);
  check(TERM_LENGTH_PARAM_NAME, existing.termLength, params.termLength);
  check(SESSION_ID_PARAM_NAME, existing.sessionId, params.sessionId);
  check(INITIAL_TERM_ID_PARAM_NAME, existing.initialTermId, params.initialTermId);
  check(TERM_ID_PARAM_NAME, existing.startingTermId, params.termId);
  check(TERM_OFFSET_PARAM_NAME, existing.startingTermOffset, params.termOffset);
}

/** A random int32 (Agrona `BitUtil.generateRandomisedId`). */
export function generateRandomisedId(): number {
  return randomInt(-0x80000000, 0x80000000) | 0;
}

/** Java's class of `LogBufferDescriptor.checkTermLength` and `confirmMatch` refusals. */
const ILLEGAL_STATE_EXCEPTION = 'java.lang.IllegalStateException';
/** Java's class of `Configuration.validateMtuLength` refusals (its message starts `ERROR - `). */
const CONFIGURATION_EXCEPTION = 'io.aeron.exceptions.ConfigurationException';
/** Java's class of `SystemUtil.parseSize` / `parseDuration` refusals. */
const NUMBER_FORMAT_EXCEPTION = 'java.lang.NumberFormatException';

/** A refusal Java's driver makes with an exception other than `ControlProtocolException`: GENERIC_ERROR. */
function javaError(javaExceptionClass: string, message: string, cause?: unknown): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, message, { cause, javaExceptionClass });
}

function invalidChannel(message: string, cause?: unknown): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, message, cause === undefined ? undefined : { cause });
}

function parseIntParam(value: string, name: string): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw invalidChannel(`invalid ${name}, must be a number`);
  }
  return n;
}

function parseLongParam(value: string, message: string): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw invalidChannel(message);
  return Number(value);
}

function parseSizeParam(name: string, value: string): number {
  try {
    return parseSize(name, value);
  } catch (e) {
    throw javaError(NUMBER_FORMAT_EXCEPTION, (e as Error).message, e);
  }
}

function parseDurationParam(name: string, value: string): number {
  try {
    return parseDuration(name, value);
  } catch (e) {
    throw javaError(NUMBER_FORMAT_EXCEPTION, (e as Error).message, e);
  }
}

function timeoutParam(channelUri: ChannelUri, name: string, defaultValue: number): number {
  const value = channelUri.get(name);
  return value !== undefined ? parseDurationParam(name, value) : defaultValue;
}
