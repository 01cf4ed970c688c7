/**
 * Bad input fails before any write, with a message naming the problem: a malformed request or
 * mapping, an unknown snapshot or instance, an object whose SHA-256 no longer matches the manifest,
 * a manifest that verify rejects, a snapshot of a newer format version, a target ARN of another
 * account or Region, unsafe or invalid strings, and filters that are empty or match nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NothingToRestoreError, RestoreInputError } from '#shared/restore/errors.js';
import { parseMapping } from '#shared/restore/request.js';
import {
  canonicalJson,
  type Manifest,
  manifestKey,
  newSnapshotId,
  sha256Hex,
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

async function restoreFailure(request: unknown): Promise<Error> {
  const client = emulatorClient(emulator, emulator.instances[0]!);
  return rejectionOf(
    runRestore(request as Parameters<typeof runRestore>[0], {
      source: folder.store,
      targetConnect: client.client,
    }),
  );
}

async function restoreError(request: unknown): Promise<RestoreInputError> {
  const error = await restoreFailure(request);
  expect(error).toBeInstanceOf(RestoreInputError);
  return error as unknown as RestoreInputError;
}

let copies = 0;

/**
 * Copies the intact snapshot to a new snapshot id with an edited manifest (and extra objects in its
 * folder, their SHA-256 and size listed only if the edit lists them): a snapshot someone changed.
 * @returns the new snapshot id.
 */
async function editedCopy(
  edit: (
    manifest: Manifest,
    put: (key: string, body: string) => Promise<Manifest['objects'][number]>,
  ) => Manifest | Promise<Manifest>,
): Promise<string> {
  copies += 1;
  const id = newSnapshotId(new Date(Date.UTC(2031, 0, 1, 0, 0, copies)));
  const manifest = await readManifest(intact);
  for (const object of manifest.objects) {
    const bytes = await folder.store.get(snapshotObjectKey(PREFIX, instanceId, intact, object.key));
    if (!bytes) throw new Error(`no ${object.key}`);
    await folder.store.put(snapshotObjectKey(PREFIX, instanceId, id, object.key), bytes, 'application/json');
  }
  const put = async (key: string, body: string) => {
    await folder.store.put(snapshotObjectKey(PREFIX, instanceId, id, key), body, 'application/json');
    return { kind: '', id: '', name: '', key, sha256: sha256Hex(body), bytes: Buffer.byteLength(body) };
  };
  const edited = await edit({ ...manifest, snapshotId: id }, put);
  await folder.store.put(manifestKey(PREFIX, instanceId, id), canonicalJson(edited), 'application/json');
  return id;
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

  it('refuses a manifest that verify rejects, before any Connect call: an entry removed, one injected, an unknown kind, no objects', async () => {
    const queues = (await readManifest(intact)).objects.filter((o) => o.kind === 'queues');
    const [first] = queues;
    if (!first) throw new Error('no queue in the snapshot');
    const removed = await editedCopy((m) => ({
      ...m,
      objects: m.objects.filter((o) => o.key !== first.key),
    }));
    const injected = await editedCopy(async (m, put) => {
      const body = new TextDecoder()
        .decode(await folder.store.get(snapshotObjectKey(PREFIX, instanceId, intact, first.key)))
        .replaceAll(first.id, '11111111-2222-4333-8444-555555555555');
      const entry = await put('queues/Injected--00000000.json', body);
      return {
        ...m,
        objects: [
          ...m.objects,
          { ...entry, kind: 'queues', id: '11111111-2222-4333-8444-555555555555', name: 'Injected' },
        ],
      };
    });
    const unknownKind = await editedCopy(async (m, put) => {
      const entry = await put('traffic-distribution-groups/Main--00000000.json', '{}\n');
      return {
        ...m,
        objects: [...m.objects, { ...entry, kind: 'traffic-distribution-groups', id: 'p-1', name: 'Main' }],
      };
    });
    const empty = await editedCopy((m) => ({ ...m, objects: [] }));
    emulator.resetStats();

    const errors = {
      removed: await restoreError(request({ snapshot: removed })),
      injected: await restoreError(request({ snapshot: injected })),
      unknownKind: await restoreError(request({ snapshot: unknownKind })),
      empty: await restoreError(request({ snapshot: empty })),
    };

    for (const error of Object.values(errors)) expect(error.problem).toBe('integrity');
    expect(errors.removed.message).toContain(
      `Snapshot object ${first.key} is in the snapshot folder but not in the manifest; Manifest: the manifest's counts say ${queues.length} queues but it lists ${queues.length - 1}.`,
    );
    expect(errors.injected.message).toContain(
      `Manifest: the manifest's counts say ${queues.length} queues but it lists ${queues.length + 1}.`,
    );
    expect(errors.unknownKind.message).toContain(
      'Manifest: entries of an unknown kind: traffic-distribution-groups/Main--00000000.json (kind "traffic-distribution-groups").',
    );
    expect(errors.empty.message).toContain(
      'Manifest: the manifest lists no objects (every snapshot holds at least instance.json)',
    );
    expect(errors.empty.message).toContain(`fails verification (connect-vault verify shows the same)`);
    expect(connectCalls().all).toBe(0);
  });

  it('refuses unsafe or invalid strings in the request with RestoreInputError naming the member, before any Connect call', async () => {
    emulator.resetStats();
    const base = request();
    const withSource = (source: Record<string, unknown>) => ({
      ...base,
      source: { ...base.source, ...source },
    });

    const cases = [
      [
        withSource({ instanceId: '../../etc' }),
        "source.instanceId: instance id must not contain '/' or '\\'",
      ],
      [withSource({ instanceId: '..' }), "source.instanceId: instance id must not be '.' or '..'"],
      [
        withSource({ instanceId: 'abc\u0000' }),
        'source.instanceId: instance id must not contain control characters',
      ],
      [withSource({ prefix: 'vault/../other' }), "source.prefix: prefix segment must not be '.' or '..'"],
      [
        withSource({ prefix: 'vault\u001b[2J' }),
        'source.prefix: prefix segment must not contain control characters',
      ],
      [withSource({ instanceId: `${instanceId}\ud800` }), 'source.instanceId: holds a lone surrogate'],
      [{ ...base, filters: { names: ['Basic\udc00*'] } }, 'filters.names.0: holds a lone surrogate'],
      [
        { ...base, filters: { names: ['*'.repeat(100_000)] } },
        'filters.names.0: a name glob has at most 1024 characters',
      ],
      [{ ...base, filters: { names: [''] } }, 'filters.names.0: must not be empty or blank'],
      [{ ...base, filters: { names: [] } }, 'filters.names: give at least one name glob'],
      [{ ...base, filters: { kinds: [] } }, 'filters.kinds: name at least one kind'],
      [
        { ...base, target: { instanceId: 'arn:aws:connect:us-east-1:111122223333:instance/../x' } },
        'target.instanceId:',
      ],
      [
        { ...base, mappings: { names: { queues: { 'Queue\ud800': 'Q' } } } },
        'mappings.names.queues."Queue\\ud800": Invalid key in record: holds a lone surrogate',
      ],
    ] as const;

    for (const [input, message] of cases) {
      const error = await restoreError(input);
      expect(error.problem).toBe('invalid-request');
      expect(error.message).toContain(message);
    }
    expect(connectCalls().all).toBe(0);
  });

  it('refuses a target instance ARN of another account or Region, with no write', async () => {
    emulator.resetStats();
    const instance = emulator.instances[0]!;

    const otherAccount = await restoreError(
      request({ target: `arn:aws:connect:${instance.region}:999988887777:instance/${instanceId}` }),
    );
    const otherRegion = await restoreError(
      request({ target: `arn:aws:connect:ap-south-1:${instance.accountId}:instance/${instanceId}` }),
    );
    const otherPartition = await restoreError(
      request({
        target: `arn:aws-cn:connect:${instance.region}:${instance.accountId}:instance/${instanceId}`,
      }),
    );
    const ownArn = `arn:aws:connect:${instance.region}:${instance.accountId}:instance/${instanceId}`;
    const itself = await runRestore(
      { ...request({ target: ownArn }), dryRun: true } as Parameters<typeof runRestore>[0],
      { source: folder.store, targetConnect: emulatorClient(emulator, instance).client },
    );

    expect(otherAccount.problem).toBe('unknown-instance');
    expect(otherAccount.message).toContain(
      `names account 999988887777, not ${instance.accountId}: the target credentials and Region reach arn:aws:connect:${instance.region}:${instance.accountId}:instance/${instanceId}`,
    );
    expect(otherRegion.problem).toBe('unknown-instance');
    expect(otherRegion.message).toContain(`names Region ap-south-1, not ${instance.region}`);
    expect(otherPartition.problem).toBe('unknown-instance');
    expect(otherPartition.message).toContain('names partition aws-cn, not aws:');
    // The instance's own ARN is accepted.
    expect(itself.status).toBe('planned');
    expect(itself.target.arn).toBe(ownArn);
    expect(connectCalls().mutating).toBe(0);
  });

  it('fails with NothingToRestoreError, writing nothing, when the filters match no resource of the snapshot', async () => {
    emulator.resetStats();

    const error = await restoreFailure({
      ...request(),
      filters: { kinds: ['queues'], names: ['No such queue*'] },
    });

    expect(error).toBeInstanceOf(NothingToRestoreError);
    expect(error.message).toBe(
      `Nothing to restore: the filters (kinds queues; names "No such queue*") match no resource of snapshot ${intact}; nothing was written`,
    );
    expect(connectCalls().mutating).toBe(0);
  });
});
