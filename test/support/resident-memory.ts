/**
 * How much of a mapped file is present in this process's page tables, from `/proc/self/smaps` (Linux):
 * the sum of `Rss` over every mapping of `path`. A page of a shared file mapping counts once this process
 * has faulted it in (or pre-touched it); pages only in the page cache do not. Used to prove pre-touching
 * without timing anything.
 */
import { readFileSync, realpathSync } from 'node:fs';

export function residentMappedBytes(path: string): number {
  const target = realpathSync(path);
  let total = 0;
  let inTarget = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s+(.*)$/.exec(line);
    if (header !== null) {
      inTarget = header[1] === target;
      continue;
    }
    if (inTarget) {
      const rss = /^Rss:\s+(\d+) kB$/.exec(line);
      if (rss !== null) total += Number(rss[1]) * 1024;
    }
  }
  return total;
}
