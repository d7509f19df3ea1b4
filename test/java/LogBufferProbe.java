// Test probe: reads a log buffer file written by aeron-ts with the REAL Aeron classes, and evaluates
// LogBufferDescriptor formulas for inputs given on stdin, printing results for the TS test to compare.
import io.aeron.FragmentAssembler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.aeron.logbuffer.TermReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

public final class LogBufferProbe
{
    public static void main(final String[] args) throws Exception
    {
        if ("read".equals(args[0]))
        {
            read(Path.of(args[1]), Long.parseLong(args[2]));
        }
        else
        {
            formulas();
        }
    }

    private static void read(final Path file, final long endPosition) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        final UnsafeBuffer whole = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        whole.putBytes(0, bytes);
        final int metaOffset = bytes.length - LogBufferDescriptor.LOG_META_DATA_LENGTH;
        final UnsafeBuffer meta = new UnsafeBuffer(whole, metaOffset, LogBufferDescriptor.LOG_META_DATA_LENGTH);
        final int termLength = LogBufferDescriptor.termLength(meta);
        final int initialTermId = LogBufferDescriptor.initialTermId(meta);
        final int shift = LogBufferDescriptor.positionBitsToShift(termLength);
        final UnsafeBuffer[] terms = new UnsafeBuffer[LogBufferDescriptor.PARTITION_COUNT];
        for (int i = 0; i < terms.length; i++)
        {
            terms[i] = new UnsafeBuffer(whole, i * termLength, termLength);
        }
        System.out.println("META " + termLength + " " + initialTermId + " " + LogBufferDescriptor.mtuLength(meta) +
            " " + LogBufferDescriptor.activeTermCount(meta) + " " +
            LogBufferDescriptor.termId(LogBufferDescriptor.rawTailVolatile(meta)) + " " +
            LogBufferDescriptor.termOffset(LogBufferDescriptor.rawTailVolatile(meta), termLength));

        final Header header = new Header(initialTermId, shift);
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            final byte[] payload = new byte[length];
            buffer.getBytes(offset, payload);
            final CRC32 crc = new CRC32();
            crc.update(payload);
            System.out.println("MSG " + h.position() + " " + length + " " + crc.getValue() + " " +
                h.reservedValue() + " " + h.sessionId() + " " + h.streamId() + " " + h.termId() + " " +
                h.termOffset() + " " + (h.flags() & 0xFF));
        });

        long position = 0;
        while (position < endPosition)
        {
            final int index = LogBufferDescriptor.indexByPosition(position, shift);
            final int offset = (int)position & (termLength - 1);
            final long outcome = TermReader.read(
                terms[index], offset, assembler, Integer.MAX_VALUE, header, Throwable::printStackTrace);
            final int newOffset = TermReader.offset(outcome);
            if (newOffset == offset)
            {
                break;
            }
            position += newOffset - offset;
        }
        System.out.println("END " + position);
    }

    private static void formulas() throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while (null != (line = in.readLine()))
        {
            final String[] f = line.trim().split(" ");
            if (f.length < 7)
            {
                continue;
            }
            final int termId = Integer.parseInt(f[0]);
            final int termOffset = Integer.parseInt(f[1]);
            final int termLength = Integer.parseInt(f[2]);
            final int initialTermId = Integer.parseInt(f[3]);
            final long position = Long.parseLong(f[4]);
            final int length = Integer.parseInt(f[5]);
            final int maxPayload = Integer.parseInt(f[6]);
            final int shift = LogBufferDescriptor.positionBitsToShift(termLength);
            System.out.println(
                LogBufferDescriptor.computePosition(termId, termOffset, shift, initialTermId) + " " +
                LogBufferDescriptor.computeTermBeginPosition(termId, shift, initialTermId) + " " +
                LogBufferDescriptor.computeTermIdFromPosition(position, shift, initialTermId) + " " +
                (int)(position & (termLength - 1)) + " " +
                LogBufferDescriptor.indexByTerm(initialTermId, termId) + " " +
                LogBufferDescriptor.indexByPosition(position, shift) + " " +
                LogBufferDescriptor.computeFragmentedFrameLength(length, maxPayload) + " " +
                LogBufferDescriptor.computeAssembledFrameLength(length, maxPayload) + " " +
                FrameDescriptor.computeMaxMessageLength(termLength) + " " +
                LogBufferDescriptor.computeLogLength(termLength, 4096));
        }
    }
}
