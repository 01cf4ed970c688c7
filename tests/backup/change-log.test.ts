/**
 * `changes.json`, the change log each backup writes beside its manifest: what was added, removed
 * and changed since the previous complete snapshot, by name, old → new; listed in the manifest (so
 * verify checks it), counted in the `ChangedResources` EMF metric, and read by `connect-vault
 * changes`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackupResult } from '#shared/backup/backup-instance.js';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { type ChangeLog, changeLogSchema } from '#shared/snapshot/changes.js';
import { diffSnapshots } from '#shared/snapshot/diff.js';
import {
  CHANGES_FILE,
  canonicalJson,
  type Manifest,
  sha256Hex,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import { readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { backupInstanceHandler } from '../../functions/backup-instance/handler.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';
import { backup, connectCall, DAY_MS, manifestOf, PREFIX, TestClock } from './incremental-support.js';
import { emulatorClient, silentLogger, type TempFolder, tempFolderStore } from './support.js';

let emulator: ConnectEmulator;
let instance: SeededInstance;
let folder: TempFolder;
let clock: TestClock;
let first: BackupResult;
let second: BackupResult;
const flow = { id: '', name: '', before: undefined as unknown };
const queue = { id: '', name: '', before: undefined as unknown };

/** The change log of a snapshot, as stored (and checked against the schema). */
async function changeLogOf(snapshotId: string): Promise<ChangeLog> {
  const bytes = await folder.store.get(snapshotObjectKey(PREFIX, instance.id, snapshotId, CHANGES_FILE));
  if (!bytes) throw new Error(`no ${CHANGES_FILE} in ${snapshotId}`);
  return changeLogSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  instance = emulator.instances.find((i) => i.alias === 'demo-target') ?? (undefined as never);
  folder = await tempFolderStore();
  clock = new TestClock(Date.parse('2026-11-28T02:00:00.000Z'));
  const client = emulatorClient(emulator, instance);
  first = await backup(client, folder.store, instance.id, clock);
  clock.advance(DAY_MS);

  const live = emulator.world.instances.get(instance.id);
  const someFlow = live?.flows.all().find((f) => f.entity.Type === 'CONTACT_FLOW');
  const someQueue = live?.queues.all().find((q) => q.entity.QueueArn?.includes('/queue/'));
  if (!someFlow || !someQueue) throw new Error('the demo-target seed has no flow or no queue');
  Object.assign(flow, { id: someFlow.id, name: someFlow.name, before: someFlow.entity.Description });
  Object.assign(queue, { id: someQueue.id, name: someQueue.name, before: someQueue.entity.Description });
  await connectCall(emulator, instance, 'UpdateContactFlowName', {
    ContactFlowId: flow.id,
    Description: 'Flow changed on the 29th',
  });
  await connectCall(emulator, instance, 'UpdateQueueName', {
    QueueId: queue.id,
    Description: 'Queue changed on the 29th',
  });
  second = await backup(client, folder.store, instance.id, clock);
  clock.advance(DAY_MS);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await folder?.remove();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('changes.json', () => {
  it('of the first snapshot says there is no previous one and counts every resource as added', async () => {
    const log = await changeLogOf(first.snapshotId);
    const manifest = await manifestOf(folder.store, instance.id, first.snapshotId);
    const namesOf = (kind: string) =>
      manifest.objects
        .filter((o) => o.kind === kind)
        .map((o) => o.name)
        .sort();
    const resources = Object.values(manifest.counts).reduce((a, b) => a + b, 0);

    expect(log.previous).toBeNull();
    expect(log.unavailable).toBeUndefined();
    expect(log.snapshotId).toBe(first.snapshotId);
    expect(log.instanceId).toBe(instance.id);
    // Every resource, and the two instance settings.
    expect(log.total).toEqual({ added: resources + 2, removed: 0, changed: 0 });
    expect(first.changedResources).toBe(resources + 2);
    for (const kind of KIND_NAMES.filter((k) => manifest.counts[k])) {
      expect(log.changes[kind], kind).toEqual({
        added: namesOf(kind),
        removed: [],
        changed: [],
        unchanged: 0,
      });
    }
    expect(log.changes.instance?.added).toEqual(['approved origins', 'attributes']);
  });

  it('names the changed flow and queue with their old and new values after an incremental backup', async () => {
    const log = await changeLogOf(second.snapshotId);

    // The second backup copied unchanged objects forward: this is the incremental case.
    expect(second.kinds.carriedForward).toEqual(expect.arrayContaining(['flows', 'queues']));
    expect(log.previous).toEqual({ snapshotId: first.snapshotId, finishedAt: expect.any(String) });
    expect(log.previous?.finishedAt).toBe(
      (await manifestOf(folder.store, instance.id, first.snapshotId)).finishedAt,
    );
    expect(log.total).toEqual({ added: 0, removed: 0, changed: 2 });
    expect(second.changedResources).toBe(2);
    const description = (before: unknown, after: string) => ({
      path: 'resource.Description',
      ...(before === undefined ? {} : { before }),
      after,
    });
    expect(log.changes.flows?.changed).toEqual([
      {
        name: flow.name,
        paths: ['resource.Description'],
        changes: [description(flow.before, 'Flow changed on the 29th')],
      },
    ]);
    expect(log.changes.queues?.changed).toEqual([
      {
        name: queue.name,
        paths: ['resource.Description'],
        changes: [description(queue.before, 'Queue changed on the 29th')],
      },
    ]);
    for (const [kind, diff] of Object.entries(log.changes)) {
      expect(diff.added, kind).toEqual([]);
      expect(diff.removed, kind).toEqual([]);
      if (kind !== 'flows' && kind !== 'queues') expect(diff.changed, kind).toEqual([]);
    }
  });

  it('holds exactly what connect-vault diff finds between the two snapshots', async () => {
    const log = await changeLogOf(second.snapshotId);
    const ref = (snapshotId: string) => ({
      store: folder.store,
      prefix: PREFIX,
      instanceId: instance.id,
      snapshotId,
    });

    const diff = await diffSnapshots(ref(first.snapshotId), ref(second.snapshotId));

    expect(log.changes).toEqual(diff.kinds);
  });

  it('is listed in the manifest with its SHA-256, and verify checks it', async () => {
    const manifest: Manifest = await manifestOf(folder.store, instance.id, second.snapshotId);
    const entry = manifest.objects.find((o) => o.key === CHANGES_FILE);
    const bytes = await folder.store.get(
      snapshotObjectKey(PREFIX, instance.id, second.snapshotId, CHANGES_FILE),
    );

    expect(entry).toMatchObject({
      kind: 'changes',
      id: instance.id,
      sha256: sha256Hex(bytes ?? new Uint8Array()),
    });
    expect(await verifySnapshot(folder.store, PREFIX, instance.id, second.snapshotId)).toMatchObject({
      ok: true,
      checked: manifest.objects.length,
      inconsistent: [],
    });
  });
});

describe('the ChangedResources metric', () => {
  it("appears in the EMF output with the instance as its dimension, counting the night's changes", async () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_DEV;
    const hours = emulator.world.instances.get(instance.id)?.hoursOfOperations.all()[0];
    await connectCall(emulator, instance, 'UpdateHoursOfOperation', {
      HoursOfOperationId: hours?.id,
      Description: 'Hours changed on the 30th',
    });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const client = emulatorClient(emulator, instance);

    const result = await backupInstanceHandler(
      { source: 'connect-vault', 'detail-type': 'Backup Requested', detail: { instanceId: instance.id } },
      {
        config: { prefix: PREFIX },
        connect: client.client,
        connectStats: client.stats,
        store: folder.store,
        clock,
        metrics: new Metrics({
          namespace: 'ConnectVault',
          serviceName: 'connect-vault',
          logger: silentLogger as never,
        }),
      },
    );
    vi.restoreAllMocks();

    const emf = lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"ChangedResources"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(result.changedResources).toBe(1);
    expect(
      (await changeLogOf(result.snapshotId)).changes['hours-of-operation']?.changed.map((c) => c.name),
    ).toEqual([hours?.name]);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      ChangedResources: 1,
      instanceId: instance.id,
      service: 'connect-vault',
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'ConnectVault',
            Dimensions: [['service', 'instanceId']],
            Metrics: [{ Name: 'ChangedResources', Unit: 'Count' }],
          },
        ],
      },
    });
  });
});

describe('connect-vault changes and verify with change logs', () => {
  const changes = (...args: string[]) =>
    runCli('changes', '--from', join(folder.root, PREFIX), '--instance-id', instance.id, ...args);
  const logPath = (snapshotId: string) =>
    join(folder.root, PREFIX, instance.id, 'snapshots', snapshotId, CHANGES_FILE);

  it('reads a night from its changes.json and says so', async () => {
    const result = await changes('--since', '2026-11-29', '--until', '2026-11-30');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `${second.snapshotId} (since ${first.snapshotId}): 2 change(s) (from its changes.json)`,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `queues:\\n  ~ ${queue.name}\\n      resource.Description: .* → "Queue changed on the 29th"`,
      ),
    );
  });

  it('compares the snapshots when there is no changes.json (an older snapshot) or --volatile asks for more', async () => {
    type Nights = { nights: Array<{ source: string; kinds: unknown }> };
    const window = ['--since', '2026-11-29', '--until', '2026-11-30', '--json'];
    const stored = JSON.parse((await changes(...window)).stdout) as Nights;
    const volatile = JSON.parse((await changes(...window, '--volatile')).stdout) as Nights;
    // The snapshot as a backup without change logs wrote it: no changes.json, none in the manifest.
    const manifestPath = join(
      folder.root,
      PREFIX,
      instance.id,
      'snapshots',
      second.snapshotId,
      'manifest.json',
    );
    const manifestText = await readFile(manifestPath, 'utf8');
    const logText = await readFile(logPath(second.snapshotId), 'utf8');
    const manifest = JSON.parse(manifestText) as Manifest;
    await writeFile(
      manifestPath,
      canonicalJson({ ...manifest, objects: manifest.objects.filter((o) => o.key !== CHANGES_FILE) }),
    );
    await rm(logPath(second.snapshotId));
    let older: Nights;
    try {
      older = JSON.parse((await changes(...window)).stdout) as Nights;
    } finally {
      await writeFile(manifestPath, manifestText);
      await writeFile(logPath(second.snapshotId), logText);
    }

    expect(stored.nights.map((n) => n.source)).toEqual(['changes.json']);
    expect(volatile.nights.map((n) => n.source)).toEqual(['computed']);
    expect(older.nights.map((n) => n.source)).toEqual(['computed']);
    expect(older.nights[0]?.kinds).toEqual(stored.nights[0]?.kinds);
  });

  it('fails verify, and changes, on a tampered changes.json', async () => {
    const path = logPath(second.snapshotId);
    const original = await readFile(path, 'utf8');
    const tampered = canonicalJson({ ...JSON.parse(original), total: { added: 0, removed: 0, changed: 0 } });
    await writeFile(path, tampered);
    try {
      const report = await verifySnapshot(folder.store, PREFIX, instance.id, second.snapshotId);
      const verify = await runCli(
        'verify',
        '--from',
        join(folder.root, PREFIX),
        '--instance-id',
        instance.id,
        '--snapshot',
        second.snapshotId,
      );
      const result = await changes('--since', '2026-11-29', '--until', '2026-11-30');

      expect(report.ok).toBe(false);
      expect(report.mismatched.map((m) => m.key)).toEqual([CHANGES_FILE]);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain(`changed    ${CHANGES_FILE}`);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `${CHANGES_FILE} of snapshot ${second.snapshotId} no longer matches its SHA-256`,
      );
    } finally {
      await writeFile(path, original);
    }
  });
});

describe('the change log of a night with one change', () => {
  it('reads only the changed document, once in each snapshot', async () => {
    clock.advance(DAY_MS);
    const before = (await manifestOf(folder.store, instance.id, second.snapshotId)).objects;
    await connectCall(emulator, instance, 'UpdateQueueName', { QueueId: queue.id, Description: 'Once more' });
    const reads: string[] = [];
    const latest = (await readLatestPointer(folder.store, PREFIX, instance.id))?.snapshotId;

    const result = await backup(
      emulatorClient(emulator, instance),
      recordingReads(reads),
      instance.id,
      clock,
      {
        report: false,
      },
    );

    const queueKey = before.find((o) => o.kind === 'queues' && o.id === queue.id)?.key ?? '';
    expect(result.changedResources).toBe(1);
    expect(result.report).toBeUndefined();
    expect(snapshotReads(reads).sort()).toEqual(
      [`${latest}/${queueKey}`, `${result.snapshotId}/${queueKey}`].sort(),
    );
  });

  it('makes the HTML report from the change log: the previous snapshot is not read again', async () => {
    clock.advance(DAY_MS);
    await connectCall(emulator, instance, 'UpdateContactFlowName', {
      ContactFlowId: flow.id,
      Description: 'Reported',
    });
    const reads: string[] = [];
    const latest = (await readLatestPointer(folder.store, PREFIX, instance.id))?.snapshotId;

    const result = await backup(
      emulatorClient(emulator, instance),
      recordingReads(reads),
      instance.id,
      clock,
    );

    const flowKey = (await manifestOf(folder.store, instance.id, result.snapshotId)).objects.find(
      (o) => o.kind === 'flows' && o.id === flow.id,
    )?.key;
    const html = await readFile(
      join(folder.root, PREFIX, instance.id, 'snapshots', result.snapshotId, 'report.html'),
      'utf8',
    );
    expect(result.report).toEqual({
      key: `${PREFIX}/${instance.id}/snapshots/${result.snapshotId}/report.html`,
    });
    expect(snapshotReads(reads).filter((key) => key.startsWith(`${latest}/`))).toEqual([
      `${latest}/${flowKey}`,
    ]);
    expect(html).toContain(latest);
    expect(html).toContain('Reported');
    expect((await verifySnapshot(folder.store, PREFIX, instance.id, result.snapshotId)).report).toBe(true);
  });
});

/** The store of the suite, recording the key of every `get` into `reads`. */
function recordingReads(reads: string[]): typeof folder.store {
  return new Proxy(folder.store, {
    get(target, property) {
      if (property === 'get')
        return (key: string, options?: object) => {
          reads.push(key);
          return target.get(key, options);
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The snapshot objects among `reads`, as `<snapshotId>/<object key>`, manifests and checkpoints left out. */
function snapshotReads(reads: readonly string[]): string[] {
  return reads
    .filter((key) => key.includes('/snapshots/'))
    .map((key) => key.slice(key.indexOf('/snapshots/') + '/snapshots/'.length))
    .filter((key) => !/\/(manifest\.json|checkpoints\/.*)$/.test(key));
}

describe('the change log of a partial backup', () => {
  it('compares only its kinds with the latest complete snapshot', async () => {
    clock.advance(DAY_MS);
    await connectCall(emulator, instance, 'UpdateQueueName', {
      QueueId: queue.id,
      Description: 'Partial night',
    });
    await connectCall(emulator, instance, 'UpdateContactFlowName', {
      ContactFlowId: flow.id,
      Description: 'Not in it',
    });
    const latest = await readLatestPointer(folder.store, PREFIX, instance.id);

    const result = await backup(emulatorClient(emulator, instance), folder.store, instance.id, clock, {
      kinds: ['queues'],
    });

    const log = await changeLogOf(result.snapshotId);
    expect(result.partial).toBe(true);
    expect(log.kinds).toEqual(['queues']);
    expect(log.previous?.snapshotId).toBe(latest?.snapshotId);
    expect(Object.keys(log.changes)).toEqual(['queues']);
    expect(log.changes.queues?.changed.map((c) => c.changes)).toEqual([
      [{ path: 'resource.Description', before: 'Once more', after: 'Partial night' }],
    ]);
  });
});
