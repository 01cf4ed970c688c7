/**
 * What `connect-vault snapshots`, `show` and `verify` do (snapshots-command.ts defines their
 * options): list, show and check snapshots. Loaded only when a command runs.
 */
import { KIND_NAMES, parseKinds } from '#shared/kinds/index.js';
import { REPORT_FILE } from '#shared/snapshot/format.js';
import { PruneInputError, type PruneResult, pruneInstance } from '#shared/snapshot/prune.js';
import { hasRule, type RetentionPolicy } from '#shared/snapshot/retention.js';
import {
  listSnapshots,
  readLatestPointer,
  readVerifiedManifest,
  snapshotType,
  verifySnapshot,
} from '#shared/snapshot/verify.js';
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
  const snapshotId = await resolveSnapshotId(options, store, prefix);
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
    if (report.report)
      process.stdout.write(`  ${REPORT_FILE} is there too: a page made from the snapshot, not checked\n`);
  }
  process.exitCode = exitCodeForFinding(!report.ok);
}

/** The options of `connect-vault show`, as commander parses them. */
export interface ShowOptions extends ReadOptions {
  /** Snapshot id, or `latest`. */
  snapshot: string;
  kind?: string[];
}

/** One resource as `show --json` prints it. */
interface ShownResource {
  name: string;
  id: string;
  arn?: string;
  key: string;
}

/**
 * Runs `connect-vault show`: what a snapshot holds, per kind, by name, from its manifest (the
 * objects themselves are not read; `verify` checks them). Reads only the store.
 * @throws CliError (exit 2) for an unknown kind, or when the instance has no complete snapshot.
 * @throws SnapshotIntegrityError (exit 2) when there is no such snapshot or its manifest is bad.
 */
export async function runShow(options: ShowOptions): Promise<void> {
  let kinds: string[];
  try {
    kinds = options.kind?.length ? parseKinds(options.kind) : [...KIND_NAMES];
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { store, prefix } = await sourceFor(options.from, options);
  const snapshotId = await resolveSnapshotId(options, store, prefix);
  const manifest = await readVerifiedManifest(store, prefix, options.instanceId, snapshotId);
  const byKind = new Map<string, ShownResource[]>(kinds.map((kind) => [kind, []]));
  for (const object of manifest.objects) {
    byKind.get(object.kind)?.push({ name: object.name, id: object.id, arn: object.arn, key: object.key });
  }
  for (const list of byKind.values())
    list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const type = snapshotType(manifest);
  if (options.json) {
    const shown = {
      snapshotId,
      instance: manifest.instance,
      type,
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
      counts: Object.fromEntries([...byKind].map(([kind, list]) => [kind, list.length])),
      kinds: Object.fromEntries(byKind),
      warnings: manifest.warnings,
    };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const { instance } = manifest;
  const lines = [
    `snapshot ${snapshotId} of ${instance.alias || instance.id} (${instance.id}, account ${instance.accountId}, ${instance.region})`,
    `${type}, finished ${manifest.finishedAt}, ${manifest.objects.length} objects, ${manifest.warnings.length} warning(s)`,
    '',
    table([['kind', 'resources'], ...[...byKind].map(([kind, list]) => [kind, list.length])]),
  ];
  for (const [kind, list] of byKind) {
    if (!list.length) continue;
    lines.push('', `${kind} (${list.length})`, ...list.map((r) => `  ${r.name || '(no name)'}  ${r.id}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The snapshot id `latest` stands for, or the id given. */
async function resolveSnapshotId(
  options: { snapshot: string; instanceId: string; from: string },
  store: Awaited<ReturnType<typeof sourceFor>>['store'],
  prefix: string,
): Promise<string> {
  if (options.snapshot !== 'latest') return options.snapshot;
  const latest = await readLatestPointer(store, prefix, options.instanceId);
  if (!latest) throw new CliError(`No complete snapshot of ${options.instanceId} at ${options.from}.`);
  return latest.snapshotId;
}

/** The options of `connect-vault prune`, as commander parses them. */
export interface PruneOptions extends ReadOptions {
  keepLast?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  /** Delete for real; without it, only the plan is printed. */
  apply?: boolean;
}

/**
 * Runs `connect-vault prune`: applies a retention policy (restic's `forget` rules, see
 * `shared/snapshot/retention.ts`) to an instance's snapshots. A dry run by default; with `--apply`
 * each forgotten snapshot's manifest is deleted first (so it stops counting at once), then its other
 * objects. `latest` and folders without a manifest are never removed; nor is anything when a
 * manifest cannot be read (exit 2 before any delete).
 * @throws CliError (exit 2) without a keep rule, or with no snapshot of the instance.
 */
export async function runPrune(options: PruneOptions): Promise<void> {
  const policy: RetentionPolicy = {
    last: options.keepLast,
    daily: options.keepDaily,
    weekly: options.keepWeekly,
    monthly: options.keepMonthly,
  };
  if (!hasRule(policy))
    throw new CliError(
      'Give at least one rule: --keep-last, --keep-daily, --keep-weekly or --keep-monthly (a policy without one would forget every snapshot but latest).',
    );
  const { store, prefix, remove } = await sourceFor(options.from, options);
  let result: PruneResult;
  try {
    result = await pruneInstance({
      store,
      prefix,
      instanceId: options.instanceId,
      policy,
      apply: options.apply,
      remove,
      onRemoved: (snapshotId, objects) => {
        if (!options.json) process.stderr.write(`removed ${snapshotId} (${objects} objects)\n`);
      },
    });
  } catch (error) {
    if (error instanceof PruneInputError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
  if (!result.decisions.length)
    throw new CliError(
      `No snapshot of instance ${options.instanceId} at ${options.from}: check --from and --instance-id.`,
    );
  const { decisions, removed } = result;
  const listing = { incomplete: result.incomplete };
  const forgotten = decisions.filter((d) => !d.keep);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ policy, applied: Boolean(options.apply), decisions, removed, incomplete: listing.incomplete }, null, 2)}\n`,
    );
    return;
  }
  const rows: Array<Array<string | number>> = [['snapshot', 'started', 'decision', 'why']];
  for (const d of decisions)
    rows.push([d.snapshotId, d.startedAt, d.keep ? 'keep' : 'forget', d.reasons.join(', ')]);
  process.stdout.write(`${table(rows)}\n`);
  if (listing.incomplete.length)
    process.stdout.write(`left alone (no manifest: running or failed): ${listing.incomplete.join(', ')}\n`);
  const kept = decisions.length - forgotten.length;
  process.stdout.write(
    options.apply
      ? `${kept} kept, ${removed.length} removed.\n`
      : `${kept} to keep, ${forgotten.length} to forget. Dry run: nothing was deleted; add --apply to delete.\n`,
  );
}
