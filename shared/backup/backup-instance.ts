/**
 * The backup use case: walk one Connect instance and write an immutable, dated, verifiable snapshot.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import {
  KINDS,
  type KindName,
  kindNamed,
  type ResourceKind,
  type StoredDocument,
} from '#shared/kinds/index.js';
import { describeInstance, type InstanceIdentity, readInstanceDocument } from '#shared/kinds/instance.js';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import {
  canonicalJson,
  FORMAT_VERSION,
  INSTANCE_FILE,
  INSTANCE_KIND,
  latestKey,
  latestPointerFor,
  type Manifest,
  type ManifestObject,
  type ManifestWarning,
  manifestKey,
  manifestSchema,
  newSnapshotId,
  objectName,
  RAW_FLOWS_FOLDER,
  rawFlowObjectKey,
  resourceObjectKey,
  sha256Hex,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

/** What to back up. */
export interface BackupRequest {
  instanceId: string;
  /** Kinds to read; all kinds when absent. */
  kinds?: readonly KindName[];
  /** Key prefix in the store, without leading or trailing slash; may be empty. */
  prefix: string;
}

/** Progress events, for a CLI's progress bars or a Lambda's logs. */
export type BackupProgress =
  | { type: 'kind-started'; kind: KindName }
  | { type: 'resource-stored'; kind: KindName; stored: number }
  | { type: 'kind-finished'; kind: KindName; stored: number };

/** The ports the backup runs on. */
export interface BackupPorts {
  connect: ConnectClient;
  /** Calls and throttles per operation, counted by the client (`createConnectClient`). */
  connectStats: { calls: Record<string, number>; throttles: Record<string, number> };
  store: SnapshotStore;
  clock: ClockPort;
  logger: LoggerPort;
  progress?: (event: BackupProgress) => void;
  /** Middy's deadline signal: aborts in-flight Connect calls. */
  signal?: AbortSignal;
}

/** What a finished backup reports. */
export interface BackupResult {
  snapshotId: string;
  instance: InstanceIdentity;
  /** Where the snapshot is, e.g. `s3://bucket/prefix/<instanceId>/snapshots/<snapshotId>/`. */
  location: string;
  manifestKey: string;
  counts: Record<string, number>;
  apiCalls: Record<string, number>;
  throttles: number;
  objects: number;
  bytes: number;
  warnings: ManifestWarning[];
  durationMs: number;
}

/** Thrown when a backup cannot complete; no manifest was written and `latest.json` did not move. */
export class BackupFailedError extends Error {
  constructor(
    message: string,
    readonly instanceId: string,
    readonly snapshotId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupFailedError';
  }
}

const PASSWORD = /^password$/i;

/** Removes any member named like a password, anywhere; returns how many were removed. */
function scrubPasswords(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, item) => n + scrubPasswords(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let removed = 0;
  for (const key of Object.keys(value)) {
    if (PASSWORD.test(key)) {
      delete (value as Record<string, unknown>)[key];
      removed += 1;
    } else {
      removed += scrubPasswords((value as Record<string, unknown>)[key]);
    }
  }
  return removed;
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) {
    const delta = n - (before[op] ?? 0);
    if (delta > 0) out[op] = delta;
  }
  return out;
}

/**
 * Backs up one Connect instance into a new snapshot.
 *
 * Steps: DescribeInstance (an unknown instance fails here, before any write); then every selected
 * kind in parallel, each under its operations' rate limiters, streaming one object per resource
 * (`<kind>/<name>.json`, plus `flows-raw/` for flow content) and `instance.json`; then
 * `manifest.json` (written once, last, with every object's SHA-256); then `latest.json`.
 *
 * @returns the snapshot's id, location, counts, API calls and throttles.
 * @throws BackupFailedError when any read or write fails after the SDK's retries: the snapshot
 *   folder then has no manifest (a snapshot without a manifest never happened) and `latest.json`
 *   still points at the previous snapshot. `cause` holds the original error.
 */
export async function backupInstance(request: BackupRequest, ports: BackupPorts): Promise<BackupResult> {
  const { connect, store, clock, logger } = ports;
  const started = clock.now();
  const callsBefore = { ...ports.connectStats.calls };
  const throttlesBefore = { ...ports.connectStats.throttles };
  const kinds: ResourceKind[] = request.kinds ? request.kinds.map(kindNamed) : [...KINDS];

  let instance: InstanceIdentity;
  try {
    instance = await describeInstance({ connect, instanceId: request.instanceId, signal: ports.signal });
  } catch (error) {
    throw new BackupFailedError(
      `Cannot back up instance ${request.instanceId}: ${(error as Error).name === 'ResourceNotFoundException' ? 'no such instance in this account and Region' : (error as Error).message}`,
      request.instanceId,
      undefined,
      { cause: error },
    );
  }

  const snapshotId = newSnapshotId(started);
  const objects: ManifestObject[] = [];
  const counts: Record<string, number> = {};
  const warnings: ManifestWarning[] = [];
  const stopOnFailure = new AbortController();
  const ctx = {
    connect,
    instanceId: instance.id,
    instanceArn: instance.arn,
    signal: ports.signal ? AbortSignal.any([ports.signal, stopOnFailure.signal]) : stopOnFailure.signal,
    warn: (w: { kind: KindName; id?: string; message: string }) => {
      warnings.push(w.id ? { kind: w.kind, id: w.id, message: w.message } : `${w.kind}: ${w.message}`);
      logger.warn('backup warning', { kind: w.kind, resourceId: w.id, warning: w.message });
    },
  };

  const put = async (
    relativeKey: string,
    body: string,
    entry: Omit<ManifestObject, 'key' | 'sha256' | 'bytes'>,
  ) => {
    const bytes = Buffer.byteLength(body);
    await store.put(
      snapshotObjectKey(request.prefix, instance.id, snapshotId, relativeKey),
      body,
      'application/json',
    );
    objects.push({ ...entry, key: relativeKey, sha256: sha256Hex(body), bytes });
  };

  const storeDocument = async (kind: ResourceKind, document: StoredDocument) => {
    const removed = scrubPasswords(document);
    if (removed)
      ctx.warn({ kind: kind.name, id: document.id, message: `removed ${removed} password member(s)` });
    const name = objectName(document.name, document.id);
    const identity = { kind: kind.name, id: document.id, arn: document.arn, name: document.name };
    await put(resourceObjectKey(kind.name, name), canonicalJson(document), identity);
    for (const derived of kind.derive?.(document) ?? []) {
      if (derived.folder !== RAW_FLOWS_FOLDER) throw new Error(`unknown derived folder ${derived.folder}`);
      await put(rawFlowObjectKey(name), derived.body, { ...identity, kind: RAW_FLOWS_FOLDER });
    }
  };

  try {
    const instanceDocument = await readInstanceDocument(ctx);
    await put(INSTANCE_FILE, canonicalJson(instanceDocument), {
      kind: INSTANCE_KIND,
      id: instance.id,
      arn: instance.arn,
      name: instance.alias,
    });
    // When one kind fails, the others stop at their next resource: nothing is written after the
    // backup has failed, and the error is thrown only once every kind has stopped.
    const outcomes = await Promise.allSettled(
      kinds.map(async (kind) => {
        ports.progress?.({ type: 'kind-started', kind: kind.name });
        let stored = 0;
        try {
          for await (const document of kind.read(ctx)) {
            stopOnFailure.signal.throwIfAborted();
            await storeDocument(kind, document);
            stored += 1;
            ports.progress?.({ type: 'resource-stored', kind: kind.name, stored });
          }
        } catch (error) {
          stopOnFailure.abort(error);
          throw error;
        }
        counts[kind.name] = stored;
        ports.progress?.({ type: 'kind-finished', kind: kind.name, stored });
        logger.info('kind stored', { kind: kind.name, count: stored });
      }),
    );
    if (stopOnFailure.signal.aborted) throw stopOnFailure.signal.reason;
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    const e = error as Error;
    throw new BackupFailedError(
      `Backup of instance ${instance.id} failed (${e.name}: ${e.message}); snapshot ${snapshotId} has no manifest and latest.json did not move`,
      instance.id,
      snapshotId,
      { cause: error },
    );
  }

  const apiCalls = diff(ports.connectStats.calls, callsBefore);
  const throttleCounts = diff(ports.connectStats.throttles, throttlesBefore);
  const finished = clock.now();
  objects.sort((a, b) => a.key.localeCompare(b.key));
  const manifest: Manifest = manifestSchema.parse({
    formatVersion: FORMAT_VERSION,
    snapshotId,
    instance,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    objects,
    counts,
    apiCalls,
    throttles: {
      count: Object.values(throttleCounts).reduce((a, b) => a + b, 0),
      byOperation: throttleCounts,
    },
    warnings,
    kinds: { read: kinds.map((k) => k.name), carriedForward: [] },
  });

  const key = manifestKey(request.prefix, instance.id, snapshotId);
  try {
    const written = await store.putIfAbsent(key, canonicalJson(manifest), 'application/json');
    if (!written) throw new Error(`a manifest already exists at ${key}`);
    await store.put(
      latestKey(request.prefix, instance.id),
      canonicalJson(latestPointerFor(manifest)),
      'application/json',
    );
  } catch (error) {
    throw new BackupFailedError(
      `Writing the manifest of snapshot ${snapshotId} failed: ${(error as Error).message}`,
      instance.id,
      snapshotId,
      {
        cause: error,
      },
    );
  }
  logger.info('snapshot written', { snapshotId, objects: objects.length, manifestKey: key });

  return {
    snapshotId,
    instance,
    location: `${store.describe().replace(/\/?$/, '/')}${key.slice(0, key.lastIndexOf('/') + 1)}`,
    manifestKey: key,
    counts,
    apiCalls,
    throttles: manifest.throttles.count,
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
    warnings,
    durationMs: finished.getTime() - started.getTime(),
  };
}
