/**
 * The checkpoint of an unfinished snapshot: what a backup that reached its Lambda deadline has done
 * so far, so that the next invocation resumes it without redoing finished work.
 *
 * Checkpoint `n` is written once (`putIfAbsent`), by the invocation that hands over to continuation
 * `n`, at `<snapshot folder>/checkpoints/<n>.json`. It never changes afterwards: two invocations
 * racing to hand over the same snapshot cannot both write it, so at most one continuation event
 * follows. Checkpoints are working state, not snapshot content: the manifest never lists them and
 * `verifySnapshot` ignores them.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { previousSnapshotSchema } from '#shared/snapshot/changes.js';
import {
  CHECKPOINTS_FOLDER,
  instanceIdentitySchema,
  isSnapshotId,
  manifestObjectSchema,
  manifestWarningSchema,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';

/** The checkpoint format this code writes and reads. */
export const CHECKPOINT_VERSION = 1;

const count = z.number().int().nonnegative();
const snapshotId = z.string().refine(isSnapshotId, 'must be a snapshot id');

/** How one kind is being read, and how far it got. */
export const kindProgressSchema = z.object({
  /** `full`: every resource read from Connect; `incremental`: unchanged ones copied from `basedOn`. */
  mode: z.enum(['full', 'incremental']),
  /** When the kind was last read in full (ISO 8601): this backup's start, or an earlier snapshot's. */
  lastFullReadAt: z.iso.datetime(),
  /** True once every resource of the kind is stored. */
  finished: z.boolean(),
  /** Resources read from Connect and stored so far. */
  read: count,
  /** Resources copied unchanged from `basedOn` so far. */
  carriedForward: count,
  /**
   * The snapshot this kind's unchanged resources are copied from (incremental only): the newest
   * committed snapshot, complete or partial, that holds the kind. Fixed when the backup starts, so
   * every continuation copies from the same one.
   */
  basedOn: snapshotId.optional(),
});

export type KindProgress = z.infer<typeof kindProgressSchema>;

/** Schema of `checkpoints/<n>.json`. */
export const checkpointSchema = z
  .object({
    checkpointVersion: z.literal(CHECKPOINT_VERSION),
    snapshotId,
    /** The continuation this checkpoint starts (1 for the first hand-over). */
    continuation: z.number().int().positive(),
    /** Invocations in a row, up to this checkpoint, that stored nothing before their deadline. */
    stalled: count,
    instance: instanceIdentitySchema,
    /** When the first invocation started (the manifest's `startedAt`). */
    startedAt: z.iso.datetime(),
    /** When this checkpoint was written. */
    writtenAt: z.iso.datetime(),
    /** The kinds the snapshot holds, in the registry's order. */
    kinds: z.array(z.enum(KIND_NAMES)).min(1),
    /**
     * The snapshot the manifest's top-level `basedOn` names (see the manifest); each kind's own base
     * is `progress[kind].basedOn`. Checkpoints without per-kind bases base every incremental kind on it.
     */
    basedOn: snapshotId.optional(),
    progress: z.partialRecord(z.enum(KIND_NAMES), kindProgressSchema),
    /** Every object stored so far, as the manifest will list it. */
    objects: z.array(manifestObjectSchema),
    /** Connect calls and throttles of every invocation so far, per operation. */
    apiCalls: z.record(z.string(), count),
    throttles: z.record(z.string(), count),
    warnings: z.array(manifestWarningSchema),
    /**
     * What the snapshot's `changes.json` compares with, fixed when the backup starts: the snapshot
     * `latest.json` named then, `null` for none, or why it was not known. Absent in checkpoints
     * written before change logs (the last invocation reads `latest.json` then).
     */
    previousComplete: z.union([previousSnapshotSchema, z.string()]).nullable().optional(),
  })
  .refine((c) => c.kinds.every((kind) => c.progress[kind] !== undefined), {
    message: 'every kind needs its progress',
    path: ['progress'],
  });

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** Store key of checkpoint `continuation` of a snapshot. */
export function checkpointKey(
  prefix: string,
  instanceId: string,
  snapshotId: string,
  continuation: number,
): string {
  return snapshotObjectKey(prefix, instanceId, snapshotId, `${CHECKPOINTS_FOLDER}/${continuation}.json`);
}
