import io.aeron.driver.ext.FixedLossGenerator;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.ext.MultiGapLossGenerator;
import io.aeron.driver.ext.RandomLossGenerator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Prints the drop decisions of Java's own loss generators as strings of 0/1, one line per generator, for the frame
 * sequences test/driver/media/loss-generator.test.ts feeds ours: RANDOM (RandomLossGenerator(0.1, 12345), 20,000
 * datagrams), FIXED (FixedLossGenerator(1, 4096, 3000)) and MULTIGAP (MultiGapLossGenerator(1, 4096, 1024, 4)) over
 * the DATA frames of FRAMES: two sessions, terms 0-2, 1,024-byte frames at 0-32,768, then the same again
 * (retransmissions).
 */
public final class LossGeneratorProbe
{
    private static String run(final LossGenerator generator)
    {
        final StringBuilder bits = new StringBuilder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int termId = 0; termId <= 2; termId++)
            {
                for (int termOffset = 0; termOffset <= 32768; termOffset += 1024)
                {
                    for (int sessionId = 7; sessionId <= 8; sessionId++)
                    {
                        final boolean drop = generator.shouldDropFrame(
                            null, buffer, 1001, sessionId, termId, termOffset, 1024);
                        bits.append(drop ? '1' : '0');
                    }
                }
            }
        }
        return bits.toString();
    }

    public static void main(final String[] args)
    {
        final RandomLossGenerator random = new RandomLossGenerator(0.1, 12345L);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final StringBuilder bits = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            bits.append(random.shouldDropFrame(null, buffer, 64) ? '1' : '0');
        }
        System.out.println("RANDOM " + bits);
        System.out.println("FIXED " + run(new FixedLossGenerator(1, 4096, 3000)));
        System.out.println("MULTIGAP " + run(new MultiGapLossGenerator(1, 4096, 1024, 4)));
    }
}
