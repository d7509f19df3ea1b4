import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads candidate channel URIs from stdin, one per line (UTF-8), and prints five lines per input:
 * <pre>
 *   P OK &lt;ChannelUri.parse(line).toString()&gt;   or   P ERROR &lt;kind&gt; &lt;message&gt;
 *   C &lt;channelTag()&gt;   or   C -        (C only when the parse succeeded, else "C -")
 *   E &lt;entityTag()&gt;    or   E -
 *   R &lt;toString() after removing every other key (in iteration order) and putting zz=1&gt;   or   R -
 *   B OK &lt;new ChannelUriStringBuilder(line).build()&gt;   or   B ERROR &lt;kind&gt; &lt;message&gt;
 * </pre>
 * kind is NumberFormatException, IllegalArgumentException, IllegalStateException or the class name.
 */
public final class ChannelUriProbe
{
    private static String kind(final Throwable t)
    {
        if (t instanceof NumberFormatException)
        {
            return "NumberFormatException";
        }
        if (t instanceof IllegalArgumentException)
        {
            return "IllegalArgumentException";
        }
        if (t instanceof IllegalStateException)
        {
            return "IllegalStateException";
        }
        return t.getClass().getName();
    }

    private static String error(final Throwable t)
    {
        return "ERROR " + kind(t) + " " + t.getMessage();
    }

    public static void main(final String[] args) throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String line;
        while (null != (line = in.readLine()))
        {
            try
            {
                final ChannelUri uri = ChannelUri.parse(line);
                out.println("P OK " + uri);
                out.println(null == uri.channelTag() ? "C -" : "C +" + uri.channelTag());
                out.println(null == uri.entityTag() ? "E -" : "E +" + uri.entityTag());
                final List<String> keys = new ArrayList<>();
                uri.forEachParameter((k, v) -> keys.add(k));
                for (int i = 0; i < keys.size(); i += 2)
                {
                    uri.remove(keys.get(i));
                }
                uri.put("zz", "1");
                out.println("R " + uri);
            }
            catch (final Exception ex)
            {
                out.println("P " + error(ex));
                out.println("C -");
                out.println("E -");
                out.println("R -");
            }

            try
            {
                out.println("B OK " + new ChannelUriStringBuilder(line).build());
            }
            catch (final Exception ex)
            {
                out.println("B " + error(ex));
            }
        }
        out.flush();
    }
}
