/**
 * `connect-vault import connect-backup`: its options and help. What it does is in
 * import-action.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { ImportConnectBackupOptions } from './import-action.js';
import { awsOptions } from './options.js';

/** The `import` command and its one sub-command, `connect-backup`. */
export function importCommand(): Command {
  const connectBackup = new Command('connect-backup')
    .description("Import a tree written by connect-backup (sethkor's) as a verified connect-vault snapshot.")
    .argument('<source>', "connect-backup's destination: a folder, or s3://bucket/prefix")
    .option('--instance-id <id>', 'the instance folder to import (needed when the tree holds several)')
    .option('--bucket <bucket>', 'write the snapshot to this S3 bucket')
    .option('--prefix <prefix>', 'key prefix inside the bucket', '')
    .option('--out <dir>', 'write the snapshot to a local folder')
    .option('-q, --quiet', 'print only the snapshot id and location')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault import connect-backup ./connect-backup --out ./backups
  connect-vault import connect-backup s3://old-bucket/connect-backup --instance-id 1111-2222 \\
      --bucket my-backups --prefix connect

Reads <source>/<instanceId>/ (flows, routing profiles and their queues, users, hierarchy groups and
structure, prompts, hours of operation, queues, common/instance.json and lambdas.json), checks every
file, and writes one snapshot: verify, show, diff, plan and restore work on it. A file that is not
JSON, or lacks its resource's id, ARN or name, exits 2 naming it, and nothing is written.

The snapshot's manifest warns of what connect-backup's format never held: drafts, quick connects
(left out: summaries only), queues' quick-connect links, prompt audio, overrides, proficiencies,
security profiles (map users' with mappings.ids), flow modules and more. latest.json is written
only when the instance has no snapshot there yet. No Connect API is called.`,
    );
  for (const option of awsOptions) connectBackup.addOption(option);
  connectBackup
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (source: string, options: ImportConnectBackupOptions) => {
      const { runImportConnectBackup } = await import('./import-action.js');
      await runImportConnectBackup(source, options);
    });
  return new Command('import')
    .description("Import another tool's backups as connect-vault snapshots (connect-backup).")
    .addCommand(connectBackup);
}
