/**
 * Diff of two snapshots, kind by kind: which resources were added, removed or changed, and where
 * inside each changed document. For audits ("what changed since last night?") and, with
 * `normalize`, to compare snapshots of different instances (a restore's target against its source).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  CHANGES_KIND,
  DERIVED_FOLDERS,
  INSTANCE_KIND,
  isDerivedFolder,
  latestKey,
  type Manifest,
  type ManifestObject,
  PROMPT_AUDIO_FOLDER,
} from './format.js';
import type { SnapshotStore } from './store.js';
import {
  forEachLimited,
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

/** Object pairs read and compared at once. */
const READS_IN_FLIGHT = 8;

/**
 * One side of a comparison: the objects of a snapshot (its manifest's, or those a backup is about
 * to list in its manifest) and how to read one of them, checked against its SHA-256.
 */
export interface DiffSource {
  manifest: Pick<Manifest, 'snapshotId' | 'instance' | 'objects'>;
  /**
   * The bytes of one listed object.
   * @throws SnapshotIntegrityError when the object is missing or no longer matches its entry.
   */
  read(entry: ManifestObject): Promise<Uint8Array>;
}

/** Options of {@link compareSources}. */
export interface CompareOptions extends DiffOptions {
  /**
   * Read, and so check against its SHA-256, every object compared: also one whose SHA-256 equals
   * the other side's (whose document cannot differ) and one that only one side has. Default true,
   * as `diff` and `changes` refuse a damaged snapshot; a backup that compares the objects it has
   * just written and checked sets it false, and reads only the documents that differ.
   */
  readUnchanged?: boolean;
}

/**
 * A resource (or instance setting) of one side: a signature that is equal on both sides only when
 * their documents are byte for byte the same, and how to load the document.
 */
interface Item {
  signature: string;
  load(): Promise<Record<string, unknown>>;
}

/** The names of the instance settings compared as kind `instance`. */
const INSTANCE_SETTINGS = ['attributes', 'approved origins'] as const;

/**
 * Indexes a side's objects by kind and name, reading none of them yet. A prompt's audio is
 * compared by its manifest entry: the loaded document gets an `audio` member with the audio's
 * SHA-256, size and content type (the audio itself is read, to check it, only with
 * `readUnchanged`). The raw flows repeat their documents' content and are not compared;
 * `changes.json` is not a resource.
 */
function indexSource(
  source: DiffSource | undefined,
  kinds: readonly string[] | undefined,
  readUnchanged: boolean,
): Map<string, Map<string, Item>> {
  const items = new Map<string, Map<string, Item>>();
  if (!source) return items;
  const text = async (entry: ManifestObject) => Buffer.from(await source.read(entry)).toString('utf8');
  const audio = new Map<string, ManifestObject>();
  for (const entry of source.manifest.objects)
    if (entry.kind === PROMPT_AUDIO_FOLDER) audio.set(entry.id, entry);
  for (const entry of source.manifest.objects) {
    if (entry.kind === INSTANCE_KIND) {
      if (kinds) continue;
      // The settings share instance.json: it is read once, when one of them is compared.
      let settings: Promise<Map<string, Record<string, unknown>>> | undefined;
      const load = (name: string) => async () => {
        settings ??= text(entry).then(instanceSettings);
        return (await settings).get(name) ?? {};
      };
      items.set(
        INSTANCE_KIND,
        new Map(INSTANCE_SETTINGS.map((name) => [name, { signature: entry.sha256, load: load(name) }])),
      );
      continue;
    }
    if (isDerivedFolder(entry.kind) || entry.kind === CHANGES_KIND) continue;
    if (kinds && !kinds.includes(entry.kind)) continue;
    const sound = entry.kind === DERIVED_FOLDERS[PROMPT_AUDIO_FOLDER] ? audio.get(entry.id) : undefined;
    const audioMember = sound && { sha256: sound.sha256, bytes: sound.bytes, contentType: sound.contentType };
    const byName = items.get(entry.kind) ?? new Map<string, Item>();
    byName.set(entry.name, {
      signature: audioMember ? `${entry.sha256} ${JSON.stringify(audioMember)}` : entry.sha256,
      load: async () => {
        const document = JSON.parse(await text(entry)) as Record<string, unknown>;
        if (sound && readUnchanged) await source.read(sound);
        if (audioMember) document.audio = audioMember;
        return document;
      },
    });
    items.set(entry.kind, byName);
  }
  return items;
}

/**
 * The instance settings of `instance.json` compared as documents of kind `instance`: `attributes`
 * (the instance attributes) and `approved origins`. The instance's own description and its
 * integrations (the Lambda and Lex ARNs flow content references) are left out: they name the
 * instance, account and Region, which differ by design between two instances.
 */
function instanceSettings(text: string): Map<string, Record<string, unknown>> {
  const document = JSON.parse(text) as {
    attributes?: Record<string, string>;
    approvedOrigins?: string[];
  };
  return new Map<string, Record<string, unknown>>([
    ['attributes', { attributes: document.attributes ?? {} }],
    ['approved origins', { approvedOrigins: document.approvedOrigins ?? [] }],
  ]);
}

/** Replacement tokens for ids, ARNs, the instance, account and Region of one snapshot. */
function tokensOf(manifest: DiffSource['manifest']): Array<[string, string]> {
  const tokens: Array<[string, string]> = [];
  for (const o of manifest.objects) {
    if (o.kind === INSTANCE_KIND || o.kind === CHANGES_KIND || isDerivedFolder(o.kind)) continue;
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
 * Compares two sides kind by kind: resources are matched by kind and name (names are unique per
 * instance); a changed resource lists each differing member with its old and new value. Volatile
 * members ({@link VOLATILE_MEMBERS}) are left out unless `includeVolatile`. Without `normalize`, a
 * resource whose SHA-256 is the same on both sides is unchanged without its document being
 * compared. Memory stays bounded whatever the size of the snapshots: documents are read a few
 * pairs at a time and dropped once compared; only names and the differences are kept.
 *
 * @param left - The older side; `undefined` for none (everything in `right` is added).
 * @returns The differences per kind, each list sorted by name.
 * @throws Whatever `read` throws (SnapshotIntegrityError for a missing or damaged object).
 */
export async function compareSources(
  left: DiffSource | undefined,
  right: DiffSource,
  options: CompareOptions = {},
): Promise<Record<string, KindDiff>> {
  const readUnchanged = options.readUnchanged ?? true;
  const l = indexSource(left, options.kinds, readUnchanged);
  const r = indexSource(right, options.kinds, readUnchanged);
  const leftTokens = options.normalize && left ? tokensOf(left.manifest) : [];
  const rightTokens = options.normalize ? tokensOf(right.manifest) : [];
  const prepare = (document: Record<string, unknown>, tokens: Array<[string, string]>): unknown => {
    if (!options.normalize) return options.includeVolatile ? document : withoutVolatile(document);
    const { id: _id, arn: _arn, ...rest } = document;
    return normalizeValue(rest, tokens);
  };
  const kinds: Record<string, KindDiff> = {};
  const pairs: Array<{ diff: KindDiff; name: string; before: Item; after: Item }> = [];
  const loneItems: Item[] = [];
  const changed = new Map<KindDiff, ChangedResource[]>();
  for (const kind of [...new Set([...l.keys(), ...r.keys()])].sort()) {
    const before = l.get(kind) ?? new Map<string, Item>();
    const after = r.get(kind) ?? new Map<string, Item>();
    const diff: KindDiff = { added: [], removed: [], changed: [], unchanged: 0 };
    for (const [name, item] of before) {
      if (after.has(name)) continue;
      diff.removed.push(name);
      if (readUnchanged) loneItems.push(item);
    }
    for (const [name, item] of after) {
      const old = before.get(name);
      if (!old) {
        diff.added.push(name);
        if (readUnchanged) loneItems.push(item);
      } else if (!options.normalize && old.signature === item.signature) {
        diff.unchanged += 1;
        if (readUnchanged) loneItems.push(old, item);
      } else pairs.push({ diff, name, before: old, after: item });
    }
    diff.added.sort();
    diff.removed.sort();
    changed.set(diff, []);
    kinds[kind] = diff;
  }
  // Read only to check them: nothing of theirs is kept.
  await forEachLimited(loneItems, READS_IN_FLIGHT, async (item) => {
    await item.load();
  });
  await forEachLimited(pairs, READS_IN_FLIGHT, async ({ diff, name, before, after }) => {
    const x = prepare(await before.load(), leftTokens);
    const y = prepare(await after.load(), rightTokens);
    if (isDeepStrictEqual(x, y)) {
      diff.unchanged += 1;
      return;
    }
    const changes: MemberChange[] = [];
    differingPaths(x, y, '', changes);
    changed.get(diff)?.push({ name, paths: changes.map((c) => c.path), changes });
  });
  for (const [diff, list] of changed)
    diff.changed = list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kinds;
}

/** True when no kind of `kinds` has an added, removed or changed resource. */
export function isIdentical(kinds: Readonly<Record<string, KindDiff>>): boolean {
  return Object.values(kinds).every((k) => !k.added.length && !k.removed.length && !k.changed.length);
}

/** A snapshot of a store as a {@link DiffSource}: its verified manifest, each object checked as it is read. */
async function storeSource(ref: SnapshotRef): Promise<DiffSource> {
  const snapshotId = await resolveSnapshotId(ref);
  const manifest = await readVerifiedManifest(ref.store, ref.prefix, ref.instanceId, snapshotId);
  return { manifest, read: (entry) => readVerifiedObject(ref.store, ref.prefix, manifest, entry) };
}

/**
 * Compares two snapshots of a store (see {@link compareSources}), reading and checking every
 * object of both.
 *
 * @throws SnapshotIntegrityError when either snapshot has no manifest, an invalid or newer-format
 *   manifest, or an object that no longer matches its SHA-256.
 */
export async function diffSnapshots(
  a: SnapshotRef,
  b: SnapshotRef,
  options: DiffOptions = {},
): Promise<SnapshotDiff> {
  const [left, right] = await Promise.all([storeSource(a), storeSource(b)]);
  const kinds = await compareSources(left, right, { ...options, readUnchanged: true });
  return {
    a: { instanceId: a.instanceId, snapshotId: left.manifest.snapshotId },
    b: { instanceId: b.instanceId, snapshotId: right.manifest.snapshotId },
    kinds,
    identical: isIdentical(kinds),
  };
}
