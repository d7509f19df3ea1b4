/**
 * The archive server's options from Aeron's Java property names (`aeron.archive.dir`,
 * `aeron.archive.segment.file.length`, ...) and their `AERON_ARCHIVE_*` environment form, with the value syntax of
 * Java's `Archive.Context` (sizes `64k`, `16m`, `1g`; durations `500us`, `10ms`, `5s`, plain numbers in ns), read
 * by the same helpers as the media driver's (`src/driver/system-util.ts`).
 *
 * ```
 *  sources, lowest first:  AERON_DIR and AERON_ARCHIVE_* environment variables (aeron.x.y -> AERON_X_Y)
 *                          then each given property set, in order (the CLI: properties files and -D arguments in
 *                          command-line order), a later value replacing an earlier one
 *  known names:            the table below, one row per option, and aeron.archive.control.channel.enabled
 *                          (false: no remote control channel, as Java)
 *  security suppliers:     aeron.archive.authorisation.service.supplier ALLOW_ALL / DENY_ALL (Java's names; empty:
 *                          the default, allow all) and aeron.archive.authenticator.supplier
 *                          io.aeron.security.DefaultAuthenticatorSupplier (Java's default: no authentication);
 *                          any other value names a Java class, which Java loads and this archive cannot: refused
 *                          (INVALID_OPTION), never ignored (the `authenticator` / `authorisationService` options
 *                          take them in code)
 *  other aeron.* names:    ignored, as Java ignores system properties it does not read (reported in `ignored`)
 *  a bad value:            ArchiveServerError INVALID_OPTION naming the property, in the driver's words
 * ```
 *
 * Durations Java keeps in ns and `ArchiveServerOptions` keeps in ms (the connect timeout and the liveness
 * interval) are converted, rounded up to a whole ms.
 */

import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { environmentProperties } from '../driver/media-driver-properties.ts';
import { parseBoolean, parseDuration, parseLong, parseSize } from '../driver/system-util.ts';
import type { ArchiveServerOptions } from './archive-options.ts';
import { ArchiveServerError } from './archive-server-error.ts';
import type { AuthorisationService } from './authenticator.ts';

/** How a property's value is read: Java's reader for it (`durationMs`: a duration kept in ms by the option). */
export type ArchiveValueKind = 'string' | 'boolean' | 'size' | 'durationNs' | 'durationMs' | 'long' | 'int';

/** One known property: its Java name, the option it sets and how its value is read. */
export interface ArchiveProperty {
  /** Aeron's Java property name. */
  readonly name: string;
  /** The `ArchiveServerOptions` field. */
  readonly option: keyof ArchiveServerOptions;
  /** Value syntax: Java's reader for that property (`getSizeAsInt`, `getDurationInNanos`, ...). */
  readonly kind: ArchiveValueKind;
}

/** `aeron.archive.control.channel.enabled`: `false` leaves the archive on its local control channel only. */
export const CONTROL_CHANNEL_ENABLED_PROPERTY = 'aeron.archive.control.channel.enabled';

/** `aeron.archive.authorisation.service.supplier` (Java `Archive.Configuration.authorisationServiceSupplier()`). */
export const AUTHORISATION_SERVICE_SUPPLIER_PROPERTY = 'aeron.archive.authorisation.service.supplier';

/** `aeron.archive.authenticator.supplier` (Java `Archive.Configuration.authenticatorSupplier()`). */
export const AUTHENTICATOR_SUPPLIER_PROPERTY = 'aeron.archive.authenticator.supplier';

/** Java's `AUTHENTICATOR_SUPPLIER_DEFAULT`: sessions are not authenticated. */
const DEFAULT_AUTHENTICATOR_SUPPLIER = 'io.aeron.security.DefaultAuthenticatorSupplier';

/** Java `AuthorisationService.ALLOW_ALL` / `DENY_ALL`, by their `ALLOW_ALL_NAME` / `DENY_ALL_NAME`. */
const AUTHORISATION_SERVICES: Readonly<Record<string, AuthorisationService>> = {
  ALLOW_ALL: { isAuthorised: () => true },
  DENY_ALL: { isAuthorised: () => false },
};

/** Every Aeron property this archive reads (Aeron 1.51.0 `Archive.Configuration` / `AeronArchive.Configuration`). */
export const ARCHIVE_PROPERTIES: readonly ArchiveProperty[] = [
  { name: 'aeron.dir', option: 'aeronDir', kind: 'string' },
  { name: 'aeron.archive.dir', option: 'archiveDir', kind: 'string' },
  { name: 'aeron.archive.mark.file.dir', option: 'markFileDir', kind: 'string' },
  { name: 'aeron.archive.control.channel', option: 'controlChannel', kind: 'string' },
  { name: 'aeron.archive.control.stream.id', option: 'controlStreamId', kind: 'int' },
  { name: 'aeron.archive.local.control.channel', option: 'localControlChannel', kind: 'string' },
  { name: 'aeron.archive.local.control.stream.id', option: 'localControlStreamId', kind: 'int' },
  { name: 'aeron.archive.control.term.buffer.length', option: 'controlTermBufferLength', kind: 'size' },
  { name: 'aeron.archive.control.mtu.length', option: 'controlMtuLength', kind: 'size' },
  { name: 'aeron.archive.control.term.buffer.sparse', option: 'controlTermBufferSparse', kind: 'boolean' },
  { name: 'aeron.archive.id', option: 'archiveId', kind: 'long' },
  { name: 'aeron.archive.segment.file.length', option: 'segmentFileLength', kind: 'size' },
  { name: 'aeron.archive.file.sync.level', option: 'fileSyncLevel', kind: 'int' },
  { name: 'aeron.archive.catalog.file.sync.level', option: 'catalogFileSyncLevel', kind: 'int' },
  { name: 'aeron.archive.catalog.capacity', option: 'catalogCapacity', kind: 'size' },
  { name: 'aeron.archive.connect.timeout', option: 'connectTimeoutMs', kind: 'durationMs' },
  {
    name: 'aeron.archive.session.liveness.check.interval',
    option: 'sessionLivenessCheckIntervalMs',
    kind: 'durationMs',
  },
  { name: 'aeron.archive.replay.linger.timeout', option: 'replayLingerTimeoutNs', kind: 'durationNs' },
  { name: 'aeron.archive.max.concurrent.recordings', option: 'maxConcurrentRecordings', kind: 'int' },
  { name: 'aeron.archive.max.concurrent.replays', option: 'maxConcurrentReplays', kind: 'int' },
  { name: 'aeron.archive.file.io.max.length', option: 'fileIoMaxLength', kind: 'size' },
  { name: 'aeron.archive.dir.delete.on.start', option: 'deleteArchiveOnStart', kind: 'boolean' },
  { name: 'aeron.archive.error.buffer.length', option: 'errorBufferLength', kind: 'size' },
  { name: 'aeron.archive.recording.events.enabled', option: 'recordingEventsEnabled', kind: 'boolean' },
  { name: 'aeron.archive.recording.events.channel', option: 'recordingEventsChannel', kind: 'string' },
  { name: 'aeron.archive.recording.events.stream.id', option: 'recordingEventsStreamId', kind: 'int' },
  { name: 'aeron.archive.low.storage.space.threshold', option: 'lowStorageSpaceThreshold', kind: 'size' },
  { name: 'aeron.archive.replication.channel', option: 'replicationChannel', kind: 'string' },
  { name: 'aeron.archive.control.response.channel', option: 'archiveClientControlResponseChannel', kind: 'string' },
  { name: 'aeron.archive.message.timeout', option: 'archiveClientMessageTimeoutMs', kind: 'durationMs' },
];

const BY_NAME: ReadonlyMap<string, ArchiveProperty> = new Map(ARCHIVE_PROPERTIES.map((p) => [p.name, p]));
const NS_PER_MS = 1_000_000;

/** Options read from properties, and the `aeron.*` names given that this archive does not read. */
export interface ArchivePropertiesResult {
  /** The options the known properties set. */
  readonly options: ArchiveServerOptions;
  /** `aeron.*` names that were given but are not read by this archive (ignored, as Java ignores them). */
  readonly ignored: readonly string[];
}

/** The known archive properties set in `env` (`AERON_DIR`, `AERON_ARCHIVE_*`), by property name. */
export function archivePropertiesFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return environmentProperties(
    [
      ...BY_NAME.keys(),
      CONTROL_CHANNEL_ENABLED_PROPERTY,
      AUTHORISATION_SERVICE_SUPPLIER_PROPERTY,
      AUTHENTICATOR_SUPPLIER_PROPERTY,
    ],
    env,
  );
}

/**
 * Options from property sets applied in order over the environment (module comment). Throws
 * `ArchiveServerError` INVALID_OPTION for a value the property's syntax refuses.
 */
export function archiveServerOptionsFromProperties(
  sets: readonly Readonly<Record<string, string>>[],
  env: Readonly<Record<string, string | undefined>> = {},
): ArchivePropertiesResult {
  const merged: Record<string, string> = archivePropertiesFromEnvironment(env);
  for (const set of sets) Object.assign(merged, set);
  const options: Record<string, unknown> = {};
  const ignored: string[] = [];
  let controlChannelEnabled = true;
  for (const [name, value] of Object.entries(merged)) {
    if (name === CONTROL_CHANNEL_ENABLED_PROPERTY) {
      controlChannelEnabled = read(() => parseBoolean(name, value));
      continue;
    }
    if (name === AUTHORISATION_SERVICE_SUPPLIER_PROPERTY) {
      const text = value.trim();
      if (text === '') continue;
      const service = AUTHORISATION_SERVICES[text];
      if (service === undefined) throw javaClassRefused(name, value, 'authorisationService', 'ALLOW_ALL, DENY_ALL');
      options.authorisationService = service;
      continue;
    }
    if (name === AUTHENTICATOR_SUPPLIER_PROPERTY) {
      if (value.trim() !== DEFAULT_AUTHENTICATOR_SUPPLIER) {
        throw javaClassRefused(name, value, 'authenticator', DEFAULT_AUTHENTICATOR_SUPPLIER);
      }
      continue;
    }
    const property = BY_NAME.get(name);
    if (property === undefined) {
      if (name.startsWith('aeron.')) ignored.push(name);
      continue;
    }
    options[property.option] = read(() => readValue(property, value));
  }
  if (!controlChannelEnabled) options.controlChannel = null;
  return { options: options as ArchiveServerOptions, ignored };
}

function readValue(property: ArchiveProperty, value: string): string | number | boolean {
  const { name } = property;
  switch (property.kind) {
    case 'string':
      if (value.trim() === '') throw invalid(name, value, 'must be non-empty');
      return value.trim();
    case 'boolean':
      return parseBoolean(name, value);
    case 'size':
      return parseSize(name, value);
    case 'durationNs':
      return parseDuration(name, value);
    case 'durationMs':
      return Math.ceil(parseDuration(name, value) / NS_PER_MS);
    case 'long':
      return parseLong(name, value);
    case 'int':
      return parseInt32(name, value);
  }
}

/** Runs a value reader, turning the driver's INVALID_CONFIGURATION into this package's INVALID_OPTION. */
function read<T>(reader: () => T): T {
  try {
    return reader();
  } catch (e) {
    if (e instanceof ArchiveServerError || !(e instanceof AeronError)) throw e;
    throw new ArchiveServerError('INVALID_OPTION', e.message, { cause: e });
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

/** A supplier property naming a Java class: Java would load it, this archive cannot (module comment). */
function javaClassRefused(name: string, value: string, option: string, accepted: string): ArchiveServerError {
  return invalid(
    name,
    value,
    `names a Java class, which the TypeScript archive cannot load (accepted: ${accepted}; set the ` +
      `${option} option in code instead)`,
  );
}

function invalid(name: string, value: string, why: string): ArchiveServerError {
  return new ArchiveServerError('INVALID_OPTION', `${name}=${value} ${why}`);
}
