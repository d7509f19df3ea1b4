/**
 * Encodes an AuthConnectRequest and a RecordingDescriptor with the generated archive codecs, decodes them
 * again and prints them. Exits 0 when both round trips reproduce what was written.
 *
 *   npx tsx examples/codec-roundtrip.ts
 */
import { archive } from '../codecs/index.ts';

const buffer = new Uint8Array(1024);
const headerEncoder = new archive.MessageHeaderEncoder();
const headerDecoder = new archive.MessageHeaderDecoder();

const connect = new archive.AuthConnectRequestEncoder()
  .wrapAndApplyHeader(buffer, 0, headerEncoder)
  .correlationId(42)
  .responseStreamId(20)
  .version(archive.AuthConnectRequestEncoder.SCHEMA_VERSION)
  .responseChannel('aeron:udp?endpoint=localhost:0')
  .encodedCredentials(new TextEncoder().encode('admin:secret'))
  .clientInfo('aeron-ts example');
const connectLength = archive.MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength();

const connectDecoder = new archive.AuthConnectRequestDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
console.log(`${connectLength} bytes: ${connectDecoder.toString()}`);

const descriptorOffset = 512;
const descriptor = new archive.RecordingDescriptorEncoder()
  .wrapAndApplyHeader(buffer, descriptorOffset, headerEncoder)
  .controlSessionId(7)
  .correlationId(43)
  .recordingId(5)
  .startTimestamp(Date.UTC(2025, 0, 1))
  .stopTimestamp(-1)
  .startPosition(0)
  .stopPosition(-1)
  .initialTermId(1000)
  .segmentFileLength(128 * 1024 * 1024)
  .termBufferLength(64 * 1024)
  .mtuLength(1408)
  .sessionId(-12345)
  .streamId(1001)
  .strippedChannel('aeron:ipc')
  .originalChannel('aeron:ipc?alias=example')
  .sourceIdentity('aeron:ipc');
const descriptorLength = archive.MessageHeaderEncoder.ENCODED_LENGTH + descriptor.encodedLength();

const descriptorDecoder = new archive.RecordingDescriptorDecoder().wrapAndApplyHeader(
  buffer,
  descriptorOffset,
  headerDecoder,
);
console.log(`${descriptorLength} bytes: ${descriptorDecoder.toString()}`);

const ok =
  connectDecoder.correlationId() === 42 &&
  connectDecoder.responseChannel() === 'aeron:udp?endpoint=localhost:0' &&
  new TextDecoder().decode(connectDecoder.encodedCredentials()) === 'admin:secret' &&
  connectDecoder.clientInfo() === 'aeron-ts example' &&
  descriptorDecoder.recordingId() === 5 &&
  descriptorDecoder.stopPosition() === -1 &&
  descriptorDecoder.sessionId() === -12345 &&
  descriptorDecoder.strippedChannel() === 'aeron:ipc' &&
  descriptorDecoder.originalChannel() === 'aeron:ipc?alias=example' &&
  descriptorDecoder.sourceIdentity() === 'aeron:ipc' &&
  descriptorDecoder.sbeDecodedLength() === descriptor.encodedLength();
if (!ok) {
  console.error('round trip mismatch');
  process.exit(1);
}
console.log(JSON.stringify(descriptorDecoder.toJSON()));
