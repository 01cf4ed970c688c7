import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSnapshotStore } from '#shared/snapshot/folder-store.js';
import {
  canonicalJson,
  latestKey,
  type Manifest,
  manifestKey,
  sha256Hex,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import {
  listSnapshots,
  manifestInconsistencies,
  readLatestPointer,
  readVerifiedManifest,
  SnapshotIntegrityError,
  verifyProblems,
  verifySnapshot,
} from '#shared/snapshot/verify.js';
import { INSTANCE_ID, sampleManifest, useS3rver, useTempFolders, writeSnapshot } from './fixtures.js';

const PREFIX = 'backups';
const START = new Date('2026-11-22T02:00:07.123Z');
const s3 = useS3rver();
const tempFolder = useTempFolders('connect-vault-verify-');

async function folderStore(): Promise<FolderSnapshotStore> {
  return new FolderSnapshotStore(await tempFolder());
}

/** Catches the error a promise rejects with. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('verifySnapshot', () => {
  it('passes a complete, untouched snapshot in S3', async () => {
    const store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket, prefix: 'verify-ok' });
    const manifest = await writeSnapshot(store, PREFIX, START);

    const report = await verifySnapshot(store, PREFIX, INSTANCE_ID, manifest.snapshotId);

    expect(report).toEqual({
      ok: true,
      snapshotId: '2026-11-22T02-00-07.123Z',
      location: `s3://vault-test/verify-ok/backups/${INSTANCE_ID}/snapshots/2026-11-22T02-00-07.123Z/`,
      checked: 5,
      missing: [],
      mismatched: [],
      unexpected: [],
      report: false,
      inconsistent: [],
    });
  });

  it('reports a tampered object, a missing object and an unexpected one', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const [, tampered, removed] = manifest.objects;
    if (tampered === undefined || removed === undefined) throw new Error('fixture has too few objects');
    const tamperedBody = canonicalJson({ Name: 'Sales Queue', QueueId: 'q-1', Evil: true });
    await store.put(
      snapshotObjectKey(PREFIX, INSTANCE_ID, manifest.snapshotId, tampered.key),
      tamperedBody,
      'x',
    );
    const removedPath = join(
      store.describe(),
      snapshotObjectKey(PREFIX, INSTANCE_ID, manifest.snapshotId, removed.key),
    );
    await rm(removedPath);
    await store.put(
      snapshotObjectKey(PREFIX, INSTANCE_ID, manifest.snapshotId, 'queues/extra.json'),
      '{}\n',
      'x',
    );

    const report = await verifySnapshot(store, PREFIX, INSTANCE_ID, manifest.snapshotId, { concurrency: 2 });

    expect(report.ok).toBe(false);
    expect(report.checked).toBe(5);
    expect(report.missing).toEqual([removed.key]);
    expect(report.mismatched).toEqual([
      {
        key: tampered.key,
        expectedSha256: tampered.sha256,
        actualSha256: sha256Hex(tamperedBody),
        expectedBytes: tampered.bytes,
        actualBytes: new TextEncoder().encode(tamperedBody).length,
      },
    ]);
    expect(report.unexpected).toEqual(['queues/extra.json']);
  });

  it('reports a manifest entry removed while its object stays: unexpected, and the counts disagree', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const removed = manifest.objects.find((o) => o.kind === 'queues');
    if (!removed) throw new Error('fixture has no queue');
    const edited: Manifest = { ...manifest, objects: manifest.objects.filter((o) => o !== removed) };
    await store.put(manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId), canonicalJson(edited), 'x');

    const report = await verifySnapshot(store, PREFIX, INSTANCE_ID, manifest.snapshotId);

    expect(report).toMatchObject({
      ok: false,
      checked: 4,
      missing: [],
      mismatched: [],
      unexpected: [removed.key],
      inconsistent: ["the manifest's counts say 2 queues but it lists 1"],
    });
    expect(verifyProblems(report)).toEqual([
      `Snapshot object ${removed.key} is in the snapshot folder but not in the manifest`,
      "Manifest: the manifest's counts say 2 queues but it lists 1",
    ]);
  });

  it('reports a manifest with no objects: everything unexpected, no instance.json, counts that disagree', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const emptied: Manifest = { ...manifest, objects: [] };
    await store.put(manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId), canonicalJson(emptied), 'x');

    const report = await verifySnapshot(store, PREFIX, INSTANCE_ID, manifest.snapshotId);

    expect(report.ok).toBe(false);
    expect(report.checked).toBe(0);
    expect(report.unexpected).toEqual(manifest.objects.map((o) => o.key).sort());
    expect(report.inconsistent).toEqual([
      'the manifest lists no objects (every snapshot holds at least instance.json)',
      "the manifest's counts say 1 flows but it lists 0",
      "the manifest's counts say 2 queues but it lists 0",
    ]);
  });

  it('throws SnapshotIntegrityError when the snapshot has no manifest', async () => {
    const store = await folderStore();

    const error = await rejectionOf(verifySnapshot(store, PREFIX, INSTANCE_ID, '2026-11-22T02-00-07.123Z'));

    expect(error).toBeInstanceOf(SnapshotIntegrityError);
    expect(error).toMatchObject({ problem: 'missing', name: 'SnapshotIntegrityError' });
  });
});

describe('manifestInconsistencies', () => {
  const manifest = (): Manifest => {
    const m = sampleManifest();
    const instance = {
      kind: 'instance',
      id: m.instance.id,
      arn: m.instance.arn,
      name: 'acme',
      key: 'instance.json',
      sha256: sha256Hex('{}\n'),
      bytes: 3,
    };
    return { ...m, objects: [instance, ...m.objects] };
  };

  it('finds nothing in a manifest as a backup writes it', () => {
    expect(manifestInconsistencies(manifest())).toEqual([]);
  });

  it('names an entry of an unknown kind, counts of an unknown kind, and an entry outside its folder', () => {
    const m = manifest();
    const queue = m.objects[1];
    if (!queue) throw new Error('no queue');
    m.objects.push({
      ...queue,
      kind: 'traffic-distribution-groups',
      id: 'p-1',
      key: 'traffic-distribution-groups/p--1.json',
    });
    m.objects.push({ ...queue, kind: 'flows', id: 'f-9', key: 'queues/Moved--1.json' });
    m.counts = { queues: 1, flows: 1, 'traffic-distribution-groups': 1 };

    expect(manifestInconsistencies(m)).toEqual([
      'entries of an unknown kind: traffic-distribution-groups/p--1.json (kind "traffic-distribution-groups")',
      "entries outside their kind's folder: queues/Moved--1.json (kind flows)",
      'counts of an unknown kind: traffic-distribution-groups',
    ]);
  });

  it('names an extra entry the counts do not list, a kind left out of the counts, and a resource listed twice', () => {
    const m = manifest();
    const queue = m.objects[1];
    if (!queue) throw new Error('no queue');
    m.objects.push({ ...queue, id: 'q-2', key: 'queues/Injected--2.json' });
    m.objects.push({ ...queue, key: 'queues/Sales-again--1.json' });
    m.objects.push({ ...queue, kind: 'prompts', id: 'pr-1', key: 'prompts/Hello--1.json' });

    expect(manifestInconsistencies(m)).toEqual([
      'resources listed more than once: queues q-1',
      'the manifest lists 1 prompts but its counts do not name prompts',
      "the manifest's counts say 1 queues but it lists 3",
    ]);
  });

  it('names a missing or wrong instance entry, and a raw flow of no listed resource', () => {
    const noInstance = sampleManifest();
    const wrongInstance = manifest();
    const instance = wrongInstance.objects[0];
    if (!instance) throw new Error('no instance entry');
    wrongInstance.objects[0] = { ...instance, id: 'another' };
    wrongInstance.objects.push({ ...instance, kind: 'flows-raw', id: 'f-1', key: 'flows-raw/Main--1.json' });

    expect(manifestInconsistencies(noInstance)).toEqual(['the manifest lists no instance.json']);
    expect(manifestInconsistencies(wrongInstance)).toEqual([
      'the instance entry instance.json (id another) is not instance.json of instance inst-1',
      'raw flows of no listed resource: flows-raw/Main--1.json',
    ]);
  });

  it('names audio of no listed prompt, audio listed twice for one prompt, and audio without a content type', () => {
    const m = manifest();
    const instance = m.objects[0];
    if (!instance) throw new Error('no instance entry');
    const audio = { ...instance, kind: 'prompts-audio', contentType: 'audio/wav' };
    m.objects.push({ ...instance, kind: 'prompts', id: 'pr-1', key: 'prompts/Hello--1.json' });
    m.counts.prompts = 1;
    m.objects.push({ ...audio, id: 'pr-1', key: 'prompts-audio/Hello--1.wav' });
    m.objects.push({ ...audio, id: 'pr-1', key: 'prompts-audio/Hello-again--1.wav' });
    m.objects.push({ ...audio, id: 'pr-2', key: 'prompts-audio/Gone--2.wav' });
    const { contentType: _none, ...untyped } = audio;
    m.objects.push({ ...untyped, id: 'pr-3', key: 'prompts-audio/Untyped--3.wav' });

    expect(manifestInconsistencies(m)).toEqual([
      'prompt audio of no listed resource: prompts-audio/Gone--2.wav, prompts-audio/Untyped--3.wav',
      'prompt audio listed more than once for one resource: prompts-audio/Hello-again--1.wav',
      'prompt audio without a content type: prompts-audio/Untyped--3.wav',
    ]);
  });
});

describe('readVerifiedManifest', () => {
  it('returns the manifest as written', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);

    const read = await readVerifiedManifest(store, PREFIX, INSTANCE_ID, manifest.snapshotId);

    expect(read).toEqual(manifest);
  });

  it('refuses a manifest of a newer format version, naming both versions', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const key = manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId);
    await store.put(key, canonicalJson({ ...manifest, formatVersion: 2, newField: [] }), 'application/json');

    const error = await rejectionOf(readVerifiedManifest(store, PREFIX, INSTANCE_ID, manifest.snapshotId));

    expect(error).toBeInstanceOf(SnapshotIntegrityError);
    expect(error).toMatchObject({ problem: 'newer-format', key });
    expect((error as Error).message).toMatch(/format version 2.*up to version 1/);
  });

  it('refuses a manifest that is not JSON, keeping the parser error as cause', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    await store.put(
      manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId),
      '{"formatVersion":',
      'application/json',
    );

    const error = await rejectionOf(readVerifiedManifest(store, PREFIX, INSTANCE_ID, manifest.snapshotId));

    expect(error).toMatchObject({ problem: 'invalid-json' });
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses a manifest that fails the schema, naming the member', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const broken = structuredClone(manifest) as unknown as { objects: Array<{ sha256: string }> };
    (broken.objects[1] as { sha256: string }).sha256 = 'not-a-hash';
    await store.put(
      manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId),
      canonicalJson(broken),
      'application/json',
    );

    const error = await rejectionOf(readVerifiedManifest(store, PREFIX, INSTANCE_ID, manifest.snapshotId));

    expect(error).toMatchObject({ problem: 'invalid-schema' });
    expect((error as Error).message).toContain('objects[1].sha256');
    expect((error as Error).cause).toBeDefined();
  });

  it('refuses a manifest copied from another snapshot folder', async () => {
    const store = await folderStore();
    const manifest = await writeSnapshot(store, PREFIX, START);
    const other = '2026-11-23T02-00-07.123Z';
    await store.copy(
      manifestKey(PREFIX, INSTANCE_ID, manifest.snapshotId),
      manifestKey(PREFIX, INSTANCE_ID, other),
    );

    const error = await rejectionOf(readVerifiedManifest(store, PREFIX, INSTANCE_ID, other));

    expect(error).toMatchObject({ problem: 'wrong-snapshot' });
  });
});

describe('readLatestPointer', () => {
  it('reads the pointer to the newest snapshot, or undefined before the first one', async () => {
    const store = await folderStore();
    const before = await readLatestPointer(store, PREFIX, INSTANCE_ID);
    const manifest = await writeSnapshot(store, PREFIX, START);

    const after = await readLatestPointer(store, PREFIX, INSTANCE_ID);

    expect(before).toBeUndefined();
    expect(after).toEqual({
      formatVersion: 1,
      snapshotId: manifest.snapshotId,
      manifestKey: `snapshots/${manifest.snapshotId}/manifest.json`,
      finishedAt: manifest.finishedAt,
    });
  });

  it('refuses a pointer of a newer format version', async () => {
    const store = await folderStore();
    await store.put(latestKey(PREFIX, INSTANCE_ID), '{"formatVersion": 7}', 'application/json');

    const error = await rejectionOf(readLatestPointer(store, PREFIX, INSTANCE_ID));

    expect(error).toMatchObject({ problem: 'newer-format' });
  });
});

describe('listSnapshots', () => {
  it('lists complete snapshots newest first and the unfinished and broken ones apart', async () => {
    const store = new S3SnapshotStore({
      client: s3.client(),
      bucket: s3.bucket,
      prefix: 'list',
      listPageSize: 2,
    });
    const older = await writeSnapshot(store, PREFIX, new Date('2026-11-20T02:00:00.000Z'));
    const newer = await writeSnapshot(store, PREFIX, new Date('2026-11-22T02:00:00.000Z'));
    const sameSecond = await writeSnapshot(store, PREFIX, new Date('2026-11-22T02:00:00.500Z'));
    const unfinished = '2026-11-23T02-00-00.000Z';
    await store.put(
      snapshotObjectKey(PREFIX, INSTANCE_ID, unfinished, 'instance.json'),
      '{}\n',
      'application/json',
    );
    const broken = '2026-11-19T02-00-00.000Z';
    await store.put(manifestKey(PREFIX, INSTANCE_ID, broken), '{"formatVersion": 1}', 'application/json');
    await store.put(`${PREFIX}/${INSTANCE_ID}/snapshots/not-a-snapshot/x.json`, '{}\n', 'application/json');

    const listing = await listSnapshots(store, PREFIX, INSTANCE_ID);

    expect(listing.snapshots).toEqual(
      [sameSecond, newer, older].map((manifest) => ({
        snapshotId: manifest.snapshotId,
        startedAt: manifest.startedAt,
        finishedAt: manifest.finishedAt,
        objects: 5,
        counts: { queues: 2, flows: 1 },
        type: 'full',
        warnings: [],
      })),
    );
    expect(listing.incomplete).toEqual([unfinished]);
    expect(listing.invalid).toEqual([
      { snapshotId: broken, problem: 'invalid-schema', message: expect.stringContaining('manifest.json') },
    ]);
  });

  it('returns empty lists for an instance with no snapshots', async () => {
    const store = await folderStore();

    expect(await listSnapshots(store, PREFIX, INSTANCE_ID)).toEqual({
      snapshots: [],
      incomplete: [],
      invalid: [],
    });
  });
});
