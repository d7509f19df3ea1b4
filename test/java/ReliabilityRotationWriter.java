/*
 * Writer for reliability row P4 (test/reliability/client-admin-action.test.ts): the real Java client offering
 * 32-byte numbered messages (PubSubProbe.fill pattern) to a CONCURRENT publication whose log other
 * processes write too. Retries ADMIN_ACTION at once, BACK_PRESSURED / NOT_CONNECTED after a 0.1 ms park.
 *
 * args: <aeronDir> <channel> <streamId> <seed> <count> <goFile>
 * prints: ready position=<p>   (connected; then waits for <goFile> to exist)
 *         done count=<n> admin-actions=<a> back-pressured=<b> last=<p>
 * exit: 0 done, 1 failure, 2 deadline (90 s)
 */
import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.locks.LockSupport;

public final class ReliabilityRotationWriter
{
    private static final int MESSAGE_LENGTH = 32;

    public static void main(final String[] args) throws Exception
    {
        final String dir = args[0];
        final String channel = args[1];
        final int streamId = Integer.parseInt(args[2]);
        final int seed = Integer.parseInt(args[3]);
        final int count = Integer.parseInt(args[4]);
        final String goFile = args[5];
        final long deadlineMs = System.currentTimeMillis() + 90_000;

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
            Publication publication = aeron.addPublication(channel, streamId))
        {
            while (!publication.isConnected())
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    System.exit(2);
                }
                Thread.sleep(1);
            }
            System.out.println("ready position=" + publication.position());
            System.out.flush();
            while (!Files.exists(Paths.get(goFile)))
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    System.exit(2);
                }
                Thread.sleep(1);
            }

            final byte[] bytes = new byte[MESSAGE_LENGTH];
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            long adminActions = 0;
            long backPressured = 0;
            long last = 0;
            for (int i = 0; i < count; i++)
            {
                PubSubProbe.fill(bytes, MESSAGE_LENGTH, seed, i);
                while (true)
                {
                    final long result = publication.offer(buffer, 0, MESSAGE_LENGTH);
                    if (result > 0)
                    {
                        last = result;
                        break;
                    }
                    if (result == Publication.ADMIN_ACTION)
                    {
                        adminActions++;
                        continue;
                    }
                    if (result != Publication.BACK_PRESSURED && result != Publication.NOT_CONNECTED)
                    {
                        System.out.println("failed index=" + i + " result=" + result);
                        System.exit(1);
                    }
                    backPressured++;
                    if (System.currentTimeMillis() > deadlineMs)
                    {
                        System.exit(2);
                    }
                    // back off a little: the subscriber shares two cores with everything else
                    LockSupport.parkNanos(100_000);
                }
            }
            System.out.println("done count=" + count + " admin-actions=" + adminActions +
                " back-pressured=" + backPressured + " last=" + last);
        }
    }
}
