import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  canonicalJson,
  INSTANCE_KIND,
  instanceDocumentKey,
  latestKey,
  latestPointerFor,
  type Manifest,
  type ManifestObject,
  manifestKey,
  newSnapshotId,
  objectName,
  rawFlowObjectKey,
  resourceObjectKey,
  sha256Hex,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

export const INSTANCE_ID = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const ARN = `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE_ID}`;

/** A valid manifest of one object, for the schema tests. */
export function sampleManifest(): Manifest {
  return {
    formatVersion: 1,
    snapshotId: '2026-11-22T02-00-07.123Z',
    instance: { id: 'inst-1', arn: ARN, alias: 'acme', region: 'eu-west-2', accountId: '123456789012' },
    startedAt: '2026-11-22T02:00:07.123Z',
    finishedAt: '2026-11-22T02:03:00.000Z',
    objects: [
      {
        kind: 'queues',
        id: 'q-1',
        arn: `${ARN}/queue/q-1`,
        name: 'Sales',
        key: 'queues/Sales--abcdef12.json',
        sha256: sha256Hex('{}\n'),
        bytes: 3,
      },
    ],
    counts: { queues: 1 },
    apiCalls: { SearchQueues: 1 },
    throttles: { count: 0, byOperation: {} },
    warnings: ['plain', { kind: 'users', id: 'u-1', message: 'no e-mail' }],
    kinds: { read: ['queues'], carriedForward: [] },
  };
}

/** A small resource as a backup would store it. */
interface Resource {
  kind: string;
  id: string;
  name: string;
  document: unknown;
}

const RESOURCES: Resource[] = [
  { kind: 'queues', id: 'q-1', name: 'Sales Queue', document: { Name: 'Sales Queue', QueueId: 'q-1' } },
  { kind: 'queues', id: 'q-2', name: 'Support/Tier 1', document: { Name: 'Support/Tier 1', QueueId: 'q-2' } },
  {
    kind: 'flows',
    id: 'f-1',
    name: 'Main 🎧',
    document: { Name: 'Main 🎧', Id: 'f-1', Type: 'CONTACT_FLOW' },
  },
];

/**
 * Writes a complete snapshot the way a backup does (objects, then the manifest, then latest.json)
 * and returns its manifest.
 */
export async function writeSnapshot(
  store: SnapshotStore,
  prefix: string,
  startedAt: Date,
  options: { instanceId?: string; latest?: boolean } = {},
): Promise<Manifest> {
  const instanceId = options.instanceId ?? INSTANCE_ID;
  const snapshotId = newSnapshotId(startedAt);
  const objects: ManifestObject[] = [];
  const write = async (
    entry: Omit<ManifestObject, 'sha256' | 'bytes'>,
    document: unknown,
    fullKey: string,
  ) => {
    const body = canonicalJson(document);
    await store.put(fullKey, body, 'application/json');
    objects.push({ ...entry, sha256: sha256Hex(body), bytes: new TextEncoder().encode(body).length });
  };
  const instance = { Id: instanceId, Arn: ARN, InstanceAlias: 'acme' };
  await write(
    { kind: INSTANCE_KIND, id: instanceId, arn: ARN, name: 'acme', key: 'instance.json' },
    instance,
    instanceDocumentKey(prefix, instanceId, snapshotId),
  );
  for (const resource of RESOURCES) {
    const key = resourceObjectKey(resource.kind, objectName(resource.name, resource.id));
    await write(
      { kind: resource.kind, id: resource.id, name: resource.name, key },
      resource.document,
      snapshotObjectKey(prefix, instanceId, snapshotId, key),
    );
  }
  const rawKey = rawFlowObjectKey(objectName('Main 🎧', 'f-1'));
  await write(
    { kind: 'flows-raw', id: 'f-1', name: 'Main 🎧', key: rawKey },
    { Version: '2019-10-30', Actions: [] },
    snapshotObjectKey(prefix, instanceId, snapshotId, rawKey),
  );
  const manifest: Manifest = {
    formatVersion: 1,
    snapshotId,
    instance: { id: instanceId, arn: ARN, alias: 'acme', region: 'eu-west-2', accountId: '123456789012' },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
    objects,
    counts: { queues: 2, flows: 1 },
    apiCalls: { SearchQueues: 1, SearchContactFlows: 1 },
    throttles: { count: 0, byOperation: {} },
    warnings: [],
    kinds: { read: ['queues', 'flows'], carriedForward: [] },
  };
  await store.put(manifestKey(prefix, instanceId, snapshotId), canonicalJson(manifest), 'application/json');
  if (options.latest ?? true) {
    await store.put(
      latestKey(prefix, instanceId),
      canonicalJson(latestPointerFor(manifest)),
      'application/json',
    );
  }
  return manifest;
}

/** One s3rver for the calling test file, started before its tests and closed after them. */
export function useS3rver(): Pick<S3rverHandle, 'bucket' | 'client'> {
  let handle: S3rverHandle | undefined;
  beforeAll(async () => {
    handle = await startS3rver();
  });
  afterAll(() => handle?.close());
  const started = () => {
    if (!handle) throw new Error('s3rver is started in beforeAll: use it inside tests');
    return handle;
  };
  return {
    get bucket() {
      return started().bucket;
    },
    client: (overrides) => started().client(overrides),
  };
}

/** Makes temporary folders named `prefix…` for the calling test file, all removed after its tests. */
export function useTempFolders(prefix: string): () => Promise<string> {
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });
  return async () => {
    const folder = await mkdtemp(join(tmpdir(), prefix));
    folders.push(folder);
    return folder;
  };
}
