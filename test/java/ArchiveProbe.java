import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours): drives a running archive with the real Java AeronArchive client and prints one
 * machine-readable line per fact on stdout, then exits 0. Any failure or passed deadline exits 1 with
 * a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveProbe aeronDir controlChannel controlStreamId responseChannel messageCount channel streamId
 *
 * Output lines:
 *   archive id=<archiveId> controlSessionId=<id>
 *   published position=<publication position after the last message> messages=<n> session=<sessionId>
 *   recording id=<id> start=<startPosition> stop=<stopPosition> stream=<streamId> session=<sessionId> channel=<original channel>
 *   done
 */
public final class ArchiveProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final SleepingMillisIdleStrategy IDLE = new SleepingMillisIdleStrategy(1);

    public static void main(final String[] args)
    {
        if (args.length != 7)
        {
            fail("usage: ArchiveProbe aeronDir controlChannel controlStreamId responseChannel messageCount channel streamId");
        }
        final String aeronDir = args[0];
        final String controlChannel = args[1];
        final int controlStreamId = Integer.parseInt(args[2]);
        final String responseChannel = args[3];
        final int messageCount = Integer.parseInt(args[4]);
        final String channel = args[5];
        final int streamId = Integer.parseInt(args[6]);

        try
        {
            run(aeronDir, controlChannel, controlStreamId, responseChannel, messageCount, channel, streamId);
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
        final int messageCount,
        final String channel,
        final int streamId)
    {
        final Aeron.Context aeronCtx = new Aeron.Context()
            .aeronDirectoryName(aeronDir)
            .idleStrategy(new SleepingMillisIdleStrategy(1));

        try (Aeron aeron = Aeron.connect(aeronCtx);
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(controlChannel)
                .controlRequestStreamId(controlStreamId)
                .controlResponseChannel(responseChannel)
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(20))
                .idleStrategy(new SleepingMillisIdleStrategy(1))))
        {
            System.out.println("archive id=" + archive.archiveId() + " controlSessionId=" + archive.controlSessionId());

            final long subscriptionId = archive.startRecording(channel, streamId, SourceLocation.LOCAL);
            try (Publication publication = aeron.addPublication(channel, streamId))
            {
                long deadline = System.nanoTime() + DEADLINE_NS;
                while (!publication.isConnected())
                {
                    check(deadline, "publication to connect to the archive's recording subscription");
                    IDLE.idle();
                }

                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                for (int i = 0; i < messageCount; i++)
                {
                    final int length = buffer.putStringWithoutLengthAscii(0, "probe message " + i);
                    deadline = System.nanoTime() + DEADLINE_NS;
                    while (publication.offer(buffer, 0, length) < 0)
                    {
                        check(deadline, "offer of message " + i);
                        IDLE.idle();
                    }
                }
                final long position = publication.position();
                System.out.println("published position=" + position + " messages=" + messageCount +
                    " session=" + publication.sessionId());

                final CountersReader counters = aeron.countersReader();
                deadline = System.nanoTime() + DEADLINE_NS;
                int counterId;
                while (CountersReader.NULL_COUNTER_ID ==
                    (counterId = RecordingPos.findCounterIdBySession(
                    counters, publication.sessionId(), archive.archiveId())))
                {
                    check(deadline, "recording position counter");
                    IDLE.idle();
                }
                final long recordingId = RecordingPos.getRecordingId(counters, counterId);
                deadline = System.nanoTime() + DEADLINE_NS;
                while (counters.getCounterValue(counterId) < position)
                {
                    check(deadline, "recording " + recordingId + " to reach position " + position);
                    IDLE.idle();
                }

                archive.stopRecording(subscriptionId);

                deadline = System.nanoTime() + DEADLINE_NS;
                while (archive.getStopPosition(recordingId) == AeronArchive.NULL_POSITION)
                {
                    check(deadline, "recording " + recordingId + " to have a stop position");
                    IDLE.idle();
                }
            }

            final List<String> lines = new ArrayList<>();
            archive.listRecordingsForUri(
                0, 100, channel, streamId,
                (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
                recordedStreamId, strippedChannel, originalChannel, sourceIdentity) ->
                    lines.add("recording id=" + recordingId + " start=" + startPosition + " stop=" + stopPosition +
                    " stream=" + recordedStreamId + " session=" + sessionId + " channel=" + originalChannel));
            for (final String line : lines)
            {
                System.out.println(line);
            }
        }
    }

    private static void check(final long deadlineNs, final String what)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            fail("timed out waiting for " + what);
        }
    }

    private static void fail(final String message)
    {
        System.out.flush();
        System.err.println("probe-error " + message);
        System.err.flush();
        System.exit(1);
    }
}
