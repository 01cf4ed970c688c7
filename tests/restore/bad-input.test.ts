/**
 * Bad input fails before any write, with a message naming the problem: a malformed request or
 * mapping, an unknown snapshot or instance, an object whose SHA-256 no longer matches the manifest,
 * a snapshot of a newer format version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestoreInputError } from '#shared/restore/errors.js';
import { parseMapping } from '#shared/restore/request.js';
import {
  canonicalJson,
  type Manifest,
  manifestKey,
  newSnapshotId,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
import { backupOf, emulatorClient, restoreEmulatorOptions, runRestore, tempFolderStore } from './support.js';

const PREFIX = 'vault';
let emulator: ConnectEmulator;
let folder: Awaited<ReturnType<typeof tempFolderStore>>;
let instanceId: string;
let intact: string;
let tampered: string;

async function restoreError(request: unknown): Promise<RestoreInputError> {
  const client = emulatorClient(emulator, emulator.instances[0]!);
  const error = await rejectionOf(
    runRestore(request as Parameters<typeof runRestore>[0], {
      source: folder.store,
      targetConnect: client.client,
    }),
  );
  expect(error).toBeInstanceOf(RestoreInputError);
  return error as unknown as RestoreInputError;
}

function request(overrides: { snapshot?: string; target?: string; instanceId?: string } = {}) {
  return {
    source: {
      folder: folder.root,
      prefix: PREFIX,
      instanceId: overrides.instanceId ?? instanceId,
      snapshot: overrides.snapshot ?? intact,
    },
    target: { instanceId: overrides.target ?? instanceId },
    mode: 'overwrite',
  };
}

function connectCalls(): { all: number; mutating: number } {
  const operations = Object.entries(emulator.stats().operations);
  return {
    all: operations.reduce((n, [, s]) => n + s.calls, 0),
    mutating: operations.filter(([op]) => isMutating(op)).reduce((n, [, s]) => n + s.calls, 0),
  };
}

async function readManifest(snapshotId: string): Promise<Manifest> {
  const bytes = await folder.store.get(manifestKey(PREFIX, instanceId, snapshotId));
  return JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
}

beforeAll(async () => {
  emulator = await startConnectEmulator(restoreEmulatorOptions({ seed: 'new-instance' }));
  folder = await tempFolderStore();
  const instance = emulator.instances[0]!;
  instanceId = instance.id;
  intact = await backupOf(emulator, instance, folder.store, PREFIX);
  tampered = await backupOf(emulator, instance, folder.store, PREFIX);
  const manifest = await readManifest(tampered);
  const queue = manifest.objects.find((o) => o.kind === 'queues');
  if (!queue) throw new Error('no queue in the snapshot');
  const key = snapshotObjectKey(PREFIX, instanceId, tampered, queue.key);
  const text = new TextDecoder().decode(await folder.store.get(key));
  await folder.store.put(
    key,
    text.replace('"MaxContacts"', '"MaxContactz"').replace('BasicQueue', 'BasicQueue2'),
    'application/json',
  );
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await folder?.remove();
});

describe('restore input checks', () => {
  it('rejects a malformed request, naming every bad member, before any Connect call', async () => {
    emulator.resetStats();

    const error = await restoreError({
      source: { bucket: 'my-backups', folder: '/tmp/x', instanceId: '', snapshot: 'yesterday' },
      mode: 'replace',
      dryRun: 'yes',
      extra: true,
    });

    expect(error.problem).toBe('invalid-request');
    expect(error.message).toContain('source.instanceId');
    expect(error.message).toContain('source.snapshot: must be latest or a snapshot id');
    expect(error.message).toContain('source: give exactly one of bucket (with prefix) or folder');
    expect(error.message).toContain('mode');
    expect(error.message).toContain('dryRun');
    expect(error.message).toContain('extra');
    expect(connectCalls().all).toBe(0);
  });

  it('rejects a mapping entry that is not what it should be, naming the entry', () => {
    const error = (() => {
      try {
        parseMapping({
          accounts: { '111122223333': '4444' },
          regions: { 'us-east-1': 'Frankfurt' },
          arns: { x: 'y' },
        });
      } catch (e) {
        return e as RestoreInputError;
      }
      throw new Error('expected parseMapping to throw');
    })();

    expect(error.problem).toBe('invalid-mapping');
    expect(error.message).toContain(
      'accounts.111122223333: "4444" (the value of "111122223333") is not a 12-digit account id',
    );
    expect(error.message).toContain('regions.us-east-1: "Frankfurt"');
    expect(error.message).toContain('arns.x: "x" is not an ARN');
  });

  it('rejects an unknown snapshot id, and an instance with no snapshot, before any Connect call', async () => {
    emulator.resetStats();
    const missing = newSnapshotId(new Date('2020-01-01T00:00:00Z'));

    const unknownSnapshot = await restoreError(request({ snapshot: missing }));
    const unknownInstance = await restoreError(
      request({ snapshot: 'latest', instanceId: '00000000-0000-4000-8000-000000000000' }),
    );

    expect(unknownSnapshot.problem).toBe('unknown-snapshot');
    expect(unknownSnapshot.message).toContain(`snapshot ${missing} has no manifest`);
    expect(unknownInstance.problem).toBe('unknown-snapshot');
    expect(unknownInstance.message).toContain(
      'No complete snapshot of instance 00000000-0000-4000-8000-000000000000',
    );
    expect(connectCalls().all).toBe(0);
  });

  it('rejects an unknown target instance with no write', async () => {
    emulator.resetStats();

    const error = await restoreError(request({ target: '00000000-0000-4000-8000-000000000000' }));

    expect(error.problem).toBe('unknown-instance');
    expect(error.message).toContain('Target instance 00000000-0000-4000-8000-000000000000 does not exist');
    expect(connectCalls()).toEqual({ all: 1, mutating: 0 });
  });

  it('rejects a snapshot one of whose objects no longer matches its SHA-256, before any Connect call', async () => {
    emulator.resetStats();

    const error = await restoreError(request({ snapshot: tampered }));

    expect(error.problem).toBe('integrity');
    expect(error.message).toMatch(
      /^Snapshot object queues\/BasicQueue--[0-9a-f]{8}\.json no longer matches the manifest/,
    );
    expect(connectCalls().all).toBe(0);
  });

  it('rejects a snapshot of a newer format version, before any Connect call', async () => {
    const future = newSnapshotId(new Date('2030-01-01T00:00:00Z'));
    const manifest = { ...(await readManifest(intact)), snapshotId: future, formatVersion: 2 };
    await folder.store.put(
      manifestKey(PREFIX, instanceId, future),
      canonicalJson(manifest),
      'application/json',
    );
    emulator.resetStats();

    const error = await restoreError(request({ snapshot: future }));

    expect(error.problem).toBe('newer-format');
    expect(error.message).toContain('has format version 2; this connect-vault reads up to version 1');
    expect(connectCalls().all).toBe(0);
  });
});
