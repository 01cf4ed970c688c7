/**
 * The emulator's throttling: a token bucket per operation, per account and Region, with Connect's
 * default rates and bursts (`shared/connect/quotas.ts`), optionally sped up for fast tests.
 */
import { defaultQuota, type Quota } from '#shared/connect/quotas.js';

/** Options for the emulator's throttling. */
export interface ThrottleOptions {
  /** Turn throttling off entirely. Default: on. */
  enabled?: boolean;
  /**
   * Multiplies every rate (not the bursts), so tests run the same shape of traffic faster.
   * 10 means ten times Connect's default rates. Default 1.
   */
  timeScale?: number;
  /** Multiplies every rate and burst, e.g. 0.7 for quotas 30% below the defaults. Default 1. */
  quotaFactor?: number;
  /** Per-operation overrides of the defaults. */
  quotas?: Record<string, Quota>;
}

/** Token buckets keyed by account, Region and operation. */
export class Throttler {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private options: ThrottleOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Replaces the throttling options (e.g. between benchmark phases) and refills every bucket. */
  configure(options: ThrottleOptions): void {
    this.options = { ...options };
    this.buckets.clear();
  }

  /** The quota in force for an operation, after scaling. */
  quotaFor(operation: string): Quota {
    const base = this.options.quotas?.[operation] ?? defaultQuota(operation);
    const factor = this.options.quotaFactor ?? 1;
    return {
      rate: base.rate * factor * (this.options.timeScale ?? 1),
      burst: Math.max(1, Math.floor(base.burst * factor)),
    };
  }

  /** Takes one token; false when the caller must be throttled. */
  take(accountId: string, region: string, operation: string): boolean {
    if (this.options.enabled === false) return true;
    const quota = this.quotaFor(operation);
    const key = `${accountId}/${region}/${operation}`;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: quota.burst, updated: t };
    bucket.tokens = Math.min(quota.burst, bucket.tokens + ((t - bucket.updated) / 1000) * quota.rate);
    bucket.updated = t;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Refills every bucket (e.g. between benchmark phases). */
  reset(): void {
    this.buckets.clear();
  }
}
