/**
 * The TypeScript media driver (work in progress: CnC file, counters, error log, loss report, the conductor's
 * client liveness and counter commands). Design and the Aeron facts it relies on: docs/driver.md.
 */
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
export { MediaDriver } from './media-driver.ts';
export {
  counterFreeToReuseTimeoutMs,
  type MediaDriverContext,
  type MediaDriverOptions,
  resolveMediaDriverContext,
} from './media-driver-context.ts';
export {
  AERON_PROTOCOL_VERSION,
  DRIVER_VERSION_INFO,
  formatDuration,
  type SystemCounterDescriptor,
  SystemCounterDescriptors,
  type SystemCounterName,
  SystemCounters,
} from './system-counters.ts';
