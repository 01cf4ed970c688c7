/**
 * Reading snapshots back with their integrity checked: the manifest, `latest.json`, the objects,
 * and the list of an instance's snapshots.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';
import {
  CHANGES_FILE,
  CHANGES_KIND,
  CHECKPOINTS_FOLDER,
  DERIVED_FOLDERS,
  FORMAT_VERSION,
  INSTANCE_FILE,
  INSTANCE_KIND,
  isSnapshotId,
  type LatestPointer,
  latestKey,
  latestPointerSchema,
  MANIFEST_FILE,
  type Manifest,
  type ManifestObject,
  manifestKey,
  manifestSchema,
  PROMPT_AUDIO_FOLDER,
  RAW_FLOWS_FOLDER,
  REPORT_FILE,
  sha256Hex,
  snapshotObjectKey,
  snapshotRoot,
  snapshotsRoot,
  warningSentence,
} from './format.js';
import type { SnapshotStore, StoreCallOptions } from './store.js';

/** What is wrong with a snapshot document, for callers that branch on it. */
export type SnapshotIntegrityProblem =
  /** There is no manifest: the snapshot never finished. */
  | 'missing'
  /** The bytes are not UTF-8 JSON. */
  | 'invalid-json'
  /** The JSON does not match the schema of its format version. */
  | 'invalid-schema'
  /** Written in a newer format version than this code reads. */
  | 'newer-format'
  /** A valid manifest, but of another snapshot or instance than its folder says. */
  | 'wrong-snapshot'
  /** An object the manifest lists is not in the store. */
  | 'missing-object'
  /** An object's bytes no longer match the SHA-256 (or size) in the manifest. */
  | 'checksum-mismatch';

/**
 * A snapshot document (manifest or `latest.json`) is missing, unreadable, invalid or too new.
 * `problem` says which; `cause` keeps the parser's error when there is one.
 */
export class SnapshotIntegrityError extends Error {
  override readonly name = 'SnapshotIntegrityError';
  /** What is wrong. */
  readonly problem: SnapshotIntegrityProblem;
  /** Store key of the document. */
  readonly key: string;

  constructor(problem: SnapshotIntegrityProblem, key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
    this.key = key;
  }
}

/** Options of the functions that read many objects. */
export interface ReadOptions extends StoreCallOptions {
  /** Reads in flight at once. Default 8. */
  concurrency?: number | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a stored snapshot document (a manifest, `latest.json`, `changes.json`) against `schema`.
 * @throws SnapshotIntegrityError with `problem` `invalid-json`, `newer-format` (a `formatVersion`
 *   above {@link FORMAT_VERSION}) or `invalid-schema`, naming `what` and `key`.
 */
export function parseDocument<Schema extends z.ZodType>(
  bytes: Uint8Array,
  key: string,
  what: string,
  schema: Schema,
): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(bytes));
  } catch (error) {
    throw new SnapshotIntegrityError('invalid-json', key, `${what} ${key} is not valid UTF-8 JSON`, {
      cause: error,
    });
  }
  const version =
    typeof json === 'object' && json !== null
      ? (json as { formatVersion?: unknown }).formatVersion
      : undefined;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new SnapshotIntegrityError(
      'newer-format',
      key,
      `${what} ${key} has format version ${version}; this connect-vault reads up to version ${FORMAT_VERSION}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new SnapshotIntegrityError(
      'invalid-schema',
      key,
      `${what} ${key} does not match format version ${FORMAT_VERSION}: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * Reads a snapshot's manifest and checks it: valid UTF-8 JSON, a format version this code reads,
 * the version-1 schema, and the snapshot id and instance id of the folder it was read from.
 *
 * @returns The parsed manifest.
 * @throws SnapshotIntegrityError with `problem` `missing` (no manifest: the snapshot never
 *   finished), `invalid-json`, `newer-format`, `invalid-schema` (`cause` is the ZodError) or
 *   `wrong-snapshot`.
 * @throws RangeError when `snapshotId` is not a snapshot id or the prefix or instance id is bad.
 */
export async function readVerifiedManifest(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
  options?: StoreCallOptions,
): Promise<Manifest> {
  const key = manifestKey(prefix, instanceId, snapshotId);
  const bytes = await store.get(key, options);
  if (bytes === undefined) {
    throw new SnapshotIntegrityError('missing', key, `snapshot ${snapshotId} has no manifest at ${key}`);
  }
  const manifest = parseDocument(bytes, key, 'manifest', manifestSchema);
  if (manifest.snapshotId !== snapshotId || manifest.instance.id !== instanceId) {
    throw new SnapshotIntegrityError(
      'wrong-snapshot',
      key,
      `manifest ${key} describes snapshot ${manifest.snapshotId} of instance ${manifest.instance.id}`,
    );
  }
  return manifest;
}

/**
 * Reads an instance's `latest.json` pointer.
 *
 * @returns The pointer, or `undefined` when the instance has no complete snapshot yet.
 * @throws SnapshotIntegrityError with `problem` `invalid-json`, `newer-format` or `invalid-schema`.
 */
export async function readLatestPointer(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  options?: StoreCallOptions,
): Promise<LatestPointer | undefined> {
  const key = latestKey(prefix, instanceId);
  const bytes = await store.get(key, options);
  return bytes === undefined ? undefined : parseDocument(bytes, key, 'latest pointer', latestPointerSchema);
}

/** An object whose stored bytes differ from its manifest entry. */
export interface MismatchedObject {
  /** Key relative to the snapshot folder. */
  key: string;
  expectedSha256: string;
  actualSha256: string;
  expectedBytes: number;
  actualBytes: number;
}

/** Result of {@link verifySnapshot}. Keys are relative to the snapshot folder, sorted. */
export interface VerifyReport {
  /** True when nothing is missing, mismatched, unexpected or inconsistent. */
  ok: boolean;
  snapshotId: string;
  /** Where the snapshot is: the store's description followed by the snapshot folder. */
  location: string;
  /** Objects the manifest lists, every one of which was looked for and, when found, hashed. */
  checked: number;
  /** Listed in the manifest, not in the store. */
  missing: string[];
  /** In the store with other bytes than the manifest says. */
  mismatched: MismatchedObject[];
  /**
   * In the snapshot folder but not in the manifest (other than `manifest.json`, `report.html` and
   * `checkpoints/`).
   */
  unexpected: string[];
  /**
   * True when the snapshot folder holds the backup's HTML report, `report.html`: a page made from
   * the snapshot after its manifest, which the manifest therefore cannot list and verify cannot
   * check; nothing restore reads.
   */
  report: boolean;
  /**
   * What the manifest says that does not add up, one sentence each (see
   * {@link manifestInconsistencies}): counts that disagree with the entries, entries of unknown
   * kinds, no `instance.json`, …
   */
  inconsistent: string[];
}

/** Options of {@link verifySnapshotObjects}. */
export interface VerifyObjectsOptions extends ReadOptions {
  /**
   * Called with the bytes of every listed object that matches its manifest entry (SHA-256 and
   * size), so a reader (restore) uses exactly the bytes that were verified, read once. An error it
   * throws ends the verification with that error.
   */
  onObject?(object: ManifestObject, bytes: Uint8Array): void | Promise<void>;
}

/**
 * Where a snapshot is, for people and reports: the store's description and the snapshot folder,
 * joined by one slash, e.g. `s3://my-backups/connect/<instance id>/snapshots/<snapshot id>/` or
 * `/var/backups/<instance id>/snapshots/<snapshot id>/`.
 */
export function snapshotLocation(
  store: Pick<SnapshotStore, 'describe'>,
  prefix: string,
  instanceId: string,
  snapshotId: string,
): string {
  return `${store.describe().replace(/\/?$/, '/')}${snapshotRoot(prefix, instanceId, snapshotId)}`;
}

/** Runs `work` on every item with at most `concurrency` in flight; rejects on the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
) {
  // Workers share one iterator, so each item is taken exactly once.
  const queue = items.values();
  const worker = async () => {
    for (const item of queue) await work(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

const RESOURCE_KINDS: ReadonlySet<string> = new Set(KIND_NAMES);
const KNOWN_KINDS: ReadonlySet<string> = new Set([
  ...KIND_NAMES,
  INSTANCE_KIND,
  CHANGES_KIND,
  ...Object.keys(DERIVED_FOLDERS),
]);
/** The kinds of the snapshot's own files, which sit at the top of its folder, not in a folder of their kind. */
const TOP_LEVEL_KINDS: ReadonlySet<string> = new Set([INSTANCE_KIND, CHANGES_KIND]);
/** What the problems call each folder of derived objects. */
const DERIVED_LABELS: Readonly<Record<string, string>> = {
  [RAW_FLOWS_FOLDER]: 'raw flows',
  [PROMPT_AUDIO_FOLDER]: 'prompt audio',
};

/** At most this many problems of one sort are spelled out; the rest are counted. */
const PROBLEMS_SPELLED_OUT = 20;

/**
 * What a manifest says about itself that does not add up. A backup writes a manifest that always
 * passes; any problem here means the manifest was edited (an entry removed, added or changed) or
 * written by something else. The checks, each one sentence in the result:
 *
 * - the manifest lists objects, and exactly one of them is `instance.json` (kind `instance`, the
 *   manifest's instance id);
 * - at most one is `changes.json` (kind `changes`, the manifest's instance id; snapshots written
 *   before change logs have none);
 * - every entry's kind is a resource kind this code knows, `instance`, `changes`, `flows-raw` or
 *   `prompts-audio`, and its key lies in that kind's folder (`<kind>/…`, `flows-raw/…`);
 * - no resource is listed twice (same kind and id), nor any derived object;
 * - every raw flow belongs to a listed flow, every prompt audio to a listed prompt, and only
 *   prompt audio (a binary object) has a `contentType`;
 * - `counts` names only known resource kinds, and for every resource kind the number of entries
 *   equals its count (a kind with entries must be counted).
 *
 * @returns The problems, empty when the manifest is consistent. Pure: reads nothing.
 */
export function manifestInconsistencies(manifest: Manifest): string[] {
  const problems: string[] = [];
  const spell = (what: string, items: readonly string[]) => {
    if (!items.length) return;
    const shown = items.slice(0, PROBLEMS_SPELLED_OUT).join(', ');
    const more =
      items.length > PROBLEMS_SPELLED_OUT ? ` and ${items.length - PROBLEMS_SPELLED_OUT} more` : '';
    problems.push(`${what}: ${shown}${more}`);
  };
  if (manifest.objects.length === 0) {
    problems.push('the manifest lists no objects (every snapshot holds at least instance.json)');
  }
  const instances = manifest.objects.filter((o) => o.kind === INSTANCE_KIND);
  if (manifest.objects.length > 0 && instances.length === 0)
    problems.push(`the manifest lists no ${INSTANCE_FILE}`);
  if (instances.length > 1) problems.push(`the manifest lists ${instances.length} instance objects`);
  for (const entry of instances) {
    if (entry.key !== INSTANCE_FILE || entry.id !== manifest.instance.id)
      problems.push(
        `the instance entry ${entry.key} (id ${entry.id}) is not ${INSTANCE_FILE} of instance ${manifest.instance.id}`,
      );
  }
  const changeLogs = manifest.objects.filter((o) => o.kind === CHANGES_KIND);
  if (changeLogs.length > 1) problems.push(`the manifest lists ${changeLogs.length} change logs`);
  for (const entry of changeLogs) {
    if (entry.key !== CHANGES_FILE || entry.id !== manifest.instance.id)
      problems.push(
        `the change log entry ${entry.key} (id ${entry.id}) is not ${CHANGES_FILE} of instance ${manifest.instance.id}`,
      );
  }
  spell(
    'entries of an unknown kind',
    manifest.objects.filter((o) => !KNOWN_KINDS.has(o.kind)).map((o) => `${o.key} (kind "${o.kind}")`),
  );
  spell(
    "entries outside their kind's folder",
    manifest.objects
      .filter(
        (o) => KNOWN_KINDS.has(o.kind) && !TOP_LEVEL_KINDS.has(o.kind) && !o.key.startsWith(`${o.kind}/`),
      )
      .map((o) => `${o.key} (kind ${o.kind})`),
  );
  const resources = manifest.objects.filter((o) => RESOURCE_KINDS.has(o.kind));
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const o of resources) {
    const id = `${o.kind} ${o.id}`;
    if (seen.has(id)) twice.push(id);
    seen.add(id);
  }
  spell('resources listed more than once', twice);
  const owned = new Set(resources.map((o) => `${o.kind} ${o.id}`));
  for (const [folder, owner] of Object.entries(DERIVED_FOLDERS)) {
    const derived = manifest.objects.filter((o) => o.kind === folder);
    spell(
      `${DERIVED_LABELS[folder] ?? folder} of no listed resource`,
      derived.filter((o) => !owned.has(`${owner} ${o.id}`)).map((o) => o.key),
    );
    const ids = new Set<string>();
    spell(
      `${DERIVED_LABELS[folder] ?? folder} listed more than once for one resource`,
      derived.filter((o) => ids.size === ids.add(o.id).size).map((o) => o.key),
    );
  }
  spell(
    'prompt audio without a content type',
    manifest.objects.filter((o) => o.kind === PROMPT_AUDIO_FOLDER && !o.contentType).map((o) => o.key),
  );
  spell(
    'counts of an unknown kind',
    Object.keys(manifest.counts).filter((kind) => !RESOURCE_KINDS.has(kind)),
  );
  const entries = new Map<string, number>();
  for (const o of resources) entries.set(o.kind, (entries.get(o.kind) ?? 0) + 1);
  for (const kind of KIND_NAMES) {
    const listed = entries.get(kind) ?? 0;
    const counted = manifest.counts[kind];
    if (counted === undefined && listed > 0)
      problems.push(`the manifest lists ${listed} ${kind} but its counts do not name ${kind}`);
    else if (counted !== undefined && counted !== listed)
      problems.push(`the manifest's counts say ${counted} ${kind} but it lists ${listed}`);
  }
  return problems;
}

/**
 * Verifies a snapshot whose manifest has been read (see {@link readVerifiedManifest}): checks the
 * manifest against itself ({@link manifestInconsistencies}), reads every object it lists, comparing
 * SHA-256 and size, and lists the snapshot folder for objects the manifest does not know. The
 * `checkpoints/` a backup resumed from are working state and are not reported.
 *
 * @returns The report; `ok` is false when anything is missing, mismatched, unexpected or inconsistent.
 * @throws Whatever the store or `onObject` throws.
 */
export async function verifySnapshotObjects(
  store: SnapshotStore,
  prefix: string,
  manifest: Manifest,
  options?: VerifyObjectsOptions,
): Promise<VerifyReport> {
  const { snapshotId } = manifest;
  const instanceId = manifest.instance.id;
  const root = snapshotRoot(prefix, instanceId, snapshotId);
  const missing: string[] = [];
  const mismatched: MismatchedObject[] = [];
  await forEachLimited(manifest.objects, options?.concurrency ?? 8, async (object) => {
    const bytes = await store.get(snapshotObjectKey(prefix, instanceId, snapshotId, object.key), options);
    if (bytes === undefined) {
      missing.push(object.key);
      return;
    }
    const actualSha256 = sha256Hex(bytes);
    if (actualSha256 !== object.sha256 || bytes.length !== object.bytes) {
      mismatched.push({
        key: object.key,
        expectedSha256: object.sha256,
        actualSha256,
        expectedBytes: object.bytes,
        actualBytes: bytes.length,
      });
      return;
    }
    await options?.onObject?.(object, bytes);
  });
  const listed = new Set(manifest.objects.map((object) => object.key));
  const unexpected: string[] = [];
  let report = false;
  for await (const key of store.list(root, options)) {
    const relative = key.slice(root.length);
    if (relative === REPORT_FILE) report = true;
    if (
      relative === MANIFEST_FILE ||
      relative === REPORT_FILE ||
      relative.startsWith(`${CHECKPOINTS_FOLDER}/`)
    )
      continue;
    if (!listed.has(relative)) unexpected.push(relative);
  }
  missing.sort();
  mismatched.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  unexpected.sort();
  const inconsistent = manifestInconsistencies(manifest);
  return {
    ok:
      missing.length === 0 && mismatched.length === 0 && unexpected.length === 0 && inconsistent.length === 0,
    snapshotId,
    location: snapshotLocation(store, prefix, instanceId, snapshotId),
    checked: manifest.objects.length,
    missing,
    mismatched,
    unexpected,
    report,
    inconsistent,
  };
}

/**
 * Verifies a snapshot: reads its manifest (see {@link readVerifiedManifest}), then checks it and
 * every object it lists (see {@link verifySnapshotObjects}).
 *
 * @returns The report; `ok` is false when anything is missing, mismatched, unexpected or inconsistent.
 * @throws SnapshotIntegrityError when the manifest itself is missing, invalid or too new.
 */
export async function verifySnapshot(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
  options?: ReadOptions,
): Promise<VerifyReport> {
  const manifest = await readVerifiedManifest(store, prefix, instanceId, snapshotId, options);
  return verifySnapshotObjects(store, prefix, manifest, options);
}

/**
 * The problems of a report that is not `ok`, one sentence each, for a message: missing, changed
 * and unexpected objects (at most 20 of each spelled out), then the manifest's inconsistencies.
 */
export function verifyProblems(report: VerifyReport): string[] {
  const some = <T>(items: readonly T[], line: (item: T) => string, more: string) => [
    ...items.slice(0, PROBLEMS_SPELLED_OUT).map(line),
    ...(items.length > PROBLEMS_SPELLED_OUT ? [`${items.length - PROBLEMS_SPELLED_OUT} more ${more}`] : []),
  ];
  return [
    ...some(
      report.mismatched,
      (m) =>
        `Snapshot object ${m.key} no longer matches the manifest (SHA-256 ${m.actualSha256}, expected ${m.expectedSha256})`,
      'changed objects',
    ),
    ...some(
      report.missing,
      (key) => `Snapshot object ${key} is listed in the manifest but missing`,
      'missing objects',
    ),
    ...some(
      report.unexpected,
      (key) => `Snapshot object ${key} is in the snapshot folder but not in the manifest`,
      'unexpected objects',
    ),
    ...report.inconsistent.map((problem) => `Manifest: ${problem}`),
  ];
}

/** One complete snapshot, as {@link listSnapshots} reports it. */
export interface SnapshotSummary {
  snapshotId: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** ISO 8601 UTC. */
  finishedAt: string;
  /** Number of objects in the manifest (documents, raw flows and `instance.json`). */
  objects: number;
  /** Resources per kind, from the manifest. */
  counts: Record<string, number>;
  /**
   * How the snapshot was made: `full` (every kind read from Connect), `incremental` (some kinds
   * carried forward from an earlier snapshot) or `partial` (some kinds only; never `latest`).
   */
  type: 'full' | 'incremental' | 'partial';
  /** The manifest's warnings, as sentences. */
  warnings: string[];
  /** A restore's safety snapshot: that restore's id. */
  safetyFor?: string;
}

/** Whether a manifest is of a full, incremental or partial backup. */
export function snapshotType(manifest: Manifest): SnapshotSummary['type'] {
  if (manifest.partial) return 'partial';
  return manifest.kinds.carriedForward.length > 0 ? 'incremental' : 'full';
}

/** A snapshot folder whose manifest exists but cannot be used. */
export interface InvalidSnapshot {
  snapshotId: string;
  problem: SnapshotIntegrityProblem;
  message: string;
}

/** Result of {@link listSnapshots}. Every list is newest first. */
export interface SnapshotListing {
  /** Snapshots with a valid manifest. */
  snapshots: SnapshotSummary[];
  /** Snapshot folders with no manifest: backups that never finished (or are running now). */
  incomplete: string[];
  /** Snapshot folders whose manifest is unreadable, invalid or of a newer format. */
  invalid: InvalidSnapshot[];
}

/**
 * Lists an instance's snapshots, newest first, from the folders under
 * `<prefix>/<instanceId>/snapshots/` (folder names that are not snapshot ids are ignored). Only the
 * manifests are read, not the objects: use {@link verifySnapshot} for that.
 *
 * @throws Whatever the store throws; integrity problems are reported, not thrown.
 */
export async function listSnapshots(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  options?: ReadOptions,
): Promise<SnapshotListing> {
  const root = snapshotsRoot(prefix, instanceId);
  const ids: string[] = [];
  for await (const folder of store.listFolders(root, options)) {
    const id = folder.slice(root.length, -1);
    if (isSnapshotId(id)) ids.push(id);
  }
  ids.sort().reverse();
  const found = new Map<string, SnapshotSummary | InvalidSnapshot | 'incomplete'>();
  await forEachLimited(ids, options?.concurrency ?? 8, async (snapshotId) => {
    try {
      const manifest = await readVerifiedManifest(store, prefix, instanceId, snapshotId, options);
      found.set(snapshotId, {
        snapshotId,
        startedAt: manifest.startedAt,
        finishedAt: manifest.finishedAt,
        objects: manifest.objects.length,
        counts: manifest.counts,
        type: snapshotType(manifest),
        warnings: manifest.warnings.map(warningSentence),
        ...(manifest.safetyFor ? { safetyFor: manifest.safetyFor } : {}),
      });
    } catch (error) {
      if (!(error instanceof SnapshotIntegrityError)) throw error;
      found.set(
        snapshotId,
        error.problem === 'missing'
          ? 'incomplete'
          : { snapshotId, problem: error.problem, message: error.message },
      );
    }
  });
  const listing: SnapshotListing = { snapshots: [], incomplete: [], invalid: [] };
  for (const snapshotId of ids) {
    const entry = found.get(snapshotId);
    if (entry === 'incomplete') listing.incomplete.push(snapshotId);
    else if (entry !== undefined && 'problem' in entry) listing.invalid.push(entry);
    else if (entry !== undefined) listing.snapshots.push(entry);
  }
  return listing;
}

/**
 * Reads one object a manifest lists and checks it against the manifest's SHA-256 and size, so
 * nothing tampered with is ever used (restore, diff).
 *
 * @returns The object's bytes.
 * @throws SnapshotIntegrityError with `problem` `missing-object` or `checksum-mismatch`, naming the key.
 */
export async function readVerifiedObject(
  store: SnapshotStore,
  prefix: string,
  manifest: Pick<Manifest, 'snapshotId' | 'instance'>,
  entry: Pick<ManifestObject, 'key' | 'sha256' | 'bytes'>,
  options?: StoreCallOptions,
): Promise<Uint8Array> {
  const key = snapshotObjectKey(prefix, manifest.instance.id, manifest.snapshotId, entry.key);
  const bytes = await store.get(key, options);
  if (bytes === undefined) {
    throw new SnapshotIntegrityError(
      'missing-object',
      key,
      `object ${entry.key} of snapshot ${manifest.snapshotId} is missing`,
    );
  }
  if (bytes.byteLength !== entry.bytes || sha256Hex(bytes) !== entry.sha256) {
    throw new SnapshotIntegrityError(
      'checksum-mismatch',
      key,
      `object ${entry.key} of snapshot ${manifest.snapshotId} no longer matches its SHA-256 in the manifest`,
    );
  }
  return bytes;
}
