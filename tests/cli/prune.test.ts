/**
 * `connect-vault prune`: a dry run by default, restic's keep rules, `latest` and unfinished folders
 * never removed, and with `--apply` the forgotten snapshots gone from S3 (DeleteObjects on s3rver)
 * while the kept ones still verify.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { snapshotRoot } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { listSnapshots, verifySnapshot } from '#shared/snapshot/verify.js';
import { backup, DAY_MS, PREFIX, TestClock } from '../backup/incremental-support.js';
import { emulatorClient } from '../backup/support.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let instance: SeededInstance;
let s3: S3rverHandle;
let store: S3SnapshotStore;
/** Snapshot ids, oldest first: one a night from 2026-11-25 to 2026-12-02, two on 12-02. */
const made: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  instance = emulator.instances.find((i) => i.alias === 'demo-target') ?? (undefined as never);
  s3 = await startS3rver();
  store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket });
  const client = emulatorClient(emulator, instance);
  const clock = new TestClock(Date.parse('2026-11-25T02:00:00.000Z'));
  for (let night = 0; night < 8; night += 1) {
    made.push((await backup(client, store, instance.id, clock, { full: true })).snapshotId);
    if (night < 7) clock.advance(DAY_MS - 60_000);
  }
  clock.advance(3_600_000);
  made.push((await backup(client, store, instance.id, clock, { full: true })).snapshotId);
  // An unfinished backup's folder: an object, no manifest.
  await store.put(
    `${snapshotRoot(PREFIX, instance.id, '2026-11-20T02-00-00.000Z')}instance.json`,
    '{}',
    'application/json',
  );
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
});

afterAll(async () => {
  process.env = saved;
  await emulator?.close();
  await s3?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const prune = (...args: string[]) =>
  runCli(
    'prune',
    '--from',
    `s3://${s3.bucket}/${PREFIX}`,
    '--instance-id',
    instance.id,
    '--s3-endpoint-url',
    s3.endpoint,
    ...args,
  );

const ids = async () =>
  (await listSnapshots(store, PREFIX, instance.id)).snapshots.map((s) => s.snapshotId).sort();

describe('connect-vault prune', () => {
  it('refuses a policy without a rule, and bad numbers, before reading anything', async () => {
    const none = await prune();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Give at least one rule');
    const bad = await prune('--keep-daily', 'three');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be a whole number');
    expect(await ids()).toEqual([...made].sort());
  });

  it('plans by default and deletes nothing', async () => {
    const result = await prune('--keep-daily', '3', '--json');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      applied: boolean;
      decisions: Array<{ snapshotId: string; keep: boolean; reasons: string[] }>;
      incomplete: string[];
    };
    expect(plan.applied).toBe(false);
    // 12-02's newer snapshot (also latest), 12-01, 11-30.
    expect(plan.decisions.filter((d) => d.keep).map((d) => d.snapshotId)).toEqual([
      made[8],
      made[6],
      made[5],
    ]);
    expect(plan.decisions.find((d) => d.snapshotId === made[8])?.reasons).toEqual([
      'daily 2026-12-02',
      'latest',
    ]);
    expect(plan.incomplete).toEqual(['2026-11-20T02-00-00.000Z']);
    expect(await ids()).toEqual([...made].sort());
  });

  it('with --apply removes every object of the forgotten snapshots; the kept ones still verify', async () => {
    const result = await prune('--keep-daily', '3', '--keep-last', '1', '--apply');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 kept, 6 removed.');
    const left = await ids();
    expect(left).toEqual([made[5], made[6], made[8]].sort());
    for (const snapshotId of left)
      expect((await verifySnapshot(store, PREFIX, instance.id, snapshotId)).ok).toBe(true);
    for (const snapshotId of made.filter((id) => !left.includes(id))) {
      const keys: string[] = [];
      for await (const key of store.list(snapshotRoot(PREFIX, instance.id, snapshotId))) keys.push(key);
      expect(keys).toEqual([]);
    }
    const unfinished: string[] = [];
    for await (const key of store.list(snapshotRoot(PREFIX, instance.id, '2026-11-20T02-00-00.000Z')))
      unfinished.push(key);
    expect(unfinished).toHaveLength(1);
  });
});
