/**
 * The Connect client the product uses: the unmodified `@aws-sdk/client-connect`, with one rate
 * limiter per API operation (Connect throttles per API, per account and Region) and per-operation
 * call and throttle counts for the manifest and the metrics.
 */
import { ConnectClient, type ConnectClientConfig } from '@aws-sdk/client-connect';

import pThrottle from 'p-throttle';
import { defaultQuota, type Quota } from './quotas.js';

/** Calls and 429 answers per Connect operation, counted per attempt (retries included). */
export class ConnectCallStats {
  readonly calls: Record<string, number> = {};
  readonly throttles: Record<string, number> = {};

  /** Total calls over every operation. */
  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  /** Total 429 answers over every operation. */
  get totalThrottles(): number {
    return Object.values(this.throttles).reduce((a, b) => a + b, 0);
  }
}

export interface ConnectClientOptions {
  region: string;
  /** Endpoint override: the emulator's `http://127.0.0.1:<port>`, or a VPC endpoint. */
  endpoint?: string;
  credentials?: ConnectClientConfig['credentials'];
  /** Shared-config profile (CLI); Lambdas use their role. */
  profile?: string;
  /** Attempts per call including the first; the SDK's adaptive retry backs off on 429. Default 8. */
  maxAttempts?: number;
  /**
   * Fraction of Connect's default per-operation quota this client may use (0 < f ≤ 1 or more for
   * raised account quotas). Default 1. The quota is shared with the admin console and other tools.
   */
  rateFactor?: number;
  /** Per-operation quota overrides, e.g. from the account's Service Quotas. */
  quotas?: Record<string, Quota>;
  /** Turn the client-side rate limiters off (tests against an unthrottled emulator). */
  rateLimit?: boolean;
}

/** A Connect client with its call statistics. */
export interface InstrumentedConnectClient {
  client: ConnectClient;
  stats: ConnectCallStats;
}

type Limiter = () => Promise<void>;

function limiterFor(quota: Quota, factor: number): Limiter {
  const rate = quota.rate * factor;
  const burst = Math.max(1, Math.floor(quota.burst * Math.min(1, factor)));
  // p-throttle (strict): at most `burst` calls in any window of burst/rate seconds, i.e. the steady
  // rate with the bucket's burst, never more.
  return pThrottle({ limit: burst, interval: Math.ceil((burst / rate) * 1000), strict: true })(
    async () => {},
  );
}

function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'LimitExceededException'
  );
}

/**
 * Creates a Connect client whose every attempt waits for its operation's rate limiter and is
 * counted. The middleware sits after the retry middleware, so retries are limited and counted too.
 */
export function createConnectClient(options: ConnectClientOptions): InstrumentedConnectClient {
  const client = new ConnectClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    profile: options.profile,
    maxAttempts: options.maxAttempts ?? 8,
    retryMode: 'adaptive',
  });
  const stats = new ConnectCallStats();
  const limiters = new Map<string, Limiter>();
  const factor = options.rateFactor ?? 1;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      if (options.rateLimit !== false) {
        let limiter = limiters.get(operation);
        if (!limiter) {
          limiter = limiterFor(options.quotas?.[operation] ?? defaultQuota(operation), factor);
          limiters.set(operation, limiter);
        }
        await limiter();
      }
      stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
      try {
        return await next(args);
      } catch (error) {
        if (isThrottle(error)) stats.throttles[operation] = (stats.throttles[operation] ?? 0) + 1;
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'connectVaultRateLimit', tags: ['CONNECT_VAULT'] },
  );
  return { client, stats };
}
