/**
 * The `connect-vault` command line: the same core the Lambdas run, for admins and local runs.
 */
import { Command } from 'commander';
import { backupCommand } from './backup-command.js';
import { changesCommand, diffCommand } from './diff-command.js';
import { doctorCommand } from './doctor-command.js';
import { EXIT, EXIT_CODES_HELP, errorMessage, exitCodeForError } from './exit-codes.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { handleInterrupts } from './interrupt.js';
import { renameFlowsCommand } from './rename-flows-command.js';
import { reportCommand } from './report-command.js';
import { planCommand, restoreCommand } from './restore-command.js';
import { pruneCommand, showCommand, snapshotsCommand, verifyCommand } from './snapshots-command.js';
import { usersCommand } from './users-command.js';
import { VERSION } from './version.js';

/**
 * Runs the CLI with `argv` (as `process.argv`); resolves to the exit code (see `exit-codes.ts`).
 * Ctrl-C while it runs restores the terminal, says what was interrupted and exits the process 130.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // The kinds registry loads the AWS SDK: only a help text that lists the kinds needs it.
  const wantsHelp = argv.slice(2).some((a) => a === '--help' || a === '-h' || a === 'help');
  const kindNames = wantsHelp ? (await import('#shared/kinds/index.js')).KIND_NAMES : undefined;
  const program = new Command('connect-vault')
    .description('Backup and restore for Amazon Connect: dated, verifiable snapshots of every instance.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP)
    .addCommand(backupCommand(kindNames))
    .addCommand(snapshotsCommand())
    .addCommand(showCommand())
    .addCommand(pruneCommand())
    .addCommand(verifyCommand())
    .addCommand(diffCommand())
    .addCommand(changesCommand())
    .addCommand(reportCommand())
    .addCommand(restoreCommand(kindNames))
    .addCommand(planCommand(kindNames))
    .addCommand(doctorCommand())
    .addCommand(renameFlowsCommand())
    .addCommand(usersCommand())
    .addCommand(importCommand())
    .addCommand(exportCommand());
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError('(add --help for usage)').addHelpText('after', EXIT_CODES_HELP);
  }
  const stopHandling = handleInterrupts();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    const message = errorMessage(error);
    if (message) process.stderr.write(`connect-vault: ${message}\n`);
    return exitCodeForError(error);
  } finally {
    stopHandling();
  }
}
