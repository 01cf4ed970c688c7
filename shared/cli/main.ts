/**
 * The `connect-vault` command line: the same core the Lambdas run, for admins and local runs.
 */
import { Command, CommanderError } from 'commander';
import { backupCommand } from './backup-command.js';
import { CliError, EXIT } from './context.js';
import { diffCommand } from './diff-command.js';
import { planCommand, restoreCommand } from './restore-command.js';
import { snapshotsCommand, verifyCommand } from './snapshots-command.js';

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('connect-vault')
    .description('Backup and restore for Amazon Connect: dated, verifiable snapshots of every instance.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addCommand(backupCommand())
    .addCommand(snapshotsCommand())
    .addCommand(verifyCommand())
    .addCommand(diffCommand())
    .addCommand(restoreCommand())
    .addCommand(planCommand());
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(add --help for usage)');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`connect-vault: ${error.message}\n`);
      return error.exitCode;
    }
    const e = error as Error;
    process.stderr.write(`connect-vault: ${e.name}: ${e.message}\n`);
    return EXIT.failed;
  }
}
