/**
 * The lease of one invocation on one continuation of a snapshot: at most one invocation writes a
 * snapshot at a time, and a second delivery of the same `Backup Continued` event (EventBridge
 * delivers at least once) ends as `duplicate` without writing anything.
 *
 * The lease is `checkpoints/<n>.lease.json` in the snapshot folder (working state, like the
 * checkpoints: the manifest never lists it and `verifySnapshot` ignores it). An invocation takes it
 * with `putIfAbsent`; it holds it for {@link LEASE_TTL_MS} and renews it every
 * {@link LEASE_RENEW_MS} with `putIfMatch` on the tag it read. An invocation that finds the lease
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
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import { CHECKPOINTS_FOLDER, canonicalJson, snapshotObjectKey } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

/** How long a lease lasts after it is taken or renewed, in milliseconds. */
export const LEASE_TTL_MS = 60_000;
/** How often the holder renews its lease, in milliseconds. */
export const LEASE_RENEW_MS = 15_000;
/** How long before its lease expires the holder stops writing, in milliseconds. */
export const LEASE_SAFETY_MS = 20_000;

const leaseSchema = z.object({
  leaseVersion: z.literal(1),
  snapshotId: z.string(),
  continuation: z.number().int().nonnegative(),
  /** A random id of the holding invocation. */
  holder: z.string(),
  /** ISO 8601 UTC, by the holder's wall clock. */
  expiresAt: z.iso.datetime(),
});

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

/** Thrown by {@link SnapshotLease.assertHeld} once the invocation may no longer write the snapshot. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** What a lease needs. */
export interface LeasePorts {
  store: SnapshotStore;
  clock: ClockPort;
  logger: LoggerPort;
}

/** One invocation's hold on one continuation of a snapshot. */
export class SnapshotLease {
  readonly #ports: LeasePorts;
  readonly #key: string;
  readonly #snapshotId: string;
  readonly #continuation: number;
  readonly #holder = randomUUID();
  /** `performance.now()` when the last successful take or renewal was sent. */
  #heldSince = 0;
  #lost: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #renewing: Promise<void> | undefined;
  #tookOver = false;

  private constructor(ports: LeasePorts, key: string, snapshotId: string, continuation: number) {
    this.#ports = ports;
    this.#key = key;
    this.#snapshotId = snapshotId;
    this.#continuation = continuation;
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
    const lease = new SnapshotLease(ports, key, snapshotId, continuation);
    const sent = performance.now();
    if (await ports.store.putIfAbsent(key, lease.#body(), 'application/json')) {
      lease.#start(sent);
      return lease;
    }
    const current = await ports.store.getTagged(key);
    if (current === undefined) return undefined; // deleted under us: leave the snapshot alone
    const parsed = leaseSchema.safeParse(JSON.parse(Buffer.from(current.bytes).toString('utf8')));
    const expiresAt = parsed.success ? Date.parse(parsed.data.expiresAt) : 0;
    if (expiresAt > ports.clock.now().getTime()) return undefined;
    const takeoverSent = performance.now();
    if (!(await ports.store.putIfMatch(key, lease.#body(), 'application/json', current.tag)))
      return undefined;
    ports.logger.warn('expired lease taken over', {
      snapshotId,
      continuation,
      previousHolder: parsed.success ? parsed.data.holder : undefined,
    });
    lease.#tookOver = true;
    lease.#start(takeoverSent);
    return lease;
  }

  /** True when this invocation took the lease over from one whose lease had expired. */
  get tookOver(): boolean {
    return this.#tookOver;
  }

  /**
   * @throws LeaseLostError when another invocation took the lease over, or when the lease is close
   *   enough to expiring (by this invocation's monotonic clock) that another one soon may.
   */
  assertHeld(): void {
    if (this.#lost === undefined && performance.now() - this.#heldSince > LEASE_TTL_MS - LEASE_SAFETY_MS) {
      this.#lost = `lease ${this.#key} was not renewed in time`;
    }
    if (this.#lost !== undefined) throw new LeaseLostError(this.#lost);
  }

  /** Stops renewing (the lease then expires by itself; nothing is deleted). */
  async release(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewing;
  }

  #body(): string {
    return canonicalJson({
      leaseVersion: 1,
      snapshotId: this.#snapshotId,
      continuation: this.#continuation,
      holder: this.#holder,
      expiresAt: new Date(this.#ports.clock.now().getTime() + LEASE_TTL_MS).toISOString(),
    });
  }

  #start(sent: number): void {
    this.#heldSince = sent;
    this.#timer = setInterval(() => {
      this.#renewing ??= this.#renew().finally(() => {
        this.#renewing = undefined;
      });
    }, LEASE_RENEW_MS);
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    if (this.#lost !== undefined) return;
    const sent = performance.now();
    try {
      const current = await this.#ports.store.getTagged(this.#key);
      const holder = current
        ? leaseSchema.safeParse(JSON.parse(Buffer.from(current.bytes).toString('utf8'))).data?.holder
        : undefined;
      if (!current || holder !== this.#holder) {
        this.#lost = `lease ${this.#key} was taken over by another invocation`;
        return;
      }
      if (await this.#ports.store.putIfMatch(this.#key, this.#body(), 'application/json', current.tag)) {
        this.#heldSince = sent;
      } else {
        this.#lost = `lease ${this.#key} was taken over by another invocation`;
      }
    } catch (error) {
      // A failed renewal is retried at the next tick; `assertHeld` fails once the lease runs out.
      this.#ports.logger.warn('lease renewal failed', {
        key: this.#key,
        error: (error as Error).name,
      });
    }
  }
}
