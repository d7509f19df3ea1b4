// Test probe: a Java Aeron client (pinned jar) that publishes or subscribes to deterministic messages
// through an external media driver, so aeron-ts can be checked against the real client both ways.
//
// Message pattern (must match test/support/message-pattern.ts exactly; all arithmetic is int32 wrapping):
//   fmix32(x)   = murmur3 finalizer: x ^= x>>>16; x *= 0x85EBCA6B; x ^= x>>>13; x *= 0xC2B2AE35; x ^= x>>>16
//   h(seed, i)  = fmix32(seed * 0x9E3779B9 + i)
//   byte j of message i (length n) from source `seed`:
//     j in 0..3 : byte j of i, little-endian          j in 4..7 : byte (j-4) of seed, little-endian
//     j >= 8    : byte (j & 3) of fmix32(h(seed, i) + (j >>> 2) * 0x85EBCA6B), little-endian
//   size of message i:  "a,b,c"              -> list[i % list.length]
//                       "random:s:max"       -> unsigned(fmix32(s * 0x27D4EB2F + i)) % (max + 1)
//                       "random:s:min:max"   -> min + unsigned(fmix32(s * 0x27D4EB2F + i)) % (max - min + 1)
//   checksum: CRC-32 (java.util.zip.CRC32) over the payloads of one source, in order; with several
//   sources the reported total is the XOR of the per-source CRCs. Printed as 8 lowercase hex digits.
//
// Usage:
//   publish   --dir D --channel C --stream S --mode concurrent|exclusive --count N --sizes SCHED --seed X
//             [--timeout-ms T]
//     prints: connected session=<id> max-payload=<n> max-message=<n> position=<p>
//             published count=<n> position=<p> checksum=<crc> backpressured=<n>
//   subscribe --dir D --channel C --stream S --count N --sizes SCHED --seed X [--sources K]
//             [--timeout-ms T] [--slow MS:N] [--ready-file F] [--until-eos] [--progress N]
//     --sources K : K publishers with seeds X..X+K-1 (message sizes must be >= 8: the seed in bytes 4..7
//                   tells them apart); --count is per source.
//     --slow MS:N : sleep MS milliseconds after every N messages (back pressure).
//     --until-eos : after the last expected message keep polling until every image reached end of
//                   stream; anything more is an error (duplicates).
//     prints: ready / image session=<id> join-position=<p> / progress count=<n> /
//             source seed=<s> count=<n> checksum=<crc> / received count=<n> checksum=<crc> errors=<k>
// Exit status: 0 on success, 1 on mismatch, 2 on timeout, 3 on usage error. Every wait has a deadline.
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

public final class PubSubProbe
{
    static final int EXIT_MISMATCH = 1;
    static final int EXIT_TIMEOUT = 2;
    static final int EXIT_USAGE = 3;

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            usage("missing mode");
        }
        final Map<String, String> opts = parseOptions(args);
        final int status;
        switch (args[0])
        {
            case "publish":
                status = publish(opts);
                break;
            case "subscribe":
                status = subscribe(opts);
                break;
            default:
                usage("unknown mode " + args[0]);
                return;
        }
        System.out.flush();
        System.exit(status);
    }

    // ---------------------------------------------------------------------------------------------
    // Pattern

    static int fmix32(final int value)
    {
        int x = value;
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        x ^= x >>> 16;
        return x;
    }

    static byte patternByte(final int seed, final int index, final int h, final int j)
    {
        final int word;
        if (j < 4)
        {
            word = index;
        }
        else if (j < 8)
        {
            word = seed;
        }
        else
        {
            word = fmix32(h + (j >>> 2) * 0x85EBCA6B);
        }
        return (byte)(word >>> ((j & 3) * 8));
    }

    static void fill(final byte[] dst, final int length, final int seed, final int index)
    {
        final int h = fmix32(seed * 0x9E3779B9 + index);
        for (int j = 0; j < length; j++)
        {
            dst[j] = patternByte(seed, index, h, j);
        }
    }

    /** Index of the first byte that differs from the pattern, or -1. */
    static int firstMismatch(final DirectBuffer buffer, final int offset, final int length, final int seed, final int index)
    {
        final int h = fmix32(seed * 0x9E3779B9 + index);
        for (int j = 0; j < length; j++)
        {
            if (buffer.getByte(offset + j) != patternByte(seed, index, h, j))
            {
                return j;
            }
        }
        return -1;
    }

    static final class Sizes
    {
        final int[] list;
        final int randomSeed;
        final int min;
        final int max;

        Sizes(final String spec)
        {
            if (spec.startsWith("random:"))
            {
                final String[] parts = spec.split(":");
                list = null;
                randomSeed = Integer.parseInt(parts[1]);
                min = parts.length == 4 ? Integer.parseInt(parts[2]) : 0;
                max = Integer.parseInt(parts[parts.length - 1]);
            }
            else
            {
                final String[] parts = spec.split(",");
                list = new int[parts.length];
                for (int i = 0; i < parts.length; i++)
                {
                    list[i] = Integer.parseInt(parts[i].trim());
                }
                randomSeed = 0;
                int lo = Integer.MAX_VALUE;
                int hi = 0;
                for (final int s : list)
                {
                    lo = Math.min(lo, s);
                    hi = Math.max(hi, s);
                }
                min = lo;
                max = hi;
            }
        }

        int sizeOf(final int index)
        {
            if (list != null)
            {
                return list[index % list.length];
            }
            final int r = fmix32(randomSeed * 0x27D4EB2F + index);
            return min + Integer.remainderUnsigned(r, max - min + 1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Publish

    static int publish(final Map<String, String> opts) throws Exception
    {
        final String dir = required(opts, "dir");
        final String channel = required(opts, "channel");
        final int streamId = Integer.parseInt(required(opts, "stream"));
        final boolean exclusive = "exclusive".equals(opts.getOrDefault("mode", "concurrent"));
        final int count = Integer.parseInt(required(opts, "count"));
        final Sizes sizes = new Sizes(required(opts, "sizes"));
        final int seed = Integer.parseInt(required(opts, "seed"));
        final long deadlineMs = System.currentTimeMillis() + Long.parseLong(opts.getOrDefault("timeout-ms", "60000"));

        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
            Publication publication = exclusive ?
                aeron.addExclusivePublication(channel, streamId) : aeron.addPublication(channel, streamId))
        {
            while (!publication.isConnected())
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    System.out.println("timeout waiting for a subscriber");
                    return EXIT_TIMEOUT;
                }
                idle.idle(0);
            }
            idle.reset();
            System.out.println("connected session=" + publication.sessionId() +
                " max-payload=" + publication.maxPayloadLength() +
                " max-message=" + publication.maxMessageLength() +
                " position=" + publication.position());

            final byte[] bytes = new byte[Math.max(8, sizes.max)];
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            final CRC32 crc = new CRC32();
            long backPressured = 0;
            long position = publication.position();
            for (int i = 0; i < count; i++)
            {
                final int length = sizes.sizeOf(i);
                fill(bytes, length, seed, i);
                while (true)
                {
                    final long result = publication.offer(buffer, 0, length);
                    if (result > 0)
                    {
                        position = result;
                        idle.reset();
                        break;
                    }
                    if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                    {
                        System.out.println("failed index=" + i + " result=" + result);
                        return EXIT_MISMATCH;
                    }
                    if (result == Publication.BACK_PRESSURED)
                    {
                        backPressured++;
                    }
                    if (System.currentTimeMillis() > deadlineMs)
                    {
                        System.out.println("timeout index=" + i + " result=" + result);
                        return EXIT_TIMEOUT;
                    }
                    idle.idle(0);
                }
                crc.update(bytes, 0, length);
            }
            System.out.println("published count=" + count + " position=" + position +
                " checksum=" + hex(crc.getValue()) + " backpressured=" + backPressured);
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Subscribe

    static final class Verifier implements FragmentHandler
    {
        final Sizes sizes;
        final int baseSeed;
        final int sources;
        final int countPerSource;
        final int[] next;
        final CRC32[] crcs;
        final byte[] scratch;
        final long slowSleepMs;
        final long slowEvery;
        final long progressEvery;
        long received;
        long errors;

        Verifier(
            final Sizes sizes,
            final int baseSeed,
            final int sources,
            final int countPerSource,
            final long slowSleepMs,
            final long slowEvery,
            final long progressEvery)
        {
            this.sizes = sizes;
            this.baseSeed = baseSeed;
            this.sources = sources;
            this.countPerSource = countPerSource;
            this.next = new int[sources];
            this.crcs = new CRC32[sources];
            for (int s = 0; s < sources; s++)
            {
                crcs[s] = new CRC32();
            }
            this.scratch = new byte[Math.max(8, sizes.max)];
            this.slowSleepMs = slowSleepMs;
            this.slowEvery = slowEvery;
            this.progressEvery = progressEvery;
        }

        long expectedTotal()
        {
            return (long)countPerSource * sources;
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            int source = 0;
            if (sources > 1)
            {
                source = length >= 8 ? buffer.getInt(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) - baseSeed : -1;
                if (source < 0 || source >= sources)
                {
                    error("message of length " + length + " from no known source (session " +
                        header.sessionId() + ", position " + header.position() + ")");
                    received++;
                    return;
                }
            }
            final int index = next[source];
            final int seed = baseSeed + source;
            if (index >= countPerSource)
            {
                error("extra message from seed " + seed + " after " + countPerSource + " (length " + length + ")");
            }
            else
            {
                final int expectedLength = sizes.sizeOf(index);
                if (length != expectedLength)
                {
                    error("seed " + seed + " message " + index + ": length " + length + " expected " + expectedLength +
                        describeHeader(buffer, offset, length));
                }
                else
                {
                    final int at = firstMismatch(buffer, offset, length, seed, index);
                    if (at >= 0)
                    {
                        error("seed " + seed + " message " + index + " (length " + length + "): byte " + at +
                            " differs" + describeHeader(buffer, offset, length));
                    }
                }
                buffer.getBytes(offset, scratch, 0, length);
                crcs[source].update(scratch, 0, length);
            }
            next[source] = index + 1;
            received++;
            if (progressEvery > 0 && received % progressEvery == 0)
            {
                System.out.println("progress count=" + received);
            }
            if (slowEvery > 0 && received % slowEvery == 0)
            {
                try
                {
                    Thread.sleep(slowSleepMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static String describeHeader(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length >= 8)
            {
                return " (carries index " + buffer.getInt(offset, java.nio.ByteOrder.LITTLE_ENDIAN) + " seed " +
                    buffer.getInt(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) + ")";
            }
            return "";
        }

        private void error(final String message)
        {
            errors++;
            if (errors <= 10)
            {
                System.out.println("error " + message);
            }
        }

        long checksum()
        {
            long x = 0;
            for (final CRC32 crc : crcs)
            {
                x ^= crc.getValue();
            }
            return x;
        }
    }

    static int subscribe(final Map<String, String> opts) throws Exception
    {
        final String dir = required(opts, "dir");
        final String channel = required(opts, "channel");
        final int streamId = Integer.parseInt(required(opts, "stream"));
        final int count = Integer.parseInt(required(opts, "count"));
        final Sizes sizes = new Sizes(required(opts, "sizes"));
        final int seed = Integer.parseInt(required(opts, "seed"));
        final int sources = Integer.parseInt(opts.getOrDefault("sources", "1"));
        final long deadlineMs = System.currentTimeMillis() + Long.parseLong(opts.getOrDefault("timeout-ms", "60000"));
        final boolean untilEos = opts.containsKey("until-eos");
        final String readyFile = opts.get("ready-file");
        long slowSleepMs = 0;
        long slowEvery = 0;
        if (opts.containsKey("slow"))
        {
            final String[] parts = opts.get("slow").split(":");
            slowSleepMs = Long.parseLong(parts[0]);
            slowEvery = Long.parseLong(parts[1]);
        }
        final long progressEvery = Long.parseLong(opts.getOrDefault("progress", "0"));
        if (sources > 1 && sizes.min < 8)
        {
            usage("--sources > 1 needs every message size >= 8");
        }

        final Verifier verifier = new Verifier(sizes, seed, sources, count, slowSleepMs, slowEvery, progressEvery);
        final FragmentAssembler assembler = new FragmentAssembler(verifier);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        final Aeron.Context ctx = new Aeron.Context()
            .aeronDirectoryName(dir)
            .availableImageHandler((image) -> System.out.println(
                "image session=" + image.sessionId() + " join-position=" + image.joinPosition()));
        int status = 0;
        try (Aeron aeron = Aeron.connect(ctx); Subscription subscription = aeron.addSubscription(channel, streamId))
        {
            System.out.println("ready");
            System.out.flush();
            if (readyFile != null)
            {
                Files.writeString(Path.of(readyFile), "ready\n");
            }
            while (verifier.received < verifier.expectedTotal())
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    System.out.println("timeout after " + verifier.received + " of " + verifier.expectedTotal());
                    status = EXIT_TIMEOUT;
                    break;
                }
                idle.idle(subscription.poll(assembler, 256));
            }
            if (status == 0 && untilEos)
            {
                while (!allEndOfStream(subscription))
                {
                    if (System.currentTimeMillis() > deadlineMs)
                    {
                        System.out.println("timeout waiting for end of stream");
                        status = EXIT_TIMEOUT;
                        break;
                    }
                    idle.idle(subscription.poll(assembler, 256));
                }
            }
            for (int s = 0; s < sources; s++)
            {
                System.out.println("source seed=" + (seed + s) + " count=" + verifier.next[s] +
                    " checksum=" + hex(verifier.crcs[s].getValue()));
            }
            System.out.println("received count=" + verifier.received + " checksum=" + hex(verifier.checksum()) +
                " errors=" + verifier.errors);
        }
        if (status == 0 && verifier.errors > 0)
        {
            status = EXIT_MISMATCH;
        }
        return status;
    }

    static boolean allEndOfStream(final Subscription subscription)
    {
        for (final Image image : subscription.images())
        {
            if (!image.isEndOfStream() && !image.isClosed())
            {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Options

    static Map<String, String> parseOptions(final String[] args)
    {
        final Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                usage("unexpected argument " + arg);
            }
            final String name = arg.substring(2);
            if (name.equals("until-eos"))
            {
                opts.put(name, "true");
            }
            else if (i + 1 < args.length)
            {
                opts.put(name, args[++i]);
            }
            else
            {
                usage("missing value for " + arg);
            }
        }
        return opts;
    }

    static String required(final Map<String, String> opts, final String name)
    {
        final String value = opts.get(name);
        if (value == null)
        {
            usage("missing --" + name);
        }
        return value;
    }

    static String hex(final long crc)
    {
        return String.format("%08x", crc & 0xFFFFFFFFL);
    }

    static void usage(final String message)
    {
        System.err.println("PubSubProbe: " + message);
        System.exit(EXIT_USAGE);
    }
}
