/**
 * The `aeron-ts` entry point (src/client/index.ts): every named type of this project used in a public
 * signature is exported too, and a fragment handler can read its payload as text or bytes without knowing
 * the buffer's internals (`fragmentText`, `fragmentBytes`, Java's `getStringWithoutLengthAscii`/`Utf8`), on a
 * term buffer and on an assembler's buffer alike.
 */
import { resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { IpcFixture } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import * as api from '../../src/client/index.ts';
import {
  type ExclusivePublication,
  FragmentAssembler,
  fragmentBytes,
  fragmentText,
  type ReadableBuffer,
} from '../../src/client/index.ts';
import { unexportedPublicTypes } from './support/public-api.ts';

describe('the aeron-ts entry point', () => {
  it('exports every type its public signatures use', () => {
    expect(unexportedPublicTypes(resolve(PROJECT_ROOT, 'src/client/index.ts'))).toEqual([]);
  }, 60_000);

  it('exports the per-image assemblers, the buffer class and the fragment helpers as values', () => {
    expect(
      [
        api.ImageFragmentAssembler,
        api.ImageControlledFragmentAssembler,
        api.AtomicBuffer,
        api.fragmentText,
        api.fragmentBytes,
      ].map((value) => typeof value),
    ).toEqual(Array(5).fill('function'));
  });
});

describe('fragment payload as text and bytes', () => {
  const dir = makeTestDir('public-api');
  const fixtures: IpcFixture<ExclusivePublication>[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.close();
  });
  afterAll(() => removeDir(dir));

  function fixture(): IpcFixture<ExclusivePublication> {
    const f = new IpcFixture('exclusive', dir) as IpcFixture<ExclusivePublication>;
    fixtures.push(f);
    return f;
  }

  interface Read {
    readonly text: string;
    readonly ascii: string;
    readonly utf8: string;
    readonly bytes: Uint8Array;
  }

  const read = (buffer: ReadableBuffer, offset: number, length: number): Read => ({
    text: fragmentText(buffer, offset, length),
    ascii: buffer.getStringWithoutLengthAscii(offset, length),
    utf8: buffer.getStringWithoutLengthUtf8(offset, length),
    bytes: fragmentBytes(buffer, offset, length),
  });

  it('on the term buffer (an unfragmented message) and on the assembler buffer (a reassembled one)', () => {
    const f = fixture();
    const short = 'hello, Aeron ✓';
    const long = `${'0123456789'.repeat(300)} é`; // > MTU: fragmented, reassembled in a BufferBuilder
    const encoder = new TextEncoder();
    f.offerAll(encoder.encode(short));
    f.offerAll(encoder.encode(long));
    f.offerAll(encoder.encode('plain ascii'));
    const received: Read[] = [];
    const assembler = new FragmentAssembler((buffer, offset, length) => received.push(read(buffer, offset, length)));
    f.subscription.poll(assembler.onFragment, 100);
    expect(received.map((r) => r.text)).toEqual([short, long, 'plain ascii']);
    expect(received.map((r) => r.utf8)).toEqual([short, long, 'plain ascii']);
    expect(received[2]!.ascii).toBe('plain ascii');
    expect(received[0]!.ascii).toBe('hello, Aeron \ufffd\ufffd\ufffd'); // bytes > 127: U+FFFD, as Java's US-ASCII
    expect(received.map((r) => new TextDecoder().decode(r.bytes))).toEqual([short, long, 'plain ascii']);
  });

  it('fragmentBytes is a copy that outlives the handler', () => {
    const f = fixture();
    f.offerAll(new Uint8Array([1, 2, 3, 4]));
    let kept: Uint8Array | null = null;
    let buffer: ReadableBuffer | null = null;
    f.subscription.poll((b, offset, length) => {
      kept = fragmentBytes(b, offset, length);
      buffer = b;
    }, 10);
    expect(kept).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect((kept as unknown as Uint8Array).buffer).not.toBe((buffer as unknown as { bytes: Uint8Array }).bytes.buffer);
  });
});
