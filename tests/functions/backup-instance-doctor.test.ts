/** The backup-instance function's doctor mode: `{ "mode": "doctor", "instanceId": … }`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorResult } from '#shared/doctor/doctor.js';
import { type BackupDeps, invocationHandler } from '../../functions/backup-instance/handler.js';
import { emulatorClient, type TempFolder, tempFolderStore } from '../backup/support.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type S3rverHandle, STACK_BUCKET_CONFIG, startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let s3: S3rverHandle;
let folder: TempFolder;
let deps: BackupDeps;
let instanceId: string;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  s3 = await startS3rver({ bucketConfig: STACK_BUCKET_CONFIG });
  folder = await tempFolderStore();
  const source = emulator.instances.find((i) => i.alias === 'demo-source');
  if (!source) throw new Error('no demo-source');
  instanceId = source.id;
  const client = emulatorClient(emulator, source, 1);
  deps = {
    config: { prefix: 'vault' },
    connect: client.client,
    connectStats: client.stats,
    store: folder.store,
    clock: { now: () => new Date() },
    doctor: { s3: s3.client(), bucket: s3.bucket },
  };
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
  await folder?.remove();
});

describe('backup-instance in doctor mode', () => {
  it('returns the checks instead of backing up, and writes nothing', async () => {
    const result = (await invocationHandler({ mode: 'doctor', instanceId }, deps)) as DoctorResult;
    const stored: string[] = [];
    for await (const key of folder.store.list('')) stored.push(key);

    expect(result.ok).toBe(true);
    expect(result.bucket).toBe(s3.bucket);
    expect(result.checks.find((c) => c.id === 'read:connect:SearchContactFlows')?.status).toBe('ok');
    expect(result.checks.find((c) => c.id === 'bucket:versioning')?.status).toBe('ok');
    expect(stored).toEqual([]);
  });

  it('names the failed assumption when the role lacks a read action', async () => {
    emulator.denied.add('ListUsers');
    try {
      const result = (await invocationHandler({ mode: 'doctor', instanceId }, deps)) as DoctorResult;

      expect(result.ok).toBe(false);
      expect(result.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual([
        'read:connect:ListUsers',
      ]);
    } finally {
      emulator.denied.delete('ListUsers');
    }
  });

  it('rejects an invalid doctor request before any call, naming the problem', async () => {
    emulator.resetStats();

    const error = await rejectionOf(
      invocationHandler({ mode: 'doctor', instanceId: '', restoreRoleArn: 'not-an-arn', full: true }, deps),
    );

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('instanceId: Too small');
    expect(error.message).toContain('restoreRoleArn: must be an IAM role ARN');
    expect(error.message).toContain('Unrecognized key');
    expect(emulator.stats().totals.calls).toBe(0);
  });
});
