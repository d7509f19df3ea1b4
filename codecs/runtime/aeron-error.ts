/**
 * The root of every error aeron-ts throws or rejects with, in every layer and entry point (`aeron-ts`,
 * `aeron-ts/archive`, `aeron-ts/codecs`): `catch (e) { if (e instanceof AeronError) … }` catches them all.
 *
 * Each subclass carries a stable string `code` for programs to switch on; messages are for people and may
 * change. The full table of classes and codes is `docs/errors.md`.
 *
 * It lives at the bottom layer (the codec runtime, which imports nothing) so that every layer above, the
 * generated codecs included, can extend it.
 */
export class AeronError extends Error {
  /** Stable code of the condition (for example `DRIVER_TIMEOUT`, `ARCHIVE_ERROR`, `SHORT_BUFFER`). */
  readonly code: string;

  /**
   * @param code stable code of the condition.
   * @param message human-readable description.
   * @param options standard `ErrorOptions` (`cause`).
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * An argument outside what the called method accepts (a negative length, an offset past a buffer, a value out
 * of its range). Nothing was changed. Java throws `IllegalArgumentException` in the same places.
 */
export class InvalidArgumentError extends AeronError {
  /** Always `INVALID_ARGUMENT`. */
  declare readonly code: 'INVALID_ARGUMENT';

  /** @param message what was wrong with which argument. */
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/**
 * A method called on an object in a state that does not allow it (a flyweight used before it was wrapped, a
 * claim committed twice). Java throws `IllegalStateException` in the same places.
 */
export class IllegalStateError extends AeronError {
  /** Always `ILLEGAL_STATE`. */
  declare readonly code: 'ILLEGAL_STATE';

  /** @param message what the state was and what was asked. */
  constructor(message: string, options?: ErrorOptions) {
    super('ILLEGAL_STATE', message, options);
  }
}
