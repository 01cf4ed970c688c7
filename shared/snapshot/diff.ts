/**
 * Diff of two snapshots, kind by kind: which resources were added, removed or changed, and where
 * inside each changed document. For audits ("what changed since last night?") and, with
 * `normalize`, to compare snapshots of different instances (a restore's target against its source).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DERIVED_FOLDERS,
  INSTANCE_KIND,
  isDerivedFolder,
  latestKey,
  type Manifest,
  PROMPT_AUDIO_FOLDER,
} from './format.js';
import type { SnapshotStore } from './store.js';
import {
  readLatestPointer,
  readVerifiedManifest,
  readVerifiedObject,
  SnapshotIntegrityError,
} from './verify.js';

/** One side of a diff. `snapshotId` may be `latest`. */
export interface SnapshotRef {
  store: SnapshotStore;
  prefix: string;
  instanceId: string;
  snapshotId: string;
}

export interface DiffOptions {
  /**
   * Compare across instances: resource ids and ARNs become `<kind:name>` tokens, the instance,
   * account and Region become placeholders, timestamps and content hashes are dropped, and lists of
   * strings compare as sets. Default false (same instance: documents compare as stored).
   */
  normalize?: boolean;
  /**
   * Kinds to compare; all kinds in either snapshot by default, and then also the instance settings
   * (kind `instance`: `attributes` and `approved origins`, from `instance.json`).
   */
  kinds?: readonly string[];
  /**
   * Also compare the members Connect changes on its own ({@link VOLATILE_MEMBERS}:
   * `LastModifiedTime`, `LastModifiedRegion`, content hashes, `ApproximateTotalCount`). Default false: a resource whose only
   * difference is its modification time is unchanged. Ignored with `normalize` (which drops them).
   */
  includeVolatile?: boolean;
}

/** One difference inside a changed document: the value in snapshot A and in snapshot B. */
export interface MemberChange {
  /** JSON path, e.g. `resource.Description`; `(document)` for the whole document. */
  path: string;
  /** The value in snapshot A; absent when the member is new in B. */
  before?: unknown;
  /** The value in snapshot B; absent when the member was removed. */
  after?: unknown;
}

export interface ChangedResource {
  name: string;
  /** JSON paths that differ, e.g. `resource.Description` (at most 20). */
  paths: string[];
  /** The same differences with their values, old and new (at most 20). */
  changes: MemberChange[];
}

export interface KindDiff {
  added: string[];
  removed: string[];
  changed: ChangedResource[];
  unchanged: number;
}

export interface SnapshotDiff {
  a: { instanceId: string; snapshotId: string };
  b: { instanceId: string; snapshotId: string };
  kinds: Record<string, KindDiff>;
  /** True when no kind has an added, removed or changed resource. */
  identical: boolean;
}

/**
 * Members Connect sets itself whenever a resource is saved, or that only hash other members: they
 * differ between two snapshots without anyone changing the resource's configuration.
 */
export const VOLATILE_MEMBERS: ReadonlySet<string> = new Set([
  'LastModifiedTime',
  'LastModifiedRegion',
  'FlowContentSha256',
  'FlowModuleContentSha256',
  // A Search* page count: not part of a resource, left out should a document ever carry one.
  'ApproximateTotalCount',
]);
const MAX_PATHS = 20;

interface Side {
  manifest: Manifest;
  documents: Map<string, Map<string, Record<string, unknown>>>;
}

async function resolveSnapshotId(ref: SnapshotRef): Promise<string> {
  if (ref.snapshotId !== 'latest') return ref.snapshotId;
  const latest = await readLatestPointer(ref.store, ref.prefix, ref.instanceId);
  if (!latest) {
    throw new SnapshotIntegrityError(
      'missing',
      latestKey(ref.prefix, ref.instanceId),
      `instance ${ref.instanceId} has no complete snapshot`,
    );
  }
  return latest.snapshotId;
}

/**
 * Loads a snapshot's documents by kind and name, checking each object's SHA-256 on the way. A
 * prompt's audio is compared by its manifest entry: the document gets an `audio` member with the
 * audio's SHA-256, size and content type (the raw flows repeat their documents' content and are
 * not compared).
 */
async function load(ref: SnapshotRef, kinds: readonly string[] | undefined): Promise<Side> {
  const snapshotId = await resolveSnapshotId(ref);
  const manifest = await readVerifiedManifest(ref.store, ref.prefix, ref.instanceId, snapshotId);
  const documents = new Map<string, Map<string, Record<string, unknown>>>();
  const audio = new Map<string, Record<string, unknown>>();
  for (const entry of manifest.objects) {
    if (entry.kind === INSTANCE_KIND) {
      if (!kinds)
        documents.set(
          INSTANCE_KIND,
          instanceSettings(await readVerifiedObject(ref.store, ref.prefix, manifest, entry)),
        );
      continue;
    }
    if (isDerivedFolder(entry.kind)) {
      if (entry.kind !== PROMPT_AUDIO_FOLDER) continue;
      const owner = DERIVED_FOLDERS[entry.kind] ?? '';
      if (kinds && !kinds.includes(owner)) continue;
      await readVerifiedObject(ref.store, ref.prefix, manifest, entry);
      audio.set(entry.id, { sha256: entry.sha256, bytes: entry.bytes, contentType: entry.contentType });
      continue;
    }
    if (kinds && !kinds.includes(entry.kind)) continue;
    const bytes = await readVerifiedObject(ref.store, ref.prefix, manifest, entry);
    const byName = documents.get(entry.kind) ?? new Map<string, Record<string, unknown>>();
    byName.set(entry.name, JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>);
    documents.set(entry.kind, byName);
  }
  for (const document of documents.get('prompts')?.values() ?? []) {
    const found = audio.get(String(document.id));
    if (found) document.audio = found;
  }
  return { manifest, documents };
}

/**
 * The instance settings of `instance.json` compared as documents of kind `instance`: `attributes`
 * (the instance attributes) and `approved origins`. The instance's own description and its
 * integrations (the Lambda and Lex ARNs flow content references) are left out: they name the
 * instance, account and Region, which differ by design between two instances.
 */
function instanceSettings(bytes: Uint8Array): Map<string, Record<string, unknown>> {
  const document = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
    attributes?: Record<string, string>;
    approvedOrigins?: string[];
  };
  return new Map<string, Record<string, unknown>>([
    ['attributes', { attributes: document.attributes ?? {} }],
    ['approved origins', { approvedOrigins: document.approvedOrigins ?? [] }],
  ]);
}

/** Replacement tokens for ids, ARNs, the instance, account and Region of one snapshot. */
function tokensOf(manifest: Manifest): Array<[string, string]> {
  const tokens: Array<[string, string]> = [];
  for (const o of manifest.objects) {
    if (o.kind === INSTANCE_KIND || isDerivedFolder(o.kind)) continue;
    const token = `<${o.kind}:${o.name}>`;
    if (o.arn) tokens.push([o.arn, token]);
    tokens.push([o.id, token]);
  }
  tokens.push([manifest.instance.arn, '<instance>'], [manifest.instance.id, '<instance-id>']);
  // Longest first, so an ARN is replaced before the id inside it.
  tokens.sort((x, y) => y[0].length - x[0].length);
  const scope: Array<[string, string]> = [
    [`:${manifest.instance.region}:${manifest.instance.accountId}:`, ':<region>:<account>:'],
    [`:${manifest.instance.accountId}:`, ':<account>:'],
    // AWS-managed resources (e.g. `arn:aws:connect:<region>:aws:view/...`) carry the Region alone.
    [`:${manifest.instance.region}:`, ':<region>:'],
  ];
  return [...tokens, ...scope];
}

function normalizeValue(value: unknown, tokens: Array<[string, string]>): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return normalizeValue(JSON.parse(value), tokens);
      } catch {
        // not JSON: a plain string
      }
    }
    let out = value;
    for (const [from, to] of tokens) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => normalizeValue(v, tokens));
    return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (!VOLATILE_MEMBERS.has(k)) out[k] = normalizeValue(v, tokens);
    return out;
  }
  return value;
}

/** Drops {@link VOLATILE_MEMBERS} at any depth. */
function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE_MEMBERS.has(k)) out[k] = withoutVolatile(v);
    return out;
  }
  return value;
}

function differingPaths(a: unknown, b: unknown, path: string, out: MemberChange[]): void {
  if (out.length >= MAX_PATHS || isDeepStrictEqual(a, b)) return;
  const bothObjects =
    a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push({
      path: path || '(document)',
      ...(a === undefined ? {} : { before: a }),
      ...(b === undefined ? {} : { after: b }),
    });
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of [...keys].sort()) {
    differingPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
      out,
    );
  }
}

/**
 * Compares two snapshots. Resources are matched by kind and name (names are unique per instance);
 * a changed resource lists each differing member with its old and new value. Volatile members
 * ({@link VOLATILE_MEMBERS}) are left out unless `includeVolatile`.
 *
 * @throws SnapshotIntegrityError when either snapshot has no manifest, an invalid or newer-format
 *   manifest, or an object that no longer matches its SHA-256.
 */
export async function diffSnapshots(
  a: SnapshotRef,
  b: SnapshotRef,
  options: DiffOptions = {},
): Promise<SnapshotDiff> {
  const [left, right] = await Promise.all([load(a, options.kinds), load(b, options.kinds)]);
  const prepare = (side: Side, document: Record<string, unknown>): unknown => {
    if (!options.normalize) return options.includeVolatile ? document : withoutVolatile(document);
    const { id: _id, arn: _arn, ...rest } = document;
    return normalizeValue(rest, tokensOf(side.manifest));
  };
  const kinds: Record<string, KindDiff> = {};
  const kindNames = new Set([...left.documents.keys(), ...right.documents.keys()]);
  for (const kind of [...kindNames].sort()) {
    const l = left.documents.get(kind) ?? new Map();
    const r = right.documents.get(kind) ?? new Map();
    const diff: KindDiff = { added: [], removed: [], changed: [], unchanged: 0 };
    for (const name of [...l.keys()].sort()) if (!r.has(name)) diff.removed.push(name);
    for (const name of [...r.keys()].sort()) {
      const before = l.get(name);
      if (!before) {
        diff.added.push(name);
        continue;
      }
      const x = prepare(left, before);
      const y = prepare(right, r.get(name) as Record<string, unknown>);
      if (isDeepStrictEqual(x, y)) {
        diff.unchanged += 1;
      } else {
        const changes: MemberChange[] = [];
        differingPaths(x, y, '', changes);
        diff.changed.push({ name, paths: changes.map((c) => c.path), changes });
      }
    }
    kinds[kind] = diff;
  }
  return {
    a: { instanceId: a.instanceId, snapshotId: left.manifest.snapshotId },
    b: { instanceId: b.instanceId, snapshotId: right.manifest.snapshotId },
    kinds,
    identical: Object.values(kinds).every((k) => !k.added.length && !k.removed.length && !k.changed.length),
  };
}
