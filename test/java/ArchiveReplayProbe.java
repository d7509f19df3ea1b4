import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours): with the real Java AeronArchive client, lists the recordings for a channel fragment and
 * stream, replays the last one over IPC, and prints one line per fact on stdout, then exits 0. Any failure or
 * passed deadline exits 1 with a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveReplayProbe aeronDir controlChannel controlStreamId responseChannel channelFragment streamId
 *
 * Output lines:
 *   recording id=<id> start=<startPosition> stop=<stopPosition> session=<sessionId>
 *   message <payload as ASCII>          (one per replayed message, in order)
 *   done
 */
public final class ArchiveReplayProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    public static void main(final String[] args)
    {
        if (args.length != 6)
        {
            fail("usage: ArchiveReplayProbe aeronDir controlChannel controlStreamId responseChannel fragment streamId");
        }
        try
        {
            run(args[0], args[1], Integer.parseInt(args[2]), args[3], args[4], Integer.parseInt(args[5]));
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            fail(t.toString());
        }
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }

    private static void run(
        final String aeronDir,
        final String controlChannel,
        final int controlStreamId,
        final String responseChannel,
        final String fragment,
        final int streamId)
    {
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(controlChannel)
                .controlRequestStreamId(controlStreamId)
                .controlResponseChannel(responseChannel)))
        {
            final long[] last = { -1, 0, 0 };
            archive.listRecordingsForUri(0, 100, fragment, streamId,
                (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, sId,
                strippedChannel, originalChannel, sourceIdentity) ->
                {
                    System.out.println("recording id=" + recordingId + " start=" + startPosition + " stop=" +
                        stopPosition + " session=" + sessionId);
                    last[0] = recordingId;
                    last[1] = startPosition;
                    last[2] = stopPosition;
                });
            if (last[0] < 0)
            {
                throw new IllegalStateException("no recording for " + fragment + " stream " + streamId);
            }

            final long deadline = System.nanoTime() + DEADLINE_NS;
            final long[] received = { 0 };
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                System.out.println("message " + buffer.getStringWithoutLengthAscii(offset, length));
                received[0] += length;
            };
            try (Subscription replay = archive.replay(last[0], last[1], last[2] - last[1], "aeron:ipc", streamId + 1))
            {
                boolean seenImage = false;
                while (true)
                {
                    if (replay.imageCount() > 0)
                    {
                        seenImage = true;
                        if (replay.imageAtIndex(0).isEndOfStream())
                        {
                            break;
                        }
                    }
                    else if (seenImage)
                    {
                        break;
                    }
                    if (replay.poll(handler, 10) == 0)
                    {
                        if (System.nanoTime() > deadline)
                        {
                            throw new IllegalStateException("replay timed out after " + received[0] + " bytes");
                        }
                        idle.idle();
                    }
                }
            }
        }
    }

    private static void fail(final String message)
    {
        System.err.println("probe-error " + message);
        System.err.flush();
        System.exit(1);
    }
}
