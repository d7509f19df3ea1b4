// The Java client's static counters on the TypeScript media driver (test/driver/static-counter.test.ts).
//
//   StaticCounterProbe <aeronDir> <registrationId>
// 1. adds static counter (type 2010, label "java static", registrationId) twice and prints
//    "STATIC <id> <id again> <registrationId> <ownerId> <label>" as Java's own CountersReader sees it;
// 2. adds a client counter (type 2011) and then a static counter of type 2011 with that counter's
//    registration id, and prints "REFUSED <ErrorCode> <message>" for the RegistrationException;
// 3. closes the client (CLIENT_CLOSE) and prints "CLOSED".
import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.exceptions.RegistrationException;
import org.agrona.concurrent.status.CountersReader;

public final class StaticCounterProbe
{
    public static void main(final String[] args)
    {
        final long registrationId = Long.parseLong(args[1]);
        final Aeron.Context ctx = new Aeron.Context().aeronDirectoryName(args[0]).clientName("static-counter-probe");
        try (Aeron aeron = Aeron.connect(ctx))
        {
            final CountersReader counters = aeron.countersReader();
            final Counter first = aeron.addStaticCounter(2010, "java static", registrationId);
            final Counter again = aeron.addStaticCounter(2010, "java static", registrationId);
            final int id = first.id();
            System.out.println("STATIC " + id + " " + again.id() + " " + counters.getCounterRegistrationId(id) + " " +
                counters.getCounterOwnerId(id) + " " + counters.getCounterLabel(id));

            final Counter owned = aeron.addCounter(2011, "java owned");
            try
            {
                aeron.addStaticCounter(2011, "clash", owned.registrationId());
                System.out.println("NOT_REFUSED");
            }
            catch (final RegistrationException e)
            {
                System.out.println("REFUSED " + e.errorCode() + " " + e.getMessage());
            }
        }
        System.out.println("CLOSED");
    }
}
