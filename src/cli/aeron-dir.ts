/**
 * Which Aeron directory the CLI looks at, resolved as the Java client does by default: `--aeron-dir`, else
 * the `AERON_DIR` environment variable, else `/dev/shm/aeron-<user>` on Linux when `/dev/shm` exists,
 * else `<tmpdir>/aeron-<user>` (Java: `CommonContext.AERON_DIR_PROP_DEFAULT`).
 */
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'default';
  }
}

/** The default Aeron directory for this user, as Java computes it. */
export function defaultAeronDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = process.platform === 'linux' && existsSync('/dev/shm') ? '/dev/shm/aeron' : join(tmpdir(), 'aeron');
  return `${base}-${userName(env)}`;
}

/** `--aeron-dir` if given, else `AERON_DIR`, else the default. */
export function resolveAeronDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== '') return option;
  const fromEnv = env.AERON_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return defaultAeronDir(env);
}
