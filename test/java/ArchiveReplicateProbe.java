import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingSignalConsumer;
import io.aeron.archive.client.ReplicationParams;
import io.aeron.archive.codecs.RecordingSignal;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test probe (ours): with the real Java AeronArchive client on a destination archive, replicates one recording
 * from a source archive and prints, one line each, the recording signals of the replication in the order they
 * arrive, then the replica's start and stop positions from the destination's catalog, and exits 0. Ids are left
 * out so that two destination archives (Java's and the TypeScript one) can be compared line for line. Any failure
 * or passed deadline exits 1 with a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveReplicateProbe aeronDir controlChannel controlStreamId responseChannel
 *                              srcRecordingId srcControlStreamId srcControlChannel mode
 *
 * Modes:
 *   replicate         replicate(src, new recording); waits for REPLICATE_END and STOP
 *   tagged            taggedReplicate(src, new recording, two fresh tags); waits for REPLICATE_END and STOP
 *   stop              replicate(src, new recording) of an active recording; after EXTEND, stopReplication,
 *                     waits for REPLICATE_END and STOP, then prints "second stop <tryStopReplication result>"
 *   stopAt:<position> ReplicationParams.stopPosition(position); waits for REPLICATE_END and STOP
 *
 * Output lines:
 *   signal <NAME> position=<position> subscription=<set|none>
 *   second stop <true|false>            (mode stop)
 *   recording start=<startPosition> stop=<stopPosition>
 *   done
 */
public final class ArchiveReplicateProbe
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long NULL_VALUE = -1;

    public static void main(final String[] args)
    {
        if (args.length != 8)
        {
            fail("usage: ArchiveReplicateProbe aeronDir controlChannel controlStreamId responseChannel " +
                "srcRecordingId srcControlStreamId srcControlChannel mode");
        }
        try
        {
            run(args[0], args[1], Integer.parseInt(args[2]), args[3], Long.parseLong(args[4]),
                Integer.parseInt(args[5]), args[6], args[7]);
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

    private static final class Signals implements RecordingSignalConsumer
    {
        final List<String> lines = new ArrayList<>();
        final List<RecordingSignal> names = new ArrayList<>();
        long replicationId = NULL_VALUE;
        long dstRecordingId = NULL_VALUE;

        public void onSignal(
            final long controlSessionId,
            final long correlationId,
            final long recordingId,
            final long subscriptionId,
            final long position,
            final RecordingSignal signal)
        {
            if (correlationId != replicationId)
            {
                return;
            }
            if (signal == RecordingSignal.REPLICATE)
            {
                dstRecordingId = recordingId;
            }
            names.add(signal);
            lines.add("signal " + signal + " position=" + position + " subscription=" +
                (subscriptionId == NULL_VALUE ? "none" : "set"));
        }
    }

    private static void run(
        final String aeronDir,
        final String controlChannel,
        final int controlStreamId,
        final String responseChannel,
        final long srcRecordingId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final String mode)
    {
        final Signals signals = new Signals();
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(controlChannel)
                .controlRequestStreamId(controlStreamId)
                .controlResponseChannel(responseChannel)
                .recordingSignalConsumer(signals)))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            if ("tagged".equals(mode))
            {
                signals.replicationId = archive.taggedReplicate(
                    srcRecordingId, NULL_VALUE, aeron.nextCorrelationId(), aeron.nextCorrelationId(),
                    srcControlStreamId, srcControlChannel, null);
            }
            else if (mode.startsWith("stopAt:"))
            {
                signals.replicationId = archive.replicate(srcRecordingId, srcControlStreamId, srcControlChannel,
                    new ReplicationParams().stopPosition(Long.parseLong(mode.substring("stopAt:".length()))));
            }
            else
            {
                signals.replicationId = archive.replicate(
                    srcRecordingId, srcControlStreamId, srcControlChannel, new ReplicationParams());
            }

            if ("stop".equals(mode))
            {
                await(archive, signals, RecordingSignal.EXTEND, deadline, idle);
                archive.stopReplication(signals.replicationId);
            }
            await(archive, signals, RecordingSignal.REPLICATE_END, deadline, idle);
            await(archive, signals, RecordingSignal.STOP, deadline, idle);
            final boolean secondStop = "stop".equals(mode) && archive.tryStopReplication(signals.replicationId);

            for (final String line : signals.lines)
            {
                System.out.println(line);
            }
            if ("stop".equals(mode))
            {
                System.out.println("second stop " + secondStop);
            }
            final long[] positions = { 0, 0 };
            final int found = archive.listRecording(signals.dstRecordingId,
                (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
                strippedChannel, originalChannel, sourceIdentity) ->
                {
                    positions[0] = startPosition;
                    positions[1] = stopPosition;
                });
            if (found != 1)
            {
                throw new IllegalStateException("replica " + signals.dstRecordingId + " not listed");
            }
            System.out.println("recording start=" + positions[0] + " stop=" + positions[1]);
        }
    }

    private static void fail(final String message)
    {
        System.err.println("probe-error " + message);
        System.err.flush();
        System.exit(1);
    }

    private static void await(
        final AeronArchive archive,
        final Signals signals,
        final RecordingSignal signal,
        final long deadline,
        final SleepingMillisIdleStrategy idle)
    {
        while (!signals.names.contains(signal))
        {
            final String error = archive.pollForErrorResponse();
            if (null != error)
            {
                throw new IllegalStateException("archive error: " + error);
            }
            if (archive.pollForRecordingSignals() == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no " + signal + " signal; seen " + signals.lines);
                }
                idle.idle();
            }
        }
    }
}
