import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.shadow.org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (ours): the Java half of the data-path cases, on the SAME external media driver as the TS side
 * (aeron.dir passed in), doing what bench/cases/data-path-measure.ts does.
 *
 * Usage:
 *   DataPathBench throughput aeronDir channel streamId exclusive messageLength warmupMs measureMs
 *     A publisher thread offers one fixed message in a busy loop; the main thread polls (fragment limit 256)
 *     and counts; the clock is read every 1024 polls. Prints
 *     RESULT {"messagesPerSecond":..,"messages":..,"elapsedMs":..,"sent":..,"backPressureRatio":..,
 *     "cpuPerWall":..,"messagesPerCpuSecond":..} (process CPU time, all threads, over the measured window)
 *   DataPathBench pingpong aeronDir pingChannel pingStreamId pongChannel pongStreamId messageLength warmup messages maxMs
 *     A pong thread echoes every ping (exclusive publication, offer retried); the main thread sends one ping at a
 *     time (at most `messages` round trips or maxMs, whichever ends first, after as many warm-up ones)
 *     and keeps raw RTTs (System.nanoTime around offer .. reply), summarised as rtt-stats.ts does: all
 *     recorded afterwards into an HdrHistogram (3 significant digits; the copy shaded into aeron-all), whose
 *     percentiles, max and mean are printed, with the raw samples' nearest-rank values as a cross-check:
 *     RESULT {"p50":..,"p75":..,..,"p99.99":..,"max":..,"mean":..,"rankP50":..,"rankP99":..,"rankP99.9":..,
 *     "rankMax":..,"messages":..} in µs (rank* = the raw samples' nearest-rank values).
 * One Aeron client (default conductor thread) shared by both threads, as Aeron's own samples do.
 */
public final class DataPathBench
{
    static final int FRAGMENT_LIMIT = 256;
    static final long STUCK_NS = 30_000_000_000L;
    /** Keep in step with PERCENTILE_KEYS in bench/cases/rtt-stats.ts. */
    static final String[] PERCENTILE_KEYS = { "50", "75", "90", "95", "99", "99.5", "99.9", "99.95", "99.99" };

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            System.err.println("usage: DataPathBench throughput|pingpong ...");
            System.exit(2);
        }
        if ("throughput".equals(args[0]))
        {
            throughput(args);
        }
        else if ("pingpong".equals(args[0]))
        {
            pingPong(args);
        }
        else
        {
            System.err.println("unknown mode " + args[0]);
            System.exit(2);
        }
    }

    /** CPU time of this whole JVM (all threads), ns: the TS side's `process.cpuUsage()` counterpart. */
    static long processCpuNs()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    static Aeron connect(final String aeronDir)
    {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).driverTimeoutMs(20_000).preTouchMappedMemory(true));
    }

    static void awaitTrue(final String what, final java.util.function.BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    static final class Counter
    {
        long messages;
        long bytes;
    }

    static long pollUntil(final Subscription subscription, final FragmentHandler handler, final long endNs)
    {
        for (long iteration = 1; ; iteration++)
        {
            subscription.poll(handler, FRAGMENT_LIMIT);
            if ((iteration & 1023) == 0)
            {
                final long now = System.nanoTime();
                if (now >= endNs)
                {
                    return now;
                }
            }
        }
    }

    static void throughput(final String[] args) throws Exception
    {
        final String aeronDir = args[1];
        final String channel = args[2];
        final int streamId = Integer.parseInt(args[3]);
        final boolean exclusive = Boolean.parseBoolean(args[4]);
        final int messageLength = Integer.parseInt(args[5]);
        final long warmupNs = Long.parseLong(args[6]) * 1_000_000L;
        final long measureNs = Long.parseLong(args[7]) * 1_000_000L;

        try (Aeron aeron = connect(aeronDir);
            Subscription subscription = aeron.addSubscription(channel, streamId);
            Publication publication = exclusive ?
                aeron.addExclusivePublication(channel, streamId) : aeron.addPublication(channel, streamId))
        {
            awaitTrue("image", () -> subscription.imageCount() > 0 && publication.isConnected());
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength));
            for (int i = 0; i < messageLength; i++)
            {
                message.putByte(i, (byte)i);
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final long[] publisherCounts = new long[2];
            final Thread publisher = new Thread(() ->
            {
                long sent = 0;
                long backPressured = 0;
                for (long iteration = 1; ; iteration++)
                {
                    if (publication.offer(message, 0, messageLength) > 0)
                    {
                        sent++;
                    }
                    else
                    {
                        backPressured++;
                    }
                    if ((iteration & 4095) == 0 && !running.get())
                    {
                        break;
                    }
                }
                publisherCounts[0] = sent;
                publisherCounts[1] = backPressured;
            }, "publisher");
            publisher.start();

            final Counter counter = new Counter();
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                counter.messages++;
                counter.bytes += length;
            };
            pollUntil(subscription, handler, System.nanoTime() + warmupNs);
            final long startCount = counter.messages;
            final long startBytes = counter.bytes;
            final long startCpuNs = processCpuNs();
            final long start = System.nanoTime();
            final long end = pollUntil(subscription, handler, start + measureNs);
            final long cpuNs = processCpuNs() - startCpuNs;
            final long messages = counter.messages - startCount;
            final double elapsedMs = (end - start) / 1e6;
            running.set(false);
            publisher.join(60_000);
            final long sent = publisherCounts[0];
            final long backPressured = publisherCounts[1];
            System.out.println("RESULT {\"messagesPerSecond\":" + (messages * 1000.0 / elapsedMs) +
                ",\"messages\":" + messages +
                ",\"elapsedMs\":" + elapsedMs +
                ",\"payloadBytesPerSecond\":" + ((counter.bytes - startBytes) * 1000.0 / elapsedMs) +
                ",\"sent\":" + sent +
                ",\"backPressureRatio\":" + ((double)backPressured / (sent + backPressured)) +
                ",\"cpuPerWall\":" + (cpuNs / 1e6 / elapsedMs) +
                ",\"messagesPerCpuSecond\":" + (messages * 1e9 / Math.max(1, cpuNs)) + "}");
        }
    }

    static final class Replies
    {
        long count;
    }

    static void pingPong(final String[] args) throws Exception
    {
        final String aeronDir = args[1];
        final String pingChannel = args[2];
        final int pingStreamId = Integer.parseInt(args[3]);
        final String pongChannel = args[4];
        final int pongStreamId = Integer.parseInt(args[5]);
        final int messageLength = Integer.parseInt(args[6]);
        final int warmupMessages = Integer.parseInt(args[7]);
        final int messages = Integer.parseInt(args[8]);
        final long maxNs = Long.parseLong(args[9]) * 1_000_000L;

        try (Aeron aeron = connect(aeronDir);
            Subscription pongSubscription = aeron.addSubscription(pongChannel, pongStreamId);
            ExclusivePublication pingPublication = aeron.addExclusivePublication(pingChannel, pingStreamId);
            Subscription pingSubscription = aeron.addSubscription(pingChannel, pingStreamId);
            ExclusivePublication pongPublication = aeron.addExclusivePublication(pongChannel, pongStreamId))
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            final FragmentHandler echo = (buffer, offset, length, header) ->
            {
                while (pongPublication.offer(buffer, offset, length) < 0)
                {
                    Thread.onSpinWait();
                }
            };
            final Thread pong = new Thread(() ->
            {
                for (long iteration = 1; ; iteration++)
                {
                    pingSubscription.poll(echo, 1);
                    if ((iteration & 4095) == 0 && !running.get())
                    {
                        break;
                    }
                }
            }, "pong");
            pong.start();
            awaitTrue("both streams connected", () -> pongSubscription.imageCount() > 0 &&
                pingSubscription.imageCount() > 0 && pingPublication.isConnected() && pongPublication.isConnected());

            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength));
            final Replies replies = new Replies();
            final FragmentHandler onPong = (buffer, offset, length, header) -> replies.count++;
            final long warmupEnd = System.nanoTime() + maxNs;
            for (int i = 0; i < warmupMessages && System.nanoTime() < warmupEnd; i++)
            {
                roundTrip(pingPublication, pongSubscription, message, messageLength, replies, onPong);
            }
            final long[] allSamplesNs = new long[messages];
            final long end = System.nanoTime() + maxNs;
            int count = 0;
            while (count < messages)
            {
                allSamplesNs[count++] =
                    roundTrip(pingPublication, pongSubscription, message, messageLength, replies, onPong);
                if ((count & 63) == 0 && System.nanoTime() >= end)
                {
                    break;
                }
            }
            running.set(false);
            pong.join(60_000);

            final long[] samplesNs = Arrays.copyOf(allSamplesNs, count);
            Arrays.sort(samplesNs);
            final Histogram histogram = new Histogram(3);
            for (final long s : samplesNs)
            {
                histogram.recordValue(Math.max(1, s));
            }
            final StringBuilder json = new StringBuilder("RESULT {");
            for (final String key : PERCENTILE_KEYS)
            {
                json.append("\"p").append(key).append("\":")
                    .append(us(histogram.getValueAtPercentile(Double.parseDouble(key)))).append(',');
            }
            json.append("\"max\":").append(us(histogram.getMaxValue()))
                .append(",\"mean\":").append(us(histogram.getMean()))
                .append(",\"rankP50\":").append(us(nearestRank(samplesNs, 50)))
                .append(",\"rankP99\":").append(us(nearestRank(samplesNs, 99)))
                .append(",\"rankP99.9\":").append(us(nearestRank(samplesNs, 99.9)))
                .append(",\"rankMax\":").append(us(samplesNs[samplesNs.length - 1]))
                .append(",\"messages\":").append(count).append('}');
            System.out.println(json);
        }
    }

    static long roundTrip(
        final ExclusivePublication publication,
        final Subscription subscription,
        final UnsafeBuffer message,
        final int messageLength,
        final Replies replies,
        final FragmentHandler onPong)
    {
        final long expected = replies.count + 1;
        final long t0 = System.nanoTime();
        while (publication.offer(message, 0, messageLength) < 0)
        {
            if (System.nanoTime() - t0 > STUCK_NS)
            {
                throw new IllegalStateException("ping offer stuck");
            }
        }
        for (long polls = 1; replies.count < expected; polls++)
        {
            subscription.poll(onPong, 1);
            if ((polls & 0xffff) == 0 && System.nanoTime() - t0 > STUCK_NS)
            {
                throw new IllegalStateException("no pong within 30 s");
            }
        }
        return System.nanoTime() - t0;
    }

    static double nearestRank(final long[] sorted, final double p)
    {
        final int rank = Math.max(1, (int)Math.ceil(p / 100.0 * sorted.length));
        return sorted[rank - 1];
    }

    static double us(final double ns)
    {
        return Math.round(ns) / 1000.0;
    }
}
