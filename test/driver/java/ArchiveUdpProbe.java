import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours): the real Java AeronArchive client over UDP control and response channels. It records a UDP
 * stream it publishes itself (SourceLocation.REMOTE: the archive subscribes to the channel over the wire), stops the
 * recording, replays it over a UDP channel and prints one line per fact on stdout, then "done" and exits 0. Any
 * failure or a passed deadline exits 1 with a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveUdpProbe aeronDir controlChannel controlStreamId responseChannel messageCount channel streamId
 *        replayChannel replayStreamId
 * Output:
 *   archive id=<id> controlSessionId=<id>
 *   recording id=<id> stop=<position> session=<sessionId>
 *   message <payload as ASCII>          (one per replayed message, in order)
 *   done
 */
public final class ArchiveUdpProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final IdleStrategy IDLE = new SleepingMillisIdleStrategy(1);

    public static void main(final String[] args)
    {
        if (args.length != 9)
        {
            fail("usage: ArchiveUdpProbe aeronDir controlChannel controlStreamId responseChannel messageCount " +
                "channel streamId replayChannel replayStreamId");
        }
        try
        {
            run(args[0], args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]), args[5],
                Integer.parseInt(args[6]), args[7], Integer.parseInt(args[8]));
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
        final int streamId,
        final String replayChannel,
        final int replayStreamId)
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(aeronDir)
                .idleStrategy(new SleepingMillisIdleStrategy(1)));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(controlChannel)
                .controlRequestStreamId(controlStreamId)
                .controlResponseChannel(responseChannel)
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(20))
                .idleStrategy(new SleepingMillisIdleStrategy(1))))
        {
            System.out.println("archive id=" + archive.archiveId() + " controlSessionId=" + archive.controlSessionId());

            final long subscriptionId = archive.startRecording(channel, streamId, SourceLocation.REMOTE);
            final long recordingId;
            final long position;
            final int sessionId;
            try (ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId))
            {
                sessionId = publication.sessionId();
                long deadline = System.nanoTime() + DEADLINE_NS;
                while (!publication.isConnected())
                {
                    check(deadline, "publication to connect to the archive's recording subscription");
                    IDLE.idle();
                }

                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                for (int i = 0; i < messageCount; i++)
                {
                    final int length = buffer.putStringWithoutLengthAscii(0, "udp probe message " + i);
                    deadline = System.nanoTime() + DEADLINE_NS;
                    while (publication.offer(buffer, 0, length) < 0)
                    {
                        check(deadline, "offer of message " + i);
                        IDLE.idle();
                    }
                }
                position = publication.position();

                final CountersReader counters = aeron.countersReader();
                deadline = System.nanoTime() + DEADLINE_NS;
                int counterId;
                while (CountersReader.NULL_COUNTER_ID ==
                    (counterId = RecordingPos.findCounterIdBySession(counters, sessionId, archive.archiveId())))
                {
                    check(deadline, "recording position counter");
                    IDLE.idle();
                }
                recordingId = RecordingPos.getRecordingId(counters, counterId);
                deadline = System.nanoTime() + DEADLINE_NS;
                while (counters.getCounterValue(counterId) < position)
                {
                    check(deadline, "recording " + recordingId + " to reach position " + position);
                    IDLE.idle();
                }
                archive.stopRecording(subscriptionId);
            }

            long deadline = System.nanoTime() + DEADLINE_NS;
            long stopPosition;
            while ((stopPosition = archive.getStopPosition(recordingId)) == AeronArchive.NULL_POSITION)
            {
                check(deadline, "recording " + recordingId + " to have a stop position");
                IDLE.idle();
            }
            System.out.println("recording id=" + recordingId + " stop=" + stopPosition + " session=" + sessionId);

            final StringBuilder lines = new StringBuilder();
            final int[] received = { 0 };
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                lines.append("message ").append(buffer.getStringWithoutLengthAscii(offset, length)).append('\n');
                received[0]++;
            };
            try (Subscription replay = archive.replay(recordingId, 0, stopPosition, replayChannel, replayStreamId))
            {
                deadline = System.nanoTime() + DEADLINE_NS;
                while (received[0] < messageCount)
                {
                    check(deadline, "replayed message " + received[0]);
                    if (replay.poll(handler, 10) == 0)
                    {
                        IDLE.idle();
                    }
                }
            }
            System.out.print(lines);
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
        System.err.println("probe-error " + message);
        System.err.flush();
        System.exit(1);
    }
}
