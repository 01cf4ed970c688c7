/**
 * Connect's default API throttling quotas: a token bucket per operation, per account and Region.
 *
 * Source: `../shared/connect-api/connect-api-facts.md` §2. Rates are the 2024 Service Quotas defaults
 * (steady-state requests per second). Bursts: 5 for the 2-rps operations (2022 admin guide);
 * the burst of the 10-rps and 50-rps operations is not published, so the emulator assumes one
 * second's worth (equal to the rate). Operations with no entry run at the default 2 rps, burst 5.
 */
export interface Quota {
  /** Steady-state requests per second. */
  rate: number;
  /** Bucket size: requests that may arrive at once. */
  burst: number;
}

export const DEFAULT_QUOTA: Quota = { rate: 2, burst: 5 };

const TEN_RPS = [
  'ListUsers',
  'DescribeUser',
  'ListQueues',
  'DescribeQueue',
  'ListRoutingProfiles',
  'DescribeRoutingProfile',
  'ListRoutingProfileQueues',
  'ListQuickConnects',
  'DescribeQuickConnect',
  'ListQueueQuickConnects',
  'ListHoursOfOperations',
  'DescribeHoursOfOperation',
  'ListPrompts',
  'DescribePrompt',
  'ListAgentStatuses',
  'DescribeAgentStatus',
  'ListUserHierarchyGroups',
  'DescribeUserHierarchyGroup',
  'DescribeUserHierarchyStructure',
  'ListPredefinedAttributes',
  'DescribePredefinedAttribute',
  'ListUserProficiencies',
];

/** Per-operation defaults that differ from 2 rps / burst 5. */
export const DEFAULT_QUOTAS: Readonly<Record<string, Quota>> = {
  ...Object.fromEntries(TEN_RPS.map((op) => [op, { rate: 10, burst: 10 }])),
  ListIntegrationAssociations: { rate: 50, burst: 50 },
  CreateInstance: { rate: 0.1, burst: 1 },
  DeleteInstance: { rate: 0.1, burst: 1 },
};

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
    private readonly options: ThrottleOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The quota in force for an operation, after scaling. */
  quotaFor(operation: string): Quota {
    const base = this.options.quotas?.[operation] ?? DEFAULT_QUOTAS[operation] ?? DEFAULT_QUOTA;
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
