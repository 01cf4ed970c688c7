/**
 * A token bucket, the shape of Connect's own throttling (a bucket of `burst` requests refilled at
 * `rate` per second, per operation): callers wait their turn in order, and a caller whose call is
 * aborted while it waits leaves the queue without using a token, so a backup stopped at its
 * deadline leaves no queue of dead calls behind for the next invocation on the same client.
 *
 * It adapts to the service, one measuring window at a time (at least 2 s, and long enough for 50
 * calls at the configured rate; the first is not judged, as it starts with full buckets). A window whose share of throttled calls is above what it
 * tolerates cuts the rate to 80% (never below a tenth of the configured rate): a probe. The next
 * window judges it. When the cut lowered the throttled share clearly (by 15%) or cost no accepted
 * calls (at least 90% as many per second), the throttles were the rate's fault and the cut stays:
 * when the real quota is lower than configured (shared with the admin console, or never raised),
 * the bucket settles just under it. When the share stayed and the accepted calls fell with the
 * rate, the throttles do not follow the rate (faults the service injects whatever the pace): the
 * rate goes back to where it was, and that share is tolerated from then on (less 2 points per calm
 * window, so that a later drop of the quota is still found). A window within the tolerated share raises the rate by a
 * tenth of the configured rate, back up to it. Per-call reactions (a cut for every 429) collapse
 * under a steady fault rate: with 30% of calls throttled at random, the rate sat at its floor and a
 * restore took 9 times as long.
 */

/** What a probe multiplies the rate by. */
const DECREASE = 0.8;
/** What a calm window adds to the rate, as a share of the configured rate. */
const INCREASE = 0.1;
/** The lowest rate, as a share of the configured rate. */
const FLOOR = 0.1;
/** Throttled share above the tolerated one that starts a probe. */
const MARGIN = 0.05;
/** Shortest measuring window, in milliseconds. */
const MIN_WINDOW_MS = 2000;
/** Calls a window should hold at the configured rate. */
const WINDOW_CALLS = 50;
/** What a calm window takes off the tolerated share, so that it is measured again now and then. */
const FORGET = 0.02;

/** What a window measured. */
interface WindowStats {
  calls: number;
  throttled: number;
  /** Accepted calls per second. */
  accepted: number;
}

/** A waiting caller. */
interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

export class TokenBucket {
  readonly #target: number;
  #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updated: number;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #windowMs: number;
  #windowStart: number;
  #calls = 0;
  #throttles = 0;
  /** Throttled share the service shows whatever the rate. */
  #tolerated = 0;
  /** The cut being judged: the rate before it and the window that led to it. */
  #probe: { rateBefore: number; window: WindowStats } | undefined;
  /** The first window starts with a full bucket on both sides, so it is not judged. */
  #warm = false;

  /**
   * @param rate - Tokens added per second (> 0).
   * @param burst - Most tokens the bucket holds (≥ 1); it starts full.
   * @param now - Milliseconds clock, for tests.
   * @throws RangeError on a rate that is not positive or a burst below 1.
   */
  constructor(rate: number, burst: number, now: () => number = () => performance.now()) {
    if (!(rate > 0)) throw new RangeError(`token bucket rate must be positive: ${rate}`);
    if (!(burst >= 1)) throw new RangeError(`token bucket burst must be at least 1: ${burst}`);
    this.#target = rate;
    this.#rate = rate;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updated = now();
    this.#windowStart = this.#updated;
    this.#windowMs = Math.max(MIN_WINDOW_MS, (WINDOW_CALLS / rate) * 1000);
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The rate in force now, per second (the configured one unless calls were throttled). */
  get rate(): number {
    return this.#rate;
  }

  /** The throttled share this bucket tolerates now (0..1): what it has learnt is not its rate's doing. */
  get tolerated(): number {
    return this.#tolerated;
  }

  /** The service throttled a call. */
  throttled(): void {
    this.#count(true);
  }

  /** A call succeeded. */
  succeeded(): void {
    this.#count(false);
  }

  #count(throttled: boolean): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) this.#closeWindow(now);
    this.#calls += 1;
    if (throttled) this.#throttles += 1;
  }

  #closeWindow(now: number): void {
    const seconds = (now - this.#windowStart) / 1000;
    const window: WindowStats = {
      calls: this.#calls,
      throttled: this.#throttles,
      accepted: (this.#calls - this.#throttles) / seconds,
    };
    this.#windowStart = now;
    this.#calls = 0;
    this.#throttles = 0;
    if (window.calls === 0) return;
    if (!this.#warm) {
      this.#warm = true;
      return;
    }
    const share = window.throttled / window.calls;
    this.#refill();
    const probe = this.#probe;
    this.#probe = undefined;
    if (probe) {
      const before = probe.window.throttled / probe.window.calls;
      const helped = share <= 0.85 * before || window.accepted >= 0.9 * probe.window.accepted;
      if (!helped) {
        this.#rate = probe.rateBefore;
        this.#tolerated = share;
      }
      return;
    }
    if (share > this.#tolerated + MARGIN && window.throttled >= 2) {
      this.#probe = { rateBefore: this.#rate, window };
      this.#rate = Math.max(this.#target * FLOOR, this.#rate * DECREASE);
      return;
    }
    this.#tolerated = Math.max(0, this.#tolerated - FORGET);
    this.#rate = Math.min(this.#target, this.#rate + this.#target * INCREASE);
  }

  /**
   * Resolves once the caller may make one call (taking one token), after every earlier caller.
   * @throws the signal's reason when `signal` aborts first; no token is used then.
   */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updated) / 1000) * this.#rate);
    this.#updated = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiters.length === 0) return;
    const wait = Math.max(0, ((1 - this.#tokens) / this.#rate) * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#release();
    }, Math.ceil(wait));
  }

  #release(): void {
    this.#refill();
    while (this.#waiters.length > 0 && this.#tokens >= 1) {
      const waiter = this.#waiters.shift();
      if (!waiter) break;
      this.#tokens -= 1;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.#schedule();
  }
}
