/**
 * The backup use case: walk one Connect instance and write an immutable, dated, verifiable snapshot.
 * Nightly runs are incremental (only what changed is read again; the rest is copied forward), and a
 * run near the Lambda deadline checkpoints and continues in a fresh invocation.
 */
import { setMaxListeners } from 'node:events';
import type { ConnectClient } from '@aws-sdk/client-connect';
import {
  type IncrementalItem,
  KINDS,
  type KindName,
  kindNamed,
  type ReadContext,
  type ResourceKind,
  type StoredDocument,
} from '#shared/kinds/index.js';
import {
  type DescribedInstance,
  describeInstanceEntity,
  type InstanceIdentity,
  readInstanceDocument,
} from '#shared/kinds/instance.js';
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
import { MissingObjectError, type SnapshotStore } from '#shared/snapshot/store.js';
import { readLatestPointer, readVerifiedManifest, SnapshotIntegrityError } from '#shared/snapshot/verify.js';
import { type Checkpoint, checkpointKey, checkpointSchema, type KindProgress } from './checkpoint.js';

/** How often a kind is read in full at the latest, by default: once a week. */
export const DEFAULT_FULL_READ_INTERVAL_MS = 7 * 24 * 3600 * 1000;

/** Continuations one snapshot may take before the backup gives up (a loop guard: 100 × 15 min). */
export const MAX_CONTINUATIONS = 100;

/** Invocations in a row that may store nothing before their deadline before the backup gives up. */
export const MAX_STALLED_INVOCATIONS = 3;

/** S3 writes and copies in flight per kind. */
const WRITES_IN_FLIGHT = 16;
/**
 * Documents a kind may hold in memory while storage catches up (a few MB at most: stored documents
 * are a few KB), so that its Connect reads keep their pace through a moment of slow storage.
 */
const WRITES_WAITING = 1000;

/** What to back up. */
export interface BackupRequest {
  instanceId: string;
  /** Kinds to read; all kinds when absent. */
  kinds?: readonly KindName[];
  /** Key prefix in the store, without leading or trailing slash; may be empty. */
  prefix: string;
  /** Read every kind in full, even where the previous snapshot allows an incremental read. */
  full?: boolean;
  /**
   * A kind is read in full again once its last full read is at least this old, in milliseconds:
   * the scheduled full backup that catches changes no signal covers. Default one week.
   */
  fullReadIntervalMs?: number;
  /** Continues an unfinished snapshot from checkpoint `continuation` (a `Backup Continued` event). */
  resume?: { snapshotId: string; continuation: number };
}

/** Progress events, for a CLI's progress bars or a Lambda's logs. */
export type BackupProgress =
  | { type: 'kind-started'; kind: KindName; mode?: KindProgress['mode'] }
  | { type: 'resource-stored'; kind: KindName; stored: number }
  | { type: 'kind-finished'; kind: KindName; stored: number };

/** What the next invocation needs to resume a snapshot (the `Backup Continued` event's detail). */
export interface BackupContinuation {
  instanceId: string;
  snapshotId: string;
  /** The checkpoint to resume from, 1 for the first hand-over. */
  continuation: number;
}

/** The ports the backup runs on. */
export interface BackupPorts {
  connect: ConnectClient;
  /** Calls and throttles per operation, counted by the client (`createConnectClient`). */
  connectStats: { calls: Record<string, number>; throttles: Record<string, number> };
  store: SnapshotStore;
  clock: ClockPort;
  logger: LoggerPort;
  progress?: (event: BackupProgress) => void;
  /**
   * Middy's deadline signal. When it aborts, in-flight Connect calls stop, the backup writes a
   * checkpoint and calls `continueLater`.
   */
  signal?: AbortSignal;
  /**
   * Hands the snapshot over to a fresh invocation (puts a `Backup Continued` event on the bus).
   * Without it, reaching the deadline fails the backup.
   */
  continueLater?: (continuation: BackupContinuation) => Promise<void>;
}

/**
 * How a backup invocation ended: `complete` (it wrote the manifest), `continued` (it reached its
 * deadline, wrote a checkpoint and handed over), or `duplicate` (another invocation of the same
 * snapshot finished or handed it over first; this one wrote no manifest and moved nothing).
 */
export type BackupStatus = 'complete' | 'continued' | 'duplicate';

/** What a backup invocation reports. */
export interface BackupResult {
  status: BackupStatus;
  snapshotId: string;
  instance: InstanceIdentity;
  /** Where the snapshot is, e.g. `s3://bucket/prefix/<instanceId>/snapshots/<snapshotId>/`. */
  location: string;
  manifestKey: string;
  /** True for a backup of some kinds only: its snapshot never becomes `latest.json`. */
  partial?: boolean;
  /** For `continued`: the continuation handed over to. */
  continuation?: number;
  /** Resources stored per kind (so far, for `continued`). */
  counts: Record<string, number>;
  /** How each kind was read: in full, or incrementally from `basedOn`. */
  kinds: Manifest['kinds'];
  /** Connect calls per operation, over every invocation of the snapshot so far. */
  apiCalls: Record<string, number>;
  throttles: number;
  objects: number;
  bytes: number;
  warnings: ManifestWarning[];
  /** From the first invocation's start to now. */
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

function add(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [op, n] of Object.entries(b)) out[op] = (out[op] ?? 0) + n;
  return out;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Runs a kind's writes with at most `inFlight` at once, and up to `waiting` more queued in memory,
 * so that a moment of slow storage does not hold back the kind's Connect reads (which run at the
 * pace of their quota, not of S3). Remembers the first failure; after it, queued writes are dropped.
 */
class WritePool {
  readonly #queue: Array<() => Promise<void>> = [];
  #running = 0;
  #failure: { error: unknown } | undefined;
  readonly #wakers = new Set<() => void>();

  constructor(
    readonly inFlight: number,
    readonly waiting: number,
  ) {}

  /** Queues `task` once there is room. @throws the first failure of any earlier task. */
  async run(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.#running + this.#queue.length >= this.inFlight + this.waiting) await this.#next();
    this.throwIfFailed();
    this.#queue.push(task);
    this.#pump();
  }

  /** Waits until every write has finished or been dropped. */
  async settle(): Promise<void> {
    while (this.#running > 0 || (this.#queue.length > 0 && !this.#failure)) await this.#next();
  }

  throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  #pump(): void {
    if (this.#failure) this.#queue.length = 0;
    while (this.#running < this.inFlight) {
      const task = this.#queue.shift();
      if (!task) break;
      this.#running += 1;
      task()
        .catch((error: unknown) => {
          this.#failure ??= { error };
        })
        .finally(() => {
          this.#running -= 1;
          this.#pump();
          for (const wake of [...this.#wakers]) wake();
        });
    }
  }

  #next(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.#wakers.delete(wake);
        resolve();
      };
      this.#wakers.add(wake);
    });
  }
}

/** The previous complete snapshot, as an incremental read uses it. */
interface PreviousSnapshot {
  manifest: Manifest;
  /** Per kind: resource id → change signal. */
  signals: Map<string, Map<string, string>>;
  /** `<kind>\0<id>` → the objects stored for that resource. */
  objects: Map<string, ManifestObject[]>;
}

function indexPrevious(manifest: Manifest): PreviousSnapshot {
  const signals = new Map<string, Map<string, string>>();
  const objects = new Map<string, ManifestObject[]>();
  for (const object of manifest.objects) {
    const key = `${object.kind}\0${object.id}`;
    objects.set(key, [...(objects.get(key) ?? []), object]);
    if (object.signal === undefined) continue;
    const byId = signals.get(object.kind) ?? new Map<string, string>();
    byId.set(object.id, object.signal);
    signals.set(object.kind, byId);
  }
  return { manifest, signals, objects };
}

/** Everything one snapshot's invocations share, saved in checkpoints. */
interface RunState {
  snapshotId: string;
  startedAt: Date;
  /** This invocation's number: 0 for the first, n when resuming from checkpoint n. */
  continuation: number;
  /** Invocations in a row before this one that stored nothing. */
  stalled: number;
  kinds: ResourceKind[];
  basedOn: string | undefined;
  progress: Map<KindName, KindProgress>;
  objects: ManifestObject[];
  /** Calls and throttles of the invocations before this one. */
  apiCalls: Record<string, number>;
  throttles: Record<string, number>;
  warnings: ManifestWarning[];
}

/** Reads the newest complete snapshot; `undefined` when there is none or it cannot be used. */
async function latestComplete(
  request: BackupRequest,
  ports: BackupPorts,
  instanceId: string,
  warnings: ManifestWarning[],
): Promise<Manifest | undefined> {
  try {
    const pointer = await readLatestPointer(ports.store, request.prefix, instanceId);
    if (!pointer) return undefined;
    return await readVerifiedManifest(ports.store, request.prefix, instanceId, pointer.snapshotId);
  } catch (error) {
    if (!(error instanceof SnapshotIntegrityError)) throw error;
    warnings.push(`previous snapshot not used, every kind is read in full: ${error.message}`);
    ports.logger.warn('previous snapshot not usable', { problem: error.problem, key: error.key });
    return undefined;
  }
}

/**
 * Decides how each kind is read: incrementally when it can detect changes, the previous snapshot
 * holds it with its signals, no full read is asked for, and its last full read is younger than the
 * interval; in full otherwise.
 */
function plan(
  request: BackupRequest,
  kinds: readonly ResourceKind[],
  previous: Manifest | undefined,
  started: Date,
): Map<KindName, KindProgress> {
  const interval = request.fullReadIntervalMs ?? DEFAULT_FULL_READ_INTERVAL_MS;
  const progress = new Map<KindName, KindProgress>();
  for (const kind of kinds) {
    const before = previous?.kinds.byKind?.[kind.name];
    const due = !before || started.getTime() - Date.parse(before.lastFullReadAt) >= interval;
    const incremental = !request.full && kind.changes !== undefined && !due;
    progress.set(kind.name, {
      mode: incremental ? 'incremental' : 'full',
      lastFullReadAt: incremental && before ? before.lastFullReadAt : started.toISOString(),
      finished: false,
      read: 0,
      carriedForward: 0,
    });
  }
  return progress;
}

function manifestKinds(state: RunState): Manifest['kinds'] {
  const byKind: NonNullable<Manifest['kinds']['byKind']> = {};
  for (const kind of state.kinds) {
    const p = state.progress.get(kind.name);
    if (!p) continue;
    byKind[kind.name] = {
      mode: p.mode,
      read: p.read,
      carriedForward: p.carriedForward,
      lastFullReadAt: p.lastFullReadAt,
    };
  }
  const names = (mode: KindProgress['mode']) =>
    state.kinds.filter((k) => state.progress.get(k.name)?.mode === mode).map((k) => k.name);
  return {
    read: names('full'),
    carriedForward: names('incremental'),
    ...(state.basedOn ? { basedOn: state.basedOn } : {}),
    byKind,
  };
}

function countsOf(state: RunState): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of state.kinds) {
    const p = state.progress.get(kind.name);
    if (p?.finished) counts[kind.name] = p.read + p.carriedForward;
  }
  return counts;
}

/**
 * Backs up one Connect instance into a new snapshot, or continues an unfinished one.
 *
 * Steps: DescribeInstance (an unknown instance fails here, before any write). A new backup reads
 * the previous complete snapshot's manifest (`latest.json`) and plans each kind: a kind that
 * detects changes (`ResourceKind.changes`) is read incrementally, describing again only resources
 * whose change signal moved and copying the others' objects forward (S3 CopyObject), unless
 * `full` is asked, there is no usable previous snapshot, or the kind's last full read is
 * `fullReadIntervalMs` old (weekly by default: the scheduled full backup catches what no signal
 * covers). Every other kind is read in full. Then `instance.json` and every kind in parallel, each
 * under its operations' rate limiters, streaming one object per resource (`<kind>/<name>.json`,
 * plus `flows-raw/` for flow content); then `manifest.json` (written once, last, with every
 * object's SHA-256 and change signal, and which kinds were read in full or carried forward); then
 * `latest.json`. Every snapshot is complete and stands alone.
 *
 * A copy whose SHA-256 (returned by the store) does not match the previous manifest is not
 * trusted: that resource is read again, with a warning.
 *
 * Deadline: when `ports.signal` aborts, in-flight Connect calls stop, writes in flight finish, and
 * the backup writes checkpoint `n + 1` (`checkpoints/<n>.json`, once, with `putIfAbsent`) and
 * calls `ports.continueLater`, which resumes it in a fresh invocation (`request.resume`). A
 * resumed backup skips what is already stored; the manifest's API calls add up every invocation. Two invocations racing for one snapshot cannot both
 * hand it over (the checkpoint is written once) nor both write its manifest (`putIfAbsent`): the
 * loser ends with status `duplicate`.
 *
 * @returns the snapshot's id, location, status, counts, how each kind was read, API calls and throttles.
 * @throws BackupFailedError when any read or write fails after the SDK's retries, when the
 *   deadline comes without `continueLater`, after `MAX_STALLED_INVOCATIONS` invocations in a row
 *   that stored nothing or `MAX_CONTINUATIONS` in all, or when a checkpoint to resume
 *   from is missing or invalid: the snapshot folder then has no manifest (a snapshot without a
 *   manifest never happened) and `latest.json` still points at the previous snapshot. `cause`
 *   holds the original error.
 */
export async function backupInstance(request: BackupRequest, ports: BackupPorts): Promise<BackupResult> {
  const { connect, store, clock, logger } = ports;
  const invocationStarted = clock.now();
  const callsBefore = { ...ports.connectStats.calls };
  const throttlesBefore = { ...ports.connectStats.throttles };

  let described: DescribedInstance;
  try {
    described = await describeInstanceEntity({
      connect,
      instanceId: request.instanceId,
      signal: ports.signal,
    });
  } catch (error) {
    throw new BackupFailedError(
      `Cannot back up instance ${request.instanceId}: ${(error as Error).name === 'ResourceNotFoundException' ? 'no such instance in this account and Region' : (error as Error).message}`,
      request.instanceId,
      request.resume?.snapshotId,
      { cause: error },
    );
  }
  const instance: InstanceIdentity = described.identity;

  const location = (snapshotId: string) => {
    const key = manifestKey(request.prefix, instance.id, snapshotId);
    return `${store.describe().replace(/\/?$/, '/')}${key.slice(0, key.lastIndexOf('/') + 1)}`;
  };
  const thisInvocation = () => ({
    calls: diff(ports.connectStats.calls, callsBefore),
    throttles: diff(ports.connectStats.throttles, throttlesBefore),
  });

  // --- A new snapshot, or the state an earlier invocation handed over --------------------------
  let state: RunState;
  let previous: PreviousSnapshot | undefined;
  if (request.resume) {
    const resumed = await resume(request, ports, instance);
    if (resumed.type === 'duplicate') {
      logger.info('snapshot already handled by another invocation', {
        snapshotId: request.resume.snapshotId,
        continuation: request.resume.continuation,
      });
      const manifest = resumed.manifest;
      return {
        status: 'duplicate',
        snapshotId: request.resume.snapshotId,
        instance,
        location: location(request.resume.snapshotId),
        manifestKey: manifestKey(request.prefix, instance.id, request.resume.snapshotId),
        counts: manifest?.counts ?? {},
        kinds: manifest?.kinds ?? { read: [], carriedForward: [] },
        apiCalls: manifest?.apiCalls ?? thisInvocation().calls,
        throttles: manifest?.throttles.count ?? sum(thisInvocation().throttles),
        objects: manifest?.objects.length ?? 0,
        bytes: manifest?.objects.reduce((n, o) => n + o.bytes, 0) ?? 0,
        warnings: manifest?.warnings ?? [],
        durationMs: clock.now().getTime() - invocationStarted.getTime(),
      };
    }
    state = resumed.state;
    previous = resumed.previous;
  } else {
    const kinds: ResourceKind[] = request.kinds ? [...new Set(request.kinds)].map(kindNamed) : [...KINDS];
    const warnings: ManifestWarning[] = [];
    const latest = request.full ? undefined : await latestComplete(request, ports, instance.id, warnings);
    const progress = plan(request, kinds, latest, invocationStarted);
    const incremental = [...progress.values()].some((p) => p.mode === 'incremental');
    previous = latest && incremental ? indexPrevious(latest) : undefined;
    state = {
      snapshotId: newSnapshotId(invocationStarted),
      startedAt: invocationStarted,
      continuation: 0,
      stalled: 0,
      kinds,
      basedOn: previous?.manifest.snapshotId,
      progress,
      objects: [],
      apiCalls: {},
      throttles: {},
      warnings,
    };
    logger.info('backup planned', {
      snapshotId: state.snapshotId,
      basedOn: state.basedOn,
      modes: Object.fromEntries([...progress].map(([kind, p]) => [kind, p.mode])),
    });
  }
  const { snapshotId } = state;
  const objectsAtStart = state.objects.length;
  const finishedAtStart = [...state.progress.values()].filter((p) => p.finished).length;

  // --- Reading and storing ---------------------------------------------------------------------
  const stopOnFailure = new AbortController();
  const signal = ports.signal ? AbortSignal.any([ports.signal, stopOnFailure.signal]) : stopOnFailure.signal;
  // Every Connect call in flight listens to it (16 per kind): more than Node's default warning level.
  setMaxListeners(0, signal);
  const warn = (w: { kind: KindName; id?: string; message: string }) => {
    state.warnings.push(w.id ? { kind: w.kind, id: w.id, message: w.message } : `${w.kind}: ${w.message}`);
    logger.warn('backup warning', { kind: w.kind, resourceId: w.id, warning: w.message });
  };
  const ctx: ReadContext = { connect, instanceId: instance.id, instanceArn: instance.arn, signal, warn };
  const objectKey = (id: string, relativeKey: string) =>
    snapshotObjectKey(request.prefix, instance.id, id, relativeKey);

  const put = async (
    relativeKey: string,
    body: string,
    entry: Omit<ManifestObject, 'key' | 'sha256' | 'bytes'>,
  ): Promise<ManifestObject> => {
    await store.put(objectKey(snapshotId, relativeKey), body, 'application/json');
    return { ...entry, key: relativeKey, sha256: sha256Hex(body), bytes: Buffer.byteLength(body) };
  };

  const storeDocument = async (kind: ResourceKind, document: StoredDocument): Promise<void> => {
    const removed = scrubPasswords(document);
    if (removed) warn({ kind: kind.name, id: document.id, message: `removed ${removed} password member(s)` });
    const name = objectName(document.name, document.id);
    const identity = { kind: kind.name, id: document.id, arn: document.arn, name: document.name };
    const signalOf = kind.changes?.signalOf(document);
    const entries = [
      await put(resourceObjectKey(kind.name, name), canonicalJson(document), {
        ...identity,
        ...(signalOf ? { signal: signalOf } : {}),
      }),
    ];
    for (const derived of kind.derive?.(document) ?? []) {
      if (derived.folder !== RAW_FLOWS_FOLDER) throw new Error(`unknown derived folder ${derived.folder}`);
      entries.push(await put(rawFlowObjectKey(name), derived.body, { ...identity, kind: RAW_FLOWS_FOLDER }));
    }
    state.objects.push(...entries);
  };

  /** Copies a resource's objects from the previous snapshot; false when a copy does not match its SHA-256. */
  const carryForward = async (kind: ResourceKind, id: string): Promise<boolean> => {
    const from = previous?.objects;
    const entries = [
      ...(from?.get(`${kind.name}\0${id}`) ?? []),
      ...(kind.derive ? (from?.get(`${RAW_FLOWS_FOLDER}\0${id}`) ?? []) : []),
    ];
    // A resource the previous manifest does not hold, or whose object is gone or changed, is never
    // carried forward: it is read again (self-healing; the caller warns).
    if (!previous || entries.length === 0) return false;
    const basedOn = previous.manifest.snapshotId;
    for (const entry of entries) {
      let copied: Awaited<ReturnType<SnapshotStore['copy']>>;
      try {
        copied = await store.copy(objectKey(basedOn, entry.key), objectKey(snapshotId, entry.key));
      } catch (error) {
        if (error instanceof MissingObjectError) return false;
        throw error;
      }
      if (copied?.sha256 !== undefined && copied.sha256 !== entry.sha256) return false;
    }
    state.objects.push(...entries);
    return true;
  };

  const runKind = async (kind: ResourceKind, progress: KindProgress): Promise<void> => {
    ports.progress?.({ type: 'kind-started', kind: kind.name, mode: progress.mode });
    const handled = new Set(state.objects.filter((o) => o.kind === kind.name).map((o) => o.id));
    const kindCtx: ReadContext = { ...ctx, skip: (id) => handled.has(id) };
    const items: AsyncIterable<IncrementalItem> =
      progress.mode === 'incremental' && kind.changes
        ? kind.changes.readChanged(kindCtx, previous?.signals.get(kind.name) ?? new Map())
        : documents(kind.read(kindCtx));
    const writes = new WritePool(WRITES_IN_FLIGHT, WRITES_WAITING);
    const stored = () => progress.read + progress.carriedForward;
    const damaged = new Set<string>();
    const storeRead = async (document: StoredDocument) => {
      await storeDocument(kind, document);
      progress.read += 1;
      ports.progress?.({ type: 'resource-stored', kind: kind.name, stored: stored() });
    };
    try {
      for await (const item of items) {
        signal.throwIfAborted();
        const id = 'document' in item ? item.document.id : item.unchanged;
        if (handled.has(id)) continue;
        handled.add(id);
        await writes.run(async () => {
          if ('document' in item) return storeRead(item.document);
          if (!(await carryForward(kind, id))) {
            damaged.add(id);
            return;
          }
          progress.carriedForward += 1;
          ports.progress?.({ type: 'resource-stored', kind: kind.name, stored: stored() });
        });
      }
    } finally {
      await writes.settle();
    }
    writes.throwIfFailed();
    if (damaged.size > 0) {
      // Read in full again, skipping all but the resources whose previous objects are damaged.
      warn({
        kind: kind.name,
        message: `${damaged.size} resource(s) could not be carried forward from snapshot ${state.basedOn} (an object is missing or no longer matches its manifest); read again from Connect`,
      });
      for await (const document of kind.read({ ...ctx, skip: (id) => !damaged.has(id) })) {
        signal.throwIfAborted();
        if (damaged.delete(document.id)) await storeRead(document);
      }
    }
    progress.finished = true;
    ports.progress?.({ type: 'kind-finished', kind: kind.name, stored: stored() });
    logger.info('kind stored', {
      kind: kind.name,
      mode: progress.mode,
      read: progress.read,
      carriedForward: progress.carriedForward,
    });
  };

  const storeInstanceDocument = async (): Promise<void> => {
    if (state.objects.some((o) => o.key === INSTANCE_FILE)) return;
    const instanceDocument = await readInstanceDocument(ctx, described.entity);
    state.objects.push(
      await put(INSTANCE_FILE, canonicalJson(instanceDocument), {
        kind: INSTANCE_KIND,
        id: instance.id,
        arn: instance.arn,
        name: instance.alias,
      }),
    );
  };
  const tasks = [
    storeInstanceDocument,
    ...state.kinds.map((kind) => async () => {
      const progress = state.progress.get(kind.name);
      if (progress && !progress.finished) await runKind(kind, progress);
    }),
  ];
  // When one task fails, the others stop at their next resource: nothing is written after the
  // backup has failed, and the error is thrown only once every kind has stopped.
  let failure: { error: unknown } | undefined;
  await Promise.allSettled(
    tasks.map(async (task) => {
      try {
        await task();
      } catch (error) {
        if (!ports.signal?.aborted) {
          failure ??= { error };
          stopOnFailure.abort(error);
        }
      }
    }),
  );

  const fail = (message: string, cause: unknown): never => {
    throw new BackupFailedError(message, instance.id, snapshotId, { cause });
  };
  if (failure) {
    const e = failure.error as Error;
    fail(
      `Backup of instance ${instance.id} failed (${e.name}: ${e.message}); snapshot ${snapshotId} has no manifest and latest.json did not move`,
      failure.error,
    );
  }

  const calls = add(state.apiCalls, thisInvocation().calls);
  const throttles = add(state.throttles, thisInvocation().throttles);
  const unfinished: string[] = state.kinds
    .filter((k) => !state.progress.get(k.name)?.finished)
    .map((k) => k.name);
  if (!state.objects.some((o) => o.key === INSTANCE_FILE)) unfinished.push(INSTANCE_FILE);

  // --- The deadline: checkpoint and hand over --------------------------------------------------
  if (unfinished.length > 0) {
    const next = state.continuation + 1;
    const progressed =
      state.objects.length > objectsAtStart ||
      [...state.progress.values()].filter((p) => p.finished).length > finishedAtStart;
    if (!ports.continueLater) {
      fail(
        `Backup of instance ${instance.id} reached its deadline and cannot continue; snapshot ${snapshotId} has no manifest`,
        ports.signal?.reason,
      );
    }
    const stalled = progressed ? 0 : state.stalled + 1;
    if (stalled > MAX_STALLED_INVOCATIONS) {
      fail(
        `Backup of instance ${instance.id} stored nothing in ${stalled} invocations in a row before their deadline; give the function more time (snapshot ${snapshotId} has no manifest)`,
        ports.signal?.reason,
      );
    }
    if (next > MAX_CONTINUATIONS) {
      fail(
        `Backup of instance ${instance.id} needed more than ${MAX_CONTINUATIONS} continuations; snapshot ${snapshotId} has no manifest`,
        ports.signal?.reason,
      );
    }
    const checkpoint: Checkpoint = {
      checkpointVersion: 1,
      snapshotId,
      continuation: next,
      stalled,
      instance,
      startedAt: state.startedAt.toISOString(),
      writtenAt: clock.now().toISOString(),
      kinds: state.kinds.map((k) => k.name),
      ...(state.basedOn ? { basedOn: state.basedOn } : {}),
      progress: Object.fromEntries(state.progress),
      objects: state.objects,
      apiCalls: calls,
      throttles,
      warnings: state.warnings,
    };
    const key = checkpointKey(request.prefix, instance.id, snapshotId, next);
    let handedOver = false;
    try {
      handedOver = await store.putIfAbsent(key, canonicalJson(checkpoint), 'application/json');
      if (handedOver)
        await ports.continueLater?.({ instanceId: instance.id, snapshotId, continuation: next });
    } catch (error) {
      fail(
        `Backup of instance ${instance.id} reached its deadline and could not hand over (${(error as Error).message}); snapshot ${snapshotId} has no manifest`,
        error,
      );
    }
    logger.info(handedOver ? 'backup continued' : 'snapshot already handed over by another invocation', {
      snapshotId,
      continuation: next,
      objects: state.objects.length,
      unfinished,
    });
    return {
      status: handedOver ? 'continued' : 'duplicate',
      snapshotId,
      instance,
      location: location(snapshotId),
      manifestKey: manifestKey(request.prefix, instance.id, snapshotId),
      ...(handedOver ? { continuation: next } : {}),
      counts: countsOf(state),
      kinds: manifestKinds(state),
      apiCalls: calls,
      throttles: sum(throttles),
      objects: state.objects.length,
      bytes: state.objects.reduce((n, o) => n + o.bytes, 0),
      warnings: state.warnings,
      durationMs: clock.now().getTime() - state.startedAt.getTime(),
    };
  }

  // --- The manifest, once, last ----------------------------------------------------------------
  const finished = clock.now();
  const objects = [...state.objects].sort((a, b) => a.key.localeCompare(b.key));
  // A backup of some kinds only is recorded as partial and never becomes latest.
  const partial = KINDS.some((kind) => !state.kinds.includes(kind));
  const manifest: Manifest = manifestSchema.parse({
    formatVersion: FORMAT_VERSION,
    snapshotId,
    instance,
    startedAt: state.startedAt.toISOString(),
    finishedAt: finished.toISOString(),
    objects,
    counts: countsOf(state),
    apiCalls: calls,
    throttles: { count: sum(throttles), byOperation: throttles },
    warnings: state.warnings,
    kinds: manifestKinds(state),
    ...(partial ? { partial: true } : {}),
  });

  const key = manifestKey(request.prefix, instance.id, snapshotId);
  let written = false;
  try {
    written = await store.putIfAbsent(key, canonicalJson(manifest), 'application/json');
    if (!written && state.continuation === 0) throw new Error(`a manifest already exists at ${key}`);
    if (written && !partial) {
      await store.put(
        latestKey(request.prefix, instance.id),
        canonicalJson(latestPointerFor(manifest)),
        'application/json',
      );
    }
  } catch (error) {
    fail(`Writing the manifest of snapshot ${snapshotId} failed: ${(error as Error).message}`, error);
  }
  if (written) {
    logger.info('snapshot written', { snapshotId, objects: objects.length, manifestKey: key });
  } else {
    logger.info('snapshot already written by another invocation', { snapshotId, manifestKey: key });
  }

  return {
    status: written ? 'complete' : 'duplicate',
    ...(partial ? { partial: true } : {}),
    snapshotId,
    instance,
    location: location(snapshotId),
    manifestKey: key,
    counts: manifest.counts,
    kinds: manifest.kinds,
    apiCalls: calls,
    throttles: manifest.throttles.count,
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
    warnings: state.warnings,
    durationMs: finished.getTime() - state.startedAt.getTime(),
  };
}

async function* documents(read: AsyncIterable<StoredDocument>): AsyncIterable<IncrementalItem> {
  for await (const document of read) yield { document };
}

type Resumed =
  | { type: 'resume'; state: RunState; previous: PreviousSnapshot | undefined }
  | { type: 'duplicate'; manifest: Manifest | undefined };

/**
 * Loads the state checkpoint `n` holds. A snapshot that already has its manifest, or a later
 * checkpoint, was finished or handed over by another invocation: `duplicate`.
 * @throws BackupFailedError when the checkpoint is missing, invalid, or of another instance.
 */
async function resume(
  request: BackupRequest,
  ports: BackupPorts,
  instance: InstanceIdentity,
): Promise<Resumed> {
  const { snapshotId, continuation } = request.resume ?? { snapshotId: '', continuation: 0 };
  const fail = (message: string, cause?: unknown): never => {
    throw new BackupFailedError(message, instance.id, snapshotId, { cause });
  };
  const { store } = ports;
  try {
    if (await store.get(manifestKey(request.prefix, instance.id, snapshotId))) {
      return {
        type: 'duplicate',
        manifest: await readVerifiedManifest(store, request.prefix, instance.id, snapshotId),
      };
    }
    if (await store.get(checkpointKey(request.prefix, instance.id, snapshotId, continuation + 1))) {
      return { type: 'duplicate', manifest: undefined };
    }
  } catch (error) {
    fail(`Cannot resume snapshot ${snapshotId}: ${(error as Error).message}`, error);
  }
  const key = checkpointKey(request.prefix, instance.id, snapshotId, continuation);
  const bytes = await store.get(key).catch((error: unknown) => fail(`Cannot read ${key}`, error));
  if (!bytes) return fail(`Cannot resume snapshot ${snapshotId}: there is no checkpoint ${key}`);
  let checkpoint: Checkpoint;
  try {
    checkpoint = checkpointSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (error) {
    return fail(`Cannot resume snapshot ${snapshotId}: checkpoint ${key} is invalid`, error);
  }
  if (
    checkpoint.snapshotId !== snapshotId ||
    checkpoint.continuation !== continuation ||
    checkpoint.instance.arn !== instance.arn
  ) {
    return fail(
      `Cannot resume snapshot ${snapshotId}: checkpoint ${key} belongs to snapshot ${checkpoint.snapshotId} (continuation ${checkpoint.continuation}) of ${checkpoint.instance.arn}`,
    );
  }
  const kinds = checkpoint.kinds.map(kindNamed);
  const progress = new Map<KindName, KindProgress>();
  for (const kind of kinds) {
    const p = checkpoint.progress[kind.name];
    if (p) progress.set(kind.name, { ...p });
  }
  let previous: PreviousSnapshot | undefined;
  if (checkpoint.basedOn) {
    try {
      previous = indexPrevious(
        await readVerifiedManifest(store, request.prefix, instance.id, checkpoint.basedOn),
      );
    } catch (error) {
      return fail(
        `Cannot resume snapshot ${snapshotId}: its previous snapshot ${checkpoint.basedOn} cannot be read`,
        error,
      );
    }
  }
  return {
    type: 'resume',
    previous,
    state: {
      snapshotId,
      startedAt: new Date(checkpoint.startedAt),
      continuation,
      stalled: checkpoint.stalled,
      kinds,
      basedOn: checkpoint.basedOn,
      progress,
      objects: checkpoint.objects,
      apiCalls: checkpoint.apiCalls,
      throttles: checkpoint.throttles,
      warnings: checkpoint.warnings,
    },
  };
}
