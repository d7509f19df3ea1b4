import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Benchmark (ours): the Java half of the archive cases, on the SAME external ArchivingMediaDriver as the TS side
 * (aeron.dir and the archive's local control channel passed in), doing what bench/cases/archive-measure.ts does.
 * Aeron's EmbeddedRecordingThroughput / EmbeddedReplayThroughput start their own embedded archive, so they cannot
 * share the driver.
 *
 * Usage:
 *   ArchiveBench record aeronDir controlChannel controlStreamId channel streamId messageLength warmupBytes bytes keep
 *     Exclusive publication on `channel`, startRecording(aeron:ipc?session-id=sid, LOCAL), RecordingPos found by
 *     session and archive id. Publishes warmupBytes of numbered messages and waits for the recording; then times
 *     from the first offer of `bytes` more until RecordingPos reaches the publication position. Back pressure is
 *     busy-spun. Stops the recording and purges it unless keep=true. Prints
 *     RESULT {"mbPerSecond":..,"recordedBytes":..,"messages":..,"elapsedMs":..,"recordingId":..,"stopPosition":..,
 *     "totalMessages":..}
 *   ArchiveBench replay aeronDir controlChannel controlStreamId recordingId length messages replayChannel replayStreamId
 *     Replays [0, length) of the recording twice (the first untimed, for warm-up), polling with fragment limit 256
 *     and checking each message's sequence number (int32 at offset 0); the timed one runs from the replay request
 *     until the last message. Prints RESULT {"mbPerSecond":..,"replayedBytes":..,"messages":..,"elapsedMs":..,
 *     "requestMs":..,"firstMessageMs":..,"polls":..,"emptyPolls":..} (requestMs: until replay() returned the
 *     subscription; firstMessageMs: until the first message; polls/emptyPolls: timed polls, and those finding none)
 * MB = 2^20 bytes; recorded bytes are the position delta (frame headers included), as Aeron's samples count.
 */
public final class ArchiveBench
{
    static final int FRAGMENT_LIMIT = 256;
    static final double MB = 1024.0 * 1024.0;
    static final long SETUP_TIMEOUT_NS = 60_000_000_000L;

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            System.err.println("usage: ArchiveBench record|replay ...");
            System.exit(2);
        }
        if ("record".equals(args[0]))
        {
            record(args);
        }
        else if ("replay".equals(args[0]))
        {
            replay(args);
        }
        else
        {
            System.err.println("unknown mode " + args[0]);
            System.exit(2);
        }
    }

    static AeronArchive connect(final Aeron aeron, final String controlChannel, final int controlStreamId)
    {
        return AeronArchive.connect(new AeronArchive.Context()
            .aeron(aeron)
            .controlRequestChannel(controlChannel)
            .controlRequestStreamId(controlStreamId)
            .controlResponseChannel("aeron:ipc")
            .messageTimeoutNs(SETUP_TIMEOUT_NS));
    }

    static void await(final String what, final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    static int frameLength(final int messageLength)
    {
        return (messageLength + 32 + 31) & ~31;
    }

    static long publish(
        final ExclusivePublication publication, final UnsafeBuffer buffer, final int length, final long first, final long count)
    {
        long position = 0;
        for (long i = 0; i < count; i++)
        {
            buffer.putLong(0, first + i, ByteOrder.LITTLE_ENDIAN);
            while ((position = publication.offer(buffer, 0, length)) < 0)
            {
                if (publication.isClosed())
                {
                    throw new IllegalStateException("publication closed while publishing");
                }
            }
        }
        return position;
    }

    static void awaitCounter(final CountersReader counters, final int counterId, final long position)
    {
        final long deadline = System.nanoTime() + 5 * SETUP_TIMEOUT_NS;
        for (long reads = 1; counters.getCounterValue(counterId) < position; reads++)
        {
            if ((reads & 1023) == 0 && System.nanoTime() > deadline)
            {
                throw new IllegalStateException("recording did not reach " + position);
            }
        }
    }

    static void record(final String[] args) throws Exception
    {
        final String aeronDir = args[1];
        final String controlChannel = args[2];
        final int controlStreamId = Integer.parseInt(args[3]);
        final String channel = args[4];
        final int streamId = Integer.parseInt(args[5]);
        final int messageLength = Integer.parseInt(args[6]);
        final long warmupBytes = Long.parseLong(args[7]);
        final long bytes = Long.parseLong(args[8]);
        final boolean keep = Boolean.parseBoolean(args[9]);

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).driverTimeoutMs(20_000));
            AeronArchive archive = connect(aeron, controlChannel, controlStreamId);
            ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId))
        {
            final int sessionId = publication.sessionId();
            final long subscriptionId = archive.startRecording(
                "aeron:ipc?session-id=" + sessionId, streamId, SourceLocation.LOCAL);
            final CountersReader counters = aeron.countersReader();
            final long archiveId = archive.archiveId();
            final int[] counterId = { -1 };
            await("RecordingPos counter", () ->
                (counterId[0] = RecordingPos.findCounterIdBySession(counters, sessionId, archiveId)) >= 0);
            await("publication connected", publication::isConnected);
            final long recordingId = RecordingPos.getRecordingId(counters, counterId[0]);

            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength));
            final int perMessage = frameLength(messageLength);
            final long warmupMessages = (warmupBytes + perMessage - 1) / perMessage;
            final long messages = (bytes + perMessage - 1) / perMessage;

            final long warmPosition = publish(publication, buffer, messageLength, 0, warmupMessages);
            awaitCounter(counters, counterId[0], warmPosition);
            final long startPosition = publication.position();
            final long start = System.nanoTime();
            final long endPosition = publish(publication, buffer, messageLength, warmupMessages, messages);
            awaitCounter(counters, counterId[0], endPosition);
            final double elapsedMs = (System.nanoTime() - start) / 1e6;

            archive.stopRecording(subscriptionId);
            if (!keep)
            {
                await("recording stopped", () -> !RecordingPos.isActive(counters, counterId[0], recordingId));
                archive.purgeRecording(recordingId);
            }
            final long recordedBytes = endPosition - startPosition;
            System.out.println("RESULT {\"mbPerSecond\":" + (recordedBytes / MB / (elapsedMs / 1000.0)) +
                ",\"recordedBytes\":" + recordedBytes +
                ",\"messages\":" + messages +
                ",\"messagesPerSecond\":" + (messages * 1000.0 / elapsedMs) +
                ",\"elapsedMs\":" + elapsedMs +
                ",\"recordingId\":" + recordingId +
                ",\"stopPosition\":" + endPosition +
                ",\"totalMessages\":" + (warmupMessages + messages) + "}");
        }
    }

    static final class Consumer implements FragmentHandler
    {
        long expected;
        long badSequence = -1;

        public void onFragment(
            final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
        {
            if (buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) != (int)expected && badSequence < 0)
            {
                badSequence = expected;
            }
            expected++;
        }
    }

    /** [elapsedMs, requestMs, firstMessageMs, polls, emptyPolls] of one replay. */
    static double[] replayOnce(
        final Aeron aeron,
        final AeronArchive archive,
        final long recordingId,
        final long length,
        final long messages,
        final String replayChannel,
        final int replayStreamId)
    {
        final long start = System.nanoTime();
        final Consumer consumer = new Consumer();
        final double requestMs;
        long polls = 1;
        long emptyPolls = 0;
        double firstMessageMs = -1;
        try (Subscription subscription = archive.replay(recordingId, 0, length, replayChannel, replayStreamId))
        {
            requestMs = (System.nanoTime() - start) / 1e6;
            final long deadline = System.nanoTime() + 5 * SETUP_TIMEOUT_NS;
            for (; consumer.expected < messages; polls++)
            {
                if (subscription.poll(consumer, FRAGMENT_LIMIT) == 0)
                {
                    emptyPolls++;
                }
                else if (firstMessageMs < 0)
                {
                    firstMessageMs = (System.nanoTime() - start) / 1e6;
                }
                if ((polls & 1023) == 0 && System.nanoTime() > deadline)
                {
                    throw new IllegalStateException(
                        "replay stalled at message " + consumer.expected + " of " + messages);
                }
            }
        }
        final double elapsedMs = (System.nanoTime() - start) / 1e6;
        if (consumer.badSequence >= 0)
        {
            throw new IllegalStateException("replayed message " + consumer.badSequence + " out of sequence");
        }
        return new double[]{ elapsedMs, requestMs, firstMessageMs, polls - 1, emptyPolls };
    }

    static void replay(final String[] args) throws Exception
    {
        final String aeronDir = args[1];
        final String controlChannel = args[2];
        final int controlStreamId = Integer.parseInt(args[3]);
        final long recordingId = Long.parseLong(args[4]);
        final long length = Long.parseLong(args[5]);
        final long messages = Long.parseLong(args[6]);
        final String replayChannel = args[7];
        final int replayStreamId = Integer.parseInt(args[8]);

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).driverTimeoutMs(20_000));
            AeronArchive archive = connect(aeron, controlChannel, controlStreamId))
        {
            replayOnce(aeron, archive, recordingId, length, messages, replayChannel, replayStreamId);
            final double[] timed = replayOnce(
                aeron, archive, recordingId, length, messages, replayChannel, replayStreamId);
            final double elapsedMs = timed[0];
            System.out.println("RESULT {\"mbPerSecond\":" + (length / MB / (elapsedMs / 1000.0)) +
                ",\"replayedBytes\":" + length +
                ",\"messages\":" + messages +
                ",\"messagesPerSecond\":" + (messages * 1000.0 / elapsedMs) +
                ",\"elapsedMs\":" + elapsedMs +
                ",\"requestMs\":" + timed[1] +
                ",\"firstMessageMs\":" + timed[2] +
                ",\"polls\":" + (long)timed[3] +
                ",\"emptyPolls\":" + (long)timed[4] + "}");
        }
    }
}
