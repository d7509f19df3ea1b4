import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours) for the offline catalog CLI commands. Against a running archive it:
 * records two IPC streams (1001: 10 messages, 1002: 25 messages) and stops them, starts a third
 * recording (1003: 5 messages) and leaves it active, provokes an archive-side error (stopRecording of a
 * channel that is not an Aeron URI, which the archive logs to its mark file's error log), lists the
 * recordings, prints READY and waits for stdin to close; then stops the third recording, lists again
 * and prints DONE.
 *
 * Usage: CatalogProbe aeronDir controlChannel controlStreamId responseChannel
 * Output: "ERROR <client-side message>", "R <tab-separated descriptor fields>" per recording, READY,
 * then the final list as "F <fields>" lines and DONE. Failures exit 1 with "probe-error ..." on stderr.
 */
public final class CatalogProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final SleepingMillisIdleStrategy IDLE = new SleepingMillisIdleStrategy(1);

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 4)
        {
            fail("usage: CatalogProbe aeronDir controlChannel controlStreamId responseChannel");
        }
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]).idleStrategy(IDLE));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(args[1])
                .controlRequestStreamId(Integer.parseInt(args[2]))
                .controlResponseChannel(args[3])
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(20))
                .idleStrategy(IDLE)))
        {
            record(aeron, archive, "aeron:ipc?alias=k2-one", 1001, 10, true);
            record(aeron, archive, "aeron:ipc?term-length=128k|alias=k2-two", 1002, 25, true);
            final long liveSubscriptionId = record(aeron, archive, "aeron:ipc?alias=k2-live", 1003, 5, false);

            try
            {
                archive.stopRecording("not-an-aeron-uri", 77);
                fail("stopRecording of a bad channel did not fail");
            }
            catch (final ArchiveException ex)
            {
                System.out.println("ERROR " + ex.getMessage().replace('\n', ' '));
            }

            list(archive, "R");
            System.out.println("READY");
            System.out.flush();

            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            while (null != in.readLine())
            {
                // wait for stdin to close
            }

            archive.stopRecording(liveSubscriptionId);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (archive.getStopPosition(2) == AeronArchive.NULL_POSITION)
            {
                check(deadline, "the live recording to stop");
                IDLE.idle();
            }
            list(archive, "F");
            System.out.println("DONE");
            System.out.flush();
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            fail(t.toString());
        }
        System.exit(0);
    }

    private static long record(
        final Aeron aeron,
        final AeronArchive archive,
        final String channel,
        final int streamId,
        final int messages,
        final boolean stop)
    {
        final long subscriptionId = archive.startRecording(channel, streamId, SourceLocation.LOCAL);
        final Publication publication = aeron.addPublication(channel, streamId);
        long deadline = System.nanoTime() + DEADLINE_NS;
        while (!publication.isConnected())
        {
            check(deadline, "publication on stream " + streamId + " to connect");
            IDLE.idle();
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < messages; i++)
        {
            final int length = buffer.putStringWithoutLengthAscii(0, "catalog probe message " + i);
            deadline = System.nanoTime() + DEADLINE_NS;
            while (publication.offer(buffer, 0, length) < 0)
            {
                check(deadline, "offer on stream " + streamId);
                IDLE.idle();
            }
        }
        final long position = publication.position();
        final CountersReader counters = aeron.countersReader();
        deadline = System.nanoTime() + DEADLINE_NS;
        int counterId;
        while (CountersReader.NULL_COUNTER_ID ==
            (counterId = RecordingPos.findCounterIdBySession(counters, publication.sessionId(), archive.archiveId())))
        {
            check(deadline, "recording position counter of stream " + streamId);
            IDLE.idle();
        }
        final long recordingId = RecordingPos.getRecordingId(counters, counterId);
        deadline = System.nanoTime() + DEADLINE_NS;
        while (counters.getCounterValue(counterId) < position)
        {
            check(deadline, "recording " + recordingId + " to reach " + position);
            IDLE.idle();
        }
        if (stop)
        {
            archive.stopRecording(subscriptionId);
            deadline = System.nanoTime() + DEADLINE_NS;
            while (archive.getStopPosition(recordingId) == AeronArchive.NULL_POSITION)
            {
                check(deadline, "recording " + recordingId + " to stop");
                IDLE.idle();
            }
            publication.close();
        }
        return subscriptionId;
    }

    private static void list(final AeronArchive archive, final String tag)
    {
        final StringBuilder out = new StringBuilder();
        archive.listRecordings(
            0, 100,
            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
            streamId, strippedChannel, originalChannel, sourceIdentity) ->
                out.append(tag).append(' ').append(recordingId)
                .append('\t').append(startTimestamp).append('\t').append(stopTimestamp)
                .append('\t').append(startPosition).append('\t').append(stopPosition)
                .append('\t').append(initialTermId).append('\t').append(segmentFileLength)
                .append('\t').append(termBufferLength).append('\t').append(mtuLength)
                .append('\t').append(sessionId).append('\t').append(streamId)
                .append('\t').append(strippedChannel).append('\t').append(originalChannel)
                .append('\t').append(sourceIdentity).append('\n'));
        System.out.print(out);
    }

    private static void check(final long deadline, final String what)
    {
        if (System.nanoTime() > deadline)
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
