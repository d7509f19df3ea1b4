/**
 * Finds gaps in an image's term between its rebuild position and its high-water mark and reports each gap
 * once its NAK delay has passed, then again after each retry delay while it stays (Java 1.51.0
 * `io.aeron.driver.LossDetector`).
 *
 * ```
 *  term:  | rebuilt frames ... | gap (length words 0) | frames ... |        |
 *         ^ term begin          ^ rebuild offset        hwm offset ^
 *
 *  scan():  scanForGap(rebuild offset, limit = hwm offset if same term, else term end)
 *           a different gap than the active one -> active gap := it, deadline := now + generateDelayNs(),
 *                                                  lossFound = true
 *           deadline passed                      -> lossHandler.onGapDetected(active gap),
 *                                                  deadline := now + retryDelayNs()
 *           returns the new rebuild offset (where the first gap begins, or the limit)
 * ```
 *
 * Delays come from a feedback delay generator (unicast: static delay 60 µs, retry ×100; multicast: the
 * optimal random delay). Allocation-free: the scan outcome is kept in two fields instead of a packed long.
 */

import type { LogBufferMemory } from '../logbuffer/log-buffer-memory.ts';
import { scanForGap } from '../logbuffer/term-gap-scanner.ts';
import type { FeedbackDelayGenerator } from './feedback-delay-generator.ts';

/** Receives the gaps to NAK. Java: `LossHandler`. */
export interface LossHandler {
  /** `length` bytes missing at `termOffset` of term `termId`. */
  onGapDetected(termId: number, termOffset: number, length: number): void;
}

/** See the module comment. One per image. */
export class LossDetector {
  readonly #delayGenerator: FeedbackDelayGenerator;
  readonly #lossHandler: LossHandler;
  readonly #onGap: (termId: number, offset: number, length: number) => void;
  #deadlineNs = 0;
  #hasDeadline = false;
  #scannedTermId = 0;
  #scannedTermOffset = -1;
  #scannedLength = 0;
  #activeTermId = 0;
  #activeTermOffset = -1;
  #activeLength = 0;
  /** Term offset where the last scan stopped (the first gap, or the limit). Java: `rebuildOffset(scanOutcome)`. */
  rebuildOffset = 0;
  /** Whether the last scan found a new gap. Java: `lossFound(scanOutcome)`. */
  lossFound = false;

  /**
   * @param delayGenerator NAK delays.
   * @param lossHandler receives the gaps to NAK (the image).
   */
  constructor(delayGenerator: FeedbackDelayGenerator, lossHandler: LossHandler) {
    this.#delayGenerator = delayGenerator;
    this.#lossHandler = lossHandler;
    this.#onGap = (termId, offset, length) => {
      this.#scannedTermId = termId;
      this.#scannedTermOffset = offset;
      this.#scannedLength = length;
    };
  }

  /**
   * Scans the term of `rebuildPosition` up to the high-water mark (or the term's end); sets
   * {@link rebuildOffset} and {@link lossFound}. Java: `LossDetector.scan`.
   *
   * @param termBuffer the term holding `rebuildPosition`.
   * @param rebuildPosition where contiguous data ends so far.
   * @param hwmPosition the highest position seen.
   * @param nowNs the current time.
   * @param termLength the term length (a power of two).
   * @param initialTermId the stream's initial term id.
   */
  scan(
    termBuffer: LogBufferMemory,
    rebuildPosition: number,
    hwmPosition: number,
    nowNs: number,
    termLength: number,
    initialTermId: number,
  ): void {
    let lossFound = false;
    const rebuildTermCount = Math.floor(rebuildPosition / termLength);
    let rebuildOffset = rebuildPosition - rebuildTermCount * termLength;
    if (rebuildPosition < hwmPosition) {
      const hwmTermCount = Math.floor(hwmPosition / termLength);
      const rebuildTermId = (initialTermId + rebuildTermCount) | 0;
      const limitOffset = rebuildTermCount === hwmTermCount ? hwmPosition - hwmTermCount * termLength : termLength;
      rebuildOffset = scanForGap(termBuffer, rebuildTermId, rebuildOffset, limitOffset, this.#onGap);
      if (rebuildOffset < limitOffset) {
        if (
          this.#scannedTermOffset !== this.#activeTermOffset ||
          this.#scannedTermId !== this.#activeTermId ||
          this.#scannedLength !== this.#activeLength
        ) {
          this.#activateGap(nowNs);
          lossFound = true;
        }
        this.#checkTimerExpiry(nowNs);
      }
    }
    this.rebuildOffset = rebuildOffset;
    this.lossFound = lossFound;
  }

  #activateGap(nowNs: number): void {
    this.#activeTermId = this.#scannedTermId;
    this.#activeTermOffset = this.#scannedTermOffset;
    this.#activeLength = this.#scannedLength;
    this.#deadlineNs = nowNs + this.#delayGenerator.generateDelayNs();
    this.#hasDeadline = true;
  }

  #checkTimerExpiry(nowNs: number): void {
    if (this.#hasDeadline && this.#deadlineNs - nowNs <= 0) {
      this.#lossHandler.onGapDetected(this.#activeTermId, this.#activeTermOffset, this.#activeLength);
      this.#deadlineNs = nowNs + this.#delayGenerator.retryDelayNs();
    }
  }
}
