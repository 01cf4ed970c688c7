/**
 * A token bucket, the shape of Connect's own throttling (a bucket of `burst` requests refilled at
 * `rate` per second, per operation): callers wait their turn in order, and a caller whose call is
 * aborted while it waits leaves the queue without using a token, so a backup stopped at its
 * deadline leaves no queue of dead calls behind for the next invocation on the same client.
 *
 * It adapts to the service: each throttled call lowers the rate to 80% (never below a tenth of the
 * configured rate), and each call that succeeds raises it by 0.2% of the configured rate, back up
 * to it. When the real quota is lower than configured (raised by nobody, or shared with the admin
 * console), the bucket settles just under it instead of being throttled on every other call.
 */

/** What a throttled call multiplies the rate by. */
const DECREASE = 0.8;
/** What a successful call adds to the rate, as a share of the configured rate. */
const INCREASE = 0.002;
/** The lowest rate, as a share of the configured rate. */
const FLOOR = 0.1;

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
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The rate in force now, per second (the configured one unless calls were throttled). */
  get rate(): number {
    return this.#rate;
  }

  /** The service throttled a call: slow down. */
  throttled(): void {
    this.#refill();
    this.#rate = Math.max(this.#target * FLOOR, this.#rate * DECREASE);
  }

  /** A call succeeded: speed up again, towards the configured rate. */
  succeeded(): void {
    if (this.#rate >= this.#target) return;
    this.#refill();
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
