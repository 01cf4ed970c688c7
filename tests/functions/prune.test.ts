/**
 * The scheduled prune function: the deployed keep rules applied to each instance's snapshots, the
 * forgotten ones deleted from S3 (DeleteObjects on s3rver), latest kept; a dry run deletes nothing;
 * an instance with an unreadable manifest is left alone and fails the run; no rule, no delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectClient } from '#shared/connect/client.js';
import { manifestKey } from '#shared/snapshot/format.js';
import { s3Remover } from '#shared/snapshot/prune.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { listSnapshots, readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type PruneDeps, pruneHandler } from '../../functions/prune/handler.js';
import { backup, DAY_MS, PREFIX, TestClock } from '../backup/incremental-support.js';
import { emulatorClient } from '../backup/support.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let target: SeededInstance;
let s3: S3rverHandle;
let store: S3SnapshotStore;
/** demo-target's snapshots, oldest first: one a night, 2026-11-25 to 2026-12-02. */
const made: string[] = [];

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  target = emulator.instances.find((i) => i.alias === 'demo-target') ?? (undefined as never);
  s3 = await startS3rver();
  store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket });
  const client = emulatorClient(emulator, target);
  const clock = new TestClock(Date.parse('2026-11-25T02:00:00.000Z'));
  for (let night = 0; night < 8; night += 1) {
    made.push((await backup(client, store, target.id, clock, { full: true })).snapshotId);
    clock.advance(DAY_MS);
  }
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
});

function deps(policy: PruneDeps['config']['prune'], instanceIds: string[] = []): PruneDeps {
  return {
    config: { prefix: PREFIX, instanceIds, prune: policy },
    connect: createConnectClient({
      region: target.region,
      endpoint: emulator.endpoint,
      credentials: emulator.credentials(target.accountId),
      rateLimit: false,
    }).client,
    store,
    remove: s3Remover(s3.client(), s3.bucket),
  };
}

const ids = async () =>
  (await listSnapshots(store, PREFIX, target.id)).snapshots.map((s) => s.snapshotId).sort();
const keep3 = { last: 0, daily: 3, weekly: 0, monthly: 0 };

describe('the prune function', () => {
  it('refuses a policy without a keep rule, and a bad input, deleting nothing', async () => {
    const none = await rejectionOf(pruneHandler({}, deps({ last: 0, daily: 0, weekly: 0, monthly: 0 })));
    const bad = await rejectionOf(pruneHandler({ instanceIds: [], apply: true }, deps(keep3)));

    expect(none.name).toBe('ConfigError');
    expect(none.message).toContain('no keep rule');
    expect(bad.name).toBe('InvalidEventError');
    expect(bad.message).toContain('instanceIds: Too small');
    expect(bad.message).toContain('Unrecognized key');
    expect(await ids()).toEqual(made);
  });

  it('in a dry run names what it would forget and deletes nothing', async () => {
    const outcomes = await pruneHandler({ dryRun: true }, deps(keep3));

    // ListInstances of demo-target's account and Region: demo-target only.
    expect(outcomes).toEqual([
      { instanceId: target.id, kept: 3, removed: [], forgotten: made.slice(0, 5).reverse() },
    ]);
    expect(await ids()).toEqual(made);
  });

  it('leaves an instance with an unreadable manifest alone, prunes the others, and fails the run naming it', async () => {
    const other = 'ffffffff-0000-4000-8000-00000000beef';
    await store.putIfAbsent(
      manifestKey(PREFIX, other, '2026-11-01T02-00-00.000Z'),
      '{not json',
      'application/json',
    );

    const error = await rejectionOf(pruneHandler({ instanceIds: [other], dryRun: true }, deps(keep3)));

    expect(error.name).toBe('PruneFailedError');
    expect(error.message).toContain(`${other} (Nothing pruned: 1 snapshot(s) with an unreadable manifest`);
  });

  it('deletes the forgotten snapshots; latest and the kept ones still verify', async () => {
    const outcomes = await pruneHandler({}, deps(keep3, [target.id]));

    expect(outcomes[0]?.removed.sort()).toEqual(made.slice(0, 5));
    expect(await ids()).toEqual(made.slice(5));
    expect((await readLatestPointer(store, PREFIX, target.id))?.snapshotId).toBe(made[7]);
    for (const snapshotId of made.slice(5))
      expect((await verifySnapshot(store, PREFIX, target.id, snapshotId)).ok).toBe(true);
  });
});
