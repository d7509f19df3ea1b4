/**
 * Java's default Aeron directory (Aeron 1.51.0 `CommonContext.AERON_DIR_PROP_DEFAULT`), the one place the
 * client, the media driver and the CLI take it from:
 *
 * ```
 *  Linux with /dev/shm:  /dev/shm/aeron-<user>
 *  otherwise:            <tmpdir>/aeron-<user>
 *  <user>:               Java's user.name: the passwd name, else USER / USERNAME, else "default"
 * ```
 */
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The user name Java's `user.name` would give: the passwd name, else `USER`, else `default`. */
function userName(env: Readonly<Record<string, string | undefined>>): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry for this uid
  }
  return env.USER || env.USERNAME || 'default';
}

/** Java's default Aeron dir for this user (see the module comment). */
export function defaultAeronDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = process.platform === 'linux' && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return join(base, `aeron-${userName(env)}`);
}
