/**
 * Shared text formatting for the CLI: numbers, sizes, timestamps, durations, tables and hex dumps.
 * Pure functions; nothing here reads files or the clock.
 */

const groupedFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, useGrouping: true });

/** `1234567` -> `1,234,567` (as Java's `%,d`). */
export function formatGrouped(value: number): string {
  return groupedFormat.format(value);
}

/** Bytes as a short human size: `65536` -> `64 KiB`, `1049344` -> `1.0 MiB (1049344 B)`-style without the suffix. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

/** Epoch milliseconds as an ISO-8601 UTC timestamp; `-` for values no clock produces (<= 0). */
export function formatTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0 || epochMs > 8.64e15) return '-';
  return new Date(epochMs).toISOString();
}

/** A duration in milliseconds: `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 3 min`. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 24 * 60) return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} min`;
  return `${Math.floor(totalMinutes / (24 * 60))} d ${Math.floor(totalMinutes / 60) % 24} h`;
}

/** Nanoseconds as a duration (`10000000000` -> `10.0 s`). */
export function formatNanos(ns: number): string {
  return formatDuration(ns / 1_000_000);
}

/** Column alignment for `formatTable`. */
export type Align = 'left' | 'right';

/**
 * Lays rows out in columns separated by two spaces. The first row is the header; `align` gives each
 * column's alignment (default left). Trailing spaces are trimmed.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return align[i] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** `key: value` lines with the values aligned. */
export function formatKeyValues(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes as one lowercase hex string without separators. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

/** Bytes as text: printable ASCII as is, everything else as `.`. */
export function printableText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are valid UTF-8 without control characters (tab, newline and CR allowed), else null. */
export function printableUtf8(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we reject
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
}

/**
 * Classic hex dump, 16 bytes a line: `  0000  48 65 6c 6c 6f ...  |Hello...|`. `baseOffset` is added to the
 * printed offsets.
 */
export function hexDump(bytes: Uint8Array, baseOffset = 0, indent = '  '): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = bytes.subarray(i, Math.min(i + 16, bytes.length));
    const hex: string[] = [];
    for (const b of chunk) hex.push(HEX[b] ?? '??');
    const offset = (baseOffset + i).toString(16).padStart(4, '0');
    lines.push(`${indent}${offset}  ${hex.join(' ').padEnd(47)}  |${printableText(chunk)}|`);
  }
  return lines;
}

/** Flags byte as letters: B(egin) E(nd) S (end of stream) R(evoked), `-` for unset bits; plus the hex value. */
export function formatFrameFlags(flags: number): string {
  const letters = [
    flags & 0x80 ? 'B' : '-',
    flags & 0x40 ? 'E' : '-',
    flags & 0x20 ? 'S' : '-',
    flags & 0x10 ? 'R' : '-',
  ].join('');
  return `${letters} (0x${(flags & 0xff).toString(16).padStart(2, '0')})`;
}
