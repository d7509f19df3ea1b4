import io.aeron.security.Authenticator;
import io.aeron.security.SessionProxy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Test authenticator (ours) for the archive auth interop tests: a challenge-response scheme over UTF-8 strings.
 * Loaded by the archive through {@link ChallengeAuthenticatorSupplier}
 * ({@code -Daeron.archive.authenticator.supplier=ChallengeAuthenticatorSupplier}).
 *
 * <pre>
 *   connect credentials            archive does
 *   "challenge-me:&lt;user&gt;"        sends Challenge "nonce:&lt;user&gt;:&lt;n&gt;"; accepts the ChallengeResponse
 *                                  "answer:&lt;user&gt;:&lt;n&gt;" (exactly), rejects any other answer
 *   "let-me-in:&lt;user&gt;"           authenticates at once (no challenge)
 *   anything else                  rejects (the client gets ERROR with relevantId AUTHENTICATION_REJECTED)
 * </pre>
 *
 * Every decision is printed on stdout as "auth ..." for diagnosis. All calls come on the archive conductor thread.
 */
public final class ChallengeAuthenticator implements Authenticator
{
    private enum Decision
    {
        CHALLENGE, ACCEPT, REJECT
    }

    private final Map<Long, Decision> decisions = new HashMap<>();
    private final Map<Long, String> expectedAnswers = new HashMap<>();
    private final Map<Long, String> users = new HashMap<>();
    private long nonce = 1000;

    public void onConnectRequest(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        final String credentials = new String(encodedCredentials, StandardCharsets.UTF_8);
        final Decision decision;
        if (credentials.startsWith("challenge-me:"))
        {
            decision = Decision.CHALLENGE;
            users.put(sessionId, credentials.substring("challenge-me:".length()));
        }
        else if (credentials.startsWith("let-me-in:"))
        {
            decision = Decision.ACCEPT;
            users.put(sessionId, credentials.substring("let-me-in:".length()));
        }
        else
        {
            decision = Decision.REJECT;
        }
        decisions.put(sessionId, decision);
        log("connect session=" + sessionId + " credentials=" + credentials + " decision=" + decision);
    }

    public void onChallengeResponse(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        final String answer = new String(encodedCredentials, StandardCharsets.UTF_8);
        final String expected = expectedAnswers.remove(sessionId);
        final Decision decision = answer.equals(expected) ? Decision.ACCEPT : Decision.REJECT;
        decisions.put(sessionId, decision);
        log("challenge-response session=" + sessionId + " answer=" + answer + " decision=" + decision);
    }

    public void onConnectedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        final long sessionId = sessionProxy.sessionId();
        final Decision decision = decisions.get(sessionId);
        if (Decision.CHALLENGE == decision)
        {
            final String user = users.get(sessionId);
            final long n = ++nonce;
            final String challenge = "nonce:" + user + ":" + n;
            if (sessionProxy.challenge(challenge.getBytes(StandardCharsets.UTF_8)))
            {
                expectedAnswers.put(sessionId, "answer:" + user + ":" + n);
                decisions.remove(sessionId);
                log("challenged session=" + sessionId + " challenge=" + challenge);
            }
        }
        else
        {
            settle(sessionProxy, decision);
        }
    }

    public void onChallengedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        final Decision decision = decisions.get(sessionProxy.sessionId());
        if (null != decision)
        {
            settle(sessionProxy, decision);
        }
    }

    private void settle(final SessionProxy sessionProxy, final Decision decision)
    {
        final long sessionId = sessionProxy.sessionId();
        if (Decision.ACCEPT == decision)
        {
            final String user = users.getOrDefault(sessionId, "");
            if (sessionProxy.authenticate(user.getBytes(StandardCharsets.UTF_8)))
            {
                forget(sessionId);
                log("authenticated session=" + sessionId + " principal=" + user);
            }
        }
        else
        {
            sessionProxy.reject();
            forget(sessionId);
            log("rejected session=" + sessionId);
        }
    }

    private void forget(final long sessionId)
    {
        decisions.remove(sessionId);
        expectedAnswers.remove(sessionId);
        users.remove(sessionId);
    }

    private static void log(final String line)
    {
        System.out.println("auth " + line);
        System.out.flush();
    }
}
