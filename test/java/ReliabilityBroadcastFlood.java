/*
 * Flooder for reliability row C9 (test/reliability/client-broadcast-lap.test.ts): fills the driver's
 * to-clients broadcast buffer with ERROR responses, which the driver broadcasts to EVERY client.
 *
 * Each addPublication with the channel "x…x" (<length> chars, no "aeron:" prefix) is refused with
 * "Aeron URIs must start with 'aeron:', found: x…x" (ChannelUri.parse, 1.51.0), so each ON_ERROR record
 * carries about <length> bytes. The calls are synchronous (one in flight), so this client is never lapped itself.
 *
 * args: <aeronDir> <count> <length>
 * prints: flooded count=<n> bytes=<sum of error message lengths>
 * exit: 0 done, 1 an add did not fail as expected
 */
import io.aeron.Aeron;
import io.aeron.exceptions.RegistrationException;

public final class ReliabilityBroadcastFlood
{
    public static void main(final String[] args)
    {
        final String dir = args[0];
        final int count = Integer.parseInt(args[1]);
        final int length = Integer.parseInt(args[2]);
        final String channel = "x".repeat(length);

        long bytes = 0;
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir)))
        {
            for (int i = 0; i < count; i++)
            {
                try
                {
                    aeron.addPublication(channel, 1009);
                    System.out.println("unexpected success at " + i);
                    System.exit(1);
                }
                catch (final RegistrationException ex)
                {
                    bytes += ex.getMessage().length();
                }
            }
        }
        System.out.println("flooded count=" + count + " bytes=" + bytes);
    }
}
