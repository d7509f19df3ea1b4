/**
 * Entry point of a TS measurement child (see ts-child.ts):
 * `ts-child-main.ts <module path> <export name> <json args>` → prints `RESULT <json Sample>`.
 */
import { pathToFileURL } from 'node:url';
import { formatResultLine } from './result-line.ts';
import type { Sample } from './sample.ts';

type Measure = (args: unknown) => Sample | Promise<Sample>;

const [modulePath, exportName, json] = process.argv.slice(2);
if (modulePath === undefined || exportName === undefined || json === undefined) {
  process.stderr.write('usage: ts-child-main.ts <module> <export> <json args>\n');
  process.exit(2);
}
const loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
const measure = loaded[exportName];
if (typeof measure !== 'function') {
  process.stderr.write(`${modulePath} does not export a function ${exportName}\n`);
  process.exit(2);
}
const sample = await (measure as Measure)(JSON.parse(json));
process.stdout.write(`${formatResultLine(sample)}\n`);
