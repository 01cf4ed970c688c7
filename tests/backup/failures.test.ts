import { afterEach, describe, expect, it } from 'vitest';
import { BackupFailedError } from '#shared/backup/backup-instance.js';
import { latestKey, snapshotsRoot } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { verifySnapshot } from '#shared/snapshot/verify.js';
import { backupInstanceHandler } from '../../functions/backup-instance/handler.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { emulatorClient, runBackup, tempFolderStore } from './support.js';

let emulator: ConnectEmulator | undefined;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(): Promise<{ instance: SeededInstance; store: SnapshotStore }> {
  emulator = await startConnectEmulator({ seed: 'new-instance', throttle: { enabled: false } });
  const instance = emulator.instances[0];
  if (!instance) throw new Error('no instance');
  const folder = await tempFolderStore();
  cleanups.push(folder.remove);
  return { instance, store: folder.store };
}

async function keysOf(store: SnapshotStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/**
 * A store whose writes under one folder keep failing, as S3 does when it is unavailable. It cannot
 * delete, as the backup function's S3 role cannot.
 */
function failingWrites(store: SnapshotStore, folder: string): SnapshotStore {
  const fail = (key: string) => {
    if (key.includes(`/${folder}/`)) {
      throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
        name: 'InternalError',
        $metadata: { httpStatusCode: 500 },
      });
    }
  };
  return {
    put: async (key, body, type, options) => {
      fail(key);
      return store.put(key, body, type, options);
    },
    putIfAbsent: async (key, body, type, options) => {
      fail(key);
      return store.putIfAbsent(key, body, type, options);
    },
    putIfMatch: (key, body, type, tag, options) => store.putIfMatch(key, body, type, tag, options),
    get: (key, options) => store.get(key, options),
    getTagged: (key, options) => store.getTagged(key, options),
    list: (prefix, options) => store.list(prefix, options),
    listFolders: (prefix, options) => store.listFolders(prefix, options),
    copy: (from, to, options) => store.copy(from, to, options),
    copyIfAbsent: (from, to, options) => store.copyIfAbsent(from, to, options),
    describe: () => store.describe(),
  };
}

describe('a backup that cannot complete', () => {
  it('leaves no manifest and does not move latest.json when Connect keeps failing', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance, 2);
    const first = await runBackup(client, store, instance.id);
    const latestBefore = await store.get(latestKey('vault', instance.id));
    emulator!.faults.set([{ operation: 'DescribeUser', kind: 'internal-error', fromCall: 1 }]);

    const error = await rejectionOf(runBackup(client, store, instance.id));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect(error.message).toContain('InternalServiceException');
    expect((error.cause as Error).name).toBe('InternalServiceException');
    const keys = await keysOf(store, snapshotsRoot('vault', instance.id));
    expect(keys.filter((k) => k.endsWith('/manifest.json'))).toEqual([
      `${snapshotsRoot('vault', instance.id)}${first.snapshotId}/manifest.json`,
    ]);
    expect(await store.get(latestKey('vault', instance.id))).toEqual(latestBefore);
    // The folder store can delete: the failed snapshot's folder is gone, the committed one stays.
    const root = snapshotsRoot('vault', instance.id);
    expect(keys.filter((k) => !k.startsWith(`${root}${first.snapshotId}/`))).toEqual([]);
    expect((await verifySnapshot(store, 'vault', instance.id, first.snapshotId)).ok).toBe(true);
    // One call for the admin user in the first backup, then two failing attempts.
    expect(emulator!.stats().operations.DescribeUser).toMatchObject({ calls: 3, faults: 2 });
  });

  it('leaves no manifest and does not move latest.json when S3 writes keep failing', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance);
    const first = await runBackup(client, store, instance.id);
    const latestBefore = await store.get(latestKey('vault', instance.id));

    const error = await rejectionOf(runBackup(client, failingWrites(store, 'users'), instance.id));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect((error.cause as Error).name).toBe('InternalError');
    const manifests = (await keysOf(store, snapshotsRoot('vault', instance.id))).filter((k) =>
      k.endsWith('manifest.json'),
    );
    expect(manifests).toEqual([`${snapshotsRoot('vault', instance.id)}${first.snapshotId}/manifest.json`]);
    expect(await store.get(latestKey('vault', instance.id))).toEqual(latestBefore);
    // A store without delete (S3 under the backup role) keeps the unfinished folder for `prune`.
    const failed = (error as unknown as BackupFailedError).snapshotId;
    expect(failed).not.toBe(first.snapshotId);
    expect((await keysOf(store, `${snapshotsRoot('vault', instance.id)}${failed}/`)).length).toBeGreaterThan(
      0,
    );
  });

  it('fails naming the prompt when its audio cannot be downloaded (an expired URL answers 403): no manifest, latest.json unmoved', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance);
    const first = await runBackup(client, store, instance.id);
    const latestBefore = await store.get(latestKey('vault', instance.id));
    // Every URL GetPromptFile answers has expired by the time it is fetched.
    emulator!.world.promptFiles.urlExpiresSeconds = 0;

    const error = await rejectionOf(runBackup(client, store, instance.id, { full: true }));

    expect(error).toBeInstanceOf(BackupFailedError);
    const names = emulator!.world.instances
      .get(instance.id)
      ?.prompts.all()
      .map((p) => `prompt "${p.name}" (${p.id})`);
    const named = names?.filter((n) => error.message.includes(n)) ?? [];
    expect(named).toHaveLength(1);
    expect(error.message).toContain(
      `${named[0]}: its audio could not be read: the presigned URL answered HTTP 403 (expired or not allowed)`,
    );
    expect((error.cause as Error).name).toBe('PromptAudioError');
    const manifests = (await keysOf(store, snapshotsRoot('vault', instance.id))).filter((k) =>
      k.endsWith('/manifest.json'),
    );
    expect(manifests).toEqual([`${snapshotsRoot('vault', instance.id)}${first.snapshotId}/manifest.json`]);
    expect(await store.get(latestKey('vault', instance.id))).toEqual(latestBefore);
  });

  it('fails naming the prompt when GetPromptFile keeps failing', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance, 1);
    emulator!.faults.set([{ operation: 'GetPromptFile', kind: 'internal-error', fromCall: 1 }]);

    const error = await rejectionOf(runBackup(client, store, instance.id));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect(error.message).toMatch(
      /prompt "[^"]+" \([0-9a-f-]{36}\): its audio could not be read: GetPromptFile failed \(InternalServiceException: /,
    );
    expect((await keysOf(store, '')).filter((k) => k.endsWith('/manifest.json'))).toEqual([]);
  });

  it('fails on an unknown instance before writing anything', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance);

    const error = await rejectionOf(runBackup(client, store, '00000000-0000-4000-8000-000000000000'));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect(error.message).toBe(
      'Cannot back up instance 00000000-0000-4000-8000-000000000000: no such instance in this account and Region',
    );
    expect(await keysOf(store, '')).toEqual([]);
  });
});

describe('backupInstanceHandler', () => {
  it('rejects an invalid event before any Connect or S3 call, naming the problem', async () => {
    const { instance, store } = await setup();
    const client = emulatorClient(emulator!, instance);
    emulator!.resetStats();
    const event = {
      source: 'connect-vault',
      'detail-type': 'Backup Requested',
      detail: { instanceId: '', kinds: ['flows', 'telephony'] },
    };

    const error = await rejectionOf(
      backupInstanceHandler(event, {
        config: { prefix: 'vault' },
        connect: client.client,
        connectStats: client.stats,
        store,
        clock: { now: () => new Date() },
      }),
    );

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('detail.instanceId: Too small');
    expect(error.message).toContain('detail.kinds.1: Invalid option');
    expect(emulator!.stats().totals.calls).toBe(0);
    expect(await keysOf(store, '')).toEqual([]);
  });
});
