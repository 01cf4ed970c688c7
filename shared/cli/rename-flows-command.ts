/**
 * `connect-vault rename-flows`: its options and help. What it does is in rename-flows-action.ts,
 * loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { awsOptions } from './options.js';
import type { RenameFlowsCommandOptions } from './rename-flows-action.js';

/** The `rename-flows` command. */
export function renameFlowsCommand(): Command {
  const command = new Command('rename-flows')
    .description(
      "Prefix the names of the flows a new instance comes with (or of all flows), so that a team's own flows sort first.",
    )
    .requiredOption('--instance-id <id>', 'the instance whose flows to rename')
    .option('--prefix <text>', 'what to put before each name', '~')
    .option('--all-flows', 'rename every flow of the instance, not only the default and sample flows')
    .option('--dry-run', 'list what would be renamed; change nothing')
    .addOption(
      new Option('--rate-factor <f>', "fraction of Connect's default API quotas to use")
        .argParser(Number)
        .default(1),
    )
    .option('--json', 'print the outcome of each flow as JSON instead of a table')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault rename-flows --instance-id 1111-2222 --dry-run
  connect-vault rename-flows --instance-id 1111-2222 --prefix 'zz-' --all-flows

What it renames: without --all-flows, the 8 "Default ..." and 12 "Sample ..." flows of a new
instance, by exact name. A flow whose name already starts with the prefix is left alone, so running
it again renames nothing (connect-backup's rename adds the prefix again). Each flow keeps its
description. About 2 renames a second (UpdateContactFlowName's default quota).

Restoring into another instance matches flows by name: a renamed default flow in the snapshot is
created beside the target's own default flow, not written over it.

Exit codes: 0 every chosen flow renamed (or already prefixed); 1 a flow could not be renamed (its
error is listed, e.g. DuplicateResourceException when the new name is taken); 2 bad input or an
instance that is not in the account and Region.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: RenameFlowsCommandOptions) => {
    const { runRenameFlows } = await import('./rename-flows-action.js');
    await runRenameFlows(options);
  });
}
