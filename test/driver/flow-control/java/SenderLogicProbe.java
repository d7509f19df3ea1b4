import io.aeron.driver.AbstractMinMulticastFlowControl;
import io.aeron.driver.DefaultMulticastFlowControlSupplier;
import io.aeron.driver.DefaultUnicastFlowControlSupplier;
import io.aeron.driver.FlowControl;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.RetransmitHandler;
import io.aeron.driver.StaticDelayGenerator;
import io.aeron.driver.media.UdpChannel;
import io.aeron.protocol.ErrorFlyweight;
import io.aeron.protocol.StatusMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Runs a script of sender-side events (read from stdin, written by
 * test/driver/flow-control/java-parity.test.ts) through Java 1.51.0's own flow control strategies and
 * RetransmitHandler, and prints one line per command: what the TS port must print for the same script.
 */
public final class SenderLogicProbe
{
    private static final UnsafeBuffer SM_BUFFER = new UnsafeBuffer(ByteBuffer.allocate(64));
    private static final StatusMessageFlyweight SM = new StatusMessageFlyweight(SM_BUFFER);
    private static final ErrorFlyweight ERR = new ErrorFlyweight(ByteBuffer.allocate(ErrorFlyweight.MAX_ERROR_FRAME_LENGTH));

    private static FlowControl flowControl;
    private static int initialTermId;
    private static int positionBitsToShift;
    private static RetransmitHandler handler;
    private static long nowNs;
    private static AtomicCounter invalidPackets;
    private static AtomicCounter overflow;
    private static final StringBuilder RESENDS = new StringBuilder();

    private static CountersManager newCountersManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)),
            StandardCharsets.US_ASCII);
    }

    /** The number of receivers a min/tagged strategy tracks (its private array), -1 for the others. */
    private static int receiverCount() throws Exception
    {
        if (!(flowControl instanceof AbstractMinMulticastFlowControl))
        {
            return -1;
        }
        final Field field = AbstractMinMulticastFlowControl.class.getDeclaredField("receivers");
        field.setAccessible(true);
        return ((Object[])field.get(flowControl)).length;
    }

    private static Long tag(final String value)
    {
        return "-".equals(value) ? null : Long.parseLong(value);
    }

    private static String run(final String[] a) throws Exception
    {
        switch (a[0])
        {
            case "fc":
            {
                final MediaDriver.Context ctx = new MediaDriver.Context()
                    .flowControlGroupMinSize(Integer.parseInt(a[2]))
                    .flowControlReceiverTimeoutNs(Long.parseLong(a[3]))
                    .flowControlGroupTag(Long.parseLong(a[4]))
                    .tempBuffer(new UnsafeBuffer(new byte[4096]));
                initialTermId = Integer.parseInt(a[5]);
                positionBitsToShift = Integer.numberOfTrailingZeros(Integer.parseInt(a[6]));
                try
                {
                    final UdpChannel channel = UdpChannel.parse(a[1]);
                    flowControl = channel.isMulticast() || channel.isMultiDestination() ?
                        new DefaultMulticastFlowControlSupplier().newInstance(channel, 1, 2) :
                        new DefaultUnicastFlowControlSupplier().newInstance(channel, 1, 2);
                    flowControl.initialize(
                        ctx, newCountersManager(), channel, 1, 2, 3, initialTermId, Integer.parseInt(a[6]));
                    return "init " + flowControl.getClass().getSimpleName() + " " + flowControl.hasRequiredReceivers();
                }
                catch (final Exception ex)
                {
                    return "init error " + ex.getClass().getName() + ": " + ex.getMessage();
                }
            }
            case "sm":
            {
                SM.receiverId(Long.parseLong(a[1]));
                SM.consumptionTermId(Integer.parseInt(a[2]));
                SM.consumptionTermOffset(Integer.parseInt(a[3]));
                SM.receiverWindowLength(Integer.parseInt(a[4]));
                SM.groupTag(tag(a[5]));
                SM.flags((short)("1".equals(a[6]) ? StatusMessageFlyweight.END_OF_STREAM_FLAG : 0));
                final long limit = flowControl.onStatusMessage(
                    SM, null, Long.parseLong(a[7]), initialTermId, positionBitsToShift, Long.parseLong(a[8]));
                return limit + " " + flowControl.hasRequiredReceivers() + " n=" + receiverCount();
            }
            case "trig":
            {
                SM.receiverId(Long.parseLong(a[1]));
                SM.groupTag(tag(a[2]));
                SM.flags((short)StatusMessageFlyweight.SEND_SETUP_FLAG);
                flowControl.onTriggerSendSetup(SM, null, Long.parseLong(a[3]));
                return ".";
            }
            case "setup":
                return String.valueOf(flowControl.onSetup(null, Long.parseLong(a[1]), 0, positionBitsToShift, Long.parseLong(a[2])));
            case "err":
                ERR.receiverId(Long.parseLong(a[1]));
                ERR.groupTag(tag(a[2]));
                flowControl.onError(ERR, null, Long.parseLong(a[3]));
                return ".";
            case "idle":
                return flowControl.onIdle(Long.parseLong(a[1]), Long.parseLong(a[2]), 0, false) + " " +
                    flowControl.hasRequiredReceivers() + " n=" + receiverCount();
            case "rtx":
                return String.valueOf(flowControl.maxRetransmissionLength(
                    Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]), 1408));
            case "rh":
            {
                final CountersManager countersManager = newCountersManager();
                invalidPackets = countersManager.newCounter("invalid");
                overflow = countersManager.newCounter("overflow");
                nowNs = 0;
                handler = new RetransmitHandler(
                    () -> nowNs,
                    invalidPackets,
                    new StaticDelayGenerator(Long.parseLong(a[3])),
                    new StaticDelayGenerator(Long.parseLong(a[4])),
                    "1".equals(a[1]),
                    Integer.parseInt(a[2]),
                    overflow);
                return ".";
            }
            case "nak":
                nowNs = Long.parseLong(a[1]);
                RESENDS.setLength(0);
                handler.onNak(
                    Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]), Integer.parseInt(a[5]),
                    1408, flowControl, (termId, termOffset, length) -> RESENDS.append(termId).append(':')
                        .append(termOffset).append(':').append(length).append(','));
                return RESENDS + " inv=" + invalidPackets.get() + " ovf=" + overflow.get();
            case "tick":
                nowNs = Long.parseLong(a[1]);
                RESENDS.setLength(0);
                handler.processTimeouts(nowNs, (termId, termOffset, length) -> RESENDS.append(termId).append(':')
                    .append(termOffset).append(':').append(length).append(','));
                return RESENDS + " inv=" + invalidPackets.get() + " ovf=" + overflow.get();
            default:
                throw new IllegalArgumentException("unknown command: " + a[0]);
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        final StringBuilder out = new StringBuilder();
        String line;
        while (null != (line = reader.readLine()))
        {
            if (!line.isEmpty())
            {
                out.append(run(line.split(" "))).append('\n');
            }
        }
        System.out.print(out);
    }
}
