/**
 * Reads Java properties files, the form Aeron's `MediaDriver.main` (through Agrona's
 * `SystemUtil.loadPropertiesFiles`) and aeronmd (`aeron_properties_file_load`) take their settings in.
 *
 * ```
 *  # comment  /  ! comment              skipped (after leading white space)
 *  name=value  name: value  name value  first '=', ':' or white space ends the name; white space around it trimmed
 *  name=first \                         a line ending in an odd number of backslashes continues on the next,
 *       second                          whose leading white space is dropped
 *  \t \n \r \f \\ \= \: \uXXXX          escapes in names and values (another escaped character is itself)
 * ```
 *
 * A later definition of a name replaces an earlier one. Unlike Java, a missing or unreadable file is an error
 * (`MediaDriverError` INVALID_CONFIGURATION), not silently skipped, and files are paths (no class-path
 * resources, no URLs).
 */
import { readFileSync } from 'node:fs';
import { MediaDriverError } from './driver-error.ts';

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** The name/value pairs of properties `text`, in file order (later duplicates replace earlier ones). */
export function parseProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      i += 1;
      line = line.slice(0, -1) + (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const end = nameEnd(line);
    const name = unescapeProperty(line.slice(0, end));
    let rest = line.slice(end).replace(/^[ \t\f]+/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
    properties[name] = unescapeProperty(rest);
  }
  return properties;
}

/** Reads and parses one properties file; `MediaDriverError` INVALID_CONFIGURATION when it cannot be read. */
export function loadPropertiesFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    throw new MediaDriverError('INVALID_CONFIGURATION', `cannot read the properties file ${path}`, { cause: e });
  }
  return parseProperties(text);
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line.charAt(i) === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Index of the first unescaped '=', ':' or white space. */
function nameEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === '\\') i++;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') return i;
  }
  return line.length;
}

function unescapeProperty(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text.charAt(++i);
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}
