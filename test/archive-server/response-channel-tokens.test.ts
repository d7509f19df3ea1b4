/**
 * The archive's replay tokens (replay-tokens.ts, Java `ArchiveConductor.generateReplayToken` / `getReplaySession`
 * / `removeReplayTokensForSession` / `checkReplayTokens`): a token names its session for its recording until its
 * deadline; never -1, never a duplicate, exact as an int64 (below 2^53); dropped with its session or when expired.
 */
import { describe, expect, it } from 'vitest';
import type { ControlSession } from '../../src/archive-server/control-session.ts';
import { ReplayTokens } from '../../src/archive-server/replay-tokens.ts';

const LIFETIME_MS = 5_000;
const sessionA = { controlSessionId: 1 } as ControlSession;
const sessionB = { controlSessionId: 2 } as ControlSession;

describe('ReplayTokens', () => {
  it('names the session for its recording until the deadline', () => {
    const tokens = new ReplayTokens(LIFETIME_MS);
    const token = tokens.generate(sessionA, 7, 1_000);
    expect(Number.isSafeInteger(token) && token >= 0).toBe(true);
    expect(tokens.session(token, 7, 1_000)).toBe(sessionA);
    expect(tokens.session(token, 7, 1_000 + LIFETIME_MS - 1)).toBe(sessionA);
    expect(tokens.session(token, 8, 1_000)).toBeNull();
    expect(tokens.session(token + 1, 7, 1_000)).toBeNull();
    expect(tokens.session(token, 7, 1_000 + LIFETIME_MS)).toBeNull();
  });

  it('never hands out -1 or a token in use', () => {
    const values = [0, 0, 0.5];
    const tokens = new ReplayTokens(LIFETIME_MS, () => values.shift() ?? 0.25);
    const first = tokens.generate(sessionA, 1, 0);
    const second = tokens.generate(sessionB, 1, 0);
    expect(first).toBe(0);
    expect(second).toBe(2 ** 52);
    expect(tokens.size).toBe(2);
  });

  it("drops a closed session's tokens and expired ones", () => {
    const tokens = new ReplayTokens(LIFETIME_MS);
    const a = tokens.generate(sessionA, 1, 0);
    const b = tokens.generate(sessionB, 1, 2_000);
    tokens.removeForSession(sessionA.controlSessionId);
    expect(tokens.session(a, 1, 0)).toBeNull();
    expect(tokens.session(b, 1, 2_000)).toBe(sessionB);
    tokens.expire(2_000 + LIFETIME_MS - 1);
    expect(tokens.size).toBe(1);
    tokens.expire(2_000 + LIFETIME_MS);
    expect(tokens.size).toBe(0);
  });
});
