/**
 * The lease of one invocation on one continuation of a snapshot: at most one invocation writes a
 * snapshot at a time, and a second delivery of the same `Backup Continued` event (EventBridge
 * delivers at least once) ends as `duplicate` without writing anything.
 *
 * The lease is `checkpoints/<n>.lease.json` in the snapshot folder (working state, like the
 * checkpoints: the manifest never lists it and `verifySnapshot` ignores it), an
 * {@link ObjectLease} (`shared/snapshot/object-lease.ts`): an invocation takes it with
 * `putIfAbsent`; it holds it for {@link LEASE_TTL_MS} and renews it every {@link LEASE_RENEW_MS}
 * with `putIfMatch` on the tag it read. An invocation that finds the lease
 * held and unexpired (by its own wall clock against the lease's `expiresAt`) is a duplicate. One
 * that finds it expired (its holder died: Lambda killed it, or the process got SIGKILL) takes it
 * over with `putIfMatch` on the expired lease's tag, so of two takers only one wins.
 *
 * The holder stops writing once {@link LEASE_TTL_MS} − {@link LEASE_SAFETY_MS} have passed on its
 * own monotonic clock since it sent its last successful renewal, which is before any other
 * invocation may take over, as long as wall clocks differ by less than the safety margin (Lambda
 * hosts keep theirs within milliseconds). The lease is a courtesy on top of the real guarantee:
 * every object of a snapshot is written once (`putIfAbsent`, `copyIfAbsent`), so even an
 * invocation that kept writing after losing its lease could not change a committed snapshot.
 *
 * @packageDocumentation
 */

import { CHECKPOINTS_FOLDER, snapshotObjectKey } from '#shared/snapshot/format.js';
import { type LeasePorts, type LeaseTiming, ObjectLease } from '#shared/snapshot/object-lease.js';

export { LeaseLostError, type LeasePorts } from '#shared/snapshot/object-lease.js';

/** How long a lease lasts after it is taken or renewed, in milliseconds. */
export const LEASE_TTL_MS = 60_000;
/** How often the holder renews its lease, in milliseconds. */
export const LEASE_RENEW_MS = 15_000;
/** How long before its lease expires the holder stops writing, in milliseconds. */
export const LEASE_SAFETY_MS = 20_000;

const TIMING: LeaseTiming = { ttlMs: LEASE_TTL_MS, renewMs: LEASE_RENEW_MS, safetyMs: LEASE_SAFETY_MS };

/** Store key of the lease on continuation `continuation` of a snapshot. */
export function leaseKey(
  prefix: string,
  instanceId: string,
  snapshotId: string,
  continuation: number,
): string {
  return snapshotObjectKey(
    prefix,
    instanceId,
    snapshotId,
    `${CHECKPOINTS_FOLDER}/${continuation}.lease.json`,
  );
}

/** One invocation's hold on one continuation of a snapshot. */
export class SnapshotLease {
  readonly #lease: ObjectLease<{ snapshotId: string; continuation: number }>;

  private constructor(lease: ObjectLease<{ snapshotId: string; continuation: number }>) {
    this.#lease = lease;
  }

  /**
   * Takes the lease on `continuation` of `snapshotId`, or takes over an expired one, and starts
   * renewing it.
   *
   * @returns the lease, or `undefined` when another invocation holds it (this one is a duplicate).
   * @throws the store's errors.
   */
  static async take(
    ports: LeasePorts,
    key: string,
    snapshotId: string,
    continuation: number,
  ): Promise<SnapshotLease | undefined> {
    const taken = await ObjectLease.take(ports, key, { snapshotId, continuation }, TIMING);
    return taken.lease ? new SnapshotLease(taken.lease) : undefined;
  }

  /** True when this invocation took the lease over from one whose lease had expired. */
  get tookOver(): boolean {
    return this.#lease.tookOver;
  }

  /**
   * @throws LeaseLostError when another invocation took the lease over, or when the lease is close
   *   enough to expiring (by this invocation's monotonic clock) that another one soon may.
   */
  assertHeld(): void {
    this.#lease.assertHeld();
  }

  /** Stops renewing (the lease then expires by itself; nothing is deleted). */
  release(): Promise<void> {
    return this.#lease.release();
  }
}
