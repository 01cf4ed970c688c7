/**
 * `connect-vault backup`: its options and help. What it does is in backup-action.ts, loaded only
 * when the command runs, so `--help` and `--version` load no SDK.
 */
import { Command, Option } from 'commander';
import type { BackupOptions } from './backup-action.js';
import { awsOptions } from './options.js';

/**
 * The `backup` command. `kindNames` (when given) are listed in the help of --kinds; main() passes
 * them only for --help, as the kinds registry loads the AWS SDK.
 */
export function backupCommand(kindNames?: readonly string[]): Command {
  const command = new Command('backup')
    .description('Back up Connect instances into dated, verifiable snapshots.')
    .option('--instance-id <id...>', 'instance id(s) to back up')
    .option('--all', 'back up every instance in the account and Region')
    .option('--bucket <bucket>', 'write to this S3 bucket')
    .option('--prefix <prefix>', 'key prefix inside the bucket', '')
    .option('--out <dir>', 'write to a local folder')
    .option('--stdout', 'write NDJSON lines to stdout (progress and summary go to stderr)')
    .option(
      '--kinds <list>',
      `comma-separated kinds (default: all)${kindNames ? `: ${kindNames.join(',')}` : ''}`,
    )
    .addOption(
      new Option('--rate-factor <f>', "fraction of Connect's default API quotas to use")
        .argParser(Number)
        .default(1),
    )
    .option('--full', 'read every kind in full (default: only what changed since the latest snapshot)')
    .addOption(
      new Option('--full-every <days>', 'read a kind in full when its last full read is this old')
        .argParser(Number)
        .default(7),
    )
    .option(
      '--no-report',
      "do not write the snapshot's HTML report (report.html, beside the manifest); never written to --stdout",
    )
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault backup --instance-id 1111-2222 --bucket my-backups --prefix connect
  connect-vault backup --all --out ./backups --kinds flows,queues
  connect-vault backup --instance-id 1111-2222 --out ./backups --full

Backups are incremental: users, routing profiles, security profiles and queues whose change
signals (LastModifiedTime, tags, queue associations) did not move are copied from the latest
snapshot instead of read again. --full reads everything; so does any kind last read in full
--full-every days ago (7 by default), which catches changes no signal covers.

A failed backup exits 1: nothing half-written counts, a failed snapshot has no manifest. An
instance that is not in the account and Region exits 2.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: BackupOptions) => {
    const { runBackup } = await import('./backup-action.js');
    await runBackup(options);
  });
}
