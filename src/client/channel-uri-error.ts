/** `ChannelUriError` lives in `src/logbuffer/channel-uri-error.ts` (shared with the driver); re-exported here. */
export * from '../logbuffer/channel-uri-error.ts';
