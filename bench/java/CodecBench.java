import io.aeron.archive.codecs.ControlResponseCode;
import io.aeron.archive.codecs.ControlResponseDecoder;
import io.aeron.archive.codecs.ControlResponseEncoder;
import io.aeron.archive.codecs.MessageHeaderDecoder;
import io.aeron.archive.codecs.MessageHeaderEncoder;
import io.aeron.archive.codecs.RecordingDescriptorDecoder;
import io.aeron.archive.codecs.RecordingDescriptorEncoder;
import io.aeron.archive.codecs.ReplayRequestDecoder;
import io.aeron.archive.codecs.ReplayRequestEncoder;
import io.aeron.archive.codecs.StopReplayRequestDecoder;
import io.aeron.archive.codecs.StopReplayRequestEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark (ours): the Java half of the codec-roundtrip / codec-alloc cases. It runs the same loop as
 * bench/cases/codec-workload.ts, with Aeron's own generated codecs (io.aeron.archive.codecs in aeron-all).
 *
 * Usage: CodecBench variant warmupMs measureMs
 *   variant  string: encode ReplayRequest + RecordingDescriptor + ControlResponse from Strings, decode each
 *                    reading every field, var data as new Strings;
 *            bytes:  the same messages, var data put from and read into reused byte arrays;
 *            fixed:  StopReplayRequest + ControlResponse with an empty error message, fixed fields only.
 *
 * One iteration encodes then decodes every message of the variant (3, 3 or 2 messages) at fixed offsets
 * of one direct buffer. The JIT warms for warmupMs, then iterations run in batches of 1000 until
 * measureMs have passed. Prints one line:
 *   RESULT {"messagesPerSecond":..,"messages":..,"elapsedNs":..,"sink":..,"firstHex":".."}
 * where firstHex is the buffer bytes of iteration 0, so the TS side can check it encodes the same bytes.
 */
public final class CodecBench
{
    static final String REPLAY_CHANNEL = "aeron:udp?endpoint=localhost:20121|mtu=8192|term-length=65536";
    static final String STRIPPED_CHANNEL = "aeron:udp?endpoint=localhost:20121";
    static final String ORIGINAL_CHANNEL = "aeron:udp?endpoint=localhost:20121|alias=bench|term-length=65536";
    static final String SOURCE_IDENTITY = "127.0.0.1:45678";

    static final int REPLAY_OFFSET = 0;
    static final int DESCRIPTOR_OFFSET = 256;
    static final int RESPONSE_OFFSET = 640;
    static final int STOP_REPLAY_OFFSET = 768;
    static final int BUFFER_LENGTH = 1024;
    static final int BATCH = 1000;

    final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH));
    final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    final ReplayRequestEncoder replayEncoder = new ReplayRequestEncoder();
    final ReplayRequestDecoder replayDecoder = new ReplayRequestDecoder();
    final RecordingDescriptorEncoder descriptorEncoder = new RecordingDescriptorEncoder();
    final RecordingDescriptorDecoder descriptorDecoder = new RecordingDescriptorDecoder();
    final ControlResponseEncoder responseEncoder = new ControlResponseEncoder();
    final ControlResponseDecoder responseDecoder = new ControlResponseDecoder();
    final StopReplayRequestEncoder stopEncoder = new StopReplayRequestEncoder();
    final StopReplayRequestDecoder stopDecoder = new StopReplayRequestDecoder();

    final byte[] replayChannelBytes = REPLAY_CHANNEL.getBytes(StandardCharsets.US_ASCII);
    final byte[] strippedChannelBytes = STRIPPED_CHANNEL.getBytes(StandardCharsets.US_ASCII);
    final byte[] originalChannelBytes = ORIGINAL_CHANNEL.getBytes(StandardCharsets.US_ASCII);
    final byte[] sourceIdentityBytes = SOURCE_IDENTITY.getBytes(StandardCharsets.US_ASCII);
    final byte[] scratch = new byte[256];

    long sink;

    public static void main(final String[] args)
    {
        if (args.length != 3)
        {
            System.err.println("usage: CodecBench string|bytes|fixed warmupMs measureMs");
            System.exit(2);
        }
        final String variant = args[0];
        final long warmupNs = Long.parseLong(args[1]) * 1_000_000L;
        final long measureNs = Long.parseLong(args[2]) * 1_000_000L;
        final int messagesPerIteration = "fixed".equals(variant) ? 2 : 3;
        final CodecBench bench = new CodecBench();

        bench.batch(variant, 0);
        final String firstHex = bench.hex();

        long iteration = BATCH;
        final long warmupEnd = System.nanoTime() + warmupNs;
        while (System.nanoTime() < warmupEnd)
        {
            bench.batch(variant, iteration);
            iteration += BATCH;
        }

        long batches = 0;
        final long cpuStart = processCpuNs();
        final long start = System.nanoTime();
        long now;
        do
        {
            bench.batch(variant, iteration);
            iteration += BATCH;
            batches++;
            now = System.nanoTime();
        }
        while (now - start < measureNs);

        final long elapsedNs = now - start;
        final long cpuNs = processCpuNs() - cpuStart;
        final long messages = batches * BATCH * messagesPerIteration;
        final double perSecond = messages * 1e9 / elapsedNs;
        System.out.println("RESULT {\"messagesPerSecond\":" + perSecond + ",\"messages\":" + messages +
            ",\"elapsedNs\":" + elapsedNs + ",\"cpuNs\":" + cpuNs + ",\"sink\":" + bench.sink + ",\"firstHex\":\"" + firstHex + "\"}");
    }

    /**
     * CPU time of the whole process (every thread: JIT, GC), as Node's process.cpuUsage() counts it on
     * the TS side: on a shared machine, messages per CPU second are steadier than per wall second.
     */
    static long processCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1;
    }

    void batch(final String variant, final long first)
    {
        switch (variant)
        {
            case "string":
                for (long i = first, end = first + BATCH; i < end; i++)
                {
                    sink += roundTripStrings(i);
                }
                break;
            case "bytes":
                for (long i = first, end = first + BATCH; i < end; i++)
                {
                    sink += roundTripBytes(i);
                }
                break;
            case "fixed":
                for (long i = first, end = first + BATCH; i < end; i++)
                {
                    sink += roundTripFixed(i);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    String hex()
    {
        final StringBuilder b = new StringBuilder(BUFFER_LENGTH * 2);
        for (int i = 0; i < BUFFER_LENGTH; i++)
        {
            final int v = buffer.getByte(i) & 0xFF;
            b.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return b.toString();
    }

    void encodeReplayFixed(final long i)
    {
        replayEncoder.wrapAndApplyHeader(buffer, REPLAY_OFFSET, headerEncoder)
            .controlSessionId(1_000_001L)
            .correlationId(i)
            .recordingId(42L)
            .position(1L << 33)
            .length(Long.MAX_VALUE)
            .replayStreamId(101)
            .fileIoMaxLength(1 << 20)
            .replayToken(-1L);
    }

    void encodeDescriptorFixed(final long i)
    {
        descriptorEncoder.wrapAndApplyHeader(buffer, DESCRIPTOR_OFFSET, headerEncoder)
            .controlSessionId(1_000_001L)
            .correlationId(i)
            .recordingId(42L)
            .startTimestamp(1_700_000_000_000L)
            .stopTimestamp(1_700_000_360_000L)
            .startPosition(0L)
            .stopPosition(123_456_789L)
            .initialTermId(-17)
            .segmentFileLength(1 << 27)
            .termBufferLength(1 << 16)
            .mtuLength(8192)
            .sessionId(-559038737)
            .streamId(1001);
    }

    void encodeResponse(final long i)
    {
        responseEncoder.wrapAndApplyHeader(buffer, RESPONSE_OFFSET, headerEncoder)
            .controlSessionId(1_000_001L)
            .correlationId(i)
            .relevantId(42L)
            .code(ControlResponseCode.OK)
            .version(13)
            .errorMessage("");
    }

    long decodeReplayFixed()
    {
        headerDecoder.wrap(buffer, REPLAY_OFFSET);
        checkTemplate(ReplayRequestDecoder.TEMPLATE_ID);
        replayDecoder.wrap(
            buffer, REPLAY_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        return replayDecoder.controlSessionId() + replayDecoder.correlationId() + replayDecoder.recordingId() +
            replayDecoder.position() + replayDecoder.length() + replayDecoder.replayStreamId() +
            replayDecoder.fileIoMaxLength() + replayDecoder.replayToken();
    }

    long decodeDescriptorFixed()
    {
        headerDecoder.wrap(buffer, DESCRIPTOR_OFFSET);
        checkTemplate(RecordingDescriptorDecoder.TEMPLATE_ID);
        final RecordingDescriptorDecoder d = descriptorDecoder.wrap(
            buffer, DESCRIPTOR_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return d.controlSessionId() + d.correlationId() + d.recordingId() + d.startTimestamp() + d.stopTimestamp() +
            d.startPosition() + d.stopPosition() + d.initialTermId() + d.segmentFileLength() + d.termBufferLength() +
            d.mtuLength() + d.sessionId() + d.streamId();
    }

    long decodeResponseFixed()
    {
        headerDecoder.wrap(buffer, RESPONSE_OFFSET);
        checkTemplate(ControlResponseDecoder.TEMPLATE_ID);
        final ControlResponseDecoder r = responseDecoder.wrap(
            buffer, RESPONSE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return r.controlSessionId() + r.correlationId() + r.relevantId() + r.code().value() + r.version();
    }

    long roundTripStrings(final long i)
    {
        encodeReplayFixed(i);
        replayEncoder.replayChannel(REPLAY_CHANNEL);
        encodeDescriptorFixed(i);
        descriptorEncoder.strippedChannel(STRIPPED_CHANNEL)
            .originalChannel(ORIGINAL_CHANNEL)
            .sourceIdentity(SOURCE_IDENTITY);
        encodeResponse(i);

        long s = decodeReplayFixed() + stringSum(replayDecoder.replayChannel());
        s += decodeDescriptorFixed();
        s += stringSum(descriptorDecoder.strippedChannel());
        s += stringSum(descriptorDecoder.originalChannel());
        s += stringSum(descriptorDecoder.sourceIdentity());
        s += decodeResponseFixed() + stringSum(responseDecoder.errorMessage());
        return s;
    }

    long roundTripBytes(final long i)
    {
        encodeReplayFixed(i);
        replayEncoder.putReplayChannel(replayChannelBytes, 0, replayChannelBytes.length);
        encodeDescriptorFixed(i);
        descriptorEncoder.putStrippedChannel(strippedChannelBytes, 0, strippedChannelBytes.length)
            .putOriginalChannel(originalChannelBytes, 0, originalChannelBytes.length)
            .putSourceIdentity(sourceIdentityBytes, 0, sourceIdentityBytes.length);
        encodeResponse(i);

        final byte[] dst = scratch;
        long s = decodeReplayFixed();
        s += bytesSum(replayDecoder.getReplayChannel(dst, 0, dst.length));
        s += decodeDescriptorFixed();
        s += bytesSum(descriptorDecoder.getStrippedChannel(dst, 0, dst.length));
        s += bytesSum(descriptorDecoder.getOriginalChannel(dst, 0, dst.length));
        s += bytesSum(descriptorDecoder.getSourceIdentity(dst, 0, dst.length));
        s += decodeResponseFixed();
        s += bytesSum(responseDecoder.getErrorMessage(dst, 0, dst.length));
        return s;
    }

    long roundTripFixed(final long i)
    {
        stopEncoder.wrapAndApplyHeader(buffer, STOP_REPLAY_OFFSET, headerEncoder)
            .controlSessionId(1_000_001L)
            .correlationId(i)
            .replaySessionId(0x1234_5678_9AL);
        encodeResponse(i);

        headerDecoder.wrap(buffer, STOP_REPLAY_OFFSET);
        checkTemplate(StopReplayRequestDecoder.TEMPLATE_ID);
        final StopReplayRequestDecoder d = stopDecoder.wrap(
            buffer, STOP_REPLAY_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        long s = d.controlSessionId() + d.correlationId() + d.replaySessionId();
        s += decodeResponseFixed() + responseDecoder.errorMessageLength();
        return s;
    }

    void checkTemplate(final int expected)
    {
        if (headerDecoder.templateId() != expected || headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            throw new IllegalStateException("unexpected template " + headerDecoder.templateId());
        }
    }

    static long stringSum(final String s)
    {
        final int length = s.length();
        return 0 == length ? 0 : length + s.charAt(length - 1);
    }

    long bytesSum(final int length)
    {
        return 0 == length ? 0 : length + scratch[length - 1];
    }
}
