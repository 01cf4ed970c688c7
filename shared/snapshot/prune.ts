/**
 * Pruning an instance's snapshots with a retention policy (`retention.ts`: restic's `forget`
 * rules), as `connect-vault prune` and the scheduled prune function do it: the plan, and with
 * `apply` the deletes: each forgotten snapshot's manifest first (so it stops counting at once), then
 * its other objects. `latest` and folders without a manifest are never removed; nor is anything when
 * a manifest cannot be read.
 */
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { manifestKey, snapshotRoot } from './format.js';
import { applyRetention, hasRule, type RetentionDecision, type RetentionPolicy } from './retention.js';
import type { SnapshotStore } from './store.js';
import { listSnapshots, readLatestPointer } from './verify.js';

/** Removes objects by key (S3 DeleteObjects, 1,000 keys a call; or files of a folder). */
export type RemoveKeys = (keys: readonly string[]) => Promise<void>;

/** Thrown before any delete when pruning cannot be decided: no rule, unreadable manifests, a bad rule. */
export class PruneInputError extends Error {
  override readonly name = 'PruneInputError';
}

/**
 * Removes keys of `bucket` with DeleteObjects, 1,000 a call. In a versioned bucket each delete
 * leaves a delete marker (and, under Object Lock, the retained versions).
 * @throws Error naming the first key S3 did not delete, and how many.
 */
export function s3Remover(client: S3Client, bucket: string): RemoveKeys {
  return async (keys) => {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = out.Errors ?? [];
      if (failed.length)
        throw new Error(
          `S3 did not delete ${failed.length} object(s), e.g. ${failed[0]?.Key}: ${failed[0]?.Code} ${failed[0]?.Message ?? ''}`.trim(),
        );
    }
  };
}

/** What to prune. */
export interface PruneRequest {
  store: SnapshotStore;
  prefix: string;
  instanceId: string;
  policy: RetentionPolicy;
  /** Delete for real; without it, only the decisions. */
  apply?: boolean;
  remove: RemoveKeys;
  /** Called after each snapshot is removed, with how many objects it had. */
  onRemoved?: (snapshotId: string, objects: number) => void;
}

/** The decisions (newest first), what was removed, and the folders left alone (no manifest). */
export interface PruneResult {
  decisions: RetentionDecision[];
  removed: string[];
  incomplete: string[];
}

/**
 * Applies the policy to the instance's snapshots and, with `apply`, removes the forgotten ones.
 * An instance with no snapshot gives no decision.
 * @throws PruneInputError before any delete without a keep rule, with a snapshot whose manifest
 *   cannot be read, or with a rule that is not a non-negative integer.
 */
export async function pruneInstance(request: PruneRequest): Promise<PruneResult> {
  const { store, prefix, instanceId, policy } = request;
  if (!hasRule(policy))
    throw new PruneInputError(
      'Give at least one rule: --keep-last, --keep-daily, --keep-weekly or --keep-monthly (a policy without one would forget every snapshot but latest).',
    );
  const listing = await listSnapshots(store, prefix, instanceId);
  if (listing.invalid.length) {
    throw new PruneInputError(
      `Nothing pruned: ${listing.invalid.length} snapshot(s) with an unreadable manifest (${listing.invalid.map((i) => i.snapshotId).join(', ')}); run connect-vault snapshots to see them.`,
    );
  }
  const latest = await readLatestPointer(store, prefix, instanceId);
  let decisions: RetentionDecision[];
  try {
    decisions = applyRetention(listing.snapshots, policy, latest?.snapshotId);
  } catch (error) {
    throw new PruneInputError((error as Error).message, { cause: error });
  }
  const removed: string[] = [];
  if (request.apply) {
    for (const decision of decisions.filter((d) => !d.keep)) {
      const root = snapshotRoot(prefix, instanceId, decision.snapshotId);
      const manifest = manifestKey(prefix, instanceId, decision.snapshotId);
      const others: string[] = [];
      for await (const key of store.list(root)) if (key !== manifest) others.push(key);
      await request.remove([manifest]);
      await request.remove(others);
      removed.push(decision.snapshotId);
      request.onRemoved?.(decision.snapshotId, others.length + 1);
    }
  }
  return { decisions, removed, incomplete: listing.incomplete };
}
