/**
 * Connect's default API throttling quotas: a token bucket per operation, per account and Region,
 * shared by every instance, every caller and the admin console. The backup engine's rate limiters
 * assume these; the emulator enforces them.
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

/** The default quota of one operation (rate in requests per second, burst in requests). */
export function defaultQuota(operation: string): Quota {
  return DEFAULT_QUOTAS[operation] ?? DEFAULT_QUOTA;
}
