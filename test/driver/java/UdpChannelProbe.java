import io.aeron.driver.exceptions.InvalidChannelException;
import io.aeron.driver.media.UdpChannel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Parses each channel URI read from stdin (one per line) with Java's own io.aeron.driver.media.UdpChannel and
 * prints one tab-separated line per URI: "OK" and the parsed fields (test/driver/media/udp-channel-java.test.ts
 * prints ours in the same order), or "ERR" and the InvalidChannelException message, or "THROW" and any other
 * exception.
 */
public final class UdpChannelProbe
{
    public static void main(final String[] args) throws Exception
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String uri;
        while (null != (uri = reader.readLine()))
        {
            if (uri.isEmpty())
            {
                continue;
            }

            try
            {
                final UdpChannel c = UdpChannel.parse(uri);
                System.out.println(String.join("\t",
                    "OK",
                    c.canonicalForm(),
                    String.valueOf(c.isMulticast()),
                    String.valueOf(c.hasExplicitControl()),
                    String.valueOf(c.hasExplicitEndpoint()),
                    String.valueOf(c.controlMode()),
                    String.valueOf(c.isMultiDestination()),
                    String.valueOf(c.hasGroupSemantics()),
                    String.valueOf(c.hasMulticastTtl()),
                    String.valueOf(c.multicastTtl()),
                    null == c.localInterface() ? "null" : c.localInterface().getName(),
                    String.valueOf(c.remoteData()),
                    String.valueOf(c.localData()),
                    String.valueOf(c.remoteControl()),
                    String.valueOf(c.localControl()),
                    String.valueOf(c.protocolFamily()),
                    String.valueOf(c.socketRcvbufLength()),
                    String.valueOf(c.socketSndbufLength()),
                    String.valueOf(c.receiverWindowLength()),
                    String.valueOf(c.hasTag()),
                    String.valueOf(c.tag()),
                    String.valueOf(c.groupTag()),
                    String.valueOf(c.nakDelayNs()),
                    String.valueOf(c.channelReceiveTimestampOffset()),
                    String.valueOf(c.channelSendTimestampOffset()),
                    c.description()));
            }
            catch (final InvalidChannelException ex)
            {
                System.out.println("ERR\t" + ex.getMessage());
            }
            catch (final Exception ex)
            {
                System.out.println("THROW\t" + ex);
            }
        }
    }
}
