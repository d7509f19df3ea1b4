import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.RecordingEventsAdapter;
import io.aeron.archive.client.RecordingEventsListener;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours): with the real Java AeronArchive client, runs a list of archive operations in order and
 * prints one line per result on stdout, then "done" and exits 0. An operation the archive refuses prints
 * "error code=<ArchiveException code> <message>" and the probe goes on; any other failure or a passed deadline
 * exits 1 with a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveOpsProbe aeronDir controlChannel controlStreamId responseChannel op...
 * Operations (fields separated by '~'):
 *   startPosition~id                 -> startPosition <position>
 *   stopPosition~id                  -> stopPosition <position>
 *   listRecording~id                 -> recording id=<id> start=<start> stop=<stop> stream=<streamId>
 *                                       original=<originalChannel> stripped=<strippedChannel>
 *   listSubs~fragment~streamId~apply -> sub id=<subscriptionId> stream=<streamId> channel=<channel> (each), subs <n>
 *   updateChannel~id~channel         -> updateChannel ok
 *   bounded~id~position~length~limit1~limit2~replayStreamId
 *                                    -> a counter set to limit1 bounds a replay on aeron:ipc: "bounded first
 *                                       position=<p> messages=<n>" once the image reaches limit1 (and nothing
 *                                       more after 300 ms), then the counter set to limit2: "bounded second
 *                                       position=<p> messages=<n>"
 *   detach~id~position               -> detach ok
 *   deleteDetached~id                -> deleteDetached <count>
 *   purgeSegments~id~position        -> purgeSegments <count>
 *   attach~id                        -> attach <count>
 *   migrate~src~dst                  -> migrate <count>
 *   events~channel~streamId          -> with Java's RecordingEventsAdapter on the events channel until one
 *                                       RecordingStopped: "started id=<id> start=<p> session=<s> stream=<s>
 *                                       channel=<c> source=<identity>", "progress count=<n> last=<position>",
 *                                       "stopped id=<id> start=<p> stop=<p>"
 */
public final class ArchiveOpsProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    public static void main(final String[] args)
    {
        if (args.length < 4)
        {
            fail("usage: ArchiveOpsProbe aeronDir controlChannel controlStreamId responseChannel op...");
        }
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(args[1])
                .controlRequestStreamId(Integer.parseInt(args[2]))
                .controlResponseChannel(args[3])))
        {
            for (int i = 4; i < args.length; i++)
            {
                final String[] op = args[i].split("~", -1);
                try
                {
                    run(aeron, archive, op);
                }
                catch (final ArchiveException ex)
                {
                    System.out.println("error code=" + ex.errorCode() + " " + ex.getMessage());
                }
            }
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

    private static void run(final Aeron aeron, final AeronArchive archive, final String[] op)
    {
        switch (op[0])
        {
            case "startPosition":
                System.out.println("startPosition " + archive.getStartPosition(Long.parseLong(op[1])));
                break;
            case "stopPosition":
                System.out.println("stopPosition " + archive.getStopPosition(Long.parseLong(op[1])));
                break;
            case "listRecording":
                archive.listRecording(Long.parseLong(op[1]),
                    (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                    stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
                    strippedChannel, originalChannel, sourceIdentity) ->
                        System.out.println("recording id=" + recordingId + " start=" + startPosition + " stop=" +
                            stopPosition + " stream=" + streamId + " original=" + originalChannel + " stripped=" +
                            strippedChannel));
                break;
            case "listSubs":
            {
                final int count = archive.listRecordingSubscriptions(
                    0, 100, op[1], Integer.parseInt(op[2]), Boolean.parseBoolean(op[3]),
                    (controlSessionId, correlationId, subscriptionId, streamId, strippedChannel) ->
                        System.out.println("sub id=" + subscriptionId + " stream=" + streamId + " channel=" +
                            strippedChannel));
                System.out.println("subs " + count);
                break;
            }
            case "updateChannel":
                archive.updateChannel(Long.parseLong(op[1]), op[2]);
                System.out.println("updateChannel ok");
                break;
            case "bounded":
                bounded(aeron, archive, op);
                break;
            case "events":
                events(aeron, op[1], Integer.parseInt(op[2]));
                break;
            case "detach":
                archive.detachSegments(Long.parseLong(op[1]), Long.parseLong(op[2]));
                System.out.println("detach ok");
                break;
            case "deleteDetached":
                System.out.println("deleteDetached " + archive.deleteDetachedSegments(Long.parseLong(op[1])));
                break;
            case "purgeSegments":
                System.out.println(
                    "purgeSegments " + archive.purgeSegments(Long.parseLong(op[1]), Long.parseLong(op[2])));
                break;
            case "attach":
                System.out.println("attach " + archive.attachSegments(Long.parseLong(op[1])));
                break;
            case "migrate":
                System.out.println(
                    "migrate " + archive.migrateSegments(Long.parseLong(op[1]), Long.parseLong(op[2])));
                break;
            default:
                throw new IllegalArgumentException("unknown op " + op[0]);
        }
    }

    private static void bounded(final Aeron aeron, final AeronArchive archive, final String[] op)
    {
        final long recordingId = Long.parseLong(op[1]);
        final long position = Long.parseLong(op[2]);
        final long length = Long.parseLong(op[3]);
        final long limit1 = Long.parseLong(op[4]);
        final long limit2 = Long.parseLong(op[5]);
        final int streamId = Integer.parseInt(op[6]);
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long[] messages = { 0 };
        final FragmentHandler handler = (buffer, offset, len, header) -> messages[0]++;
        try (Counter counter = aeron.addCounter(1001, "replay limit");
            Subscription subscription = aeron.addSubscription("aeron:ipc", streamId))
        {
            counter.set(limit1);
            final long replaySessionId =
                archive.startBoundedReplay(recordingId, position, length, counter.id(), "aeron:ipc", streamId);
            final Image image = awaitImage(subscription, (int)replaySessionId, idle);
            pollTo(image, handler, limit1, idle);
            final long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < settle)
            {
                image.poll(handler, 10);
                idle.idle();
            }
            System.out.println("bounded first position=" + image.position() + " messages=" + messages[0]);
            counter.set(limit2);
            pollTo(image, handler, limit2, idle);
            System.out.println("bounded second position=" + image.position() + " messages=" + messages[0]);
            archive.stopReplay(replaySessionId);
        }
    }

    private static void events(final Aeron aeron, final String channel, final int streamId)
    {
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long[] progress = { 0, -1 };
        final boolean[] stopped = { false };
        final RecordingEventsListener listener = new RecordingEventsListener()
        {
            public void onStart(
                final long recordingId,
                final long startPosition,
                final int sessionId,
                final int streamId,
                final String channel,
                final String sourceIdentity)
            {
                System.out.println("started id=" + recordingId + " start=" + startPosition + " session=" +
                    sessionId + " stream=" + streamId + " channel=" + channel + " source=" + sourceIdentity);
            }

            public void onProgress(final long recordingId, final long startPosition, final long position)
            {
                progress[0]++;
                progress[1] = position;
            }

            public void onStop(final long recordingId, final long startPosition, final long stopPosition)
            {
                System.out.println("progress count=" + progress[0] + " last=" + progress[1]);
                System.out.println("stopped id=" + recordingId + " start=" + startPosition + " stop=" + stopPosition);
                stopped[0] = true;
            }
        };
        try (Subscription subscription = aeron.addSubscription(channel, streamId))
        {
            final RecordingEventsAdapter adapter = new RecordingEventsAdapter(listener, subscription, 10);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stopped[0])
            {
                if (adapter.poll() == 0)
                {
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException("no RecordingStopped event");
                    }
                    idle.idle();
                }
            }
        }
    }

    private static Image awaitImage(
        final Subscription subscription, final int sessionId, final SleepingMillisIdleStrategy idle)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        Image image;
        while (null == (image = subscription.imageBySessionId(sessionId)))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no replay image");
            }
            idle.idle();
        }
        return image;
    }

    private static void pollTo(
        final Image image, final FragmentHandler handler, final long limit, final SleepingMillisIdleStrategy idle)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (image.position() < limit)
        {
            if (image.poll(handler, 10) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("replay stalled at " + image.position() + " < " + limit);
                }
                idle.idle();
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
