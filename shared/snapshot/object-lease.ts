/**
 * A lease held on one object of the store: at most one holder at a time, for work that must not
 * run twice at once (one invocation writing a snapshot, one restore writing into an instance).
 *
 * The holder takes the object with `putIfAbsent`; it holds it for `ttlMs` and renews it every
 * `renewMs` with `putIfMatch` on the tag it read. A taker that finds the lease held and unexpired
 * (by its own wall clock against the lease's `expiresAt`) does not get it, and learns the holder's
 * payload. One that finds it expired (its holder died, or released it) takes it over with
 * `putIfMatch` on the expired lease's tag, so of two takers only one wins.
 *
 * The holder stops counting on it once `ttlMs − safetyMs` have passed on its own monotonic clock
 * since its last successful renewal was sent, which is before any other taker may take over, as
 * long as wall clocks differ by less than `safetyMs` (Lambda hosts keep theirs within milliseconds).
 * Releasing rewrites the object as expired (`putIfMatch`): the lease is never deleted, so a role
 * that cannot delete can hold one.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import { canonicalJson } from './format.js';
import type { SnapshotStore } from './store.js';

/** What a lease needs. */
export interface LeasePorts {
  store: SnapshotStore;
  clock: ClockPort;
  logger: LoggerPort;
}

/** How long a lease lasts and how it is kept, in milliseconds. */
export interface LeaseTiming {
  /** How long a lease lasts after it is taken or renewed. */
  ttlMs: number;
  /** How often the holder renews it. */
  renewMs: number;
  /** How long before it expires the holder stops counting on it. */
  safetyMs: number;
}

/** The members every lease object has, beside its payload. */
const leaseEnvelope = z.looseObject({
  leaseVersion: z.literal(1),
  /** A random id of the holder. */
  holder: z.string(),
  /** ISO 8601 UTC, by the holder's wall clock. */
  expiresAt: z.iso.datetime(),
  /** Set when the holder let go before expiry. */
  released: z.boolean().optional(),
});

/** A lease object as read: the payload plus the envelope. */
export type LeaseRecord = z.infer<typeof leaseEnvelope>;

/** Thrown by {@link ObjectLease.assertHeld} once the holder may no longer count on the lease. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** The outcome of {@link ObjectLease.take}: the lease, or who holds it. */
export type LeaseTake<P extends object> =
  | { lease: ObjectLease<P>; heldBy?: undefined }
  | { lease?: undefined; heldBy: LeaseRecord | undefined };

/** One holder's hold on one object. */
export class ObjectLease<P extends object = Record<string, unknown>> {
  readonly #ports: LeasePorts;
  readonly #key: string;
  readonly #payload: P;
  readonly #timing: LeaseTiming;
  readonly #holder = randomUUID();
  /** `performance.now()` when the last successful take or renewal was sent. */
  #heldSince = 0;
  #lost: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #renewing: Promise<void> | undefined;
  #tookOver = false;

  private constructor(ports: LeasePorts, key: string, payload: P, timing: LeaseTiming) {
    this.#ports = ports;
    this.#key = key;
    this.#payload = payload;
    this.#timing = timing;
  }

  /**
   * Takes the lease at `key` with `payload` (what others learn about the holder), or takes over an
   * expired one, and starts renewing it.
   *
   * @returns `{ lease }`, or `{ heldBy }` with the current holder's record when it is held and
   *   unexpired (`heldBy` undefined when the object vanished while being read).
   * @throws the store's errors.
   */
  static async take<P extends object>(
    ports: LeasePorts,
    key: string,
    payload: P,
    timing: LeaseTiming,
  ): Promise<LeaseTake<P>> {
    const lease = new ObjectLease(ports, key, payload, timing);
    const sent = performance.now();
    if (await ports.store.putIfAbsent(key, lease.#body(), 'application/json')) {
      lease.#start(sent);
      return { lease };
    }
    const current = await ports.store.getTagged(key);
    if (current === undefined) return { heldBy: undefined }; // deleted under us: leave it alone
    const parsed = parseRecord(current.bytes);
    const expiresAt = parsed ? Date.parse(parsed.expiresAt) : 0;
    if (expiresAt > ports.clock.now().getTime()) return { heldBy: parsed };
    const takeoverSent = performance.now();
    if (!(await ports.store.putIfMatch(key, lease.#body(), 'application/json', current.tag)))
      return { heldBy: parsed };
    if (!parsed?.released) {
      ports.logger.warn('expired lease taken over', { key, previousHolder: parsed?.holder });
      lease.#tookOver = true;
    }
    lease.#start(takeoverSent);
    return { lease };
  }

  /** True when this holder took the lease over from one whose lease had expired unreleased. */
  get tookOver(): boolean {
    return this.#tookOver;
  }

  /**
   * @throws LeaseLostError when another holder took the lease over, or when the lease is close
   *   enough to expiring (by this holder's monotonic clock) that another one soon may.
   */
  assertHeld(): void {
    if (
      this.#lost === undefined &&
      performance.now() - this.#heldSince > this.#timing.ttlMs - this.#timing.safetyMs
    ) {
      this.#lost = `lease ${this.#key} was not renewed in time`;
    }
    if (this.#lost !== undefined) throw new LeaseLostError(this.#lost);
  }

  /**
   * Stops renewing. With `expire`, also rewrites the lease as released and expired (when it is
   * still this holder's), so the next taker need not wait for it to run out; nothing is deleted.
   */
  async release(options: { expire?: boolean } = {}): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewing;
    if (!options.expire || this.#lost !== undefined) return;
    const current = await this.#ports.store.getTagged(this.#key);
    if (!current || parseRecord(current.bytes)?.holder !== this.#holder) return;
    const body = canonicalJson({
      ...this.#envelope(),
      expiresAt: this.#ports.clock.now().toISOString(),
      released: true,
    });
    await this.#ports.store.putIfMatch(this.#key, body, 'application/json', current.tag);
  }

  #envelope(): Record<string, unknown> {
    return {
      ...this.#payload,
      leaseVersion: 1,
      holder: this.#holder,
      expiresAt: new Date(this.#ports.clock.now().getTime() + this.#timing.ttlMs).toISOString(),
    };
  }

  #body(): string {
    return canonicalJson(this.#envelope());
  }

  #start(sent: number): void {
    this.#heldSince = sent;
    this.#timer = setInterval(() => {
      this.#renewing ??= this.#renew().finally(() => {
        this.#renewing = undefined;
      });
    }, this.#timing.renewMs);
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    if (this.#lost !== undefined) return;
    const sent = performance.now();
    try {
      const current = await this.#ports.store.getTagged(this.#key);
      if (!current || parseRecord(current.bytes)?.holder !== this.#holder) {
        this.#lost = `lease ${this.#key} was taken over by another holder`;
        return;
      }
      if (await this.#ports.store.putIfMatch(this.#key, this.#body(), 'application/json', current.tag)) {
        this.#heldSince = sent;
      } else {
        this.#lost = `lease ${this.#key} was taken over by another holder`;
      }
    } catch (error) {
      // A failed renewal is retried at the next tick; `assertHeld` fails once the lease runs out.
      this.#ports.logger.warn('lease renewal failed', { key: this.#key, error: (error as Error).name });
    }
  }
}

function parseRecord(bytes: Uint8Array): LeaseRecord | undefined {
  try {
    return leaseEnvelope.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8'))).data;
  } catch {
    return undefined;
  }
}
