/**
 * The TypeScript media driver: `MediaDriver.launch` / `launchEmbedded` (threading modes SHARED and INVOKER),
 * options from Aeron's property names, CnC file, counters, error log, loss report, the conductor with IPC
 * publications and subscriptions. Design and the Aeron facts it relies on: docs/driver.md.
 */

export { AeronError } from '../../codecs/runtime/aeron-error.ts';
export { BackoffIdleStrategy, type BackoffParameters } from './backoff-idle-strategy.ts';
export { ClientProxy } from './client-proxy.ts';
export { CncFile, type CncFileLayout, cncFileLayout, cncFileLength } from './cnc-file.ts';
export * as ControlProtocol from './command/control-protocol.ts';
export * from './configuration.ts';
export { DriverConductor, type DriverConductorContext } from './driver-conductor.ts';
export {
  type CncInspection,
  deleteDirectory,
  ensureDirectoryIsRecreated,
  existingErrorsFileName,
  formatErrorLog,
  inspectCncFile,
  isDriverActive,
} from './driver-directory.ts';
export { ControlProtocolError, MediaDriverError, type MediaDriverErrorCode } from './driver-error.ts';
export { LOSS_REPORT_FILE_NAME, LossReport, LossReportEntry } from './loss-report.ts';
export { InvalidChannelError } from './media/invalid-channel-error.ts';
export { SocketError, type SocketErrorCode } from './media/socket-error.ts';
export { type EmbeddedMediaDriverOptions, type LaunchOptions, MediaDriver } from './media-driver.ts';
export {
  counterFreeToReuseTimeoutMs,
  type MediaDriverContext,
  type MediaDriverOptions,
  resolveMediaDriverContext,
  THREADING_MODE_DEFAULT,
  THREADING_MODES,
  type ThreadingMode,
} from './media-driver-context.ts';
export { MediaDriverCore, prepareDirectory } from './media-driver-core.ts';
export {
  DRIVER_PROPERTIES,
  type DriverPropertiesResult,
  type DriverProperty,
  mediaDriverOptionsFromProperties,
  propertiesFromEnvironment,
  propertyEnvName,
} from './media-driver-properties.ts';
export { loadPropertiesFile, parseProperties } from './properties-file.ts';
export {
  AERON_PROTOCOL_VERSION,
  DRIVER_VERSION_INFO,
  formatDuration,
  type SystemCounterDescriptor,
  SystemCounterDescriptors,
  type SystemCounterName,
  SystemCounters,
} from './system-counters.ts';
export { parseBoolean, parseDuration, parseLong, parseSize } from './system-util.ts';
