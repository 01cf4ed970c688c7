/** `connect-vault snapshots` and `connect-vault verify`: list and check snapshots. */
import { Command } from 'commander';
import { listSnapshots, readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type AwsOptions, awsOptions, CliError, EXIT, sourceFor, table } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

interface ReadOptions extends AwsOptions {
  from: string;
  instanceId: string;
  json?: boolean;
}

export function snapshotsCommand(): Command {
  const command = new Command('snapshots')
    .description("List an instance's snapshots, newest first.")
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshots to list')
    .option('--json', 'print JSON instead of a table');
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: ReadOptions) => {
    const { store, prefix } = await sourceFor(options.from, options);
    const listing = await listSnapshots(store, prefix, options.instanceId);
    const nothing = !listing.snapshots.length && !listing.incomplete.length && !listing.invalid.length;
    if (options.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    if (nothing) {
      throw new CliError(
        `No snapshot of instance ${options.instanceId} at ${options.from}: check --from (bucket and prefix) and --instance-id.`,
      );
    }
    if (listing.invalid.length) process.exitCode = EXIT.usage;
    if (options.json) return;
    const latest = await readLatestPointer(store, prefix, options.instanceId).catch(() => undefined);
    const rows: Array<Array<string | number>> = [['snapshot', 'finished', 'objects', '']];
    for (const s of listing.snapshots) {
      rows.push([s.snapshotId, s.finishedAt, s.objects, s.snapshotId === latest?.snapshotId ? 'latest' : '']);
    }
    process.stdout.write(`${table(rows)}\n`);
    if (listing.incomplete.length)
      process.stdout.write(`incomplete (no manifest): ${listing.incomplete.join(', ')}\n`);
    for (const bad of listing.invalid) process.stdout.write(`invalid ${bad.snapshotId}: ${bad.message}\n`);
    if (listing.invalid.length) {
      process.stderr.write(
        `connect-vault: ${listing.invalid.length} snapshot(s) with a corrupt or unreadable manifest (listed as invalid).\n`,
      );
    }
  });
}

interface VerifyOptions extends ReadOptions {
  snapshot: string;
}

export function verifyCommand(): Command {
  const command = new Command('verify')
    .description("Check every object of a snapshot against its manifest's SHA-256.")
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshot to verify')
    .option('--snapshot <id>', 'snapshot id, or latest', 'latest')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nNOT INTACT (missing, changed or unexpected objects) exits 1; no such snapshot exits 2.',
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: VerifyOptions) => {
    const { store, prefix } = await sourceFor(options.from, options);
    let snapshotId = options.snapshot;
    if (snapshotId === 'latest') {
      const latest = await readLatestPointer(store, prefix, options.instanceId);
      if (!latest) throw new CliError(`No complete snapshot of ${options.instanceId} at ${options.from}.`);
      snapshotId = latest.snapshotId;
    }
    const report = await verifySnapshot(store, prefix, options.instanceId, snapshotId);
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      process.stdout.write(
        `snapshot ${snapshotId}: ${report.ok ? 'intact' : 'NOT INTACT'}, ${report.checked} objects checked\n`,
      );
      for (const key of report.missing) process.stdout.write(`  missing    ${key}\n`);
      for (const m of report.mismatched) process.stdout.write(`  changed    ${m.key}\n`);
      for (const key of report.unexpected) process.stdout.write(`  unexpected ${key}\n`);
    }
    process.exitCode = exitCodeForFinding(!report.ok);
  });
}
