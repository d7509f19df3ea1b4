/**
 * What differs between the Aeron releases the interop tests run against (`AERON_VERSION`, see aeron-jars.ts),
 * in one table: each entry is a behaviour of the release's Java jar that a test asserts, with the Aeron source
 * fact behind it. Tests read `AERON_RELEASE`, never the version string.
 *
 * Driver-side rows (counter labels) apply to the release the media driver is built from, which for the C
 * driver is its own (`DriverHandle.softwareVersion`); jar-side rows (the URI builder) to `AERON_VERSION`.
 * The C driver's labels follow the Java driver's of the same release (`AERON_COUNTER_PUBLISHER_POSITION_NAME*`
 * in aeron-client/src/main/c/aeron_counters.h: "pub-pos (sampled)" at 1.49.3, "(concurrent)"/"(exclusive)" at
 * 1.52.2).
 *
 * Checked the same in 1.49.3 and 1.51.0 (no entry needed): the archive control and mark-file schemas (id 101,
 * version 13; test/codecs/schema-conformance.test.ts passes against both jars), the CnC layout and version
 * 0.2.0, the driver control protocol version 1.0.0, the system counter ids.
 *
 * A release without an entry is refused with a clear error: add its row after checking its sources (the
 * tags are in the Aeron repository; `git diff <a> <b> -- <file>` for each fact below).
 */
import { AERON_VERSION } from './aeron-jars.ts';

/** The per-release behaviours tests assert. */
export interface AeronRelease {
  readonly version: string;
  /**
   * Label prefix of the driver's publisher position counter (`PublisherPos`) for a concurrent and an
   * exclusive publication: `pub-pos (sampled)` for both up to 1.50, `pub-pos (concurrent)` /
   * `pub-pos (exclusive)` since 1.51.0 (commit b694840a95 "Add Publication type to the counters and log buffer
   * metadata", which also added the log buffer metadata `type` byte at offset 497; before it that byte is 0).
   */
  readonly publisherPositionLabel: { readonly concurrent: string; readonly exclusive: string };
  /**
   * True when `ChannelUriStringBuilder.build()` prints sizes and durations with units (`appendSize` /
   * `appendDuration`: `term-length=64k`, `linger=5ms`) and its setters refuse negative values
   * (`requireNonNegative`), as 1.51.0 does and as our builder does. 1.49.3 prints them as plain numbers
   * (`appendParameter`: `term-length=65536`, `linger=5000000`), accepts negatives, and fails some malformed
   * values with other exceptions. Both forms parse to the same values in every driver, so this is the
   * builder's canonical text only, not a compatibility difference.
   */
  readonly uriBuilderPrintsUnits: boolean;
}

const RELEASES: readonly AeronRelease[] = [
  {
    // Not on the Maven registry these machines reach; here for C media drivers built from the 1.52.2 tag.
    version: '1.52.2',
    publisherPositionLabel: { concurrent: 'pub-pos (concurrent)', exclusive: 'pub-pos (exclusive)' },
    uriBuilderPrintsUnits: true,
  },
  {
    version: '1.51.0',
    publisherPositionLabel: { concurrent: 'pub-pos (concurrent)', exclusive: 'pub-pos (exclusive)' },
    uriBuilderPrintsUnits: true,
  },
  {
    version: '1.49.3',
    publisherPositionLabel: { concurrent: 'pub-pos (sampled)', exclusive: 'pub-pos (sampled)' },
    uriBuilderPrintsUnits: false,
  },
];

/** The row for `version`; throws naming this file when the release has none. */
export function aeronRelease(version: string): AeronRelease {
  const release = RELEASES.find((r) => r.version === version);
  if (release === undefined) {
    throw new Error(
      `Aeron ${version} has no entry in harness/aeron-version.ts (known: ${RELEASES.map((r) => r.version).join(', ')}): ` +
        'add one after checking what differs in its sources',
    );
  }
  return release;
}

/** The release the interop tests run against (`AERON_VERSION`, else the pinned one). */
export const AERON_RELEASE: AeronRelease = aeronRelease(AERON_VERSION);
