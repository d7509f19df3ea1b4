/** Polls `condition` every `intervalMs` until true or `timeoutMs` passes (then throws with `what`). */
import { setTimeout as sleep } from 'node:timers/promises';

export async function awaitCondition(
  what: string,
  condition: () => boolean,
  timeoutMs = 20_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
