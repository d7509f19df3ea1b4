/**
 * Agrona `SemanticVersion`: major.minor.patch packed into one int32.
 *
 * ```
 *  bits 31..24  unused (0)   23..16 major   15..8 minor   7..0 patch
 * ```
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

/**
 * Packs a version. Java: `SemanticVersion.compose`.
 *
 * @throws InvalidArgumentError `INVALID_ARGUMENT` unless each part is an integer 0..255 and not all are zero.
 */
export function composeSemanticVersion(major: number, minor: number, patch: number): number {
  for (const [name, part] of [
    ['major', major],
    ['minor', minor],
    ['patch', patch],
  ] as const) {
    if (!Number.isInteger(part) || part < 0 || part > 255)
      throw new InvalidArgumentError(`${name} must be 0-255: ${part}`);
  }
  if (major + minor + patch === 0) throw new InvalidArgumentError('all parts cannot be zero');
  return (major << 16) | (minor << 8) | patch;
}

/** The major part (bits 23..16) of a packed version. Java: `SemanticVersion.major`. */
export function semanticVersionMajor(version: number): number {
  return (version >> 16) & 0xff;
}

/** The minor part (bits 15..8) of a packed version. Java: `SemanticVersion.minor`. */
export function semanticVersionMinor(version: number): number {
  return (version >> 8) & 0xff;
}

/** The patch part (bits 7..0) of a packed version. Java: `SemanticVersion.patch`. */
export function semanticVersionPatch(version: number): number {
  return version & 0xff;
}

/** `major.minor.patch` of a packed version. Java: `SemanticVersion.toString`. */
export function semanticVersionToString(version: number): string {
  return `${semanticVersionMajor(version)}.${semanticVersionMinor(version)}.${semanticVersionPatch(version)}`;
}
