// A Java Aeron client against the TypeScript media driver (test/driver/client-interop.test.ts).
//
//   DriverCounterProbe <aeronDir>
// 1. connects (Aeron.connect checks cnc.dat's version, lengths and the driver heartbeat) and prints
//    "CLIENT <clientId>";
// 2. adds a counter (type 1001, key = 8 bytes of 0x2A) and prints
//    "COUNTER <id> <registrationId> <typeId> <ownerId> <label>" as Java's own CountersReader sees it;
// 3. waits (5 s at most) for its heartbeat counter (type 11, key = clientId) to carry the " name=" suffix the
//    client appends once it has found it, and prints "HEARTBEAT <counterId> <label>";
// 4. sets the counter to 42, closes it (REMOVE_COUNTER, answered by the driver) and prints "REMOVED <state>";
// 5. tries to add a response publication (control-mode=response) without response-correlation-id, which the
//    driver refuses (GENERIC_ERROR, as Java's), and prints "REFUSED <ErrorCode>";
// 6. closes the client (CLIENT_CLOSE) and prints "CLOSED".
import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.Counter;
import io.aeron.exceptions.RegistrationException;
import io.aeron.status.HeartbeatTimestamp;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

public final class DriverCounterProbe
{
    public static void main(final String[] args) throws Exception
    {
        final Aeron.Context ctx = new Aeron.Context().aeronDirectoryName(args[0]).clientName("ts-driver-probe");
        try (Aeron aeron = Aeron.connect(ctx))
        {
            final CountersReader counters = aeron.countersReader();
            System.out.println("CLIENT " + aeron.clientId());

            final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
            key.setMemory(0, 8, (byte)0x2A);
            final String label = "java counter on the ts driver";
            final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final Counter counter = aeron.addCounter(1001, key, 0, 8, labelBuffer, 0, label.length());
            final int id = counter.id();
            System.out.println("COUNTER " + id + " " + counter.registrationId() + " " +
                counters.getCounterTypeId(id) + " " + counters.getCounterOwnerId(id) + " " +
                counters.getCounterLabel(id));

            final long deadline = System.currentTimeMillis() + 5_000;
            int heartbeatId = CountersReader.NULL_COUNTER_ID;
            String heartbeatLabel = "";
            while (System.currentTimeMillis() < deadline)
            {
                heartbeatId = HeartbeatTimestamp.findCounterIdByRegistrationId(
                    counters, AeronCounters.DRIVER_HEARTBEAT_TYPE_ID, aeron.clientId());
                if (heartbeatId != CountersReader.NULL_COUNTER_ID)
                {
                    heartbeatLabel = counters.getCounterLabel(heartbeatId);
                    if (heartbeatLabel.contains(" name="))
                    {
                        break;
                    }
                }
                Thread.sleep(10);
            }
            System.out.println("HEARTBEAT " + heartbeatId + " " + heartbeatLabel);

            counter.setRelease(42);
            counter.close();
            System.out.println("REMOVED " + counters.getCounterState(id));

            try
            {
                aeron.addPublication("aeron:udp?control-mode=response|control=127.0.0.1:0", 10);
                System.out.println("REFUSED none");
            }
            catch (final RegistrationException ex)
            {
                System.out.println("REFUSED " + ex.errorCode());
            }
        }
        System.out.println("CLOSED");
    }
}
