import { describe, expect, it } from 'vitest';
import { TokenBucket } from '#shared/connect/token-bucket.js';
import { rejectionOf } from '../support/errors.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then one call per 1/rate seconds, in order', async () => {
    const bucket = new TokenBucket(50, 3);
    const started = performance.now();
    const done: number[] = [];

    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        bucket.take().then(() => done.push(i) && performance.now() - started),
      ),
    );

    const elapsed = performance.now() - started;
    expect(done).toEqual([0, 1, 2, 3, 4, 5]);
    // Three at once, three more 20 ms apart.
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(200);
  });

  it('drops a waiting caller whose signal aborts, without using its token', async () => {
    let now = 0;
    const bucket = new TokenBucket(20, 1, () => now);
    await bucket.take();
    const controller = new AbortController();
    const aborted = bucket.take(controller.signal);
    const next = bucket.take();
    expect(bucket.waiting).toBe(2);

    controller.abort(new Error('deadline'));
    const error = await rejectionOf(aborted);
    now = 50;
    await next;

    expect(error.message).toBe('deadline');
    expect(bucket.waiting).toBe(0);
  });

  it('refuses a call whose signal has already aborted', async () => {
    const bucket = new TokenBucket(1, 1);
    const error = await rejectionOf(bucket.take(AbortSignal.abort(new Error('late'))));

    expect(error.message).toBe('late');
  });
});

describe('TokenBucket under throttling', () => {
  it('slows to 80% per throttled call, not below a tenth, and recovers 0.2% per success', () => {
    const bucket = new TokenBucket(100, 10, () => 0);

    bucket.throttled();
    const once = bucket.rate;
    for (let i = 0; i < 20; i += 1) bucket.throttled();
    const floor = bucket.rate;
    for (let i = 0; i < 100; i += 1) bucket.succeeded();
    const recovered = bucket.rate;
    for (let i = 0; i < 1000; i += 1) bucket.succeeded();

    expect(once).toBeCloseTo(80, 9);
    expect(floor).toBeCloseTo(10, 9);
    expect(recovered).toBeCloseTo(30, 9);
    expect(bucket.rate).toBe(100);
  });
});
