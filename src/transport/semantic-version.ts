/**
 * Agrona `SemanticVersion`: major.minor.patch packed into one int32.
 *
 * ```
 *  bits 31..24  unused (0)   23..16 major   15..8 minor   7..0 patch
 * ```
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';

/** Packs a version; each part 0..255, not all zero. */
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

export function semanticVersionMajor(version: number): number {
  return (version >> 16) & 0xff;
}

export function semanticVersionMinor(version: number): number {
  return (version >> 8) & 0xff;
}

export function semanticVersionPatch(version: number): number {
  return version & 0xff;
}

export function semanticVersionToString(version: number): string {
  return `${semanticVersionMajor(version)}.${semanticVersionMinor(version)}.${semanticVersionPatch(version)}`;
}
