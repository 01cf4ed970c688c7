/**
 * An independent check of a store after anything happened to it (duplicate deliveries, overlapping
 * backups, a process killed at a random moment): every committed snapshot (one with a manifest)
 * verifies intact, and `latest.json` names one of them. It uses only the read side of the product
 * (`listSnapshots`, `verifySnapshot`, `readLatestPointer`), never the backup's own bookkeeping.
 */
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { listSnapshots, readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';

/** What {@link checkStore} found. */
export interface StoreCheck {
  /** Snapshot ids with a valid manifest, oldest first. */
  complete: string[];
  /** Snapshot folders without a manifest (unfinished or abandoned backups). */
  incomplete: string[];
  /** The snapshot `latest.json` names, if any. */
  latest: string | undefined;
  /** Every problem found, as sentences; empty when the store is sound. */
  problems: string[];
}

/** Checks every snapshot of one instance. */
export async function checkStore(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
): Promise<StoreCheck> {
  const problems: string[] = [];
  const listing = await listSnapshots(store, prefix, instanceId);
  for (const invalid of listing.invalid) problems.push(`snapshot ${invalid.snapshotId}: ${invalid.message}`);
  const complete = listing.snapshots.map((s) => s.snapshotId).sort();
  for (const snapshotId of complete) {
    const report = await verifySnapshot(store, prefix, instanceId, snapshotId);
    if (!report.ok) {
      problems.push(
        `snapshot ${snapshotId} is NOT INTACT: ${report.missing.length} missing, ${report.mismatched.length} mismatched, ${report.unexpected.length} unexpected`,
      );
    }
  }
  let latest: string | undefined;
  try {
    latest = (await readLatestPointer(store, prefix, instanceId))?.snapshotId;
  } catch (error) {
    problems.push(`latest.json cannot be read: ${(error as Error).message}`);
  }
  if (latest !== undefined && !complete.includes(latest)) {
    problems.push(`latest.json names ${latest}, which has no valid manifest`);
  }
  if (latest === undefined && complete.length > 0) problems.push('latest.json is missing');
  return { complete, incomplete: [...listing.incomplete].sort(), latest, problems };
}
