/**
 * What `connect-vault diff A B` does (diff-command.ts defines its options): what changed between two
 * snapshots, kind by kind. Loaded only when the command runs.
 */
import { changeLogAsDiff, readChangeLog } from '#shared/snapshot/changes.js';
import { diffSnapshots, type SnapshotDiff } from '#shared/snapshot/diff.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { listSnapshots, readVerifiedManifest } from '#shared/snapshot/verify.js';
import { type AwsOptions, CliError, EXIT, sourceFor } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault diff`, as commander parses them. */
export interface DiffCommandOptions extends AwsOptions {
  normalize?: boolean;
  volatile?: boolean;
  kinds?: string;
  json?: boolean;
}

/**
 * Parses `LOCATION/INSTANCE_ID[@SNAPSHOT]`: the instance's folder in S3 (`s3://bucket/prefix/<id>`)
 * or on disk, and a snapshot id (default `latest`).
 */
async function parseSide(text: string, options: AwsOptions) {
  const at = text.lastIndexOf('@');
  const path = (at > text.lastIndexOf('/') ? text.slice(0, at) : text).replace(/\/+$/, '');
  const snapshotId = at > text.lastIndexOf('/') ? text.slice(at + 1) : 'latest';
  const slash = path.lastIndexOf('/');
  const instanceId = path.slice(slash + 1);
  const location = path.slice(0, slash);
  if (slash <= 0 || !instanceId || !location) {
    throw new CliError(
      `Cannot read "${text}": give LOCATION/INSTANCE_ID[@SNAPSHOT], e.g. s3://bucket/prefix/<id>@latest`,
    );
  }
  const { store, prefix } = await sourceFor(location, options);
  return { store, prefix, instanceId, snapshotId };
}

/** A member's value on one line: JSON, cut at 80 characters; `(none)` when absent. */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * Runs `connect-vault diff A B`: prints the diff (text or JSON) and sets `process.exitCode` (1 when
 * the snapshots differ). Reads only the store (no Connect call).
 * @throws CliError (exit 2) when a side cannot be read, is missing or is not intact.
 */
export async function runDiff(a: string, b: string, options: DiffCommandOptions): Promise<void> {
  const kinds = options.kinds?.split(',').map((k) => k.trim());
  const diff = await diffSnapshots(await parseSide(a, options), await parseSide(b, options), {
    normalize: options.normalize,
    includeVolatile: Boolean(options.volatile),
    kinds,
  }).catch((error: Error) => {
    throw new CliError(`${error.message}`, EXIT.usage, { cause: error });
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${diff.a.instanceId}@${diff.a.snapshotId} → ${diff.b.instanceId}@${diff.b.snapshotId}\n`,
    );
    printKinds(diff);
    process.stdout.write(diff.identical ? '\nidentical\n' : '\n');
  }
  process.exitCode = exitCodeForFinding(!diff.identical);
}

/** Prints each kind's added (+), removed (-) and changed (~) resources, with old → new values. */
function printKinds(diff: SnapshotDiff): void {
  for (const [kind, d] of Object.entries(diff.kinds)) {
    if (!d.added.length && !d.removed.length && !d.changed.length) continue;
    process.stdout.write(`\n${kind}:\n`);
    for (const name of d.added) process.stdout.write(`  + ${name}\n`);
    for (const name of d.removed) process.stdout.write(`  - ${name}\n`);
    for (const c of d.changed) {
      process.stdout.write(`  ~ ${c.name}\n`);
      for (const m of c.changes)
        process.stdout.write(`      ${m.path}: ${shown(m.before)} → ${shown(m.after)}\n`);
    }
  }
}

/** The options of `connect-vault changes`, as commander parses them. */
export interface ChangesCommandOptions extends AwsOptions {
  from: string;
  instanceId: string;
  /** ISO 8601 date or time: snapshots started at or after it. */
  since: string;
  /** ISO 8601 date or time: snapshots started before it (default: now). */
  until?: string;
  kinds?: string;
  volatile?: boolean;
  json?: boolean;
}

/** A date or time option as epoch milliseconds. */
function timeOption(name: string, value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CliError(
      `--${name} must be an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T02:00Z; got "${value}".`,
    );
  return time;
}

/** Where a night's changes come from: the snapshot's own `changes.json`, or a diff made now. */
export type NightSource = 'changes.json' | 'computed';

/**
 * The changes of snapshot `b` since `a` as its `changes.json` records them, when it has one that
 * compared exactly `a` with every kind (not a partial backup's, not one that compared nothing).
 *
 * @returns The diff, or `undefined` when it must be computed (no such log: an older snapshot, or
 *   one whose backup compared with another snapshot than `a`).
 * @throws SnapshotIntegrityError when the manifest of `b`, or its `changes.json`, is not intact.
 */
async function storedNight(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  a: string,
  b: string,
  kinds: readonly string[] | undefined,
): Promise<SnapshotDiff | undefined> {
  const manifest = await readVerifiedManifest(store, prefix, instanceId, b);
  const log = await readChangeLog(store, prefix, manifest);
  if (!log || log.kinds !== undefined || log.previous?.snapshotId !== a) return undefined;
  return changeLogAsDiff(log, kinds);
}

/**
 * Runs `connect-vault changes`: what changed each night, walking the instance's complete snapshots
 * (partial ones are skipped: they hold some kinds only), each with the one before it. The first
 * snapshot in the window is compared with the newest one before the window, when there is one.
 * Each night comes from the snapshot's `changes.json` when it compared with that same snapshot
 * (without `--volatile`, which it leaves out), else from a diff of the two snapshots (older
 * snapshots have none); the output says which. Reads only the store. Exit 0 (changes or none:
 * this is a report, not a check).
 * @throws CliError (exit 2) for a bad date, no snapshot in the window, or a snapshot not intact.
 */
export async function runChanges(options: ChangesCommandOptions): Promise<void> {
  const since = timeOption('since', options.since);
  const until = options.until === undefined ? Number.POSITIVE_INFINITY : timeOption('until', options.until);
  const kinds = options.kinds?.split(',').map((k) => k.trim());
  const { store, prefix } = await sourceFor(options.from, options);
  const listing = await listSnapshots(store, prefix, options.instanceId);
  const complete = listing.snapshots
    .filter((s) => s.type !== 'partial')
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const inWindow = complete.filter(
    (s) => Date.parse(s.startedAt) >= since && Date.parse(s.startedAt) < until,
  );
  if (!inWindow.length)
    throw new CliError(
      `No complete snapshot of ${options.instanceId} at ${options.from} started between ${options.since} and ${options.until ?? 'now'}.`,
    );
  const before = complete.filter((s) => Date.parse(s.startedAt) < since).at(-1);
  const chain = before ? [before, ...inWindow] : inWindow;
  const ref = (snapshotId: string) => ({ store, prefix, instanceId: options.instanceId, snapshotId });
  const nights: Array<SnapshotDiff & { source: NightSource }> = [];
  for (let i = 1; i < chain.length; i += 1) {
    const a = chain[i - 1]?.snapshotId ?? '';
    const b = chain[i]?.snapshotId ?? '';
    const night = async () => {
      const stored = options.volatile
        ? undefined
        : await storedNight(store, prefix, options.instanceId, a, b, kinds);
      if (stored) return { ...stored, source: 'changes.json' as const };
      const computed = await diffSnapshots(ref(a), ref(b), {
        includeVolatile: Boolean(options.volatile),
        kinds,
      });
      return { ...computed, source: 'computed' as const };
    };
    const diff = await night().catch((error: Error) => {
      throw new CliError(error.message, EXIT.usage, { cause: error });
    });
    nights.push(diff);
    if (!options.json) {
      const counts = Object.values(diff.kinds).reduce(
        (sum, d) => sum + d.added.length + d.removed.length + d.changed.length,
        0,
      );
      const from = diff.source === 'changes.json' ? 'from its changes.json' : 'compared now';
      process.stdout.write(
        `\n${chain[i]?.startedAt} ${b} (since ${a}): ${counts ? `${counts} change(s)` : 'no change'} (${from})\n`,
      );
      printKinds(diff);
    }
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ instanceId: options.instanceId, first: chain[0]?.snapshotId, nights }, null, 2)}\n`,
    );
    return;
  }
  if (!before)
    process.stdout.write(
      `\n${chain[0]?.snapshotId} is the first snapshot in reach: nothing before it to compare with.\n`,
    );
}
