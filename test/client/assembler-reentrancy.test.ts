/**
 * Fragment assemblers fed again from inside their own delegate, and delegates that throw (no driver: two
 * `IpcFixture` logs of the same session, as a subscription and a spy of one publication would be).
 *
 * The outer message must reach the delegate whole even when the delegate polls the other log through the
 * same assembler (the nested fragments of that session go to a fresh builder), and every nested message must
 * arrive whole too. A delegate that throws leaves the assembler ready for the next message.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IpcFixture, payload } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { ImageControlledFragmentAssembler, ImageFragmentAssembler } from '../../src/client/image-fragment-assembler.ts';
import {
  ControlledAction,
  ControlledFragmentAssembler,
  type ControlledFragmentHandler,
  FragmentAssembler,
  type FragmentHandler,
  type ReadableBuffer,
} from '../../src/logbuffer/index.ts';

const dir = makeTestDir('assembler-reentrancy');
const fixtures: IpcFixture<ExclusivePublication>[] = [];
const SESSION_ID = 77;
/** Longer than one MTU (1408 − 32 payload bytes): three fragments. */
const LONG = 3000;

afterEach(() => {
  for (const f of fixtures.splice(0)) f.close();
});

afterAll(() => removeDir(dir));

function fixture(): IpcFixture<ExclusivePublication> {
  const f = new IpcFixture('exclusive', dir, { sessionId: SESSION_ID }) as IpcFixture<ExclusivePublication>;
  fixtures.push(f);
  return f;
}

function bytesOf(buffer: ReadableBuffer, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  buffer.getBytes(offset, bytes, 0, length);
  return bytes;
}

type Kind =
  | 'FragmentAssembler'
  | 'ControlledFragmentAssembler'
  | 'ImageFragmentAssembler'
  | 'ImageControlledFragmentAssembler';
const KINDS: readonly Kind[] = [
  'FragmentAssembler',
  'ControlledFragmentAssembler',
  'ImageFragmentAssembler',
  'ImageControlledFragmentAssembler',
];

/** An assembler of `kind` around `delegate`, and one poll of a fixture through it. */
function assemblerOf(
  kind: Kind,
  delegate: (buffer: ReadableBuffer, offset: number, length: number) => void,
): (f: IpcFixture<ExclusivePublication>) => number {
  const controlledDelegate: ControlledFragmentHandler = (buffer, offset, length) => {
    delegate(buffer, offset, length);
    return ControlledAction.CONTINUE;
  };
  const plainDelegate: FragmentHandler = (buffer, offset, length) => delegate(buffer, offset, length);
  switch (kind) {
    case 'FragmentAssembler': {
      const a = new FragmentAssembler(plainDelegate);
      return (f) => f.subscription.poll(a.onFragment, 100);
    }
    case 'ControlledFragmentAssembler': {
      const a = new ControlledFragmentAssembler(controlledDelegate);
      return (f) => f.subscription.controlledPoll(a.onFragment, 100);
    }
    case 'ImageFragmentAssembler': {
      const a = new ImageFragmentAssembler(plainDelegate);
      return (f) => f.image.poll(a.onFragment, 100);
    }
    case 'ImageControlledFragmentAssembler': {
      const a = new ImageControlledFragmentAssembler(controlledDelegate);
      return (f) => f.image.controlledPoll(a.onFragment, 100);
    }
  }
}

describe('an assembler fed again from inside its delegate (same session, another log)', () => {
  for (const kind of KINDS) {
    it(`${kind}: the outer message stays whole, the nested ones arrive whole`, () => {
      const outer = fixture();
      const other = fixture();
      const outerMessages = [payload(LONG, 1), payload(LONG, 2)];
      const nestedMessages = [payload(LONG, 3), payload(10, 4), payload(LONG, 5)];
      for (const m of outerMessages) outer.offerAll(m);
      for (const m of nestedMessages) other.offerAll(m);
      const received: Uint8Array[] = [];
      let nested = false;
      let pollOther: ((f: IpcFixture<ExclusivePublication>) => number) | null = null;
      const poll = assemblerOf(kind, (buffer, offset, length) => {
        if (!nested && length === LONG) {
          nested = true;
          const before = bytesOf(buffer, offset, length);
          pollOther!(other); // the same assembler, fed from another log of the same session
          expect(bytesOf(buffer, offset, length)).toEqual(before);
        }
        received.push(bytesOf(buffer, offset, length));
      });
      pollOther = poll;
      poll(outer);
      poll(outer);
      expect(received).toEqual([...nestedMessages, ...outerMessages]);
    });
  }
});

describe('a delegate that throws', () => {
  for (const kind of KINDS) {
    it(`${kind}: the assembler is ready for the next message`, () => {
      const f = fixture();
      const messages = [payload(LONG, 1), payload(LONG, 2), payload(LONG, 3)];
      for (const m of messages) f.offerAll(m);
      const received: Uint8Array[] = [];
      const poll = assemblerOf(kind, (buffer, offset, length) => {
        received.push(bytesOf(buffer, offset, length));
        if (received.length === 1) throw new Error('delegate failed');
      });
      poll(f);
      poll(f);
      expect(received).toEqual(messages);
      expect(f.conductor.errors.map((e) => (e as Error).message)).toEqual(['delegate failed']);
    });
  }
});
