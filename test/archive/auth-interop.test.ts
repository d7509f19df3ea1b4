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
 *
 * Java's archive only (`ArchiveFacts.javaAuthenticatorUnsupported`): the TypeScript archive loads no Java class; the
 * same scheme runs against it in test/archive-server/auth-interop.test.ts.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type ArchivingDriverHandle, archiveKind } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { ArchiveError } from '../../src/archive/archive-error.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { releaseAll } from '../support/release-all.ts';
import { connectAeron, connectArchive, describeArchiveInterop, listAll } from './support/archive-interop.ts';
import { challengeCredentials, expectAuthenticationRejected, startChallengeArchive } from './support/challenge-auth.ts';

/** The rejection of a connect that must not succeed. */
async function expectRejected(promise: Promise<unknown>): Promise<ArchiveError> {
  const error = await promise.then(
    () => {
      throw new Error('connect succeeded but should have been rejected');
    },
    (e: unknown) => e,
  );
  return expectAuthenticationRejected(error);
}

describeArchiveInterop(
  'archive authentication against the Java ArchivingMediaDriver',
  archiveKind().facts.javaAuthenticatorUnsupported,
  () => {
    let archive: ArchivingDriverHandle | undefined;
    let aeron: Aeron | undefined;

    beforeAll(async () => {
      archive = await startChallengeArchive();
      aeron = await connectAeron(archive);
    }, 120_000);

    afterAll(async () => {
      await releaseAll(aeron, archive);
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
  },
);
