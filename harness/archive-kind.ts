/**
 * What the interop harness knows about each archive implementation: the facts tests assert where archives differ,
 * one entry per archive, each fact with the source behind it (as `driver-kind.ts` does for media drivers).
 *
 * Both archives take the harness's settings with Aeron's Java property names (`aeron.archive.dir`,
 * `aeron.archive.control.channel`, ...): Java's as `-D` system properties, the TypeScript archive as a properties
 * file argument of `aeron-ts archive` (src/archive-server/archive-properties.ts; the `aeron.*` names it does not read,
 * the driver's and `aeron.archive.threading.mode` / `idle.strategy` among them, it reports as ignored).
 * `AERON_TEST_ARCHIVE` selects one (driver.ts).
 */

/** The archive implementations the harness can start. */
export type ArchiveKindName = 'java' | 'ts';

/** Archive-specific behaviour that tests assert (the source of each value is on the archive's entry). */
export interface ArchiveFacts {
  /**
   * Null when the archive loads an authenticator named by a Java class (`aeron.archive.authenticator.supplier`, e.g.
   * test/java/ChallengeAuthenticatorSupplier); else why it cannot, and where the same behaviour is proven instead.
   */
  readonly javaAuthenticatorUnsupported: string | null;
}

/** One archive implementation, as the harness needs to know it. */
export interface ArchiveKind {
  readonly name: ArchiveKindName;
  /** Human-readable name for test titles and error messages. */
  readonly title: string;
  readonly facts: ArchiveFacts;
}

/**
 * Java's archive, from the aeron-all jar: `io.aeron.archive.ArchivingMediaDriver` in one JVM with the harness's Java
 * driver, else `io.aeron.archive.Archive` in its own JVM beside the driver.
 * Authenticator: `Archive.Configuration.authenticatorSupplier()` instantiates the named class from the classpath.
 */
export const JAVA_ARCHIVE_KIND: ArchiveKind = {
  name: 'java',
  title: 'Java Archive',
  facts: { javaAuthenticatorUnsupported: null },
};

/**
 * The TypeScript archive server (src/archive-server), run as `aeron-ts archive <properties file>` beside the driver
 * (src/cli/commands/archive.ts; `TS_ARCHIVE` in driver.ts).
 * Authenticator: a code-only option (`ArchiveServerOptions.authenticator`); `aeron.archive.authenticator.supplier`
 * naming a Java class is refused at start (archive-properties.ts). The same challenge scheme against it:
 * test/archive-server/auth-interop.test.ts. `aeron.archive.authorisation.service.supplier` ALLOW_ALL / DENY_ALL
 * are read as Java reads them.
 */
export const TS_ARCHIVE_KIND: ArchiveKind = {
  name: 'ts',
  title: 'TypeScript archive (aeron-ts archive)',
  facts: {
    javaAuthenticatorUnsupported:
      'its authenticator is a code-only option, it loads no Java class (the same challenge scheme runs against it in ' +
      'test/archive-server/auth-interop.test.ts)',
  },
};

/** The described archives by name. */
export const ARCHIVE_KINDS: Readonly<Record<ArchiveKindName, ArchiveKind>> = {
  java: JAVA_ARCHIVE_KIND,
  ts: TS_ARCHIVE_KIND,
};
