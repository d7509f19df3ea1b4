import io.aeron.protocol.ErrorFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.aeron.protocol.NakFlyweight;
import io.aeron.protocol.ResponseSetupFlyweight;
import io.aeron.protocol.RttMeasurementFlyweight;
import io.aeron.protocol.SetupFlyweight;
import io.aeron.protocol.StatusMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes one frame of each UDP frame type with Java's own flyweights (fixed field values, mirrored by
 * test/driver/protocol/flyweights.test.ts) and prints each as "NAME hex" over its frame length, then each frame's
 * toString as "NAME-TEXT text".
 */
public final class FrameProbe
{
    private static void print(final String name, final UnsafeBuffer buffer, final HeaderFlyweight frame)
    {
        final StringBuilder hex = new StringBuilder();
        for (int i = 0; i < frame.frameLength(); i++)
        {
            hex.append(String.format("%02x", buffer.getByte(i) & 0xff));
        }
        System.out.println(name + " " + hex);
        System.out.println(name + "-TEXT " + frame);
    }

    private static UnsafeBuffer buffer()
    {
        return new UnsafeBuffer(new byte[2048]);
    }

    public static void main(final String[] args)
    {
        UnsafeBuffer b = buffer();
        final SetupFlyweight setup = new SetupFlyweight(b);
        setup.frameLength(SetupFlyweight.HEADER_LENGTH).version((short)0)
            .flags((short)(SetupFlyweight.SEND_RESPONSE_SETUP_FLAG | SetupFlyweight.GROUP_FLAG))
            .headerType(HeaderFlyweight.HDR_TYPE_SETUP);
        setup.termOffset(1024).sessionId(-123456).streamId(1001).initialTermId(0x7ffffff0).activeTermId(-2)
            .termLength(65536).mtuLength(1408).ttl(8);
        print("SETUP", b, setup);

        b = buffer();
        final StatusMessageFlyweight sm = new StatusMessageFlyweight(b);
        sm.frameLength(StatusMessageFlyweight.HEADER_LENGTH).version((short)0)
            .flags((short)StatusMessageFlyweight.SEND_SETUP_FLAG).headerType(HeaderFlyweight.HDR_TYPE_SM);
        sm.sessionId(42).streamId(7).consumptionTermId(-5).consumptionTermOffset(4096).receiverWindowLength(131072)
            .receiverId(0x8123456789abcdefL).groupTag(null);
        print("SM", b, sm);
        sm.flags((short)StatusMessageFlyweight.END_OF_STREAM_FLAG);
        sm.groupTag(0x1122334455667788L);
        print("SM-GTAG", b, sm);

        b = buffer();
        final NakFlyweight nak = new NakFlyweight(b);
        nak.frameLength(NakFlyweight.HEADER_LENGTH).version((short)0).flags((short)0)
            .headerType(HeaderFlyweight.HDR_TYPE_NAK);
        nak.sessionId(-1).streamId(2).termId(3).termOffset(64).length(1408);
        print("NAK", b, nak);

        b = buffer();
        final RttMeasurementFlyweight rtt = new RttMeasurementFlyweight(b);
        rtt.frameLength(RttMeasurementFlyweight.HEADER_LENGTH).version((short)0)
            .flags((short)RttMeasurementFlyweight.REPLY_FLAG).headerType(HeaderFlyweight.HDR_TYPE_RTTM);
        rtt.sessionId(9).streamId(10).echoTimestampNs(0x0123456789abcdefL).receptionDelta(12345L).receiverId(-2L);
        print("RTTM", b, rtt);

        b = buffer();
        final ErrorFlyweight err = new ErrorFlyweight(b);
        err.frameLength(ErrorFlyweight.HEADER_LENGTH).version((short)0).flags((short)0)
            .headerType(HeaderFlyweight.HDR_TYPE_ERR);
        err.sessionId(77).streamId(88).receiverId(0x7fffffffffffffffL).groupTag(-7L).errorCode(10)
            .errorMessage("image rejected: no thanks");
        print("ERR", b, err);

        b = buffer();
        final ResponseSetupFlyweight rsp = new ResponseSetupFlyweight(b);
        rsp.frameLength(ResponseSetupFlyweight.HEADER_LENGTH).version((short)0).flags((short)0)
            .headerType(HeaderFlyweight.HDR_TYPE_RSP_SETUP);
        rsp.sessionId(5).streamId(6).responseSessionId(-99);
        print("RSP_SETUP", b, rsp);
    }
}
