/**
 * Snapshots nothing can corrupt (issue 14): a second delivery of a `Backup Continued` event, two
 * overlapping backups, and an invocation that died mid-way, each followed by an independent check
 * (`checkStore`: every committed snapshot verifies, latest.json names the newest one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupContinuation,
  type BackupResult,
  backupInstance,
} from '#shared/backup/backup-instance.js';
import { type Checkpoint, checkpointKey } from '#shared/backup/checkpoint.js';
import { leaseKey } from '#shared/backup/lease.js';
import type { StoredDocument } from '#shared/kinds/index.js';
import { canonicalJson, latestKey, sha256Hex, snapshotObjectKey } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { checkStore, type StoreCheck } from '../support/snapshot-check.js';
import { backup, manifestOf, PREFIX, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient, silentLogger } from './support.js';

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

/** Records the writes that changed something, made through it, to tell invocations apart. */
function recording(store: SnapshotStore): { store: SnapshotStore; writes: string[] } {
  const writes: string[] = [];
  const wrapped: SnapshotStore = {
    put: async (key, body, type, options) => {
      await store.put(key, body, type, options);
      writes.push(key);
    },
    putIfAbsent: async (key, body, type, options) => {
      const written = await store.putIfAbsent(key, body, type, options);
      if (written) writes.push(key);
      return written;
    },
    putIfMatch: async (key, body, type, tag, options) => {
      const written = await store.putIfMatch(key, body, type, tag, options);
      if (written) writes.push(key);
      return written;
    },
    copy: async (from, to, options) => {
      const result = await store.copy(from, to, options);
      writes.push(to);
      return result;
    },
    copyIfAbsent: async (from, to, options) => {
      const result = await store.copyIfAbsent(from, to, options);
      if (result.written) writes.push(to);
      return result;
    },
    get: (key, options) => store.get(key, options),
    getTagged: (key, options) => store.getTagged(key, options),
    list: (prefix, options) => store.list(prefix, options),
    listFolders: (prefix, options) => store.listFolders(prefix, options),
    describe: () => store.describe(),
  };
  return { store: wrapped, writes };
}

/**
 * Starts a backup that reaches its "deadline" after `stored` resources and hands over: returns the
 * continuation it handed over to.
 */
async function handedOver(
  store: SnapshotStore,
  clock: TestClock,
  stored: number,
): Promise<BackupContinuation> {
  const client = emulatorClient(emulator, instance);
  const deadline = new AbortController();
  let handed: BackupContinuation | undefined;
  const result = await backupInstance(
    { instanceId: instance.id, prefix: PREFIX, full: true },
    {
      connect: client.client,
      connectStats: client.stats,
      store,
      clock,
      logger: silentLogger,
      signal: deadline.signal,
      progress: (event) => {
        if (event.type === 'resource-stored' && event.stored >= stored) deadline.abort(new Error('deadline'));
      },
      continueLater: async (continuation) => {
        handed = continuation;
      },
    },
  );
  expect(result.status).toBe('continued');
  if (!handed) throw new Error('not handed over');
  return handed;
}

/** One delivery of a `Backup Continued` event. */
function resumeFrom(
  store: SnapshotStore,
  clock: TestClock,
  continuation: BackupContinuation,
): Promise<BackupResult> {
  const client = emulatorClient(emulator, instance);
  return backupInstance(
    {
      instanceId: instance.id,
      prefix: PREFIX,
      resume: { snapshotId: continuation.snapshotId, continuation: continuation.continuation },
    },
    { connect: client.client, connectStats: client.stats, store, clock, logger: silentLogger },
  );
}

function expectSound(check: StoreCheck, complete: readonly string[]): void {
  expect(check.problems).toEqual([]);
  expect(check.complete).toEqual([...complete].sort());
  expect(check.latest).toBe([...complete].sort().at(-1));
}

describe('a Backup Continued event delivered twice', () => {
  it('lets the second delivery, while the first runs, exit duplicate without writing anything', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const continuation = await handedOver(store, clock, 5);
    const first = recording(store);
    const second = recording(store);

    const [a, b] = await Promise.all([
      resumeFrom(first.store, clock, continuation),
      resumeFrom(second.store, clock, continuation),
    ]);

    expect([a.status, b.status]).toEqual(['complete', 'duplicate']);
    expect(second.writes).toEqual([]);
    expect(first.writes).toContain(leaseKey(PREFIX, instance.id, continuation.snapshotId, 1));
    expectSound(await checkStore(store, PREFIX, instance.id), [continuation.snapshotId]);
  });

  it('lets a delivery after the snapshot completed exit duplicate without writing anything', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const continuation = await handedOver(store, clock, 5);
    expect((await resumeFrom(store, clock, continuation)).status).toBe('complete');
    clock.advance(10 * 60_000); // the first invocation's lease has long expired
    const late = recording(store);

    const again = await resumeFrom(late.store, clock, continuation);

    expect(again.status).toBe('duplicate');
    expect(late.writes).toEqual([]);
    expectSound(await checkStore(store, PREFIX, instance.id), [continuation.snapshotId]);
  });

  it('takes over from an invocation that died, keeping the objects it stored', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const continuation = await handedOver(store, clock, 5);
    const checkpoint = JSON.parse(
      Buffer.from(
        (await store.get(checkpointKey(PREFIX, instance.id, continuation.snapshotId, 1))) ?? [],
      ).toString('utf8'),
    ) as Checkpoint;
    // Which objects a whole run stores, to pick one the checkpoint does not hold yet.
    const scratch = new MemorySnapshotStore();
    const whole = await backup(emulatorClient(emulator, instance), scratch, instance.id, new TestClock(), {
      full: true,
    });
    const done = new Set(checkpoint.objects.map((o) => o.key));
    const pending = (await manifestOf(scratch, instance.id, whole.snapshotId)).objects.find(
      (o) => o.kind === 'queues' && !done.has(o.key),
    );
    if (!pending) throw new Error('no queue left to store');
    // The first delivery took the lease, stored that queue as it read it then (a description that
    // has changed since), and died; its lease ran out.
    const key = snapshotObjectKey(PREFIX, instance.id, continuation.snapshotId, pending.key);
    const stale = JSON.parse(
      Buffer.from(
        (await scratch.get(snapshotObjectKey(PREFIX, instance.id, whole.snapshotId, pending.key))) ?? [],
      ).toString('utf8'),
    ) as StoredDocument;
    stale.resource.Description = 'as read by the invocation that died';
    await store.putIfAbsent(key, canonicalJson(stale), 'application/json');
    await store.putIfAbsent(
      leaseKey(PREFIX, instance.id, continuation.snapshotId, 1),
      canonicalJson({
        leaseVersion: 1,
        snapshotId: continuation.snapshotId,
        continuation: 1,
        holder: 'dead',
        expiresAt: clock.now().toISOString(),
      }),
      'application/json',
    );
    clock.advance(2 * 60_000);
    const writesBefore = store.writes.get(key);

    const result = await resumeFrom(store, clock, continuation);

    expect(result.status).toBe('complete');
    expect(store.writes.get(key)).toBe(writesBefore);
    expect(JSON.parse(Buffer.from((await store.get(key)) ?? []).toString('utf8')).resource.Description).toBe(
      'as read by the invocation that died',
    );
    const manifest = await manifestOf(store, instance.id, continuation.snapshotId);
    expect(manifest.objects.find((o) => o.key === pending.key)?.sha256).toBe(sha256Hex(canonicalJson(stale)));
    expect(manifest.counts).toEqual((await manifestOf(scratch, instance.id, whole.snapshotId)).counts);
    expectSound(await checkStore(store, PREFIX, instance.id), [continuation.snapshotId]);
  });
});

describe('two overlapping backups', () => {
  it('leave latest.json on the one that started later, whichever finishes last', async () => {
    const store = new MemorySnapshotStore();
    const early = new TestClock(Date.parse('2026-03-01T02:00:00.000Z'));
    const late = new TestClock(Date.parse('2026-03-01T02:30:00.000Z'));
    const client = emulatorClient(emulator, instance);

    // The later one finishes first, then the earlier, slower one.
    const newer = await backup(client, store, instance.id, late, { full: true });
    const older = await backup(client, store, instance.id, early, { full: true });

    expect([newer.status, older.status]).toEqual(['complete', 'complete']);
    const latest = JSON.parse(
      Buffer.from((await store.get(latestKey(PREFIX, instance.id))) ?? []).toString('utf8'),
    );
    expect(latest.snapshotId).toBe(newer.snapshotId);
    expectSound(await checkStore(store, PREFIX, instance.id), [older.snapshotId, newer.snapshotId]);
  });

  it('cannot change an object of a committed snapshot, even without the lease', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const client = emulatorClient(emulator, instance);
    const done = await backup(client, store, instance.id, clock, { full: true });
    const manifest = await manifestOf(store, instance.id, done.snapshotId);
    const victim = manifest.objects.find((o) => o.kind === 'users');
    if (!victim) throw new Error('no user');
    const key = snapshotObjectKey(PREFIX, instance.id, done.snapshotId, victim.key);

    // What a slower invocation that lost its lease would do: every write is a conditional create.
    expect(await store.putIfAbsent(key, '{"tampered":true}', 'application/json')).toBe(false);
    expect((await store.copyIfAbsent(key, key)).written).toBe(false);

    expectSound(await checkStore(store, PREFIX, instance.id), [done.snapshotId]);
  });
});
