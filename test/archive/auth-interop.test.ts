/**
 * Archive authentication against the real Java ArchivingMediaDriver 1.51.0, configured with our challenge
 * authenticator (`test/java/ChallengeAuthenticator.java`, compiled at test time and loaded by the archive through
 * `-Daeron.archive.authenticator.supplier=ChallengeAuthenticatorSupplier`).
 *
 * Scheme (see the Java class): connect credentials `challenge-me:<user>` get the Challenge `nonce:<user>:<n>`,
 * whose only accepted answer is `answer:<user>:<n>`; `let-me-in:<user>` is accepted at once; anything else is
 * rejected. A rejected session gets ERROR with relevantId = AUTHENTICATION_REJECTED (10) and the message
 * "authentication rejected" (1.51.0 `ControlSession.sendReject`), which our client raises as an `ArchiveError`
 * with errorCodeName 'AUTHENTICATION_REJECTED'.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aeronJarPath, interopGate } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { compileJava } from '../../harness/java.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { CredentialsSupplier } from '../../src/archive/credentials.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { connectAeron, connectArchive, listAll } from './support/archive-interop.ts';

const gate = interopGate(['aeron']);
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Sends `credentials`; answers a challenge `nonce:<rest>` with `answer:<rest>` (or `wrongAnswer` when set). */
function challengeCredentials(
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

async function expectRejected(promise: Promise<unknown>): Promise<ArchiveError> {
  const error = await promise.then(
    () => {
      throw new Error('connect succeeded but should have been rejected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  const archiveError = error as ArchiveError;
  expect(archiveError.code).toBe('ARCHIVE_ERROR');
  expect(archiveError.errorCode).toBe(10);
  expect(archiveError.errorCodeName).toBe('AUTHENTICATION_REJECTED');
  expect(archiveError.message).toContain('authentication rejected');
  return archiveError;
}

if (gate.mode === 'fail') {
  describe('archive authentication against the Java ArchivingMediaDriver', () => {
    it('has Java and the pinned Aeron jar', () => {
      throw new Error(gate.missing);
    });
  });
} else {
  describe.skipIf(gate.mode === 'skip')('archive authentication against the Java ArchivingMediaDriver', () => {
    let archive: ArchivingDriverHandle | undefined;
    let aeron: Aeron | undefined;

    beforeAll(async () => {
      const classes = compileJava({
        sources: ['test/java/ChallengeAuthenticator.java', 'test/java/ChallengeAuthenticatorSupplier.java'],
        classpath: [aeronJarPath()],
      });
      archive = await startArchivingMediaDriver({
        classpath: [classes],
        properties: { 'aeron.archive.authenticator.supplier': 'ChallengeAuthenticatorSupplier' },
      });
      aeron = await connectAeron(archive);
    }, 120_000);

    afterAll(async () => {
      aeron?.close();
      await archive?.stop();
      assertNoLeftovers();
    }, 60_000);

    afterEach(() => {
      expect(archive?.hasExited()).toBe(false);
    });

    it('connects after answering the challenge correctly, and the session works', async () => {
      const credentials = challengeCredentials('challenge-me:alice');
      const client = await connectArchive(aeron!, archive!, { credentialsSupplier: credentials });
      try {
        expect(credentials.challenges).toHaveLength(1);
        expect(credentials.challenges[0]).toMatch(/^nonce:alice:\d+$/);
        expect(String(client.archiveId)).toBe(archive!.archiveId);
        expect(await listAll(client)).toEqual([]);
      } finally {
        client.close();
      }
      expect(archive!.output()).toMatch(/auth authenticated session=\d+ principal=alice/);
    }, 60_000);

    it('connects without a challenge when the authenticator accepts the connect credentials', async () => {
      const credentials = challengeCredentials('let-me-in:bob');
      const client = await connectArchive(aeron!, archive!, { credentialsSupplier: credentials });
      try {
        expect(credentials.challenges).toEqual([]);
        expect(client.state()).toBe('CONNECTED');
        expect(await listAll(client)).toEqual([]);
      } finally {
        client.close();
      }
    }, 60_000);

    it('rejects wrong connect credentials with AUTHENTICATION_REJECTED', async () => {
      const credentials = challengeCredentials('mallory:guess');
      await expectRejected(connectArchive(aeron!, archive!, { credentialsSupplier: credentials }));
      expect(credentials.challenges).toEqual([]);
    }, 60_000);

    it('rejects a wrong answer to the challenge with AUTHENTICATION_REJECTED', async () => {
      const credentials = challengeCredentials('challenge-me:carol', 'answer:carol:0');
      await expectRejected(connectArchive(aeron!, archive!, { credentialsSupplier: credentials }));
      expect(credentials.challenges).toHaveLength(1);
    }, 60_000);

    it('rejects a client with no credentials (the default supplier) with AUTHENTICATION_REJECTED', async () => {
      await expectRejected(connectArchive(aeron!, archive!));
    }, 60_000);

    it('still accepts the right credentials after rejections', async () => {
      const client = await connectArchive(aeron!, archive!, {
        credentialsSupplier: challengeCredentials('challenge-me:dave'),
      });
      client.close();
      expect(archive!.output()).toMatch(/auth rejected session=\d+/);
    }, 60_000);
  });
}
