/**
 * One parsed channel as a tab-separated line, in the order test/driver/java/UdpChannelProbe.java prints Java's
 * `UdpChannel`: `OK` and the fields, or `ERR` and the InvalidChannelError message.
 */
import { InvalidChannelError } from '../../../src/driver/media/invalid-channel-error.ts';
import { UdpChannel } from '../../../src/driver/media/udp-channel.ts';

/** Our `UdpChannel.parse(uri)` as the Java probe prints Java's. */
export function formatUdpChannel(uri: string): string {
  let c: UdpChannel;
  try {
    c = UdpChannel.parse(uri);
  } catch (e) {
    if (e instanceof InvalidChannelError) return `ERR\t${e.message}`;
    return `THROW\t${String(e)}`;
  }
  return [
    'OK',
    c.canonicalForm,
    c.isMulticast,
    c.hasExplicitControl,
    c.hasExplicitEndpoint,
    c.controlMode,
    c.isMultiDestination,
    c.hasGroupSemantics,
    c.hasMulticastTtl,
    c.multicastTtl,
    c.localInterface?.name ?? 'null',
    c.remoteData.toString(),
    c.localData.toString(),
    c.remoteControl.toString(),
    c.localControl.toString(),
    c.protocolFamily === 4 ? 'INET' : 'INET6',
    c.socketRcvbufLength,
    c.socketSndbufLength,
    c.receiverWindowLength,
    c.hasTag,
    c.tag,
    c.groupTag ?? 'null',
    c.nakDelayNs ?? 'null',
    c.channelReceiveTimestampOffset,
    c.channelSendTimestampOffset,
    c.description(),
  ].join('\t');
}
