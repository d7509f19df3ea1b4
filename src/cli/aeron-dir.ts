/**
 * Which Aeron directory the CLI looks at, resolved as the Java client does by default: `--aeron-dir`, else
 * the `AERON_DIR` environment variable, else `/dev/shm/aeron-<user>` on Linux when `/dev/shm` exists,
 * else `<tmpdir>/aeron-<user>` (Java: `CommonContext.AERON_DIR_PROP_DEFAULT`).
 */
import { defaultAeronDir } from '../transport/aeron-directory.ts';

/** `--aeron-dir` if given, else `AERON_DIR`, else the default. */
export function resolveAeronDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== '') return option;
  const fromEnv = env.AERON_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return defaultAeronDir(env);
}
