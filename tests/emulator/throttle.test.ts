import { describe, expect, it } from 'vitest';
import { Throttler } from './throttle.js';

describe('Throttler.configure', () => {
  it('replaces the options in force and refills every bucket', () => {
    let now = 0;
    const throttler = new Throttler({ timeScale: 10 }, () => now);
    const before = throttler.quotaFor('DescribeUser');
    const burst = Array.from({ length: 11 }, () =>
      throttler.take('111122223333', 'us-east-1', 'DescribeUser'),
    );

    throttler.configure({ quotaFactor: 0.7 });
    now = 0;
    const after = throttler.quotaFor('DescribeUser');
    const refilled = Array.from({ length: 8 }, () =>
      throttler.take('111122223333', 'us-east-1', 'DescribeUser'),
    );

    expect(before).toEqual({ rate: 100, burst: 10 });
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(after).toEqual({ rate: 7, burst: 7 });
    expect(refilled).toEqual([true, true, true, true, true, true, true, false]);
  });

  it('turns throttling off and on again', () => {
    const throttler = new Throttler({}, () => 0);

    throttler.configure({ enabled: false });
    const off = Array.from({ length: 50 }, () => throttler.take('111122223333', 'us-east-1', 'SearchUsers'));
    throttler.configure({});
    const on = Array.from({ length: 6 }, () => throttler.take('111122223333', 'us-east-1', 'SearchUsers'));

    expect(off.every(Boolean)).toBe(true);
    expect(on).toEqual([true, true, true, true, true, false]);
  });
});
