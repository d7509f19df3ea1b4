import io.aeron.security.Authenticator;
import io.aeron.security.AuthenticatorSupplier;

/**
 * Test authenticator supplier (ours): the archive instantiates it by name from
 * {@code -Daeron.archive.authenticator.supplier=ChallengeAuthenticatorSupplier} (1.51.0 property) and calls
 * {@link #get()} once per archive conductor. See {@link ChallengeAuthenticator} for the scheme.
 */
public final class ChallengeAuthenticatorSupplier implements AuthenticatorSupplier
{
    public Authenticator get()
    {
        return new ChallengeAuthenticator();
    }
}
