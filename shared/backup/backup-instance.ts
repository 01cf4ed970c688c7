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
import { renderSnapshotReport } from '#shared/report/snapshot-report.js';
import {
  buildChangeLog,
  type ChangeLog,
  changedResources,
  type PreviousSnapshot as PreviousComplete,
} from '#shared/snapshot/changes.js';
import {
  CHANGES_FILE,
  CHANGES_KIND,
  canonicalJson,
  FORMAT_VERSION,
  INSTANCE_FILE,
  INSTANCE_KIND,
  isSnapshotId,
  latestKey,
  latestPointerFor,
  latestPointerSchema,
  type Manifest,
  type ManifestObject,
  type ManifestWarning,
  manifestKey,
  manifestSchema,
  newSnapshotId,
  parseSnapshotId,
  reportKey,
  sha256Hex,
  snapshotObjectKey,
  snapshotRoot,
  snapshotsRoot,
} from '#shared/snapshot/format.js';
import { MissingObjectError, type SnapshotStore, toBytes } from '#shared/snapshot/store.js';
import { readLatestPointer, readVerifiedManifest, SnapshotIntegrityError } from '#shared/snapshot/verify.js';
import { type Checkpoint, checkpointKey, checkpointSchema, type KindProgress } from './checkpoint.js';
import { leaseKey, SnapshotLease } from './lease.js';
import {
  derivedFoldersOf,
  derivedObjects,
  documentIdentity,
  documentPlacement,
  type EntryIdentity,
  manifestEntry,
  scrubPasswords,
} from './snapshot-objects.js';

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
  /** This backup is the safety snapshot of that restore (recorded as the manifest's `safetyFor`). */
  safetyFor?: string;
  /**
   * Write the snapshot's HTML report (`report.html`) beside its manifest once it is complete.
   * Default true. Making it reads the snapshot's objects once more (verifying them) and its
   * `changes.json`.
   */
  report?: boolean;
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
  /**
   * For `complete`: resources added, removed and changed since the previous complete snapshot, as
   * its `changes.json` counts them (every resource of the first snapshot counts as added); absent
   * when nothing could be compared (`changes.json` says why).
   */
  changedResources?: number;
  /**
   * For `complete`, unless the request said `report: false`: the snapshot's HTML report
   * (`report.html`) and, when it could not be made or stored, why (the snapshot is complete anyway).
   */
  report?: { key: string; problem?: string };
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
  /**
   * What `changes.json` compares with: the snapshot `latest.json` named when the first invocation
   * started, `null` when there was none, a string saying why it is not known (`latest.json`
   * unreadable), or `undefined` when resumed from a checkpoint written before change logs (then
   * `latest.json` is read when the manifest is written).
   */
  previousComplete: PreviousComplete | null | string | undefined;
}

/**
 * The previous complete snapshot `latest.json` names now, for `changes.json`: one that started
 * before `snapshotId`, or `null` when there is none; a sentence saying why when it cannot be read,
 * or names this or a newer snapshot.
 */
async function previousComplete(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
): Promise<PreviousComplete | null | string> {
  try {
    const latest = await readLatestPointer(store, prefix, instanceId);
    if (!latest) return null;
    if (latest.snapshotId >= snapshotId)
      return `latest.json names snapshot ${latest.snapshotId}, not one older than ${snapshotId}`;
    return { snapshotId: latest.snapshotId, finishedAt: latest.finishedAt };
  } catch (error) {
    if (!(error instanceof SnapshotIntegrityError)) throw error;
    return `latest.json cannot be read: ${error.message}`;
  }
}

/** Whether a manifest holds a kind (read or carried forward). */
function holds(manifest: Manifest, kind: KindName): boolean {
  return manifest.kinds.read.includes(kind) || manifest.kinds.carriedForward.includes(kind);
}

/**
 * The base of each kind an incremental read can use: the newest committed snapshot (one with a
 * manifest, complete or partial) that holds the kind. The snapshot folders are listed once and the
 * manifests read newest first, each verified, only until every such kind has a base. A folder
 * without a manifest (a backup that never finished, or one running now) is passed over. A manifest
 * that cannot be used stops the search: the kinds still without a base are read in full, with a
 * warning (it may have been their newest snapshot).
 *
 * @returns Kind → the manifest of its base; kinds without one are absent.
 */
async function basesByKind(
  request: BackupRequest,
  ports: BackupPorts,
  instanceId: string,
  kinds: readonly ResourceKind[],
  warnings: ManifestWarning[],
): Promise<Map<KindName, Manifest>> {
  const bases = new Map<KindName, Manifest>();
  const wanted = kinds.filter((kind) => kind.changes !== undefined).map((kind) => kind.name);
  if (wanted.length === 0) return bases;
  const root = snapshotsRoot(request.prefix, instanceId);
  const ids: string[] = [];
  for await (const folder of ports.store.listFolders(root)) {
    const id = folder.slice(root.length, -1);
    if (isSnapshotId(id)) ids.push(id);
  }
  ids.sort().reverse();
  for (const snapshotId of ids) {
    if (bases.size === wanted.length) break;
    let manifest: Manifest;
    try {
      manifest = await readVerifiedManifest(ports.store, request.prefix, instanceId, snapshotId);
    } catch (error) {
      if (!(error instanceof SnapshotIntegrityError)) throw error;
      if (error.problem === 'missing') continue;
      const left = wanted.filter((kind) => !bases.has(kind));
      const which = left.length === wanted.length ? 'every kind is' : `${left.join(', ')} are`;
      warnings.push(`previous snapshot not used, ${which} read in full: ${error.message}`);
      ports.logger.warn('previous snapshot not usable', { problem: error.problem, key: error.key });
      break;
    }
    for (const kind of wanted) if (!bases.has(kind) && holds(manifest, kind)) bases.set(kind, manifest);
  }
  return bases;
}

/**
 * The snapshot the manifest's top-level `basedOn` names: the newest complete base an incremental
 * kind uses, or, when all of them are partial, the newest base.
 */
function topLevelBase(bases: ReadonlyMap<string, Manifest | undefined>): string | undefined {
  const used = [...bases.values()].filter((m): m is Manifest => m !== undefined);
  const newest = (list: Manifest[]) =>
    list
      .map((m) => m.snapshotId)
      .sort()
      .at(-1);
  return newest(used.filter((m) => !m.partial)) ?? newest(used);
}

/**
 * Decides how each kind is read: incrementally when it can detect changes, the previous snapshot
 * holds it with its signals, no full read is asked for, and its last full read is younger than the
 * interval; in full otherwise.
 */
function plan(
  request: BackupRequest,
  kinds: readonly ResourceKind[],
  bases: ReadonlyMap<KindName, Manifest>,
  started: Date,
): Map<KindName, KindProgress> {
  const interval = request.fullReadIntervalMs ?? DEFAULT_FULL_READ_INTERVAL_MS;
  const progress = new Map<KindName, KindProgress>();
  for (const kind of kinds) {
    const base = bases.get(kind.name);
    const before = base?.kinds.byKind?.[kind.name];
    // The weekly full read is per kind: counted from the kind's own last full read.
    const due = !before || started.getTime() - Date.parse(before.lastFullReadAt) >= interval;
    const incremental = !request.full && kind.changes !== undefined && !due;
    progress.set(kind.name, {
      mode: incremental ? 'incremental' : 'full',
      lastFullReadAt: incremental && before ? before.lastFullReadAt : started.toISOString(),
      finished: false,
      read: 0,
      carriedForward: 0,
      ...(incremental && base ? { basedOn: base.snapshotId } : {}),
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
      ...(p.mode === 'incremental' && p.basedOn ? { basedOn: p.basedOn } : {}),
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
 * plus `flows-raw/` for flow content and `prompts-audio/` for each prompt's audio, downloaded from
 * the presigned URL GetPromptFile returns; a derived object that cannot be had fails the backup);
 * then `changes.json`, the change log against the snapshot `latest.json` named when the first
 * invocation started (see `shared/snapshot/changes.ts`; reading only the documents whose SHA-256
 * differs); then `manifest.json` (written once, last, with every
 * object's SHA-256 and change signal, and which kinds were read in full or carried forward); then
 * `latest.json`. Every snapshot is complete and stands alone.
 *
 * A copy whose SHA-256 (returned by the store) does not match the previous manifest is not
 * trusted: that resource is read again, with a warning. A resource carried forward takes its
 * derived objects with it (an unchanged prompt's audio is copied, not downloaded again).
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

  /** The result of an invocation that found the snapshot finished, handed over or held by another. */
  const duplicateResult = (snapshotId: string, manifest: Manifest | undefined): BackupResult => {
    logger.info('snapshot already handled by another invocation', {
      snapshotId,
      continuation: request.resume?.continuation ?? 0,
    });
    return {
      status: 'duplicate',
      snapshotId,
      instance,
      location: location(snapshotId),
      manifestKey: manifestKey(request.prefix, instance.id, snapshotId),
      counts: manifest?.counts ?? {},
      kinds: manifest?.kinds ?? { read: [], carriedForward: [] },
      apiCalls: manifest?.apiCalls ?? thisInvocation().calls,
      throttles: manifest?.throttles.count ?? sum(thisInvocation().throttles),
      objects: manifest?.objects.length ?? 0,
      bytes: manifest?.objects.reduce((n, o) => n + o.bytes, 0) ?? 0,
      warnings: manifest?.warnings ?? [],
      durationMs: clock.now().getTime() - invocationStarted.getTime(),
    };
  };

  // --- A new snapshot, or the state an earlier invocation handed over --------------------------
  let state: RunState;
  /** The snapshots incremental kinds copy from, by snapshot id (each kind's `progress.basedOn`). */
  let previous: Map<string, PreviousSnapshot>;
  if (request.resume) {
    const resumed = await resume(request, ports, instance);
    if (resumed.type === 'duplicate') return duplicateResult(request.resume.snapshotId, resumed.manifest);
    state = resumed.state;
    previous = resumed.previous;
  } else {
    const kinds: ResourceKind[] = request.kinds ? [...new Set(request.kinds)].map(kindNamed) : [...KINDS];
    const warnings: ManifestWarning[] = [];
    const bases = request.full
      ? new Map<KindName, Manifest>()
      : await basesByKind(request, ports, instance.id, kinds, warnings);
    const progress = plan(request, kinds, bases, invocationStarted);
    const used = new Map<string, Manifest>();
    for (const [kind, p] of progress) {
      const base = bases.get(kind);
      if (p.basedOn && base) used.set(p.basedOn, base);
    }
    previous = new Map([...used].map(([id, manifest]) => [id, indexPrevious(manifest)]));
    const snapshotId = newSnapshotId(invocationStarted);
    state = {
      snapshotId,
      startedAt: invocationStarted,
      continuation: 0,
      stalled: 0,
      kinds,
      basedOn: topLevelBase(used),
      progress,
      objects: [],
      apiCalls: {},
      throttles: {},
      warnings,
      previousComplete: await previousComplete(store, request.prefix, instance.id, snapshotId),
    };
    logger.info('backup planned', {
      snapshotId: state.snapshotId,
      basedOn: state.basedOn,
      modes: Object.fromEntries(
        [...progress].map(([kind, p]) => [kind, p.basedOn ? `${p.mode} from ${p.basedOn}` : p.mode]),
      ),
    });
  }
  // --- The lease: one invocation writes the snapshot at a time ---------------------------------
  let lease: SnapshotLease | undefined;
  try {
    for (let attempt = 0; ; attempt += 1) {
      lease = await SnapshotLease.take(
        ports,
        leaseKey(request.prefix, instance.id, state.snapshotId, state.continuation),
        state.snapshotId,
        state.continuation,
      );
      // A new snapshot whose id another backup took in the same millisecond takes the next one.
      if (lease || request.resume || attempt >= 5) break;
      state.snapshotId = newSnapshotId(new Date((parseSnapshotId(state.snapshotId)?.getTime() ?? 0) + 1));
    }
    if (lease?.tookOver && request.resume) {
      // Checked again under the lease: the holder before may have finished or handed over.
      const again = await resume(request, ports, instance);
      if (again.type === 'duplicate') {
        await lease.release();
        return duplicateResult(state.snapshotId, again.manifest);
      }
    }
  } catch (error) {
    await lease?.release();
    throw new BackupFailedError(
      `Cannot take the lease on snapshot ${state.snapshotId}: ${(error as Error).message}`,
      instance.id,
      state.snapshotId,
      { cause: error },
    );
  }
  if (!lease) return duplicateResult(state.snapshotId, undefined);
  const held = lease;
  try {
    return await writeSnapshot(held);
  } catch (error) {
    await removeUnfinished(held, error);
    throw error;
  } finally {
    await held.release();
  }

  /**
   * Removes the snapshot folder of a backup that failed for good, when the store can delete (a
   * local folder; never S3, whose backup role has no delete permission) and the folder has no
   * manifest. Only the lease holder does it, so no other invocation is writing it.
   */
  async function removeUnfinished(held: SnapshotLease, failure: unknown): Promise<void> {
    const remove = store.delete?.bind(store);
    if (!remove || !(failure instanceof BackupFailedError)) return;
    try {
      held.assertHeld();
      if (await store.get(manifestKey(request.prefix, instance.id, state.snapshotId))) return;
      const root = snapshotRoot(request.prefix, instance.id, state.snapshotId);
      const keys: string[] = [];
      for await (const key of store.list(root)) keys.push(key);
      const own = leaseKey(request.prefix, instance.id, state.snapshotId, state.continuation);
      for (const key of keys) if (key !== own) await remove(key);
      await remove(own);
      logger.info('unfinished snapshot folder removed', {
        snapshotId: state.snapshotId,
        objects: keys.length,
      });
    } catch (error) {
      logger.warn('unfinished snapshot folder not removed', {
        snapshotId: state.snapshotId,
        error: (error as Error).name,
      });
    }
  }

  async function writeSnapshot(lease: SnapshotLease): Promise<BackupResult> {
    const { snapshotId } = state;
    const objectsAtStart = state.objects.length;
    const finishedAtStart = [...state.progress.values()].filter((p) => p.finished).length;

    // --- Reading and storing ---------------------------------------------------------------------
    const stopOnFailure = new AbortController();
    const signal = ports.signal
      ? AbortSignal.any([ports.signal, stopOnFailure.signal])
      : stopOnFailure.signal;
    // Every Connect call in flight listens to it (16 per kind): more than Node's default warning level.
    setMaxListeners(0, signal);
    const warn = (w: { kind: KindName; id?: string; message: string }) => {
      state.warnings.push(w.id ? { kind: w.kind, id: w.id, message: w.message } : `${w.kind}: ${w.message}`);
      logger.warn('backup warning', { kind: w.kind, resourceId: w.id, warning: w.message });
    };
    const ctx: ReadContext = { connect, instanceId: instance.id, instanceArn: instance.arn, signal, warn };
    const objectKey = (id: string, relativeKey: string) =>
      snapshotObjectKey(request.prefix, instance.id, id, relativeKey);

    /** Keys this invocation created, the only ones it may ever write again (see `writeOnce`). */
    const created = new Set<string>();
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

    /**
     * Writes an object of the snapshot once: `putIfAbsent`, so no invocation can change an object
     * another one (or a committed manifest) relies on. With `replaceOwn`, an object this invocation
     * created itself and nothing lists yet (a carried-forward copy found damaged) is replaced.
     *
     * @returns `undefined` when `body` is stored; else the other bytes already stored at the key.
     */
    const writeOnce = async (
      relativeKey: string,
      body: string | Uint8Array,
      replaceOwn = false,
      contentType = 'application/json',
    ): Promise<Uint8Array | undefined> => {
      lease.assertHeld();
      const key = objectKey(snapshotId, relativeKey);
      if (replaceOwn && created.has(key)) {
        // Conditional, as every write of the backup role must be (the bucket policy denies others).
        const current = await store.getTagged(key);
        if (current && (await store.putIfMatch(key, body, contentType, current.tag))) return undefined;
        throw new Error(`${key}, which this invocation wrote, changed or vanished while it replaced it`);
      }
      if (await store.putIfAbsent(key, body, contentType)) {
        created.add(key);
        return undefined;
      }
      const existing = await store.get(key);
      if (existing === undefined) throw new Error(`${key} was there a moment ago and is gone`);
      return Buffer.from(existing).equals(Buffer.from(toBytes(body))) ? undefined : existing;
    };

    const put = async (relativeKey: string, body: string, entry: EntryIdentity): Promise<ManifestObject> => {
      const existing = await writeOnce(relativeKey, body);
      if (existing !== undefined)
        throw new Error(`${relativeKey} was written by another invocation with other content`);
      return manifestEntry(relativeKey, body, entry);
    };

    const storeDocument = async (
      kind: ResourceKind,
      read: StoredDocument,
      replaceOwn = false,
    ): Promise<void> => {
      const removed = scrubPasswords(read);
      if (removed) warn({ kind: kind.name, id: read.id, message: `removed ${removed} password member(s)` });
      const { name, relativeKey, body: readBody } = documentPlacement(kind, read);
      let body = readBody;
      let document = read;
      const existing = await writeOnce(relativeKey, body, replaceOwn);
      if (existing !== undefined) {
        // Another invocation of this snapshot (one that died, or lost its lease) stored this resource
        // first. Its object stays as it is, and the manifest describes it, not this read.
        body = text(existing);
        document = JSON.parse(body) as StoredDocument;
        logger.info('object kept as another invocation stored it', { kind: kind.name, key: relativeKey });
      }
      const signalOf = kind.changes?.signalOf(document);
      const entries = [
        manifestEntry(relativeKey, body, {
          ...documentIdentity(kind, document),
          ...(signalOf ? { signal: signalOf } : {}),
        }),
      ];
      for (const derived of await derivedObjects(kind, document, name, ctx)) {
        if (
          (await writeOnce(derived.relativeKey, derived.body, replaceOwn, derived.contentType)) !== undefined
        ) {
          throw new Error(
            `${derived.relativeKey} was written by another invocation from another version of ${document.id}`,
          );
        }
        entries.push(manifestEntry(derived.relativeKey, derived.body, derived.entry));
      }
      state.objects.push(...entries);
    };

    /**
     * Copies a resource's objects from the previous snapshot (`copyIfAbsent`); false when a copy
     * does not match its SHA-256, or another invocation stored something else at its key.
     */
    const previousOf = (kind: ResourceKind): PreviousSnapshot | undefined => {
      const basedOn = state.progress.get(kind.name)?.basedOn;
      return basedOn ? previous.get(basedOn) : undefined;
    };
    const carryForward = async (kind: ResourceKind, id: string): Promise<boolean> => {
      const base = previousOf(kind);
      const from = base?.objects;
      // The document and every object derived from it (raw flow, prompt audio), copied as they are.
      const entries = [
        ...(from?.get(`${kind.name}\0${id}`) ?? []),
        ...derivedFoldersOf(kind).flatMap((folder) => from?.get(`${folder}\0${id}`) ?? []),
      ];
      // A resource the previous manifest does not hold, or whose object is gone or changed, is
      // never carried forward: it is read again (self-healing; the caller warns).
      if (!base || entries.length === 0) return false;
      const basedOn = base.manifest.snapshotId;
      for (const entry of entries) {
        lease.assertHeld();
        const target = objectKey(snapshotId, entry.key);
        let copied: Awaited<ReturnType<SnapshotStore['copyIfAbsent']>>;
        try {
          copied = await store.copyIfAbsent(objectKey(basedOn, entry.key), target);
        } catch (error) {
          if (error instanceof MissingObjectError) return false;
          throw error;
        }
        let sha256 = copied.sha256;
        if (copied.written) created.add(target);
        else {
          const existing = await store.get(target);
          sha256 = existing === undefined ? undefined : sha256Hex(existing);
          if (sha256 === undefined) return false;
        }
        // A damaged object of the previous snapshot is never carried forward: the resource is read again.
        if (sha256 !== undefined && sha256 !== entry.sha256) return false;
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
          ? kind.changes.readChanged(kindCtx, previousOf(kind)?.signals.get(kind.name) ?? new Map())
          : documents(kind.read(kindCtx));
      const writes = new WritePool(WRITES_IN_FLIGHT, WRITES_WAITING);
      const stored = () => progress.read + progress.carriedForward;
      const damaged = new Set<string>();
      const storeRead = async (document: StoredDocument, replaceOwn = false) => {
        await storeDocument(kind, document, replaceOwn);
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
          message: `${damaged.size} resource(s) could not be carried forward from snapshot ${progress.basedOn} (an object is missing or no longer matches its manifest); read again from Connect`,
        });
        for await (const document of kind.read({ ...ctx, skip: (id) => !damaged.has(id) })) {
          signal.throwIfAborted();
          if (damaged.delete(document.id)) await storeRead(document, true);
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
        ...(state.previousComplete === undefined ? {} : { previousComplete: state.previousComplete }),
      };
      const key = checkpointKey(request.prefix, instance.id, snapshotId, next);
      let handedOver = false;
      try {
        lease.assertHeld();
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

    // A backup of some kinds only is recorded as partial and never becomes latest.
    const partial = KINDS.some((kind) => !state.kinds.includes(kind));

    // --- changes.json, then the manifest, once, last ---------------------------------------------
    let changeLog: ChangeLog | undefined;
    if (!state.objects.some((o) => o.kind === CHANGES_KIND)) {
      try {
        changeLog = await writeChangeLog(partial);
      } catch (error) {
        fail(`Writing ${CHANGES_FILE} of snapshot ${snapshotId} failed: ${(error as Error).message}`, error);
      }
    }
    const finished = clock.now();
    const objects = [...state.objects].sort((a, b) => a.key.localeCompare(b.key));
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
      ...(request.safetyFor ? { safetyFor: request.safetyFor } : {}),
    });

    const key = manifestKey(request.prefix, instance.id, snapshotId);
    let written = false;
    try {
      lease.assertHeld();
      written = await store.putIfAbsent(key, canonicalJson(manifest), 'application/json');
      if (!written && state.continuation === 0) throw new Error(`a manifest already exists at ${key}`);
      if (written && !partial) {
        const moved = await advanceLatest(store, latestKey(request.prefix, instance.id), manifest);
        if (!moved) logger.info('latest.json kept: it names a newer snapshot', { snapshotId });
      }
    } catch (error) {
      fail(`Writing the manifest of snapshot ${snapshotId} failed: ${(error as Error).message}`, error);
    }
    let report: BackupResult['report'];
    if (written) {
      logger.info('snapshot written', { snapshotId, objects: objects.length, manifestKey: key });
      if (request.report !== false) report = await writeReport();
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
      ...(written && changeLog && changeLog.unavailable === undefined
        ? { changedResources: changedResources(changeLog) }
        : {}),
      ...(report ? { report } : {}),
      durationMs: finished.getTime() - state.startedAt.getTime(),
    };

    /**
     * Writes the snapshot's HTML report (`report.html`, {@link renderSnapshotReport}) beside its
     * manifest, once. The snapshot is complete without it: a report that cannot be made or stored is
     * logged and reported, never a failed backup.
     */
    async function writeReport(): Promise<NonNullable<BackupResult['report']>> {
      const at = reportKey(request.prefix, instance.id, snapshotId);
      try {
        const html = await renderSnapshotReport(store, request.prefix, instance.id, snapshotId);
        const stored = await store.putIfAbsent(at, html, 'text/html; charset=utf-8');
        logger.info(stored ? 'report written' : 'report kept as another invocation stored it', { key: at });
        return { key: at };
      } catch (error) {
        const problem = (error as Error).message;
        logger.warn('report not written', { key: at, problem });
        return { key: at, problem };
      }
    }

    /**
     * Compares the snapshot's objects with the previous complete snapshot and stores the result as
     * `changes.json` (once, like every object), listed in the manifest. One that could not compare
     * anything says why, and the manifest carries the same warning.
     */
    async function writeChangeLog(partial: boolean): Promise<ChangeLog> {
      const since =
        state.previousComplete === undefined
          ? await previousComplete(store, request.prefix, instance.id, snapshotId)
          : state.previousComplete;
      let log = await buildChangeLog({
        store,
        prefix: request.prefix,
        snapshot: { snapshotId, instance, objects: state.objects },
        previous: since,
        ...(partial ? { kinds: state.kinds.map((k) => k.name) } : {}),
      });
      let body = canonicalJson(log);
      const existing = await writeOnce(CHANGES_FILE, body);
      if (existing !== undefined) {
        // Another invocation of this snapshot stored it first: the manifest describes its object.
        body = text(existing);
        log = JSON.parse(body) as ChangeLog;
        logger.info('object kept as another invocation stored it', { key: CHANGES_FILE });
      }
      if (log.unavailable !== undefined) {
        state.warnings.push(`${CHANGES_FILE} lists no change: ${log.unavailable}`);
        logger.warn('change log without changes', { reason: log.unavailable });
      } else {
        logger.info('change log written', { previous: log.previous?.snapshotId ?? null, ...log.total });
      }
      state.objects.push(
        manifestEntry(CHANGES_FILE, body, { kind: CHANGES_KIND, id: instance.id, name: CHANGES_KIND }),
      );
      return log;
    }
  }
}

/** Attempts at moving `latest.json` before a backup gives up (each lost to another writer). */
const LATEST_ATTEMPTS = 10;

/**
 * Points `latest.json` at the snapshot of `manifest`, only forward: when it names no snapshot, an
 * unreadable one, or an older one (snapshot ids sort by start time), it is replaced with a
 * compare-and-swap on the tag it was read with (`putIfAbsent` when there is none, `putIfMatch`
 * otherwise), so of two overlapping backups the one that started later is named, whichever ends
 * last.
 *
 * @returns false when `latest.json` already names this or a newer snapshot (nothing written).
 * @throws Error after {@link LATEST_ATTEMPTS} compare-and-swaps lost to other writers.
 */
async function advanceLatest(store: SnapshotStore, key: string, manifest: Manifest): Promise<boolean> {
  const body = canonicalJson(latestPointerFor(manifest));
  for (let attempt = 0; attempt < LATEST_ATTEMPTS; attempt += 1) {
    const current = await store.getTagged(key);
    if (current === undefined) {
      if (await store.putIfAbsent(key, body, 'application/json')) return true;
      continue;
    }
    const named = latestPointerSchema.safeParse(safeJson(current.bytes)).data?.snapshotId;
    if (named !== undefined && named >= manifest.snapshotId) return false;
    if (await store.putIfMatch(key, body, 'application/json', current.tag)) return true;
  }
  throw new Error(`${key} kept changing under ${LATEST_ATTEMPTS} attempts to move it`);
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

async function* documents(read: AsyncIterable<StoredDocument>): AsyncIterable<IncrementalItem> {
  for await (const document of read) yield { document };
}

type Resumed =
  | { type: 'resume'; state: RunState; previous: Map<string, PreviousSnapshot> }
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
  // Each incremental kind copies from the base the first invocation chose (older checkpoints name
  // one base for every kind).
  for (const p of progress.values()) {
    if (p.mode === 'incremental' && !p.basedOn && checkpoint.basedOn) p.basedOn = checkpoint.basedOn;
  }
  const previous = new Map<string, PreviousSnapshot>();
  for (const basedOn of new Set([...progress.values()].map((p) => p.basedOn))) {
    if (!basedOn) continue;
    try {
      previous.set(
        basedOn,
        indexPrevious(await readVerifiedManifest(store, request.prefix, instance.id, basedOn)),
      );
    } catch (error) {
      return fail(
        `Cannot resume snapshot ${snapshotId}: its previous snapshot ${basedOn} cannot be read`,
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
      previousComplete: checkpoint.previousComplete,
    },
  };
}
