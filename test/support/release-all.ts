/** The teardown idiom of the suites: close the clients, then stop the drivers they used. */

/** Something a suite opened: a client (`close()`), a driver (`stop()`), or nothing when its setup failed first. */
export type Releasable = { close(): void } | { stop(): Promise<void> } | null | undefined;

/**
 * Closes or stops each of `resources` in the order given (clients before the drivers they use); each one is
 * released even when an earlier one throws, and the first error is thrown at the end.
 */
export async function releaseAll(...resources: Releasable[]): Promise<void> {
  let failure: { error: unknown } | null = null;
  for (const resource of resources) {
    if (resource === null || resource === undefined) continue;
    try {
      if ('stop' in resource) await resource.stop();
      else resource.close();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== null) throw failure.error;
}
