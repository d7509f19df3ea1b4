/**
 * The media driver's options from Aeron's Java property names (`aeron.dir`, `aeron.term.buffer.length`, ...)
 * and their `AERON_*` environment form, with the value syntax of Java's `MediaDriver.Context` (sizes `64k`,
 * `16m`, `1g`; durations `500us`, `10ms`, `5s`, plain numbers in ns: `system-util.ts`).
 *
 * ```
 *  sources, lowest first:  AERON_* environment variables   aeron.x.y -> AERON_X_Y (the C driver's names)
 *                          then each given property set, in order (the CLI: properties files and -D
 *                          arguments in command-line order), a later value replacing an earlier one
 *  known names:            the table below, one row per option; the test-only fault injection properties
 *                          (aeron.debug.{send,receive}.{data,control}.loss.{rate,seed},
 *                          aeron.ts.debug.{send,receive}.{duplicate,reorder}.rate) go to `debugFaultProperties`
 *  other aeron.* names:    ignored, as Java ignores system properties it does not read (reported in `ignored`)
 *  a bad value:            MediaDriverError INVALID_CONFIGURATION naming the property
 * ```
 *
 * The order is aeronmd's: each properties file and `-Dname=value` argument is applied in turn over the
 * environment (`aeron_properties_setenv`). Java's `MediaDriver.main` loads its properties files over the
 * JVM's `-D` system properties (`SystemUtil.loadPropertiesFiles`, `PropertyAction.REPLACE`), which is the
 * same rule when the `-D` flags are read as coming first.
 */

import { MediaDriverError } from './driver-error.ts';
import { DEBUG_FAULT_PROPERTY_NAMES } from './media/debug/debug-channel-endpoint-configuration.ts';
import type { MediaDriverOptions } from './media-driver-context.ts';
import { THREADING_MODES, type ThreadingMode } from './media-driver-context.ts';
import { parseBoolean, parseDuration, parseLong, parseSize } from './system-util.ts';

/** How a property's value is read. */
type ValueKind = 'string' | 'boolean' | 'size' | 'duration' | 'long' | 'int' | 'threadingMode';

/** One known property: its Java name, the option it sets and how its value is read. */
export interface DriverProperty {
  /** Aeron's Java property name. */
  readonly name: string;
  /** The `MediaDriverOptions` field. */
  readonly option: keyof MediaDriverOptions;
  /** Value syntax: Java's reader for that property (`getSizeAsInt`, `getDurationInNanos`, ...). */
  readonly kind: ValueKind;
}

/** Every Aeron property this driver reads (Aeron 1.51.0 `Configuration` / `CommonContext` names and readers). */
export const DRIVER_PROPERTIES: readonly DriverProperty[] = [
  { name: 'aeron.dir', option: 'aeronDir', kind: 'string' },
  { name: 'aeron.dir.delete.on.start', option: 'dirDeleteOnStart', kind: 'boolean' },
  { name: 'aeron.dir.delete.on.shutdown', option: 'dirDeleteOnShutdown', kind: 'boolean' },
  { name: 'aeron.driver.timeout', option: 'driverTimeoutMs', kind: 'long' },
  { name: 'aeron.client.liveness.timeout', option: 'clientLivenessTimeoutNs', kind: 'duration' },
  { name: 'aeron.publication.unblock.timeout', option: 'publicationUnblockTimeoutNs', kind: 'duration' },
  { name: 'aeron.image.liveness.timeout', option: 'imageLivenessTimeoutNs', kind: 'duration' },
  { name: 'aeron.timer.interval', option: 'timerIntervalNs', kind: 'duration' },
  { name: 'aeron.counters.free.to.reuse.timeout', option: 'counterFreeToReuseTimeoutNs', kind: 'duration' },
  { name: 'aeron.conductor.buffer.length', option: 'conductorBufferLength', kind: 'size' },
  { name: 'aeron.clients.buffer.length', option: 'toClientsBufferLength', kind: 'size' },
  { name: 'aeron.counters.buffer.length', option: 'counterValuesBufferLength', kind: 'size' },
  { name: 'aeron.error.buffer.length', option: 'errorBufferLength', kind: 'size' },
  { name: 'aeron.loss.report.buffer.length', option: 'lossReportBufferLength', kind: 'size' },
  { name: 'aeron.file.page.size', option: 'filePageSize', kind: 'size' },
  { name: 'aeron.driver.conductor.cycle.threshold', option: 'conductorCycleThresholdNs', kind: 'duration' },
  { name: 'aeron.threading.mode', option: 'threadingMode', kind: 'threadingMode' },
  { name: 'aeron.ipc.term.buffer.length', option: 'ipcTermBufferLength', kind: 'size' },
  { name: 'aeron.term.buffer.length', option: 'publicationTermBufferLength', kind: 'size' },
  { name: 'aeron.ipc.mtu.length', option: 'ipcMtuLength', kind: 'size' },
  { name: 'aeron.mtu.length', option: 'mtuLength', kind: 'size' },
  { name: 'aeron.ipc.publication.term.window.length', option: 'ipcPublicationTermWindowLength', kind: 'size' },
  { name: 'aeron.publication.term.window.length', option: 'publicationTermWindowLength', kind: 'size' },
  { name: 'aeron.publication.linger.timeout', option: 'publicationLingerTimeoutNs', kind: 'duration' },
  { name: 'aeron.publication.reserved.session.id.low', option: 'publicationReservedSessionIdLow', kind: 'int' },
  { name: 'aeron.publication.reserved.session.id.high', option: 'publicationReservedSessionIdHigh', kind: 'int' },
  { name: 'aeron.term.buffer.sparse.file', option: 'termBufferSparseFile', kind: 'boolean' },
  { name: 'aeron.spies.simulate.connection', option: 'spiesSimulateConnection', kind: 'boolean' },
  { name: 'aeron.tether.subscriptions', option: 'tetherSubscriptions', kind: 'boolean' },
  { name: 'aeron.rejoin.stream', option: 'rejoinStream', kind: 'boolean' },
  { name: 'aeron.untethered.window.limit.timeout', option: 'untetheredWindowLimitTimeoutNs', kind: 'duration' },
  { name: 'aeron.untethered.resting.timeout', option: 'untetheredRestingTimeoutNs', kind: 'duration' },
  { name: 'aeron.untethered.linger.timeout', option: 'untetheredLingerTimeoutNs', kind: 'duration' },
  { name: 'aeron.socket.so_sndbuf', option: 'socketSndbufLength', kind: 'size' },
  { name: 'aeron.socket.so_rcvbuf', option: 'socketRcvbufLength', kind: 'size' },
  { name: 'aeron.rcv.initial.window.length', option: 'initialWindowLength', kind: 'size' },
  { name: 'aeron.rcv.status.message.timeout', option: 'statusMessageTimeoutNs', kind: 'duration' },
  { name: 'aeron.send.to.status.poll.ratio', option: 'sendToStatusMessagePollRatio', kind: 'int' },
  { name: 'aeron.publication.connection.timeout', option: 'publicationConnectionTimeoutNs', kind: 'duration' },
  { name: 'aeron.retransmit.unicast.delay', option: 'retransmitUnicastDelayNs', kind: 'duration' },
  { name: 'aeron.retransmit.unicast.linger', option: 'retransmitUnicastLingerNs', kind: 'duration' },
  { name: 'aeron.nak.unicast.delay', option: 'nakUnicastDelayNs', kind: 'duration' },
  { name: 'aeron.nak.unicast.retry.delay.ratio', option: 'nakUnicastRetryDelayRatio', kind: 'long' },
  { name: 'aeron.nak.multicast.max.backoff', option: 'nakMulticastMaxBackoffNs', kind: 'duration' },
  { name: 'aeron.nak.multicast.group.size', option: 'nakMulticastGroupSize', kind: 'int' },
  { name: 'aeron.socket.multicast.ttl', option: 'multicastTtl', kind: 'int' },
  { name: 'aeron.driver.reresolution.check.interval', option: 'reResolutionCheckIntervalNs', kind: 'duration' },
];

const BY_NAME: ReadonlyMap<string, DriverProperty> = new Map(DRIVER_PROPERTIES.map((p) => [p.name, p]));

/** Options read from properties, and the `aeron.*` names given that this driver does not read. */
export interface DriverPropertiesResult {
  /** The options the known properties set. */
  readonly options: Partial<MediaDriverOptions>;
  /** `aeron.*` names that were given but are not in `DRIVER_PROPERTIES` (ignored, as Java ignores them). */
  readonly ignored: readonly string[];
}

/** `aeron.x.y` → `AERON_X_Y`, the environment name of a property (the C driver's `aeron_properties_setenv`). */
export function propertyEnvName(name: string): string {
  return name.toUpperCase().replaceAll('.', '_');
}

/** The known properties set in `env` as `AERON_*` variables, by property name. */
export function propertiesFromEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return environmentProperties([...DRIVER_PROPERTIES.map((p) => p.name), ...DEBUG_FAULT_PROPERTY_NAMES], env);
}

/** The properties among `names` that `env` sets in Aeron's `AERON_*` form (`propertyEnvName`), by property name. */
export function environmentProperties(
  names: Iterable<string>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const name of names) {
    const value = env[propertyEnvName(name)];
    if (value !== undefined) properties[name] = value;
  }
  return properties;
}

/**
 * Options from property sets applied in order over the environment (see the module comment). Throws
 * `MediaDriverError` INVALID_CONFIGURATION for a value the property's syntax refuses.
 */
export function mediaDriverOptionsFromProperties(
  sets: readonly Readonly<Record<string, string>>[],
  env: Readonly<Record<string, string | undefined>> = {},
): DriverPropertiesResult {
  const merged: Record<string, string> = propertiesFromEnvironment(env);
  for (const set of sets) Object.assign(merged, set);
  const options: Record<string, unknown> = {};
  const ignored: string[] = [];
  const debugFaultProperties: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) {
    if (DEBUG_FAULT_PROPERTY_NAMES.includes(name)) {
      debugFaultProperties[name] = value;
      options.debugFaultProperties = debugFaultProperties;
      continue;
    }
    const property = BY_NAME.get(name);
    if (property === undefined) {
      if (name.startsWith('aeron.')) ignored.push(name);
      continue;
    }
    options[property.option] = readValue(property, value);
  }
  return { options: options as Partial<MediaDriverOptions>, ignored };
}

function readValue(property: DriverProperty, value: string): string | number | boolean {
  const { name } = property;
  switch (property.kind) {
    case 'string':
      if (value.trim() === '') throw invalid(name, value, 'must be non-empty');
      return value.trim();
    case 'boolean':
      return parseBoolean(name, value);
    case 'size':
      return parseSize(name, value);
    case 'duration':
      return parseDuration(name, value);
    case 'long':
      return parseLong(name, value);
    case 'int':
      return parseInt32(name, value);
    case 'threadingMode':
      return parseThreadingMode(name, value);
  }
}

function parseInt32(name: string, value: string): number {
  const text = value.trim();
  const n = Number(text);
  if (!/^[-+]?[0-9]+$/.test(text) || n < -0x80000000 || n > 0x7fffffff) {
    throw invalid(name, value, 'is not a 32-bit integer');
  }
  return n;
}

function parseThreadingMode(name: string, value: string): ThreadingMode {
  const mode = value.trim().toUpperCase();
  const known = THREADING_MODES.find((m) => m === mode);
  if (known === undefined) {
    throw invalid(name, value, `is not supported by this driver (one of ${THREADING_MODES.join(', ')})`);
  }
  return known;
}

function invalid(name: string, value: string, why: string): MediaDriverError {
  return new MediaDriverError('INVALID_CONFIGURATION', `${name}=${value} ${why}`);
}
