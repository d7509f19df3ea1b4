/**
 * Which receivers of a network publication are alive (Aeron 1.51.0 `ReceiverLivenessTracker`): the time of the
 * last status message of each receiver id; a receiver is dropped when it sends an end-of-stream status message or
 * an error frame, or when it has been silent for the publication connection timeout.
 *
 * ```
 *  receiver id (int64, kept as two int32 words)  ->  time of its last status message (ns)
 *  onStatusMessage(id, now)   put
 *  onRemoteClose(id)          remove; true when it was there
 *  onIdle(now, timeout)       remove every entry with time <= now - timeout
 *  hasReceivers()             any entry
 * ```
 *
 * Entries live in parallel arrays scanned linearly (a publication has a handful of receivers); the arrays grow
 * only when a new receiver appears, so the steady path (status messages of known receivers) allocates nothing.
 */
export class ReceiverLivenessTracker {
  #high: number[] = [];
  #low: number[] = [];
  #timeNs: number[] = [];
  #size = 0;

  /** True when at least one receiver is alive. */
  hasReceivers(): boolean {
    return this.#size > 0;
  }

  /** Number of receivers alive. */
  get size(): number {
    return this.#size;
  }

  /** A status message from receiver (`high`, `low`) at `nowNs`. */
  onStatusMessage(receiverIdHigh: number, receiverIdLow: number, nowNs: number): void {
    const index = this.#indexOf(receiverIdHigh, receiverIdLow);
    if (index >= 0) {
      this.#timeNs[index] = nowNs;
      return;
    }
    const size = this.#size;
    this.#high[size] = receiverIdHigh;
    this.#low[size] = receiverIdLow;
    this.#timeNs[size] = nowNs;
    this.#size = size + 1;
  }

  /** Receiver (`high`, `low`) closed (EOS status message or error frame); true when it was tracked. */
  onRemoteClose(receiverIdHigh: number, receiverIdLow: number): boolean {
    const index = this.#indexOf(receiverIdHigh, receiverIdLow);
    if (index < 0) return false;
    this.#removeAt(index);
    return true;
  }

  /** Drops every receiver silent since `nowNs - timeoutNs` or earlier. */
  onIdle(nowNs: number, timeoutNs: number): void {
    const threshold = nowNs - timeoutNs;
    for (let i = this.#size - 1; i >= 0; i--) {
      if (this.#timeNs[i]! <= threshold) this.#removeAt(i);
    }
  }

  #indexOf(high: number, low: number): number {
    const highs = this.#high;
    const lows = this.#low;
    for (let i = 0; i < this.#size; i++) {
      if (highs[i] === high && lows[i] === low) return i;
    }
    return -1;
  }

  #removeAt(index: number): void {
    const last = this.#size - 1;
    this.#high[index] = this.#high[last]!;
    this.#low[index] = this.#low[last]!;
    this.#timeNs[index] = this.#timeNs[last]!;
    this.#size = last;
  }
}
