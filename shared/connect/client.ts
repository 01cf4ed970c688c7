/**
 * The Connect client the product uses: the unmodified `@aws-sdk/client-connect`, with one rate
 * limiter per API operation (Connect throttles per API, per account and Region) and per-operation
 * call and throttle counts for the manifest and the metrics.
 */
import { ConnectClient, type ConnectClientConfig } from '@aws-sdk/client-connect';

import { defaultQuota, type Quota } from './quotas.js';
import { PerCallRetryStrategy } from './retry.js';
import { TokenBucket } from './token-bucket.js';

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
  /**
   * Attempts per call including the first, each with its own retry budget (`PerCallRetryStrategy`:
   * the SDK's standard backoff, 1 s base after a throttle). Default 16: under a sustained 37%
   * fault rate a call then fails once in about 8 million, and in an outage it gives up after a few
   * minutes of backoff (at most 20 s between attempts).
   */
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

/** Attempts per Connect call by default, the first included. */
export const DEFAULT_MAX_ATTEMPTS = 16;

/**
 * `AWS_MAX_ATTEMPTS`, the AWS SDKs' and CLI's documented variable for attempts per call, when it
 * holds a whole number of at least 1; otherwise undefined.
 */
function attemptsFromEnvironment(): number | undefined {
  const value = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** A Connect client with its call statistics. */
export interface InstrumentedConnectClient {
  client: ConnectClient;
  stats: ConnectCallStats;
}

/**
 * Share of the quota's rate the limiters aim at. Connect's bucket and ours refill at the same rate
 * but not in phase, and a request's latency varies; aiming 5% below the rate keeps the service's
 * bucket from drifting empty, and leaves that much for the admin console.
 */
const HEADROOM = 0.95;

function limiterFor(quota: Quota, factor: number): TokenBucket {
  const rate = quota.rate * factor * HEADROOM;
  // One token short of the service's bucket: the first burst reaches the service spread out by
  // request signing and latency while the calls after it do not, which the spare token absorbs.
  const burst = Math.max(1, Math.floor(quota.burst * Math.min(1, factor)) - 1);
  return new TokenBucket(rate, burst);
}

function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'LimitExceededException'
  );
}

/**
 * Creates a Connect client whose every attempt waits for its operation's rate limiter (a token
 * bucket at 95% of the quota's rate, holding one call less than its burst) and is counted. The middleware sits after the
 * retry middleware, so retries are limited and counted too.
 */
export function createConnectClient(options: ConnectClientOptions): InstrumentedConnectClient {
  const client = new ConnectClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    profile: options.profile,
    // Backoff and retry per call, with a budget per call, not one the whole client shares (which a
    // long backup under sustained faults drains). The rate adapts per operation in its limiter
    // (`TokenBucket`), not client-wide as the SDK's adaptive mode does, which would slow every API
    // for one; every attempt, retries included, waits for it.
    retryStrategy: new PerCallRetryStrategy(
      options.maxAttempts ?? attemptsFromEnvironment() ?? DEFAULT_MAX_ATTEMPTS,
    ),
  });
  const stats = new ConnectCallStats();
  const limiters = new Map<string, TokenBucket>();
  const factor = options.rateFactor ?? 1;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      let limiter: TokenBucket | undefined;
      if (options.rateLimit !== false) {
        limiter = limiters.get(operation);
        if (!limiter) {
          limiter = limiterFor(options.quotas?.[operation] ?? defaultQuota(operation), factor);
          limiters.set(operation, limiter);
        }
        // A call aborted while it waits (the Lambda's deadline) leaves the queue without a token.
        // The SDK puts the call's `abortSignal` in the smithy context (`SMITHY_CONTEXT_KEY`).
        const smithy = (context as { __smithy_context?: { abortSignal?: AbortSignal } }).__smithy_context;
        await limiter.take(smithy?.abortSignal);
      }
      stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
      try {
        const output = await next(args);
        limiter?.succeeded();
        return output;
      } catch (error) {
        if (isThrottle(error)) {
          stats.throttles[operation] = (stats.throttles[operation] ?? 0) + 1;
          limiter?.throttled();
        }
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'connectVaultRateLimit', tags: ['CONNECT_VAULT'] },
  );
  return { client, stats };
}
