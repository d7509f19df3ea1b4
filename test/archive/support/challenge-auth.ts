/**
 * Archive authentication against the real archive: the Java `ChallengeAuthenticator` (test/java) compiled and
 * plugged into an ArchivingMediaDriver, credentials that answer its challenge, and the check of its rejection.
 */
import { expect } from 'vitest';
import { aeronJarPath } from '../../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../../harness/driver.ts';
import { compileJava } from '../../../harness/java.ts';
import { ArchiveError } from '../../../src/archive/archive-error.ts';
import type { CredentialsSupplier } from '../../../src/archive/credentials.ts';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Starts an ArchivingMediaDriver whose authenticator is `ChallengeAuthenticator` (compiled first). */
export function startChallengeArchive(): Promise<ArchivingDriverHandle> {
  const classes = compileJava({
    sources: ['test/java/ChallengeAuthenticator.java', 'test/java/ChallengeAuthenticatorSupplier.java'],
    classpath: [aeronJarPath()],
  });
  return startArchivingMediaDriver({
    classpath: [classes],
    properties: { 'aeron.archive.authenticator.supplier': 'ChallengeAuthenticatorSupplier' },
  });
}

/**
 * Sends `credentials`; answers a challenge `nonce:<rest>` with `answer:<rest>` (or `wrongAnswer` when given);
 * `challenges` lists the challenges it was given.
 */
export function challengeCredentials(
  credentials: string,
  wrongAnswer?: string,
): CredentialsSupplier & { challenges: string[] } {
  const challenges: string[] = [];
  return {
    challenges,
    encodedCredentials: () => utf8.encode(credentials),
    onChallenge: (encodedChallenge) => {
      const challenge = text.decode(encodedChallenge);
      challenges.push(challenge);
      return utf8.encode(wrongAnswer ?? challenge.replace(/^nonce:/, 'answer:'));
    },
  };
}

/** Checks that `error` is the archive's answer AUTHENTICATION_REJECTED (an ERROR response, error code 10). */
export function expectAuthenticationRejected(error: unknown): ArchiveError {
  expect(error).toBeInstanceOf(ArchiveError);
  const archiveError = error as ArchiveError;
  expect(archiveError.code).toBe('ARCHIVE_ERROR');
  expect(archiveError.errorCode).toBe(10);
  expect(archiveError.errorCodeName).toBe('AUTHENTICATION_REJECTED');
  expect(archiveError.message).toContain('authentication rejected');
  return archiveError;
}
