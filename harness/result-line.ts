/**
 * The one line a measurement process prints: `RESULT {json}`. For TS children the JSON is a `Sample`;
 * Java programs print their own fields, which `parseResultFields` returns as is.
 */
import type { Sample } from './sample.ts';

const PREFIX = 'RESULT ';

export function formatResultLine(sample: Sample): string {
  return PREFIX + JSON.stringify(sample);
}

/** The JSON object of the last `RESULT` line in `stdout`; throws when there is none. */
export function parseResultFields(stdout: string): Record<string, unknown> {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(PREFIX));
  if (line === undefined) throw new Error(`no RESULT line in output:\n${stdout.slice(-2000)}`);
  const parsed: unknown = JSON.parse(line.slice(PREFIX.length));
  if (parsed === null || typeof parsed !== 'object') throw new Error(`RESULT is not an object: ${line}`);
  return parsed as Record<string, unknown>;
}

export function parseResultLine(stdout: string): Sample {
  const fields = parseResultFields(stdout);
  if (typeof fields.value !== 'number') throw new Error(`RESULT has no numeric value: ${JSON.stringify(fields)}`);
  return fields as unknown as Sample;
}
