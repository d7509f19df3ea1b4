// Java's own response-channel client and server (io.aeron.response.ResponseClient / ResponseServer of aeron-all)
// against a media driver, for test/driver/udp-response-java.test.ts.
//
//   ResponseProbe client <aeronDir> <requestEndpoint> <requestStreamId> <responseControl> <responseStreamId>
//                        <count> <deadlineMs>
//     a ResponseClient (response subscription control-mode=response|control=<responseControl>, then an exclusive
//     request publication endpoint=<requestEndpoint>|response-correlation-id=<its registration id>, both with
//     term-length=64k); once connected prints "CONNECTED <request session id> <response image session id>", sends
//     <count> messages (message i: int32 i, then (i * 37) % 1000 bytes of (i + j) & 0xff) and checks each echo (in
//     order, same bytes); prints "RECEIVED <count> <errors>" and exits 0 (errors > 0: 1).
//
//   ResponseProbe server <aeronDir> <requestEndpoint> <requestStreamId> <responseControl> <responseStreamId>
//                        <messages> <deadlineMs>
//     a ResponseServer (with its prototype response publication, as Java's default) echoing every request on the
//     response publication of its session; prints "READY" once its subscription is added, "SESSION" for each new
//     session, and "SERVED <messages>" once it echoed <messages> and every session went, then exits 0.
//
// Past <deadlineMs>: "TIMEOUT <state>", exit 2.
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.logbuffer.Header;
import io.aeron.response.ResponseClient;
import io.aeron.response.ResponseServer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

public final class ResponseProbe
{
    private static final String CHANNEL = "aeron:udp?term-length=64k";

    private static int lengthOf(final int i)
    {
        return 4 + (i * 37) % 1000;
    }

    private static void fill(final UnsafeBuffer buffer, final int i)
    {
        buffer.putInt(0, i);
        for (int j = 4; j < lengthOf(i); j++)
        {
            buffer.putByte(j, (byte)((i + j) & 0xff));
        }
    }

    private static void exit(final String line, final int status)
    {
        System.out.println(line);
        System.out.flush();
        System.exit(status);
    }

    public static void main(final String[] args) throws Exception
    {
        final String mode = args[0];
        final String aeronDir = args[1];
        final String requestEndpoint = args[2];
        final int requestStreamId = Integer.parseInt(args[3]);
        final String responseControl = args[4];
        final int responseStreamId = Integer.parseInt(args[5]);
        final int count = Integer.parseInt(args[6]);
        final long deadline = System.currentTimeMillis() + Long.parseLong(args[7]);

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)))
        {
            if ("client".equals(mode))
            {
                runClient(aeron, requestEndpoint, requestStreamId, responseControl, responseStreamId, count, deadline);
            }
            else
            {
                runServer(aeron, requestEndpoint, requestStreamId, responseControl, responseStreamId, count, deadline);
            }
        }
    }

    private static void runClient(
        final Aeron aeron,
        final String requestEndpoint,
        final int requestStreamId,
        final String responseControl,
        final int responseStreamId,
        final int count,
        final long deadline) throws Exception
    {
        final int[] received = new int[1];
        final int[] errors = new int[1];
        final ResponseClient client = new ResponseClient(
            aeron,
            (DirectBuffer buffer, int offset, int length, Header header) ->
            {
                final int i = received[0]++;
                boolean ok = length == lengthOf(i) && buffer.getInt(offset) == i;
                for (int j = 4; ok && j < length; j++)
                {
                    ok = buffer.getByte(offset + j) == (byte)((i + j) & 0xff);
                }
                if (!ok)
                {
                    errors[0]++;
                }
            },
            requestEndpoint,
            requestStreamId,
            responseControl,
            responseStreamId,
            CHANNEL,
            CHANNEL);
        try
        {
            while (!client.isConnected())
            {
                if (client.doWork() == 0)
                {
                    Thread.sleep(1);
                }
                if (System.currentTimeMillis() > deadline)
                {
                    exit("TIMEOUT not connected " + client, 2);
                }
            }
            System.out.println("CONNECTED " + client.publication().sessionId() + " " +
                client.subscription().imageAtIndex(0).sessionId());
            System.out.flush();

            final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
            int sent = 0;
            while (received[0] < count)
            {
                int work = client.doWork();
                if (sent < count && sent - received[0] < 64)
                {
                    fill(message, sent);
                    if (client.publication().offer(message, 0, lengthOf(sent)) > 0)
                    {
                        sent++;
                        work++;
                    }
                }
                if (work == 0)
                {
                    Thread.sleep(1);
                }
                if (System.currentTimeMillis() > deadline)
                {
                    exit("TIMEOUT sent=" + sent + " received=" + received[0], 2);
                }
            }
        }
        finally
        {
            client.close();
        }
        exit("RECEIVED " + received[0] + " " + errors[0], errors[0] == 0 ? 0 : 1);
    }

    private static void runServer(
        final Aeron aeron,
        final String requestEndpoint,
        final int requestStreamId,
        final String responseControl,
        final int responseStreamId,
        final int messages,
        final long deadline) throws Exception
    {
        final int[] echoed = new int[1];
        final int[] sessions = new int[1];
        try (ResponseServer server = new ResponseServer(
            aeron,
            (image) ->
            {
                sessions[0]++;
                System.out.println("SESSION");
                System.out.flush();
                return (DirectBuffer buffer, int offset, int length, Header header, Publication publication) ->
                {
                    if (publication.offer(buffer, offset, length) > 0)
                    {
                        echoed[0]++;
                        return true;
                    }
                    return false;
                };
            },
            requestEndpoint,
            requestStreamId,
            responseControl,
            responseStreamId,
            CHANNEL,
            CHANNEL))
        {
            server.doWork();
            System.out.println("READY");
            System.out.flush();
            while (echoed[0] < messages || server.sessionCount() > 0 || sessions[0] == 0)
            {
                if (server.doWork() == 0)
                {
                    Thread.sleep(1);
                }
                if (System.currentTimeMillis() > deadline)
                {
                    exit("TIMEOUT echoed=" + echoed[0] + " sessions=" + server.sessionCount(), 2);
                }
            }
        }
        exit("SERVED " + echoed[0], 0);
    }
}
