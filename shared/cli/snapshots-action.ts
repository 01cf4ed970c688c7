/**
 * What `connect-vault snapshots` and `connect-vault verify` do (snapshots-command.ts defines their
 * options): list and check snapshots. Loaded only when a command runs.
 */
import { listSnapshots, readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type AwsOptions, CliError, EXIT, sourceFor, table } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault snapshots`, as commander parses them. */
export interface ReadOptions extends AwsOptions {
  from: string;
  instanceId: string;
  json?: boolean;
}

/**
 * Runs `connect-vault snapshots`: the table (or JSON) of an instance's snapshots, newest first.
 * Sets `process.exitCode` 2 when a manifest is corrupt. Reads only the store.
 * @throws CliError (exit 2) when there is no snapshot of the instance at all (a wrong --from or id).
 */
export async function runSnapshots(options: ReadOptions): Promise<void> {
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
  const rows: Array<Array<string | number>> = [
    ['snapshot', 'finished', 'type', 'resources', 'objects', 'warnings', ''],
  ];
  for (const s of listing.snapshots) {
    const resources = Object.values(s.counts).reduce((a, b) => a + b, 0);
    rows.push([
      s.snapshotId,
      s.finishedAt,
      s.type,
      resources,
      s.objects,
      s.warnings.length,
      s.snapshotId === latest?.snapshotId ? 'latest' : '',
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  for (const s of listing.snapshots) {
    for (const warning of s.warnings) process.stdout.write(`warning ${s.snapshotId}: ${warning}\n`);
  }
  if (listing.incomplete.length)
    process.stdout.write(`incomplete (no manifest): ${listing.incomplete.join(', ')}\n`);
  for (const bad of listing.invalid) process.stdout.write(`invalid ${bad.snapshotId}: ${bad.message}\n`);
  if (listing.invalid.length) {
    process.stderr.write(
      `connect-vault: ${listing.invalid.length} snapshot(s) with a corrupt or unreadable manifest (listed as invalid).\n`,
    );
  }
}

/** The options of `connect-vault verify`, as commander parses them. */
export interface VerifyOptions extends ReadOptions {
  snapshot: string;
}

/**
 * Runs `connect-vault verify`: checks every object of the snapshot; sets `process.exitCode` 1 when
 * it is NOT INTACT. Reads only the store.
 * @throws CliError or SnapshotIntegrityError (exit 2) when there is no such snapshot.
 */
export async function runVerify(options: VerifyOptions): Promise<void> {
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
    for (const problem of report.inconsistent) process.stdout.write(`  manifest   ${problem}\n`);
  }
  process.exitCode = exitCodeForFinding(!report.ok);
}
