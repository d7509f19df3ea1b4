/**
 * Runs `aeron-ts codegen <args>` in-process through the command's own registration (no process, no package
 * build); resolves to what it printed, rejects with what it threw (CliError, SchemaError).
 */
import { Command } from 'commander';
import type { CliContext } from '../../src/cli/command.ts';
import { codegenCommand } from '../../src/cli/commands/codegen.ts';

export async function runCodegen(...args: string[]): Promise<string> {
  let printed = '';
  const context: CliContext = {
    stdout: {
      write: (chunk: string) => {
        printed += chunk;
      },
    },
    env: {},
    now: () => 0,
    signal: new AbortController().signal,
    isTty: false,
  };
  const program = new Command().exitOverride();
  codegenCommand.register(program, context);
  await program.parseAsync(['codegen', ...args], { from: 'user' });
  return printed;
}
