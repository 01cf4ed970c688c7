/**
 * `connect-vault snapshots`, `connect-vault show` and `connect-vault verify`: their options and help. What they do is in
 * snapshots-action.ts, loaded only when a command runs.
 */
import { Command, InvalidArgumentError } from 'commander';
import { awsOptions } from './options.js';
import type { PruneOptions, ReadOptions, ShowOptions, VerifyOptions } from './snapshots-action.js';

/** The `snapshots` command. */
export function snapshotsCommand(): Command {
  const command = new Command('snapshots')
    .description("List an instance's snapshots, newest first.")
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshots to list')
    .option('--json', 'print JSON instead of a table');
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: ReadOptions) => {
    const { runSnapshots } = await import('./snapshots-action.js');
    await runSnapshots(options);
  });
}

/** The `verify` command. */
export function verifyCommand(): Command {
  const command = new Command('verify')
    .description("Check every object of a snapshot against its manifest's SHA-256.")
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshot to verify')
    .option('--snapshot <id>', 'snapshot id, or latest', 'latest')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nNOT INTACT (missing, changed or unexpected objects, or a manifest that does not add up) exits 1; no such snapshot exits 2.',
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: VerifyOptions) => {
    const { runVerify } = await import('./snapshots-action.js');
    await runVerify(options);
  });
}

/** The `show` command. */
export function showCommand(): Command {
  const command = new Command('show')
    .description('Show what a snapshot holds, per kind, by name (from its manifest; nothing is written).')
    .argument('[snapshot]', 'snapshot id, or latest', 'latest')
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshot to show')
    .option('--kind <kind...>', 'only these kinds (e.g. --kind flows queues)')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      '\nExamples:\n  connect-vault show --from s3://my-bucket/connect-vault --instance-id 1a2b… \n  connect-vault show 2026-11-22T02-00-07.123Z --from ./backups --instance-id 1a2b… --kind flows --json\n\nNo such snapshot, or an unknown kind, exits 2.',
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (snapshot: string, options: Omit<ShowOptions, 'snapshot'>) => {
    const { runShow } = await import('./snapshots-action.js');
    await runShow({ ...options, snapshot });
  });
}

/** Parses a keep rule: a whole number of at least 0. */
function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of at least 0.');
  return n;
}

/** The `prune` command. */
export function pruneCommand(): Command {
  const command = new Command('prune')
    .description(
      "Forget an instance's snapshots that a retention policy does not keep (restic's forget rules). A dry run unless --apply.",
    )
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshots to prune')
    .option('--keep-last <n>', 'keep the n newest snapshots', count)
    .option('--keep-daily <n>', 'keep the newest snapshot of each of the n newest days that have one', count)
    .option('--keep-weekly <n>', 'the same per ISO week', count)
    .option('--keep-monthly <n>', 'the same per month', count)
    .option('--apply', 'delete the forgotten snapshots (default: only print the plan)')
    .option('--json', 'print the decisions as JSON')
    .addHelpText(
      'after',
      '\nDays, weeks and months are UTC, from when each backup started. The snapshot latest.json names and folders without a manifest (running or failed backups) are never removed.\nA bucket with versioning keeps deleted objects as noncurrent versions until its lifecycle rule expires them.\n\nExample:\n  connect-vault prune --from s3://my-bucket/connect-vault --instance-id 1a2b… --keep-daily 7 --keep-weekly 5 --keep-monthly 12\n\nNo rule, bad numbers or an unreadable manifest exit 2 before anything is deleted.',
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: PruneOptions) => {
    const { runPrune } = await import('./snapshots-action.js');
    await runPrune(options);
  });
}
