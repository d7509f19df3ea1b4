/**
 * Java `io.aeron.security.CredentialsSupplier`: the bytes sent in AuthConnectRequest, and the answer to a
 * Challenge from the archive's authenticator.
 */
export interface CredentialsSupplier {
  /** Credentials for the connect request (may be empty). */
  encodedCredentials(): Uint8Array;
  /** Credentials in answer to the archive's challenge (sent in ChallengeResponse). */
  onChallenge(encodedChallenge: Uint8Array): Uint8Array;
}

/** Java `NullCredentialsSupplier`: empty credentials, empty challenge answers. */
export const NULL_CREDENTIALS_SUPPLIER: CredentialsSupplier = {
  encodedCredentials: () => new Uint8Array(0),
  onChallenge: () => new Uint8Array(0),
};
