#!/usr/bin/env bash
# Tests what ships: packs aeron-ts the way `npm publish` would (the prepack script builds dist/), installs the
# tarball into a fresh consumer project outside the repository, and checks it there as a user would get it:
#
#   - the tarball holds the build, the LICENSE and the CLI, and no tests, sources, source maps or test-only codecs;
#   - the TS media driver from `aeron-ts/driver` (SHARED: its worker loaded from dist/) carries an IPC message;
#   - the TS archiving driver from `aeron-ts/archive-server` (`ArchivingMediaDriver`: TS driver + TS archive, no
#     JVM) records one message that `aeron-ts/archive`'s client publishes, and replays it;
#   - `aeron-ts`, `aeron-ts/archive`, `aeron-ts/archive-server` and `aeron-ts/codecs` import with node, without
#     the CLI-only dependencies
#     (commander and cli-progress are hidden while they are imported);
#   - `require('aeron-ts')` works (require(esm): no module of the package uses top-level await);
#   - a consumer .ts file typechecks under moduleResolution node16 and bundler (the repo's pinned TypeScript);
#   - `npx aeron-ts --help` and `--version` work from the consumer;
#   - `npx aeron-ts codegen` turns a tiny schema into codecs that compile (node16) and round-trip a message
#     (flyweights and the flat path) against the installed `aeron-ts/codecs/runtime`;
#   - publint (strict) and are-the-types-wrong (esm-only profile) find nothing.
#
# The pack runs in a copy of the working tree (tracked and untracked files that git does not ignore), so the
# checkout's own dist/ is never touched. Set NODE24 to a Node 24 binary to repeat the node checks with it.
# Everything happens under one temporary directory, removed on exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { printf -- '--- %s\n' "$*"; }
fail() {
  printf 'check-package: %s\n' "$*" >&2
  exit 1
}

# --- pack --------------------------------------------------------------------------------------------------------
say "copy the working tree and pack it (prepack builds dist/)"
mkdir "$work/repo" "$work/pack"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf -) |
  tar -xf - -C "$work/repo"
# The build's tools come from the checkout (a node_modules symlink in the checkout may have been copied too).
rm -rf "$work/repo/node_modules"
ln -s "$repo/node_modules" "$work/repo/node_modules"
# npm prints the build's output (tsc's errors) on stdout too, before its JSON: show it when the pack fails.
(cd "$work/repo" && npm pack --json --pack-destination "$work/pack" >"$work/pack.json") ||
  fail "npm pack failed: $(cat "$work/pack.json")"
tgz="$(ls "$work"/pack/aeron-ts-*.tgz)"

node - "$work/pack.json" <<'EOF'
const fs = require('node:fs');
const [info] = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const files = info.files.map((f) => f.path);
const must = [
  'package.json', 'README.md', 'LICENSE', 'bin/aeron-ts.js',
  'dist/src/client/index.js', 'dist/src/client/index.d.ts',
  'dist/src/archive/index.js', 'dist/src/archive/index.d.ts',
  'dist/src/archive-server/index.js', 'dist/src/archive-server/index.d.ts',
  'dist/codecs/index.js', 'dist/codecs/index.d.ts', 'dist/src/cli/main.js',
  'codecs/schema/aeron-archive-codecs.xml', 'codecs/schema/aeron-archive-mark-codecs.xml',
  'dist/codecs/runtime/index.js', 'dist/codecs/generator/generate.js', 'dist/src/cli/commands/codegen.js',
];
const missing = must.filter((f) => !files.includes(f));
const unwanted = files.filter(
  (f) => /kitchen-sink|\.map$|^(test|bench|examples|scripts|src|codecs\/(generator|generated|runtime))\//.test(f) ||
    (f.endsWith('.ts') && !f.endsWith('.d.ts')),
);
console.log(`tarball ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(1)} kB packed, ` +
  `${(info.unpackedSize / 1024).toFixed(1)} kB unpacked`);
if (missing.length > 0) throw new Error(`missing from the tarball: ${missing.join(', ')}`);
if (unwanted.length > 0) throw new Error(`must not ship: ${unwanted.slice(0, 10).join(', ')} (${unwanted.length})`);
EOF

# --- install into a fresh consumer ---------------------------------------------------------------------------------
say "install the tarball into a fresh consumer project"
consumer="$work/consumer"
mkdir "$consumer"
types_node="$(node -p "require('$repo/package.json').devDependencies['@types/node']")"
cat >"$consumer/package.json" <<'EOF'
{ "name": "consumer", "version": "1.0.0", "private": true, "type": "module" }
EOF
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error "$tgz" "@types/node@$types_node")
size() { du -sh "$consumer/node_modules/$1" | cut -f1; }
printf 'installed (du -sh): node_modules %s: aeron-ts %s, koffi %s + @koromix %s, @types/node %s\n' \
  "$(size .)" "$(size aeron-ts)" "$(size koffi)" "$(size @koromix)" "$(size @types/node)"

cat >"$consumer/imports.mjs" <<'EOF'
// Imports the entry points and checks a few exports of each.
import { Aeron, ChannelUri, ExclusivePublication } from 'aeron-ts';
import { AeronArchive, ArchiveError } from 'aeron-ts/archive';
import { Archive, ArchivingMediaDriver } from 'aeron-ts/archive-server';
import { archive, archiveMark, CodecError } from 'aeron-ts/codecs';

const classes = { Aeron, ChannelUri, ExclusivePublication, AeronArchive, ArchiveError, Archive, ArchivingMediaDriver };
for (const [name, value] of Object.entries(classes)) {
  if (typeof value !== 'function') throw new Error(`${name} is not exported as a class`);
}
if (typeof archive.ConnectRequestEncoder !== 'function' || typeof archiveMark.MarkFileHeaderDecoder !== 'function') {
  throw new Error('aeron-ts/codecs does not export the archive codecs');
}
if (!(new CodecError('SHORT_BUFFER', 'x') instanceof Error)) throw new Error('CodecError is not an Error');
console.log(`imported aeron-ts, aeron-ts/archive, aeron-ts/archive-server, aeron-ts/codecs with node ${process.version}`);
EOF

cat >"$consumer/require.cjs" <<'EOF'
// require() of the ESM-only package: works through require(esm) (Node >= 20.19, 22.12, 24).
const { Aeron } = require('aeron-ts');
const { AeronArchive } = require('aeron-ts/archive');
const { archive } = require('aeron-ts/codecs');
if (typeof Aeron !== 'function' || typeof AeronArchive !== 'function' || typeof archive !== 'object') {
  throw new Error('require() returned incomplete modules');
}
console.log(`require('aeron-ts'), require('aeron-ts/archive'), require('aeron-ts/codecs') work on node ${process.version}`);
EOF

cat >"$consumer/driver.mjs" <<'EOF'
// The TypeScript media driver as shipped: an embedded driver (SHARED: its duty cycle in a worker thread loaded
// from dist/), a client on it, one IPC message, then close: the directory is gone.
import { existsSync } from 'node:fs';
import { Aeron, fragmentText } from 'aeron-ts';
import { MediaDriver } from 'aeron-ts/driver';

const driver = await MediaDriver.launchEmbedded();
const aeronDir = driver.context.aeronDir;
if (!existsSync(`${aeronDir}/cnc.dat`)) throw new Error('no cnc.dat');
const aeron = await Aeron.connect({ aeronDir });
const subscription = await aeron.addSubscription('aeron:ipc', 1001);
const publication = await aeron.addExclusivePublication('aeron:ipc', 1001);
const text = 'hello from the packed driver';
const deadline = Date.now() + 20_000;
let received = '';
while (received === '' && Date.now() < deadline) {
  if (publication.isConnected()) publication.offer(new TextEncoder().encode(text));
  subscription.poll((buffer, offset, length) => {
    received = fragmentText(buffer, offset, length);
  }, 10);
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await aeron.close();
await driver.close();
if (received !== text) throw new Error(`received '${received}'`);
if (existsSync(aeronDir)) throw new Error(`${aeronDir} left after close`);
console.log(`the packed TS media driver (${driver.context.threadingMode}) carried a message; its dir is removed`);
EOF

cat >"$consumer/archive.mjs" <<'EOF'
// The TypeScript archiving driver as shipped: ArchivingMediaDriver (a TS media driver, embedded, and the TS
// archive on it; no JVM); the archive client records one message and replays it; then close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aeron, fragmentText } from 'aeron-ts';
import { AeronArchive, RecordingSignal, SourceLocation } from 'aeron-ts/archive';
import { ArchivingMediaDriver } from 'aeron-ts/archive-server';

const archiveDir = mkdtempSync(join(tmpdir(), 'aeron-ts-package-archive-'));
const deadline = Date.now() + 60_000;
const until = async (what, condition) => {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};
const archiving = await ArchivingMediaDriver.launch({ archive: { archiveDir } });
try {
  const aeron = await Aeron.connect({ aeronDir: archiving.aeronDir });
  const signals = [];
  const client = await AeronArchive.connect({
    aeron,
    controlRequestChannel: 'aeron:ipc?term-length=64k',
    controlResponseChannel: 'aeron:ipc',
    recordingSignalConsumer: (signal) => signals.push(signal),
  });
  const subscriptionId = await client.startRecording('aeron:ipc', 1002, SourceLocation.LOCAL);
  const publication = await aeron.addExclusivePublication('aeron:ipc', 1002);
  const text = 'hello from the packed archive';
  const message = new TextEncoder().encode(text);
  await until('the START signal', () => signals.some((s) => s.signal === RecordingSignal.START));
  const recordingId = signals.find((s) => s.signal === RecordingSignal.START).recordingId;
  let position = 0;
  await until('the offer', () => {
    position = publication.offer(message);
    return position > 0;
  });
  await client.awaitRecordingPosition(recordingId, position, { timeoutMs: 30_000 });
  await client.stopRecordingBySubscriptionId(subscriptionId);
  const replay = await client.replay(recordingId, 'aeron:ipc', 1003, { position: 0, length: position });
  let received = '';
  await until('the replayed message', () => {
    replay.poll((buffer, offset, length) => {
      received = fragmentText(buffer, offset, length);
    }, 10);
    return received !== '';
  });
  replay.close();
  client.close();
  aeron.close();
  if (received !== text) throw new Error(`replayed '${received}'`);
  console.log(`the packed TS archiving driver recorded and replayed a message (recording ${recordingId}, ${position} bytes)`);
} finally {
  await archiving.close();
  rmSync(archiveDir, { recursive: true, force: true });
}
EOF

check_node() {
  local node="$1"
  say "import the entry points without the CLI-only dependencies ($("$node" --version))"
  mv "$consumer/node_modules/commander" "$consumer/node_modules/.hidden-commander"
  mv "$consumer/node_modules/cli-progress" "$consumer/node_modules/.hidden-cli-progress"
  local rc=0
  (cd "$consumer" && "$node" imports.mjs) || rc=$?
  mv "$consumer/node_modules/.hidden-commander" "$consumer/node_modules/commander"
  mv "$consumer/node_modules/.hidden-cli-progress" "$consumer/node_modules/cli-progress"
  [[ $rc -eq 0 ]] || fail "importing the library loaded a CLI-only dependency or failed (node $("$node" --version))"

  say "require() the entry points ($("$node" --version))"
  (cd "$consumer" && "$node" require.cjs 2>"$work/require.err") ||
    fail "require('aeron-ts') failed on node $("$node" --version): $(cat "$work/require.err")"
  if [[ -s "$work/require.err" ]]; then echo "(node printed: $(head -c 300 "$work/require.err"))"; fi

  say "the packed TS media driver: launchEmbedded, a client, one IPC message ($("$node" --version))"
  (cd "$consumer" && "$node" driver.mjs) || fail "the packed TS media driver failed on node $("$node" --version)"

  say "the packed TS archiving driver: ArchivingMediaDriver, record and replay one message ($("$node" --version))"
  (cd "$consumer" && "$node" archive.mjs) || fail "the packed TS archiving driver failed on node $("$node" --version)"

  say "koffi maps memory ($("$node" --version))"
  (cd "$consumer" && "$node" --input-type=module -e "
    import koffi from 'koffi';
    const libc = koffi.load('libc.so.6');
    const mmap = libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)');
    const munmap = libc.func('int munmap(void *addr, size_t length)');
    const address = mmap(null, 4096, 3, 0x22, -1, 0);
    const view = new BigInt64Array(koffi.view(address, 4096));
    Atomics.store(view, 0, 42n);
    if (Atomics.add(view, 0, 1n) !== 42n || view[0] !== 43n || munmap(address, 4096) !== 0) throw new Error('koffi');
    console.log('koffi ' + koffi.version + ' mmap + 64-bit Atomics ok');
  ") || fail "koffi does not work on node $("$node" --version)"
}

check_node node
if [[ -n "${NODE24:-}" ]]; then check_node "$NODE24"; fi

# --- typecheck a consumer .ts file -----------------------------------------------------------------------------------
cat >"$consumer/consumer.ts" <<'EOF'
import { Aeron, type ExclusivePublication, type Subscription } from 'aeron-ts';
import { AeronArchive } from 'aeron-ts/archive';
import { ArchivingMediaDriver, type ArchivingMediaDriverOptions } from 'aeron-ts/archive-server';
import { archive, CodecError } from 'aeron-ts/codecs';

export async function archivingDriver(options: ArchivingMediaDriverOptions): Promise<string> {
  await using archiving = await ArchivingMediaDriver.launch(options);
  return `${archiving.aeronDir} ${archiving.archive.archiveId} ${archiving.archive.context.archiveDir}`;
}

export async function roundTrip(aeronDir: string): Promise<number> {
  await using aeron = await Aeron.connect({ aeronDir });
  const publication: ExclusivePublication = await aeron.addExclusivePublication('aeron:ipc', 10);
  const subscription: Subscription = await aeron.addSubscription('aeron:ipc', 10);
  const result = publication.offer(new TextEncoder().encode('hello'));
  let received = 0;
  subscription.poll((_buffer, _offset, length) => {
    received += length;
  }, 10);
  const client = await AeronArchive.connect({
    aeron,
    controlRequestChannel: 'aeron:udp?endpoint=localhost:8010',
    controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
  });
  for await (const recording of client.recordings(0, 100)) console.log(recording.recordingId, recording.stopPosition);
  const encoder = new archive.ConnectRequestEncoder().wrap(new Uint8Array(64), 0).correlationId(1);
  if (encoder.encodedLength() <= 0) throw new CodecError('SHORT_BUFFER', 'empty');
  return Number(result) + received;
}
EOF
write_tsconfig() {
  cat >"$consumer/tsconfig.$1.json" <<EOF
{
  "compilerOptions": {
    "module": "$2", "moduleResolution": "$1", "target": "ES2022", "lib": ["ES2023", "ESNext.Disposable"],
    "types": ["node"], "strict": true, "skipLibCheck": false, "noEmit": true
  },
  "files": ["consumer.ts"]
}
EOF
}
write_tsconfig node16 node16
write_tsconfig bundler esnext
for resolution in node16 bundler; do
  say "typecheck a consumer file with moduleResolution $resolution (typescript $(node "$repo/node_modules/typescript/bin/tsc" --version))"
  (cd "$consumer" && node "$repo/node_modules/typescript/bin/tsc" -p "tsconfig.$resolution.json") ||
    fail "the consumer file does not typecheck under moduleResolution $resolution"
done

# --- the CLI -------------------------------------------------------------------------------------------------------
say "npx aeron-ts --help / --version from the consumer"
(cd "$consumer" && npx --no-install aeron-ts --help >"$work/help.txt") || fail "npx aeron-ts --help failed"
grep -q 'Usage: aeron-ts' "$work/help.txt" || fail "npx aeron-ts --help printed no usage: $(head -c 300 "$work/help.txt")"
version="$(cd "$consumer" && npx --no-install aeron-ts --version)"
expected="$(node -p "require('$repo/package.json').version")"
[[ "$version" == *"$expected"* ]] || fail "npx aeron-ts --version printed '$version', expected $expected"
echo "aeron-ts --help ok, --version: $version"

# --- codegen for a user's schema ------------------------------------------------------------------------------------
say "npx aeron-ts codegen on a tiny schema; compile and run the codecs against aeron-ts/codecs/runtime"
mkdir "$consumer/schema"
cat >"$consumer/schema/tiny.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="tiny" id="42" version="1">
  <types>
    <composite name="messageHeader">
      <type name="blockLength" primitiveType="uint16"/>
      <type name="templateId" primitiveType="uint16"/>
      <type name="schemaId" primitiveType="uint16"/>
      <type name="version" primitiveType="uint16"/>
    </composite>
    <composite name="varAsciiEncoding">
      <type name="length" primitiveType="uint32" maxValue="1073741824"/>
      <type name="varData" primitiveType="uint8" length="0" characterEncoding="US-ASCII"/>
    </composite>
    <enum name="Side" encodingType="uint8"><validValue name="BUY">0</validValue><validValue name="SELL">1</validValue></enum>
  </types>
  <sbe:message name="Quote" id="1">
    <field name="id" id="1" type="int64"/>
    <field name="side" id="2" type="Side"/>
    <field name="price" id="3" type="double"/>
    <data name="venue" id="4" type="varAsciiEncoding"/>
  </sbe:message>
</sbe:messageSchema>
EOF
(cd "$consumer" && npx --no-install aeron-ts codegen schema/tiny.xml --out src/codecs) || fail "npx aeron-ts codegen failed"
cat >"$consumer/src/quote.ts" <<'EOF'
import { createQuoteValues, decodeQuote, encodeQuote, MessageHeaderDecoder, QuoteDecoder, Side } from './codecs/index.js';

const buffer = new Uint8Array(64);
const values = createQuoteValues();
values.id = 2 ** 40 + 7;
values.side = Side.SELL;
values.price = 101.25;
values.venue = 'XLON';
const length = encodeQuote(buffer, 0, values);
const quote = new QuoteDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
const back = createQuoteValues();
if (decodeQuote(buffer, 0, back) !== length || back.id !== values.id || quote.price() !== 101.25 || quote.venue() !== 'XLON') {
  throw new Error(`codegen round trip failed: ${JSON.stringify(back)} ${quote.toString()}`);
}
console.log(`generated codecs round-trip: ${quote.toString()}`);
EOF
cat >"$consumer/tsconfig.codegen.json" <<'EOF'
{
  "compilerOptions": {
    "module": "node16", "moduleResolution": "node16", "target": "ES2022", "lib": ["ES2023"], "types": ["node"],
    "strict": true, "skipLibCheck": false, "outDir": "build", "rootDir": "src"
  },
  "include": ["src"]
}
EOF
(cd "$consumer" && node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.codegen.json) ||
  fail "the generated codecs do not compile under moduleResolution node16"
(cd "$consumer" && node build/quote.js) || fail "the generated codecs do not run"

# --- package linters -------------------------------------------------------------------------------------------------
say "publint --strict (the installed package)"
(cd "$consumer/node_modules/aeron-ts" && "$repo/node_modules/.bin/publint" run --strict --pack false) ||
  fail "publint found problems"
say "are-the-types-wrong --profile esm-only (the tarball)"
"$repo/node_modules/.bin/attw" "$tgz" --profile esm-only --format table-flipped ||
  fail "are-the-types-wrong found problems"

say "package check passed"
