/**
 * `connect-vault snapshots`, `connect-vault show` and `connect-vault verify`: their options and help. What they do is in
 * snapshots-action.ts, loaded only when a command runs.
 */
import { Command } from 'commander';
import { awsOptions } from './options.js';
import type { ReadOptions, ShowOptions, VerifyOptions } from './snapshots-action.js';

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
