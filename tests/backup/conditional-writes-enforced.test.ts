/**
 * Backups into a bucket whose policy lets the backup role only create objects (infra/storage.yml,
 * BackupRoleCreatesOnly): every write is conditional, unchanged objects are carried forward without
 * CopyObject (which S3 refuses there), and latest.json moves by compare-and-swap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestKey } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';
import { connectCall } from './incremental-support.js';
import { emulatorClient, runBackup } from './support.js';

let emulator: ConnectEmulator;
let s3: S3rverHandle;
let source: SeededInstance;
let store: S3SnapshotStore;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  s3 = await startS3rver({ enforceConditionalWrites: true });
  source = emulator.instances.find((i) => i.alias === 'demo-source') ?? (undefined as never);
  store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket });
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
});

describe('a bucket that enforces conditional writes', () => {
  it('refuses a plain PutObject and any CopyObject, as S3 does under that policy', async () => {
    await store.putIfAbsent('probe/a.json', '{}', 'application/json');

    const put = await rejectionOf(store.put('probe/a.json', '{"x":1}', 'application/json'));
    const copy = await rejectionOf(store.copy('probe/a.json', 'probe/b.json'));

    expect(put.name).toBe('AccessDenied');
    expect(copy.name).toBe('AccessDenied');
    expect(await store.copyIfAbsent('probe/a.json', 'probe/c.json')).toMatchObject({ written: true });
    expect(await store.copyIfAbsent('probe/a.json', 'probe/c.json')).toEqual({ written: false });
  });

  it('takes a full backup, then an incremental one that carries unchanged objects forward, both intact', async () => {
    const client = emulatorClient(emulator, source);
    const full = await runBackup(client, store, source.id, { prefix: 'vault', full: true });
    const queue = emulator.world.instances
      .get(source.id)
      ?.queues.all()
      .find((q) => q.entity.QueueArn?.includes('/queue/'));
    await connectCall(emulator, source, 'UpdateQueueName', {
      QueueId: queue?.id,
      Description: 'changed tonight',
    });

    const incremental = await runBackup(client, store, source.id, { prefix: 'vault', full: false });

    expect(full.status).toBe('complete');
    expect(incremental.status).toBe('complete');
    expect(incremental.kinds.carriedForward.length).toBeGreaterThan(0);
    for (const snapshot of [full, incremental]) {
      expect(await verifySnapshot(store, 'vault', source.id, snapshot.snapshotId)).toMatchObject({
        ok: true,
      });
    }
    expect((await readLatestPointer(store, 'vault', source.id))?.snapshotId).toBe(incremental.snapshotId);
    expect(await store.get(latestKey('vault', source.id))).toBeDefined();
  }, 120_000);
});
