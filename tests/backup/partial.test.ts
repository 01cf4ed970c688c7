/**
 * A backup of some kinds (`--kinds`) is a partial snapshot: recorded as such in its manifest, never
 * `latest.json`, and the next incremental backup is based on the newest complete snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { backup, manifestOf, objectsOf, PREFIX, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient } from './support.js';

let emulator: ConnectEmulator;
let instance: SeededInstance;
let client: InstrumentedConnectClient;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  const source = emulator.instances.find((i) => i.alias === 'demo-source');
  if (!source) throw new Error('no demo-source instance');
  instance = source;
  client = emulatorClient(emulator, instance);
});

afterAll(async () => {
  await emulator?.close();
});

describe('a partial backup (some kinds)', () => {
  it('is recorded as partial, verifies, and leaves latest.json on the newest complete snapshot', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);

    const partial = await backup(client, store, instance.id, clock, { kinds: ['flows', 'queues'] });

    expect(partial.status).toBe('complete');
    expect(partial.partial).toBe(true);
    const manifest = await manifestOf(store, instance.id, partial.snapshotId);
    expect(manifest.partial).toBe(true);
    expect(Object.keys(manifest.counts).sort()).toEqual(['flows', 'queues']);
    expect((await verifySnapshot(store, PREFIX, instance.id, partial.snapshotId)).ok).toBe(true);
    expect((await readLatestPointer(store, PREFIX, instance.id))?.snapshotId).toBe(first.snapshotId);
    expect((await manifestOf(store, instance.id, first.snapshotId)).partial).toBeUndefined();
  });

  it('does not become the base of the next incremental backup, which equals a full read', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    await backup(client, store, instance.id, clock, { kinds: ['users'] });

    const next = await backup(client, store, instance.id, clock);
    const full = await backup(client, store, instance.id, clock, { full: true });

    expect(next.partial).toBeUndefined();
    expect(next.kinds.basedOn).toBe(first.snapshotId);
    expect(Object.keys(next.counts).sort()).toEqual([...KIND_NAMES].sort());
    expect(await objectsOf(store, instance.id, next.snapshotId)).toEqual(
      await objectsOf(store, instance.id, full.snapshotId),
    );
    expect((await readLatestPointer(store, PREFIX, instance.id))?.snapshotId).toBe(full.snapshotId);
  });
});
