/**
 * The retry strategy of the Connect client: the SDK's own `StandardRetryStrategy` (its error
 * classification, exponential backoff with jitter, the longer base delay after a throttle, the
 * `Retry-After` hint and the attempt limit), with one change: each call gets its own retry budget
 * instead of one shared by every call of the client.
 *
 * Why: the shared budget (500 tokens; a retry costs 14 after a 5xx or a dropped connection, 5 after
 * a throttle, and a success refunds only 1 or the last retry's cost) drains under a sustained fault
 * rate, and once it is empty the next fault fails the call without a retry and so fails the whole
 * backup (measured: 5,000 users failed after 1,501 calls under sustained 5xx). That budget exists
 * to stop retry storms; here every attempt, retries included, already waits for its operation's
 * rate limiter (`TokenBucket`, which also slows down on throttles), so retries can never go faster
 * than the quota, and a per-call attempt limit bounds how long one call keeps trying.
 *
 * @packageDocumentation
 */
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';

/**
 * A `RetryStrategyV2` that gives each call a fresh `StandardRetryStrategy`, so no call's retries
 * spend another's budget; a call stops after `maxAttempts` attempts (first one included).
 */
export class PerCallRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  readonly #maxAttempts: number;
  readonly #strategies = new WeakMap<RetryToken, StandardRetryStrategy>();

  /** @param maxAttempts - Attempts per call, the first included (≥ 1). */
  constructor(maxAttempts: number) {
    if (!(maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1: ${maxAttempts}`);
    this.#maxAttempts = maxAttempts;
  }

  async acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    const strategy = new StandardRetryStrategy(this.#maxAttempts);
    const token = await strategy.acquireInitialRetryToken(retryTokenScope);
    this.#strategies.set(token, strategy);
    return token;
  }

  /** @throws the SDK's "No retry token available" once the call may not retry any more. */
  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const strategy = this.#strategyOf(token);
    const next = await strategy.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
    this.#strategies.set(next, strategy);
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.#strategyOf(token).recordSuccess(token as StandardRetryToken);
  }

  #strategyOf(token: RetryToken): StandardRetryStrategy {
    const strategy = this.#strategies.get(token);
    if (!strategy) throw new Error('retry token of another strategy');
    return strategy;
  }
}
