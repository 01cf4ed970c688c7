/**
 * A backup under sustained faults (issue 14): 30% of Connect calls throttled, 5% answered 500 and
 * 2% with the connection dropped, on every operation, for the whole run. It completes, and what it
 * stores equals a fault-free backup of the same instance. (The `large` seed under the same faults
 * is a row of `npm run bench`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectClient } from '#shared/connect/client.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { backup, manifestOf, objectsOf, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';

/** The fault mix of the issue, on every operation. */
const SUSTAINED_FAULTS = [
  { operation: '*', kind: 'throttle' as const, probability: 0.3 },
  { operation: '*', kind: 'internal-error' as const, probability: 0.05 },
  { operation: '*', kind: 'drop-connection' as const, probability: 0.02 },
];

let emulator: ConnectEmulator;
let instance: SeededInstance;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  const first = emulator.instances[0];
  if (!first) throw new Error('no instance');
  instance = first;
});

afterAll(async () => {
  await emulator?.close();
});

function client() {
  return createConnectClient({
    region: instance.region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    rateLimit: false,
  });
}

describe('a backup under 30% throttles, 5% 500s and 2% dropped connections', () => {
  it('completes, with the same objects as a fault-free backup', async () => {
    const calm = new MemorySnapshotStore();
    const expected = await backup(client(), calm, instance.id, new TestClock(), { full: true });
    emulator.faults.set(SUSTAINED_FAULTS);
    emulator.resetStats();

    const stormy = new MemorySnapshotStore();
    const result = await backup(client(), stormy, instance.id, new TestClock(), { full: true });
    const stats = emulator.stats();
    emulator.faults.set([]);

    expect(result.status).toBe('complete');
    expect(await objectsOf(stormy, instance.id, result.snapshotId)).toEqual(
      await objectsOf(calm, instance.id, expected.snapshotId),
    );
    const manifest = await manifestOf(stormy, instance.id, result.snapshotId);
    expect(manifest.counts).toEqual(expected.counts);
    // The faults really happened: about a third of the calls, each retried.
    expect(stats.totals.faults).toBeGreaterThan(stats.totals.calls * 0.25);
    expect(result.throttles).toBeGreaterThan(0);
  }, 60_000);
});
