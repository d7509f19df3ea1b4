/**
 * What the interop harness knows about each media driver implementation: how it takes the harness's
 * settings, how loss is injected into it, and the facts tests assert that differ between drivers (exact
 * error texts and codes, the version string). One entry per driver, each fact with the source behind it.
 *
 * The harness's settings are always written with Aeron's Java property names (`aeron.dir`,
 * `aeron.threading.mode`, ...). The C driver reads the same settings as environment variables named by
 * upper-casing the property and replacing `.` with `_` (`aeron.dir` → `AERON_DIR`; aeronmd's `-Dname=value`
 * and properties-file arguments go through that same mapping: `aeron_properties_setenv` in
 * aeron-client/src/main/c/util/aeron_properties_util.c).
 *
 * The TypeScript media driver (`src/driver/`) is started as `aeron-ts driver <properties file>`
 * (`TS_DRIVER_KIND` here, `TS_DRIVER` in `driver.ts`).
 */
import { execFileSync } from 'node:child_process';
import { AERON_PROTOCOL_VERSION } from '../src/driver/system-counters.ts';
import { AERON_VERSION } from './aeron-jars.ts';

/** The media driver implementations the harness can describe. */
export type DriverKindName = 'java' | 'c' | 'ts';

/**
 * How a driver started through an external command takes the harness's settings:
 * - `file`: a properties file whose path is appended as the last argument (Java `MediaDriver.main` and
 *   `Archive.main` call `SystemUtil.loadPropertiesFiles(args)`; aeronmd loads each non-option argument
 *   with `aeron_properties_load`);
 * - `env`: environment variables, `aeron.x.y` → `AERON_X_Y` (the C driver's own configuration source).
 */
export type PropertyPassing = 'file' | 'env';

/** Seeded random loss of frames arriving at the driver's receive endpoints (data, pad, setup, RTT). */
export interface LossSettings {
  /** Probability of dropping a frame, 0..1. */
  readonly rate: number;
  /** Seed of the driver's random generator, so a run is repeatable for that driver. */
  readonly seed: number;
}

/** How a driver refuses one malformed channel: the `ErrorCode` name of its ON_ERROR and a text its message contains. */
export interface ChannelRefusal {
  readonly errorCodeName: 'INVALID_CHANNEL' | 'GENERIC_ERROR' | 'UNKNOWN_HOST' | 'NOT_SUPPORTED';
  readonly text: string;
}

/** Driver-specific behaviour that tests assert (the source of each value is on the driver's entry). */
export interface DriverFacts {
  /**
   * Refusals of publications on malformed channels: another media (`aeron:foo?endpoint=localhost:40123`), no
   * `aeron:` scheme (`udp?endpoint=localhost:40123`), a port that is not a number
   * (`aeron:udp?endpoint=localhost:notaport`), a host that does not resolve (`...nohost.invalid:40123`), a URI
   * longer than 4095 characters (`aeron:ipc?alias=` + 4096 characters).
   */
  readonly channelRefusals: {
    readonly unsupportedMedia: ChannelRefusal;
    readonly notAeronScheme: ChannelRefusal;
    readonly invalidPort: ChannelRefusal;
    readonly unknownHost: ChannelRefusal;
    readonly uriTooLong: ChannelRefusal;
  };
  /** The `ErrorCode` name (as `RegistrationError.errorCodeName`) of the refusal of a publication whose `term-offset` is not a multiple of 32. */
  readonly unalignedTermOffsetErrorCode: 'INVALID_CHANNEL' | 'GENERIC_ERROR';
  /** Matches the driver's error text for a term length below the 64 KiB minimum (e.g. `term-length=1000`). */
  readonly termLengthBelowMinimumMessage: RegExp;
}

/** One media driver implementation, as the harness needs to know it. */
export interface DriverKind {
  readonly name: DriverKindName;
  /** Human-readable name for test titles and error messages. */
  readonly title: string;
  /** How it takes settings when started through an external command. */
  readonly propertyPassing: PropertyPassing;
  /** Settings (Java property names) that make it drop received frames at random, seeded. */
  lossProperties(loss: LossSettings): Record<string, string>;
  /**
   * The Aeron release the driver is built from (its `Aeron software: version=` system counter), given the
   * external command that starts it, if any.
   */
  softwareVersion(command: readonly string[] | undefined): string;
  readonly facts: DriverFacts;
}

/**
 * The Java media driver (`io.aeron.driver.MediaDriver`), from the aeron-all jar.
 * Loss: `DebugReceiveChannelEndpointSupplier` (`Configuration.RECEIVE_CHANNEL_ENDPOINT_SUPPLIER_PROP_NAME`
 * = `aeron.ReceiveChannelEndpoint.supplier`) with `DebugChannelEndpointConfiguration`'s
 * `aeron.debug.receive.data.loss.rate/seed`: `DebugReceiveChannelEndpoint` drops data (and pad), setup and
 * RTT frames through a `RandomLossGenerator`.
 * Version: the jar's (`AERON_VERSION`); an external Java command must run that same jar.
 * Facts (1.51.0, the same in 1.49.3):
 * - unaligned `term-offset`: `PublicationParams` throws `InvalidChannelException` ("term-offset=33 must be a
 *   multiple of FRAME_ALIGNMENT"), answered as `ErrorCode.INVALID_CHANNEL`;
 * - `LogBufferDescriptor.checkTermLength`: "Term length less than min length of 65536: length=1000";
 * - malformed channels: every one an `InvalidChannelException` (`ErrorCode.INVALID_CHANNEL`), with the
 *   message of the exception behind it: `UdpChannel` "UdpChannel only supports UDP media", `ChannelUri.parse`
 *   "Aeron URIs must start with 'aeron:'", `SocketAddressParser` "invalid format: localhost:notaport", the
 *   resolver's `UnknownHostException`, `ChannelUri` "URI length (4112) exceeds max supported length (4095)".
 */
export const JAVA_DRIVER_KIND: DriverKind = {
  name: 'java',
  title: 'Java MediaDriver',
  propertyPassing: 'file',
  lossProperties: (loss) => ({
    'aeron.ReceiveChannelEndpoint.supplier': 'io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier',
    'aeron.debug.receive.data.loss.rate': String(loss.rate),
    'aeron.debug.receive.data.loss.seed': String(loss.seed),
  }),
  softwareVersion: () => AERON_VERSION,
  facts: {
    unalignedTermOffsetErrorCode: 'INVALID_CHANNEL',
    termLengthBelowMinimumMessage: /Term length less than min length of 65536: length=/,
    channelRefusals: {
      unsupportedMedia: { errorCodeName: 'INVALID_CHANNEL', text: 'UdpChannel only supports UDP media' },
      notAeronScheme: { errorCodeName: 'INVALID_CHANNEL', text: "Aeron URIs must start with 'aeron:'" },
      invalidPort: { errorCodeName: 'INVALID_CHANNEL', text: 'invalid format: localhost:notaport' },
      unknownHost: { errorCodeName: 'INVALID_CHANNEL', text: 'UnknownHostException' },
      uriTooLong: { errorCodeName: 'INVALID_CHANNEL', text: 'URI length (4112) exceeds max supported length (4095)' },
    },
  },
};

/**
 * Frame types the C loss interceptor drops, as the bit `1 << type` (`aeron_udp_channel_interceptor_loss_
 * should_drop_frame`): PAD (0), DATA (1), SETUP (5), RTTM (6), the frames Java's `DebugReceiveChannelEndpoint`
 * passes through its data loss generator.
 */
const C_LOSS_FRAME_MASK = (1 << 0) | (1 << 1) | (1 << 5) | (1 << 6);

/**
 * The C media driver (`aeronmd`, aeron-driver/src/main/c), started through `AERON_TEST_DRIVER_COMMAND`.
 * Loss: the `loss` UDP incoming interceptor (`AERON_UDP_CHANNEL_INCOMING_INTERCEPTORS=loss`) configured by
 * `AERON_UDP_CHANNEL_TRANSPORT_BINDINGS_LOSS_ARGS` = `rate=<double>|seed=<decimal>|recv-msg-mask=<hex>`
 * (media/aeron_udp_channel_transport_loss.c; the mask defaults to 0, dropping nothing).
 * Version: what `aeronmd -v` prints ("... major 1 minor 52 patch 2 ...", aeronmd.c).
 * Facts (1.52.2):
 * - unaligned `term-offset`: `aeron_diver_uri_publication_params` (uri/aeron_driver_uri.c) fails with EINVAL
 *   "Param term-offset=33 must be multiple of FRAME_ALIGNMENT"; `aeron_driver_conductor_on_error` answers a
 *   positive errno as `AERON_ERROR_CODE_GENERIC_ERROR`;
 * - `aeron_logbuffer_check_term_length` (aeron-client/src/main/c/concurrent/aeron_logbuffer_descriptor.c):
 *   "term length less than min length of 65536: length=1000", after the C error-stack prefix;
 * - malformed channels: `aeron_uri_parse` (aeron-client/src/main/c/uri/aeron_uri.c) fails another media and a
 *   missing scheme alike with "invalid URI scheme or transport: <uri>" and an over-long URI with "URI length
 *   (4112) exceeds max supported length (4095)", as `AERON_ERROR_CODE_INVALID_CHANNEL`; the UDP endpoint is
 *   resolved later (`aeron_name_resolver_resolve_host_and_port`): a bad port is EINVAL from
 *   `aeron_address_split` ("port invalid: localhost:notaport"), hence GENERIC_ERROR, and an unknown host is
 *   `AERON_ERROR_CODE_UNKNOWN_HOST` from `aeron_ip_addr_resolver` ("Unable to resolve host=(nohost.invalid)").
 */
export const C_DRIVER_KIND: DriverKind = {
  name: 'c',
  title: 'C media driver (aeronmd)',
  propertyPassing: 'env',
  lossProperties: (loss) => ({
    'aeron.udp.channel.incoming.interceptors': 'loss',
    'aeron.udp.channel.transport.bindings.loss.args': `rate=${loss.rate}|seed=${loss.seed}|recv-msg-mask=0x${C_LOSS_FRAME_MASK.toString(16)}`,
  }),
  softwareVersion: (command) => versionOfAeronmd(command),
  facts: {
    unalignedTermOffsetErrorCode: 'GENERIC_ERROR',
    termLengthBelowMinimumMessage: /term length less than min length of 65536: length=/,
    channelRefusals: {
      unsupportedMedia: {
        errorCodeName: 'INVALID_CHANNEL',
        text: 'invalid URI scheme or transport: aeron:foo?',
      },
      notAeronScheme: { errorCodeName: 'INVALID_CHANNEL', text: 'invalid URI scheme or transport: udp?endpoint=' },
      invalidPort: { errorCodeName: 'GENERIC_ERROR', text: 'port invalid: localhost:notaport' },
      unknownHost: { errorCodeName: 'UNKNOWN_HOST', text: 'Unable to resolve host=(nohost.invalid)' },
      uriTooLong: { errorCodeName: 'INVALID_CHANNEL', text: 'URI length (4112) exceeds max supported length (4095)' },
    },
  },
};

const aeronmdVersions = new Map<string, string>();

/** `<program> -v` → `major.minor.patch` (cached per program); throws with its output when it does not say. */
function versionOfAeronmd(command: readonly string[] | undefined): string {
  const program = command?.[0];
  if (program === undefined) throw new Error('the C media driver needs a command (AERON_TEST_DRIVER_COMMAND)');
  const known = aeronmdVersions.get(program);
  if (known !== undefined) return known;
  let output: string;
  try {
    output = execFileSync(program, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (e) {
    throw new Error(`${program} -v failed: ${String(e)}`);
  }
  const match = /major (\d+) minor (\d+) patch (\d+)/.exec(output);
  if (match === null) throw new Error(`${program} -v did not print its version: ${output}`);
  const version = `${match[1]}.${match[2]}.${match[3]}`;
  aeronmdVersions.set(program, version);
  return version;
}

/** `major.minor.patch` of a semantic version int (`SemanticVersion.compose`: major << 16 | minor << 8 | patch). */
function semanticVersionText(version: number): string {
  return `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`;
}

/**
 * The TypeScript media driver (`src/driver/`), run as `aeron-ts driver <properties file>`
 * (src/cli/commands/driver.ts; `TS_DRIVER` in driver.ts), which reads Aeron's Java property names
 * (src/driver/media-driver-properties.ts) and ignores the `aeron.*` names it does not know (the harness's
 * `aeron.shared.idle.strategy`). `aeron.threading.mode=SHARED`, the harness default, runs its duty cycle in a
 * worker thread with a backoff idle strategy.
 * Loss: its own injector reads Java's `aeron.debug.receive.data.loss.rate/seed` (media-driver-properties.ts
 * `debugFaultProperties`, no endpoint supplier needed) and drops the frames Java's `DebugReceiveChannelEndpoint`
 * drops.
 * Version: the release whose formats it speaks, its AERON_VERSION system counter (`AERON_PROTOCOL_VERSION`).
 * Facts: Java's, code and text (probed 2026-12-07 through our client, session 8: the five malformed channels
 * answer INVALID_CHANNEL with the texts of Java's exceptions; unaligned `term-offset` INVALID_CHANNEL; the term
 * length below 64 KiB Java's text).
 */
export const TS_DRIVER_KIND: DriverKind = {
  name: 'ts',
  title: 'TypeScript media driver (aeron-ts driver)',
  propertyPassing: 'file',
  lossProperties: (loss) => ({
    'aeron.debug.receive.data.loss.rate': String(loss.rate),
    'aeron.debug.receive.data.loss.seed': String(loss.seed),
  }),
  softwareVersion: () => semanticVersionText(AERON_PROTOCOL_VERSION),
  facts: JAVA_DRIVER_KIND.facts,
};

/** The described drivers by name. */
export const DRIVER_KINDS: Readonly<Partial<Record<DriverKindName, DriverKind>>> = {
  java: JAVA_DRIVER_KIND,
  c: C_DRIVER_KIND,
  ts: TS_DRIVER_KIND,
};

/** `aeron.x.y` → `AERON_X_Y`, the C driver's name for a setting (`aeron_properties_setenv`). */
export function propertyToEnvName(property: string): string {
  return property.toUpperCase().replaceAll('.', '_');
}
