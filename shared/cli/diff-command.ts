/**
 * `connect-vault diff A B`: its arguments, options and help. What it does is in diff-action.ts,
 * loaded only when the command runs.
 */
import { Command } from 'commander';
import type { ChangesCommandOptions, DiffCommandOptions } from './diff-action.js';
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

/** The `changes` command. */
export function changesCommand(): Command {
  const command = new Command('changes')
    .description(
      'What changed each night: each complete snapshot since a date, diffed with the one before it.',
    )
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose changes to show')
    .requiredOption(
      '--since <date>',
      'snapshots started at or after this ISO 8601 date or time (UTC), e.g. 2026-11-01',
    )
    .option('--until <date>', 'and before this one (default: now)')
    .option('--kinds <list>', 'only these kinds (comma-separated)')
    .option('--volatile', 'also show members Connect changes itself (LastModifiedTime, content hashes)')
    .option('--json', 'print every night as JSON')
    .addHelpText(
      'after',
      `
Example:
  connect-vault changes --from s3://backups/connect --instance-id <id> --since 2026-11-01

Each night is read from the snapshot's changes.json, which the backup wrote comparing it with the
snapshot before it; snapshots without one (written before change logs) and --volatile are compared
now. Each night says which. Partial snapshots (--kinds backups) are skipped. No snapshot in the
window, a bad date or a snapshot that is not intact exits 2; otherwise 0, with changes or without.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: ChangesCommandOptions) => {
    const { runChanges } = await import('./diff-action.js');
    await runChanges(options);
  });
}
