/**
 * Channel URIs live in `src/logbuffer/channel-uri.ts` (the driver parses them too, and may not import the client);
 * re-exported here so the client's modules keep their import.
 */
export * from '../logbuffer/channel-uri.ts';
