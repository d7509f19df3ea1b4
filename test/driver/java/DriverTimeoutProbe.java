// A Java Aeron client whose media driver dies (test/driver/faults.test.ts).
//
//   DriverTimeoutProbe <aeronDir> <driverTimeoutMs> <deadlineMs>
// 1. connects with the given driver timeout and an error handler, adds a counter labelled
//    "driver-timeout-probe" (so the test sees it is connected) and prints "CONNECTED <clientId>";
// 2. waits (at most <deadlineMs>) for the client conductor to report the dead driver: the first
//    DriverTimeoutException passed to its error handler is printed as "DRIVER_TIMEOUT <message>" and the
//    probe exits 0; any other error is printed as "ERROR <class>: <message>". No report by the deadline:
//    "NO_TIMEOUT", exit 1.
import io.aeron.Aeron;
import io.aeron.exceptions.DriverTimeoutException;

import java.util.concurrent.atomic.AtomicReference;

public final class DriverTimeoutProbe
{
    public static void main(final String[] args) throws Exception
    {
        final long driverTimeoutMs = Long.parseLong(args[1]);
        final long deadlineMs = Long.parseLong(args[2]);
        final AtomicReference<DriverTimeoutException> timeout = new AtomicReference<>();
        final Aeron.Context ctx = new Aeron.Context()
            .aeronDirectoryName(args[0])
            .clientName("driver-timeout-probe")
            .driverTimeoutMs(driverTimeoutMs)
            .errorHandler((t) ->
            {
                if (t instanceof DriverTimeoutException)
                {
                    timeout.compareAndSet(null, (DriverTimeoutException)t);
                }
                else
                {
                    System.out.println("ERROR " + t.getClass().getName() + ": " + t.getMessage());
                }
            });

        final Aeron aeron = Aeron.connect(ctx);
        aeron.addCounter(1001, "driver-timeout-probe");
        System.out.println("CONNECTED " + aeron.clientId());
        System.out.flush();

        final long deadline = System.currentTimeMillis() + deadlineMs;
        while (timeout.get() == null && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        final DriverTimeoutException e = timeout.get();
        if (e == null)
        {
            System.out.println("NO_TIMEOUT");
            System.out.flush();
            System.exit(1);
        }
        System.out.println("DRIVER_TIMEOUT " + e.getMessage());
        System.out.flush();
        // The client closed itself on the timeout; closing again is a no-op.
        aeron.close();
        System.exit(0);
    }
}
