/**
 * Array helpers of the driver's resource lists (Agrona `ArrayListUtil`).
 *
 * ```
 *  fastUnorderedRemove([a, b, c, d], 1)  ->  [a, d, c]     the last element moves into the hole: O(1), no copy
 * ```
 */

/** Removes element `index` by moving the last element into its place (order is not kept; nothing allocated). */
export function fastUnorderedRemove<T>(list: T[], index: number): void {
  const last = list.length - 1;
  if (index !== last) list[index] = list[last]!;
  list.pop();
}
