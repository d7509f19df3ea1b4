#!/usr/bin/env node
// Launcher of the `aeron-ts` CLI.
//
// Installed from the npm package (which ships dist/ and no src/), it runs the compiled CLI in this process.
// In a checkout of the repository (src/ is there) it runs the TypeScript source through tsx (a devDependency)
// in a child Node with inherited stdio and the same exit code, so a dist/ left by an earlier `npm pack` or
// `npm run build` can never shadow the source being worked on.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const compiled = join(root, 'dist', 'src', 'cli', 'main.js');

if (existsSync(source)) {
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
} else if (existsSync(compiled)) {
  const { main } = await import(pathToFileURL(compiled).href);
  await main(process.argv.slice(2));
} else {
  process.stderr.write(`aeron-ts: the package is incomplete: ${compiled} is missing (reinstall aeron-ts)\n`);
  process.exitCode = 1;
}
