/**
 * A TypeScript Archive server in its own process, for the crash test (crash-recovery.test.ts):
 * `node --import tsx archive-child.ts <aeronDir> <archiveDir>` launches `Archive` on the driver of `aeronDir`
 * (archive id 99, 256 KiB segments), prints `ready`, and closes on SIGTERM. The test SIGKILLs it mid-recording.
 */
import { Archive } from '../../src/archive-server/archive.ts';

const [aeronDir, archiveDir] = process.argv.slice(2);
if (aeronDir === undefined || archiveDir === undefined) {
  process.stderr.write('usage: archive-child.ts <aeronDir> <archiveDir>\n');
  process.exit(2);
}
const archive = await Archive.launch({ aeronDir, archiveDir, archiveId: 99, segmentFileLength: 256 * 1024 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void archive.close().then(() => process.exit(0));
});
