/**
 * Authentication and authorisation hooks of the archive (Java `io.aeron.security.Authenticator`, `SessionProxy`,
 * `AuthorisationService`), called on the archive's duty cycle.
 *
 * ```
 *  CONNECT / AUTH_CONNECT ─▶ onConnectRequest(sessionId, credentials)      (CONNECT: empty credentials)
 *  session CONNECTED      ─▶ onConnectedSession(proxy) every 200 ms until it decides:
 *                              proxy.authenticate(principal) ─▶ OK(relevantId = controlSessionId), AUTHENTICATED
 *                              proxy.challenge(bytes)        ─▶ Challenge message, CHALLENGED
 *                              proxy.reject()                ─▶ REJECTED: ERROR(relevantId = AUTHENTICATION_REJECTED,
 *                                                               "authentication rejected") every 200 ms until the
 *                                                               session times out
 *  CHALLENGE_RESPONSE     ─▶ onChallengeResponse(sessionId, credentials)   (in CHALLENGED only)
 *  session CHALLENGED     ─▶ onChallengedSession(proxy) each cycle (authenticate or reject, as above)
 *  every other request   ─▶ isAuthorised(101, templateId, null, principal), else ERROR UNAUTHORISED_ACTION
 *                            "unauthorised action"
 * ```
 * Without an authenticator every session is accepted (Java's `NullAuthenticator`); without an authorisation
 * service every request is allowed (Java's `AuthorisationService.ALLOW_ALL`).
 */

/**
 * What an authenticator may do with a session (Java `SessionProxy`).
 * @inline
 */
export interface SessionProxy {
  /** The control session id. */
  sessionId(): number;
  /** Sends a Challenge; true when it went out (the session is then CHALLENGED). */
  challenge(encodedChallenge: Uint8Array): boolean;
  /** Accepts the session (OK to the client); true when the response went out. */
  authenticate(encodedPrincipal: Uint8Array | null): boolean;
  /** Rejects the session (AUTHENTICATION_REJECTED). */
  reject(): void;
}

/**
 * Java `Authenticator` (module comment).
 * @inline
 */
export interface Authenticator {
  /** A CONNECT or AUTH_CONNECT created session `sessionId` with these credentials. */
  onConnectRequest(sessionId: number, encodedCredentials: Uint8Array, nowMs: number): void;
  /** A CHALLENGE_RESPONSE arrived for a challenged session. */
  onChallengeResponse(sessionId: number, encodedCredentials: Uint8Array, nowMs: number): void;
  /** A connected session waits for a decision. */
  onConnectedSession(sessionProxy: SessionProxy, nowMs: number): void;
  /** A challenged session waits for a decision. */
  onChallengedSession(sessionProxy: SessionProxy, nowMs: number): void;
}

/**
 * Java `AuthorisationService`: may this principal run this request?
 * @inline
 */
export interface AuthorisationService {
  /**
   * Whether the request may run; false: ERROR UNAUTHORISED_ACTION "unauthorised action".
   * @param protocolId the archive control protocol's schema id (101).
   * @param actionId the request's template id.
   * @param type a sub-type of the action (null for archive requests).
   * @param encodedPrincipal what the authenticator gave `authenticate` (null without one).
   */
  isAuthorised(protocolId: number, actionId: number, type: unknown, encodedPrincipal: Uint8Array | null): boolean;
}

/** Java `ArchiveException.AUTHENTICATION_REJECTED`'s text ("authentication rejected"). */
export const SESSION_REJECTED_MSG = 'authentication rejected';
/** Java's text for a request the authorisation service refuses. */
export const UNAUTHORISED_ACTION_MSG = 'unauthorised action';
