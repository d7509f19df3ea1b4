// Test fixture for the aeron-ts CLI: a real Java client that holds traffic open on a driver so the CLI has
// something to show, and prints Java's own view of the counters (CountersReader) to compare with `stat`.
//
//   AeronStatProbe <aeronDir> <udpPort> <ipcMessages>
// 1. adds an IPC publication+subscription (stream 1001, 64k terms) and sends <ipcMessages> messages of 1000
//    bytes ("msg-<i>:" then a letter repeated), consuming them as they go, so term 0 ends in padding;
// 2. adds a UDP publication+subscription on localhost:<udpPort> (stream 1002) and sends the same messages;
// 3. adds a publication on an invalid channel, which the driver rejects and logs in its distinct error log;
// 4. prints "IPC <registrationId> <sessionId>", "UDP ...", "ERROR <message>", "READY", then waits;
// 5. on each stdin line "COUNTERS" prints "C <id> <typeId> <value> <label>" for every counter then "END";
// 6. closes everything when stdin closes.
import io.aeron.Aeron;
import io.aeron.ConcurrentPublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.RegistrationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public final class AeronStatProbe
{
    public static void main(final String[] args) throws Exception
    {
        final String aeronDir = args[0];
        final int udpPort = Integer.parseInt(args[1]);
        final int ipcMessages = Integer.parseInt(args[2]);
        final Aeron.Context ctx = new Aeron.Context().aeronDirectoryName(aeronDir);
        try (Aeron aeron = Aeron.connect(ctx))
        {
            final Subscription ipcSub = aeron.addSubscription("aeron:ipc?term-length=64k", 1001);
            final ConcurrentPublication ipcPub = aeron.addPublication("aeron:ipc?term-length=64k", 1001);
            awaitConnected(ipcPub);
            send(ipcPub, ipcSub, ipcMessages);
            System.out.println("IPC " + ipcPub.registrationId() + " " + ipcPub.sessionId());

            final String udp = "aeron:udp?endpoint=localhost:" + udpPort + "|term-length=64k";
            final Subscription udpSub = aeron.addSubscription(udp, 1002);
            final ConcurrentPublication udpPub = aeron.addPublication(udp, 1002);
            awaitConnected(udpPub);
            send(udpPub, udpSub, ipcMessages);
            System.out.println("UDP " + udpPub.registrationId() + " " + udpPub.sessionId());

            try
            {
                aeron.addPublication("aeron:udp?endpoint=localhost:99999", 1003);
                System.out.println("ERROR none");
            }
            catch (final RegistrationException ex)
            {
                System.out.println("ERROR " + ex.getMessage().replace('\n', ' '));
            }
            System.out.println("READY");
            System.out.flush();

            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                if ("COUNTERS".equals(line.trim()))
                {
                    final CountersReader counters = aeron.countersReader();
                    final StringBuilder sb = new StringBuilder();
                    counters.forEach((id, typeId, key, label) -> sb.append("C ").append(id).append(' ')
                        .append(typeId).append(' ').append(counters.getCounterValue(id)).append(' ')
                        .append(label).append('\n'));
                    sb.append("END\n");
                    System.out.print(sb);
                    System.out.flush();
                }
            }
            ipcPub.close();
            udpPub.close();
        }
    }

    private static void awaitConnected(final Publication publication) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (!publication.isConnected())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new IllegalStateException("publication not connected: " + publication.channel());
            }
            Thread.sleep(1);
        }
    }

    private static void send(final Publication publication, final Subscription subscription, final int count)
        throws InterruptedException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1000]);
        final int[] received = { 0 };
        final long deadline = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < count; i++)
        {
            final byte[] prefix = ("msg-" + i + ":").getBytes(StandardCharsets.US_ASCII);
            buffer.setMemory(0, 1000, (byte)('a' + (i % 26)));
            buffer.putBytes(0, prefix);
            while (publication.offer(buffer, 0, 1000) < 0)
            {
                subscription.poll((b, o, l, h) -> received[0]++, 10);
                if (System.currentTimeMillis() > deadline)
                {
                    throw new IllegalStateException("could not send message " + i);
                }
                Thread.sleep(0, 100_000);
            }
        }
        while (received[0] < count)
        {
            if (subscription.poll((b, o, l, h) -> received[0]++, 10) == 0)
            {
                if (System.currentTimeMillis() > deadline)
                {
                    throw new IllegalStateException("received " + received[0] + " of " + count);
                }
                Thread.sleep(1);
            }
        }
    }
}
