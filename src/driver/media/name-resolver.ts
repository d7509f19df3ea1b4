/**
 * Host name resolution for channel parameters (`endpoint`, `control`), synchronous because the conductor parses
 * channels inside a command (Java: `io.aeron.driver.NameResolver`, `DefaultNameResolver`).
 *
 * `lookup` turns a parameter value into `host:port` text (a resolver may map names to other names); `resolve`
 * turns the host into an address, or null when it cannot (the parser then fails with Java's
 * `UnknownHostException` text). The default resolves numeric IPv4/IPv6, the empty host (loopback, as Java), the
 * names in `/etc/hosts` (IPv4 entries before IPv6, as Java prefers IPv4), and `localhost`; nothing else (no DNS).
 *
 * The driver uses the `nameResolver` option (this default unless given) wrapped in `TimeTrackingNameResolver`, as
 * Java's `MediaDriver` does: every call, re-resolutions included, is timed into NAME_RESOLVER_MAX_TIME and
 * NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED, and the wrapper's names are Java's in the `unresolved - …` refusals.
 * Re-resolution (a name resolved again after 5 s of silence, `isReResolution` true) is synchronous too: the conductor
 * answers the sender or receiver at once in the one driver thread, where Java resolves on its async executor.
 */
import { readFileSync } from 'node:fs';
import { InetAddress } from './inet-socket-address.ts';

/** Resolves host names in channel parameters. Java: `NameResolver`. */
export interface NameResolver {
  /**
   * The address of `name`, or null when it does not resolve. Java: `resolve(name, uriParamName, isReResolution)`.
   * @param name the host part of the parameter (no port, no brackets).
   * @param uriParamName the parameter it came from (`endpoint`, `control`).
   * @param isReResolution true when re-resolving a name that resolved before.
   */
  resolve(name: string, uriParamName: string, isReResolution: boolean): InetAddress | null;
  /**
   * The `host:port` text to parse for a parameter value (default: the value itself). Java: `lookup`.
   * @param name the parameter value.
   * @param uriParamName the parameter it came from.
   * @param isReLookup true when looking up again.
   */
  lookup?(name: string, uriParamName: string, isReLookup: boolean): string;
  /** The resolver's name, in error messages. Java: `name()` (default: the class name). */
  name(): string;
  /**
   * The resolver's Java class name, which Java's `unresolved - control=…` message names (default: `name()`). Java:
   * `getClass().getName()`.
   */
  className?(): string;
}

/** 127.0.0.1 without a name. */
const LOOPBACK_IPV4 = new InetAddress(Uint8Array.of(127, 0, 0, 1));

/** Where the default resolver reads host names from. */
export const HOSTS_FILE = '/etc/hosts';

/** The `/etc/hosts` addresses of `name` (case-insensitive), IPv4 first, then IPv6, each in file order. */
function hostsFileAddresses(name: string, hostsFile: string): InetAddress[] {
  let text: string;
  try {
    text = readFileSync(hostsFile, 'utf8');
  } catch {
    return [];
  }
  const wanted = name.toLowerCase();
  const v4: InetAddress[] = [];
  const v6: InetAddress[] = [];
  for (const rawLine of text.split('\n')) {
    const hash = rawLine.indexOf('#');
    const fields = (hash >= 0 ? rawLine.slice(0, hash) : rawLine).trim().split(/\s+/);
    if (fields.length < 2) continue;
    if (!fields.slice(1).some((alias) => alias.toLowerCase() === wanted)) continue;
    const address = InetAddress.parseNumeric(fields[0]!);
    if (address !== null) (address.family === 4 ? v4 : v6).push(address.withHostname(name));
  }
  return [...v4, ...v6];
}

/**
 * The default resolver: numeric literals, the empty host as `localhost/127.0.0.1` (Java's
 * `InetAddress.getByName("")`), `/etc/hosts`, then `localhost` → 127.0.0.1. Java: `DefaultNameResolver`
 * (which asks the system resolver, DNS included).
 */
export class DefaultNameResolver implements NameResolver {
  /** The shared instance. Java: `DefaultNameResolver.INSTANCE`. */
  static readonly INSTANCE: DefaultNameResolver = new DefaultNameResolver();

  readonly #hostsFile: string;

  /** @param hostsFile the hosts file to read (default `/etc/hosts`). */
  constructor(hostsFile: string = HOSTS_FILE) {
    this.#hostsFile = hostsFile;
  }

  /** See {@link NameResolver.resolve}. */
  resolve(name: string, _uriParamName: string, _isReResolution: boolean): InetAddress | null {
    const numeric = InetAddress.parseNumeric(name);
    if (numeric !== null) return numeric;
    if (name === '') return LOOPBACK_IPV4.withHostname('localhost');
    const fromFile = hostsFileAddresses(name, this.#hostsFile)[0];
    if (fromFile !== undefined) return fromFile;
    if (name.toLowerCase() === 'localhost') return LOOPBACK_IPV4.withHostname(name);
    return null;
  }

  /** Java's class name, as Java's messages print it: `io.aeron.driver.DefaultNameResolver`. */
  name(): string {
    return 'io.aeron.driver.DefaultNameResolver';
  }
}

/** What {@link TimeTrackingNameResolver} reports each call's duration to (the driver's `DutyCycleTracker`). */
export interface ResolutionTimeTracker {
  /** A call starts at `nowNs`. */
  update(nowNs: number): void;
  /** The call that started at the last `update` ends at `nowNs`. */
  measureAndUpdate(nowNs: number): void;
}

/**
 * The driver's resolver: every `resolve` and `lookup` of `delegate` timed into NAME_RESOLVER_MAX_TIME and
 * NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED (through `tracker`), re-resolutions included. Java:
 * `TimeTrackingNameResolver`, which `MediaDriver` wraps around `Context.nameResolver()` for the conductor.
 */
export class TimeTrackingNameResolver implements NameResolver {
  readonly #delegate: NameResolver;
  readonly #nanoClock: () => number;
  readonly #tracker: ResolutionTimeTracker;

  /**
   * @param delegate the resolver that answers.
   * @param nanoClock the driver's clock (ns).
   * @param tracker where each call's duration goes.
   */
  constructor(delegate: NameResolver, nanoClock: () => number, tracker: ResolutionTimeTracker) {
    this.#delegate = delegate;
    this.#nanoClock = nanoClock;
    this.#tracker = tracker;
  }

  /** See {@link NameResolver.resolve}. */
  resolve(name: string, uriParamName: string, isReResolution: boolean): InetAddress | null {
    this.#tracker.update(this.#nanoClock());
    try {
      return this.#delegate.resolve(name, uriParamName, isReResolution);
    } finally {
      this.#tracker.measureAndUpdate(this.#nanoClock());
    }
  }

  /** See {@link NameResolver.lookup}: the delegate's, else `name` itself. */
  lookup(name: string, uriParamName: string, isReLookup: boolean): string {
    this.#tracker.update(this.#nanoClock());
    try {
      return this.#delegate.lookup?.(name, uriParamName, isReLookup) ?? name;
    } finally {
      this.#tracker.measureAndUpdate(this.#nanoClock());
    }
  }

  /** Java's: `TimeTracking(<the delegate's name>)`. */
  name(): string {
    return `TimeTracking(${this.#delegate.name()})`;
  }

  /** Java's class name, `io.aeron.driver.TimeTrackingNameResolver`. */
  className(): string {
    return 'io.aeron.driver.TimeTrackingNameResolver';
  }
}
