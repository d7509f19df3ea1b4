/**
 * A push-to-pull bridge for the archive client's async iterators (signals, descriptors): producers `push`, one
 * consumer iterates; `end(error?)` finishes the iteration (after the buffered items). The buffer is unbounded, so
 * iterate promptly or `return()` (break out of the loop) to detach.
 */
export class AsyncEventQueue<T> implements AsyncIterableIterator<T> {
  readonly #items: T[] = [];
  #waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  #ended = false;
  #failure: unknown = undefined;
  #failed = false;

  readonly #onDetach: () => void;

  /** @param onDetach called when the consumer detaches with `return()` (so the producer stops pushing to it). */
  constructor(onDetach: () => void = () => {}) {
    this.#onDetach = onDetach;
  }

  /** Hands `item` to a waiting `next()`, else buffers it; ignored after `end()`. */
  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.resolve({ value: item, done: false });
    } else {
      this.#items.push(item);
    }
  }

  /**
   * Finishes the iteration once the buffered items are consumed: `next()` then resolves done, or rejects with
   * `error` when one is given (once). Later calls are ignored.
   */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) {
      this.#failed = true;
      this.#failure = error;
    }
    const waiter = this.#waiter;
    if (waiter !== null && this.#items.length === 0) {
      this.#waiter = null;
      if (this.#failed) waiter.reject(this.#failure);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  /** The next item: a buffered one at once, else the next pushed; done (or the end's error) after `end()`. */
  next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift() as T, done: false });
    if (this.#ended) {
      if (this.#failed) {
        this.#failed = false;
        return Promise.reject(this.#failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Detaches (what `break` out of a `for await` calls): drops the buffered items, ends, calls `onDetach`. */
  return(): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.#failed = false;
    this.end();
    this.#onDetach();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** The queue is its own iterator: one consumer. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}
