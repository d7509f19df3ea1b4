#!/usr/bin/env node
// Launcher of the `aeron-ts` CLI: runs the compiled CLI from dist/ when the package is built, otherwise the
// TypeScript source through tsx (a devDependency), in a child Node with inherited stdio and the same exit code.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'src', 'cli', 'main.js');

if (existsSync(compiled)) {
  const { main } = await import(pathToFileURL(compiled).href);
  await main(process.argv.slice(2));
} else {
  const source = join(root, 'src', 'cli', 'main.ts');
  // Resolve tsx from this package, not from the caller's working directory.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the whole process group: the child handles it; a SIGTERM sent to us alone is forwarded.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (e) => {
    process.stderr.write(`aeron-ts: cannot start node with tsx: ${e.message}\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + 2);
  });
}
