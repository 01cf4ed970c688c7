/**
 * A backup of some kinds (`--kinds`) is a partial snapshot: recorded as such in its manifest, never
 * `latest.json`. A later incremental backup bases each kind on the newest committed snapshot that
 * holds it: the partial one for its kinds, the newest complete one for the others. A backup that
 * continues in another invocation keeps the bases its first invocation chose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupContinuation, backupInstance } from '#shared/backup/backup-instance.js';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import { KIND_NAMES, type KindName } from '#shared/kinds/index.js';
import { readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { backup, connectCall, manifestOf, objectsOf, PREFIX, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient, silentLogger } from './support.js';

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

/** The objects of one kind (key → text) of a snapshot. */
async function objectsOfKind(store: MemorySnapshotStore, snapshotId: string, kind: KindName) {
  const manifest = await manifestOf(store, instance.id, snapshotId);
  const keys = new Set(manifest.objects.filter((o) => o.kind === kind).map((o) => o.key));
  const all = await objectsOf(store, instance.id, snapshotId);
  return new Map([...all].filter(([key]) => keys.has(key)));
}

/** Tags one user, so that an incremental read based on a snapshot from before describes it again. */
async function tagAUser(value: string): Promise<void> {
  const user = emulator.world.instances.get(instance.id)?.users.all()[0];
  if (!user) throw new Error('demo has no user');
  await connectCall(emulator, instance, 'TagResource', { resourceArn: user.arn, tags: { shift: value } });
}

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

  it('is the base of the next incremental backup for its kinds; the complete snapshot for the others', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    await tagAUser('partial-night');
    const partial = await backup(client, store, instance.id, clock, { kinds: ['users', 'queues'] });
    expect(partial.kinds.byKind?.users).toMatchObject({
      mode: 'incremental',
      read: 1,
      basedOn: first.snapshotId,
    });

    const next = await backup(client, store, instance.id, clock);
    const full = await backup(client, store, instance.id, clock, { full: true });

    expect(next.partial).toBeUndefined();
    const byKind = next.kinds.byKind ?? {};
    expect(byKind.users).toMatchObject({ mode: 'incremental', read: 0, basedOn: partial.snapshotId });
    expect(byKind.queues).toMatchObject({ mode: 'incremental', read: 0, basedOn: partial.snapshotId });
    expect(byKind['routing-profiles']).toMatchObject({ mode: 'incremental', basedOn: first.snapshotId });
    expect(byKind['security-profiles']).toMatchObject({ mode: 'incremental', basedOn: first.snapshotId });
    // The user tagged before the partial backup is not described again: its object comes from there.
    expect(next.apiCalls.DescribeUser ?? 0).toBe(0);
    // The top level names the complete snapshot the other kinds were based on, as readers expect.
    expect(next.kinds.basedOn).toBe(first.snapshotId);
    expect(await objectsOfKind(store, next.snapshotId, 'users')).toEqual(
      await objectsOfKind(store, partial.snapshotId, 'users'),
    );
    expect(await objectsOfKind(store, next.snapshotId, 'routing-profiles')).toEqual(
      await objectsOfKind(store, first.snapshotId, 'routing-profiles'),
    );
    expect(Object.keys(next.counts).sort()).toEqual([...KIND_NAMES].sort());
    expect(await objectsOf(store, instance.id, next.snapshotId)).toEqual(
      await objectsOf(store, instance.id, full.snapshotId),
    );
    expect((await verifySnapshot(store, PREFIX, instance.id, next.snapshotId)).ok).toBe(true);
    expect((await readLatestPointer(store, PREFIX, instance.id))?.snapshotId).toBe(full.snapshotId);
  });

  it('keeps the bases the first invocation chose when the backup continues in another', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    await tagAUser('before-partial');
    const partial = await backup(client, store, instance.id, clock, { kinds: ['users'] });

    // The nightly run reaches its deadline after a few resources and hands over.
    const deadline = new AbortController();
    const handedOver: BackupContinuation[] = [];
    const ports = {
      connect: client.client,
      connectStats: client.stats,
      store,
      clock,
      logger: silentLogger,
    };
    let stored = 0;
    const started = await backupInstance(
      { instanceId: instance.id, prefix: PREFIX, full: false },
      {
        ...ports,
        signal: deadline.signal,
        progress: (event) => {
          if (event.type !== 'resource-stored') return;
          stored += 1;
          if (stored === 3) deadline.abort();
        },
        continueLater: async (continuation) => {
          handedOver.push(continuation);
        },
      },
    );
    expect(started.status).toBe('continued');
    const continuation = handedOver[0];
    if (!continuation) throw new Error('the backup did not hand over');

    // A newer partial backup of users commits before the continuation runs.
    clock.advance(1000);
    await tagAUser('between-invocations');
    const newer = await backup(client, store, instance.id, clock, { kinds: ['users'] });
    expect(newer.kinds.byKind?.users?.basedOn).toBe(partial.snapshotId);

    const resumed = await backupInstance(
      {
        instanceId: instance.id,
        prefix: PREFIX,
        full: false,
        resume: { snapshotId: continuation.snapshotId, continuation: continuation.continuation },
      },
      ports,
    );
    expect(resumed.status).toBe('complete');
    expect(resumed.snapshotId).toBe(started.snapshotId);
    const byKind = resumed.kinds.byKind ?? {};
    expect(byKind.users?.basedOn).toBe(partial.snapshotId);
    expect(byKind.queues?.basedOn).toBe(first.snapshotId);
    expect(resumed.kinds.basedOn).toBe(first.snapshotId);
    expect((await verifySnapshot(store, PREFIX, instance.id, resumed.snapshotId)).ok).toBe(true);
  });
});
