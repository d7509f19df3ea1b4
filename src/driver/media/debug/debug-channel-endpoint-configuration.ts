/**
 * The fault injection the channel endpoints apply, read from properties: Java's debug loss properties (Java:
 * `io.aeron.driver.ext.DebugChannelEndpointConfiguration`, read by its `DebugSendChannelEndpoint` /
 * `DebugReceiveChannelEndpoint`) and aeron-ts's own duplicate and reorder rates.
 *
 * ```
 *  property                                   default  generator          applies to (frame types)
 *  aeron.debug.send.data.loss.rate / .seed    0 / -1   sendData           every datagram a send endpoint sends
 *  aeron.debug.send.control.loss.rate / .seed 0 / -1   sendControl        SM, NAK, RTTM a send endpoint receives
 *  aeron.debug.receive.data.loss.rate / .seed 0 / -1   receiveData        DATA, PAD, SETUP, RTTM a receive endpoint receives
 *  aeron.debug.receive.control.loss.rate / .seed 0/-1  receiveControl     every datagram a receive endpoint sends
 *  aeron.ts.debug.send.duplicate.rate         0        sendData           (same as its loss, same seed)
 *  aeron.ts.debug.send.reorder.rate           0        sendData
 *  aeron.ts.debug.receive.duplicate.rate      0        receiveData
 *  aeron.ts.debug.receive.reorder.rate        0        receiveData
 * ```
 *
 * A generator is null when all its rates are 0 (the endpoint then skips the call), as Java's supplier returns a
 * never-drop generator. Rates are Java doubles (`Double.parseDouble`); a seed that is not a Java `long` reads as
 * -1 (a random seed), as Java's `Long.getLong`.
 */
import {
  HDR_TYPE_DATA,
  HDR_TYPE_NAK,
  HDR_TYPE_PAD,
  HDR_TYPE_RTTM,
  HDR_TYPE_SETUP,
  HDR_TYPE_SM,
} from '../../../logbuffer/data-header-flyweight.ts';
import { MediaDriverError } from '../../driver-error.ts';
import { FrameFaultGenerator } from './frame-fault-generator.ts';

/** Java: `DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_RATE_PROP_NAME`. */
export const RECEIVE_DATA_LOSS_RATE_PROP_NAME = 'aeron.debug.receive.data.loss.rate';
/** Java: `DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_SEED_PROP_NAME`. */
export const RECEIVE_DATA_LOSS_SEED_PROP_NAME = 'aeron.debug.receive.data.loss.seed';
/** Java: `DebugChannelEndpointConfiguration.RECEIVE_CONTROL_LOSS_RATE_PROP_NAME`. */
export const RECEIVE_CONTROL_LOSS_RATE_PROP_NAME = 'aeron.debug.receive.control.loss.rate';
/** Java: `DebugChannelEndpointConfiguration.RECEIVE_CONTROL_LOSS_SEED_PROP_NAME`. */
export const RECEIVE_CONTROL_LOSS_SEED_PROP_NAME = 'aeron.debug.receive.control.loss.seed';
/** Java: `DebugChannelEndpointConfiguration.SEND_DATA_LOSS_RATE_PROP_NAME`. */
export const SEND_DATA_LOSS_RATE_PROP_NAME = 'aeron.debug.send.data.loss.rate';
/** Java: `DebugChannelEndpointConfiguration.SEND_DATA_LOSS_SEED_PROP_NAME`. */
export const SEND_DATA_LOSS_SEED_PROP_NAME = 'aeron.debug.send.data.loss.seed';
/** Java: `DebugChannelEndpointConfiguration.SEND_CONTROL_LOSS_RATE_PROP_NAME`. */
export const SEND_CONTROL_LOSS_RATE_PROP_NAME = 'aeron.debug.send.control.loss.rate';
/** Java: `DebugChannelEndpointConfiguration.SEND_CONTROL_LOSS_SEED_PROP_NAME`. */
export const SEND_CONTROL_LOSS_SEED_PROP_NAME = 'aeron.debug.send.control.loss.seed';
/** aeron-ts: fraction of sent datagrams sent twice. */
export const SEND_DUPLICATE_RATE_PROP_NAME = 'aeron.ts.debug.send.duplicate.rate';
/** aeron-ts: fraction of sent datagrams sent after the next one. */
export const SEND_REORDER_RATE_PROP_NAME = 'aeron.ts.debug.send.reorder.rate';
/** aeron-ts: fraction of received data datagrams handled twice. */
export const RECEIVE_DUPLICATE_RATE_PROP_NAME = 'aeron.ts.debug.receive.duplicate.rate';
/** aeron-ts: fraction of received data datagrams handled after the next one. */
export const RECEIVE_REORDER_RATE_PROP_NAME = 'aeron.ts.debug.receive.reorder.rate';

/** Every property name read here. */
export const DEBUG_FAULT_PROPERTY_NAMES: readonly string[] = [
  RECEIVE_DATA_LOSS_RATE_PROP_NAME,
  RECEIVE_DATA_LOSS_SEED_PROP_NAME,
  RECEIVE_CONTROL_LOSS_RATE_PROP_NAME,
  RECEIVE_CONTROL_LOSS_SEED_PROP_NAME,
  SEND_DATA_LOSS_RATE_PROP_NAME,
  SEND_DATA_LOSS_SEED_PROP_NAME,
  SEND_CONTROL_LOSS_RATE_PROP_NAME,
  SEND_CONTROL_LOSS_SEED_PROP_NAME,
  SEND_DUPLICATE_RATE_PROP_NAME,
  SEND_REORDER_RATE_PROP_NAME,
  RECEIVE_DUPLICATE_RATE_PROP_NAME,
  RECEIVE_REORDER_RATE_PROP_NAME,
];

/** Frame types the sender's control generator applies to (Java's debug endpoint: onStatusMessage/onNak/onRtt). */
export const SEND_CONTROL_FRAME_TYPES: readonly number[] = [HDR_TYPE_SM, HDR_TYPE_NAK, HDR_TYPE_RTTM];
/** Frame types the receiver's data generator applies to (Java's debug endpoint: onDataPacket/onSetup/onRtt). */
export const RECEIVE_DATA_FRAME_TYPES: readonly number[] = [HDR_TYPE_DATA, HDR_TYPE_PAD, HDR_TYPE_SETUP, HDR_TYPE_RTTM];

/** The four generators, each null when its rates are all 0. */
export interface DebugChannelEndpointConfiguration {
  /** For every datagram a send channel endpoint sends. */
  readonly sendData: FrameFaultGenerator | null;
  /** For the SM, NAK and RTTM frames a send channel endpoint receives. */
  readonly sendControl: FrameFaultGenerator | null;
  /** For the DATA, PAD, SETUP and RTTM frames a receive channel endpoint receives. */
  readonly receiveData: FrameFaultGenerator | null;
  /** For every datagram a receive channel endpoint sends. */
  readonly receiveControl: FrameFaultGenerator | null;
}

/** A property set: `aeron.*` names to string values (properties files, `-D` arguments, the environment's form). */
export type DebugProperties = Readonly<Record<string, string | undefined>>;

/** Java's `Double.parseDouble` for a rate (0 when absent); MediaDriverError INVALID_CONFIGURATION when not a number. */
function rate(properties: DebugProperties, name: string): number {
  const text = properties[name]?.trim();
  if (text === undefined || text === '') return 0;
  const value = Number(text.replace(/[dDfF]$/, ''));
  if (Number.isNaN(value)) throw new MediaDriverError('INVALID_CONFIGURATION', `${name}=${text} is not a number`);
  return value;
}

/** Java's `Long.getLong(name, -1)`: a decimal long, else -1. */
function seed(properties: DebugProperties, name: string): bigint {
  const text = properties[name];
  if (text === undefined || !/^[+-]?[0-9]+$/.test(text)) return -1n;
  const value = BigInt(text);
  return value === BigInt.asIntN(64, value) ? value : -1n;
}

/**
 * The generator for these rates, or null when all are 0. Java: `DebugChannelEndpointConfiguration
 * .lossGeneratorSupplier(rate, seed)` (which returns a never-drop generator for rate 0).
 */
export function faultGeneratorSupplier(
  dropRate: number,
  lossSeed: number | bigint,
  frameTypes: readonly number[] | null,
  duplicateRate = 0,
  delayRate = 0,
): FrameFaultGenerator | null {
  if (dropRate === 0 && duplicateRate === 0 && delayRate === 0) return null;
  return new FrameFaultGenerator({ dropRate, duplicateRate, delayRate, seed: lossSeed, frameTypes });
}

/**
 * The four generators from `properties` (see the module comment).
 * @throws MediaDriverError INVALID_CONFIGURATION for a rate that is not a number or outside 0-1.
 */
export function debugChannelEndpointConfiguration(properties: DebugProperties): DebugChannelEndpointConfiguration {
  return {
    sendData: faultGeneratorSupplier(
      rate(properties, SEND_DATA_LOSS_RATE_PROP_NAME),
      seed(properties, SEND_DATA_LOSS_SEED_PROP_NAME),
      null,
      rate(properties, SEND_DUPLICATE_RATE_PROP_NAME),
      rate(properties, SEND_REORDER_RATE_PROP_NAME),
    ),
    sendControl: faultGeneratorSupplier(
      rate(properties, SEND_CONTROL_LOSS_RATE_PROP_NAME),
      seed(properties, SEND_CONTROL_LOSS_SEED_PROP_NAME),
      SEND_CONTROL_FRAME_TYPES,
    ),
    receiveData: faultGeneratorSupplier(
      rate(properties, RECEIVE_DATA_LOSS_RATE_PROP_NAME),
      seed(properties, RECEIVE_DATA_LOSS_SEED_PROP_NAME),
      RECEIVE_DATA_FRAME_TYPES,
      rate(properties, RECEIVE_DUPLICATE_RATE_PROP_NAME),
      rate(properties, RECEIVE_REORDER_RATE_PROP_NAME),
    ),
    receiveControl: faultGeneratorSupplier(
      rate(properties, RECEIVE_CONTROL_LOSS_RATE_PROP_NAME),
      seed(properties, RECEIVE_CONTROL_LOSS_SEED_PROP_NAME),
      null,
    ),
  };
}
