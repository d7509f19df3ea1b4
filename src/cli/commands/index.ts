/** Every CLI command, in help order. New commands (recordings, tail, replay...) are added here. */
import type { CliCommand } from '../command.ts';
import { archiveCommand } from './archive.ts';
import { codegenCommand } from './codegen.ts';
import { describeCommand } from './describe.ts';
import { describeRecordingCommand } from './describe-recording.ts';
import { driverCommand } from './driver.ts';
import { dumpLogCommand } from './dump-log.ts';
import { errorsCommand } from './errors.ts';
import { lossCommand } from './loss.ts';
import { recordingsCommand } from './recordings.ts';
import { replayCommand } from './replay.ts';
import { statCommand } from './stat.ts';
import { streamsCommand } from './streams.ts';
import { tailCommand } from './tail.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  describeCommand,
  statCommand,
  streamsCommand,
  errorsCommand,
  lossCommand,
  dumpLogCommand,
  recordingsCommand,
  describeRecordingCommand,
  tailCommand,
  replayCommand,
  driverCommand,
  archiveCommand,
  codegenCommand,
];
