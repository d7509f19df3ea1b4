import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.security.CredentialsSupplier;

import java.nio.charset.StandardCharsets;

/**
 * Test probe (ours): connects Java's AeronArchive with connect credentials and answers a challenge
 * "nonce:&lt;rest&gt;" with "answer:&lt;rest&gt;" (or a given wrong answer), then asks FIND_LAST_MATCHING_RECORDING; prints one line
 * per fact on stdout and "done", exit 0. A refusal by the archive prints "error code=&lt;ArchiveException code&gt;
 * &lt;message&gt;"; any other failure exits 1 with a "probe-error ..." line on stderr.
 *
 * Usage: ArchiveAuthProbe aeronDir controlChannel controlStreamId responseChannel credentials [wrongAnswer]
 *
 * Output lines:
 *   challenge &lt;challenge text&gt;      (for each challenge)
 *   connected                         (the session was accepted)
 *   found &lt;recordingId&gt;             (FIND_LAST_MATCHING_RECORDING from 0, stream 1, session 1)
 *   error code=&lt;code&gt; &lt;message&gt;     (connect or request refused)
 */
public final class ArchiveAuthProbe
{
    public static void main(final String[] args)
    {
        if (args.length < 5)
        {
            fail("usage: ArchiveAuthProbe aeronDir controlChannel controlStreamId responseChannel credentials [wrong]");
        }
        final String wrongAnswer = args.length > 5 ? args[5] : null;
        final CredentialsSupplier credentials = new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return args[4].getBytes(StandardCharsets.UTF_8);
            }

            public byte[] onChallenge(final byte[] encodedChallenge)
            {
                final String challenge = new String(encodedChallenge, StandardCharsets.UTF_8);
                System.out.println("challenge " + challenge);
                final String answer = null != wrongAnswer ? wrongAnswer : challenge.replaceFirst("^nonce:", "answer:");
                return answer.getBytes(StandardCharsets.UTF_8);
            }
        };
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0])))
        {
            try (AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(args[1])
                .controlRequestStreamId(Integer.parseInt(args[2]))
                .controlResponseChannel(args[3])
                .credentialsSupplier(credentials)))
            {
                System.out.println("connected");
                try
                {
                    System.out.println("found " + archive.findLastMatchingRecording(0, "", 1, 1));
                }
                catch (final ArchiveException ex)
                {
                    System.out.println("error code=" + ex.errorCode() + " " + ex.getMessage());
                }
            }
            catch (final ArchiveException ex)
            {
                System.out.println("error code=" + ex.errorCode() + " " + ex.getMessage());
            }
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            fail(t.toString());
        }
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }

    private static void fail(final String message)
    {
        System.err.println("probe-error " + message);
        System.err.flush();
        System.exit(1);
    }
}
