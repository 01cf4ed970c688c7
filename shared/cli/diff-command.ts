/**
 * `connect-vault diff A B`: its arguments, options and help. What it does is in diff-action.ts,
 * loaded only when the command runs.
 */
import { Command } from 'commander';
import type { DiffCommandOptions } from './diff-action.js';
import { awsOptions } from './options.js';

/** The `diff` command. */
export function diffCommand(): Command {
  const command = new Command('diff')
    .description('Show what changed between two snapshots: added, removed and changed resources per kind.')
    .argument('<a>', 'first snapshot: LOCATION/INSTANCE_ID[@SNAPSHOT] (default @latest)')
    .argument('<b>', 'second snapshot, the same way')
    .option('--normalize', 'compare across instances: ignore ids, ARNs, account, Region and timestamps')
    .option('--kinds <list>', 'only these kinds (comma-separated)')
    .option(
      '--volatile',
      'also compare members Connect changes itself (LastModifiedTime, LastModifiedRegion, content hashes)',
    )
    .option('--json', 'print the diff as JSON')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault diff s3://backups/connect/<id>@2026-11-21T02-00-07.123Z s3://backups/connect/<id>@latest
  connect-vault diff ./backups/<source-id> ./backups/<target-id> --normalize

Differences found exit 1; a snapshot missing or not intact exits 2.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (a: string, b: string, options: DiffCommandOptions) => {
    const { runDiff } = await import('./diff-action.js');
    await runDiff(a, b, options);
  });
}
