/**
 * UdpChannel.parse against Java 1.51.0's own io.aeron.driver.media.UdpChannel.parse: the same ~60 channel URIs
 * (udp-channel-uris.ts) parsed by test/driver/java/UdpChannelProbe.java and by ours, every field and every refusal
 * message compared (the `-<n>` unique suffix compared as a sequence: both parsers count from their own start).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { aeronJarPath } from '../../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../../harness/java.ts';
import { describeInterop } from '../../support/describe-interop.ts';
import { formatUdpChannel } from './udp-channel-format.ts';
import { UDP_CHANNEL_URIS } from './udp-channel-uris.ts';

/**
 * URIs whose refusal message differs from Java's, with why; only the refusal itself is compared for them.
 * Agrona's `SystemUtil.parseSize` messages are not reproduced by src/driver/system-util.ts.
 */
const MESSAGE_DIFFERS = new Set(['aeron:udp?endpoint=localhost:40123|so-rcvbuf=abc']);

const SUFFIX = /^(OK\tUDP-[^\t]*)-(\d+)\t/;

function suffixOf(line: string): number | null {
  const match = SUFFIX.exec(line);
  return match === null ? null : Number(match[2]);
}

describeInterop('UdpChannel.parse vs Java 1.51.0 (UdpChannelProbe.java)', () => {
  it('parses every URI to the same fields, canonical form and refusal message as Java', async () => {
    const classes = compileJava({
      sources: [join(import.meta.dirname, '..', 'java', 'UdpChannelProbe.java')],
      classpath: [aeronJarPath()],
    });
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'UdpChannelProbe',
      jvmArgs: AERON_JVM_FLAGS,
      stdin: `${UDP_CHANNEL_URIS.join('\n')}\n`,
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const java = result.stdout.trimEnd().split('\n');
    expect(java).toHaveLength(UDP_CHANNEL_URIS.length);

    const ours = UDP_CHANNEL_URIS.map((uri) => formatUdpChannel(uri));
    const javaSuffixes: number[] = [];
    const ourSuffixes: number[] = [];
    let oks = 0;
    let errs = 0;
    UDP_CHANNEL_URIS.forEach((uri, i) => {
      const j = java[i]!;
      const o = ours[i]!;
      if (MESSAGE_DIFFERS.has(uri)) {
        expect(o.startsWith('ERR\t'), uri).toBe(true);
        expect(j.startsWith('ERR\t'), uri).toBe(true);
        return;
      }
      const js = suffixOf(j);
      const os = suffixOf(o);
      if (js !== null) javaSuffixes.push(js);
      if (os !== null) ourSuffixes.push(os);
      expect(o.replace(SUFFIX, '$1-N\t'), uri).toBe(j.replace(SUFFIX, '$1-N\t'));
      if (j.startsWith('OK')) oks++;
      else errs++;
    });
    // Both count up by one per channel that needs a unique suffix.
    expect(ourSuffixes.length).toBe(javaSuffixes.length);
    expect(ourSuffixes.map((s) => s - ourSuffixes[0]!)).toEqual(javaSuffixes.map((s) => s - javaSuffixes[0]!));
    expect(oks).toBeGreaterThan(35);
    expect(errs).toBeGreaterThan(15);
  }, 180_000);
});
