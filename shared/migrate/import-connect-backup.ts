/**
 * Importing a tree written by sethkor's connect-backup (issue 13 §1) as a connect-vault snapshot,
 * so that `verify`, `show`, `diff`, `plan` and `restore` work on it.
 *
 * connect-backup (Go, AWS SDK for Go v1) writes, per instance, `<root>/<instanceId>/` with one JSON
 * file per resource named after the resource (its README's layout, and `writers.go`'s
 * `buildPrefix`), each the API's own shape as `jsonutil.BuildJSON` serialises it (the API's member
 * names, timestamps as epoch seconds):
 *
 * ```
 * flows/<Name>.json                         DescribeContactFlow ContactFlow
 * flows-raw/<Name>.json                     the flow content pretty-printed (informational; not read)
 * routing-profiles/<Name>.json              DescribeRoutingProfile RoutingProfile
 * routing-profile-queues/<ProfileId>.json   RoutingProfileQueueConfigSummary[] (the last page only)
 * users/<Username>.json                     DescribeUser User
 * user-hierarchy-groups/<Name>.json         DescribeUserHierarchyGroup HierarchyGroup
 * prompts/prompts.json                      PromptSummary[] (ListPrompts, first page)
 * hours-of-operation/<Name>.json            DescribeHoursOfOperation HoursOfOperation
 * quick-connects/quick-connects.json        QuickConnectSummary[]
 * queues/<Name>.json                        DescribeQueue Queue (STANDARD queues)
 * common/instance.json                      DescribeInstance Instance
 * common/user-hierarchy-structures.json     DescribeUserHierarchyStructure HierarchyStructure
 * common/lambdas.json                       ListLambdaFunctions ARNs
 * ```
 *
 * Every file is read and validated (zod; unknown members kept) before anything is written: a file
 * that is not JSON, or lacks its resource's id, ARN or name, fails the import naming it. The
 * snapshot is then written as a backup writes one (shared/backup/snapshot-objects.ts): one object
 * per resource, `flows-raw/` from each flow's content, `instance.json`, the manifest last (its
 * warnings say what the old format never held), then `latest.json` when the instance has none yet
 * in the destination. No Connect API is called.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  derivedObjects,
  documentIdentity,
  documentPlacement,
  manifestEntry,
  scrubPasswords,
} from '#shared/backup/snapshot-objects.js';
import {
  KIND_NAMES,
  type KindName,
  kindNamed,
  type ReadContext,
  type StoredDocument,
} from '#shared/kinds/index.js';
import type { InstanceDocument, InstanceIdentity } from '#shared/kinds/instance.js';
import type { ClockPort } from '#shared/ports.js';
import {
  canonicalJson,
  FORMAT_VERSION,
  INSTANCE_FILE,
  INSTANCE_KIND,
  latestKey,
  latestPointerFor,
  latestPointerSchema,
  type Manifest,
  type ManifestObject,
  type ManifestWarning,
  manifestKey,
  manifestSchema,
  newSnapshotId,
  normalizePrefix,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { snapshotLocation } from '#shared/snapshot/verify.js';

/**
 * Thrown when the tree cannot be imported as it is (no such instance folder, several and no
 * instance id, a file that is not JSON or lacks its identity): nothing was written.
 */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}

/** Thrown when writing the snapshot failed; its unfinished folder has no manifest, so it never counts. */
export class ImportFailedError extends Error {
  override readonly name = 'ImportFailedError';
}

/** What to import, and where to. */
export interface ImportConnectBackupRequest {
  /** The tree's root inside the source store (connect-backup's destination prefix); may be empty. */
  sourcePrefix: string;
  /** The instance folder to import; required when the tree holds several. */
  instanceId?: string | undefined;
  /** Key prefix of the snapshot in the destination store; may be empty. */
  prefix: string;
}

/** The ports an import runs on. */
export interface ImportConnectBackupPorts {
  /** The store holding the connect-backup tree (a folder, or S3): `list` and `get` only. */
  source: Pick<SnapshotStore, 'list' | 'get' | 'describe'>;
  /** Where the snapshot goes: written with `putIfAbsent`, read back for `latest.json`. */
  destination: SnapshotStore;
  clock: ClockPort;
}

/** What an import wrote. */
export interface ImportConnectBackupResult {
  snapshotId: string;
  instance: InstanceIdentity;
  /** Where the snapshot is, e.g. `s3://bucket/prefix/<instanceId>/snapshots/<snapshotId>/`. */
  location: string;
  /** The tree imported, e.g. `/backups/connect-backup/<instanceId>/`. */
  tree: string;
  /** Resources stored per kind. */
  counts: Record<string, number>;
  objects: number;
  bytes: number;
  warnings: ManifestWarning[];
  /** True when `latest.json` now names this snapshot; false when it already named another one. */
  latest: boolean;
  /** The snapshot `latest.json` names when it was kept. */
  latestKept?: string;
}

// ---------------------------------------------------------------------------------------------
// connect-backup's files, as zod schemas: the members restore needs are required, others kept.
// ---------------------------------------------------------------------------------------------

const id = z.string().min(1);

const FLOW = z.looseObject({ Id: id, Arn: id, Name: z.string(), Content: z.string() });
const ROUTING_PROFILE = z.looseObject({ RoutingProfileId: id, RoutingProfileArn: id, Name: z.string() });
const QUEUE_CONFIG = z.looseObject({
  QueueId: id,
  Channel: id,
  Priority: z.number().int(),
  Delay: z.number().int(),
});
// jsonutil.BuildJSON writes a nil slice as null.
const QUEUE_CONFIGS = z.array(QUEUE_CONFIG).nullable();
const USER = z.looseObject({ Id: id, Arn: id, Username: z.string() });
const HIERARCHY_GROUP = z.looseObject({ Id: id, Arn: id, Name: z.string() });
const PROMPTS = z.array(z.looseObject({ Id: id, Arn: id, Name: z.string() })).nullable();
const HOURS = z.looseObject({ HoursOfOperationId: id, HoursOfOperationArn: id, Name: z.string() });
const QUICK_CONNECTS = z.array(z.looseObject({ Id: id, Arn: id, Name: z.string() })).nullable();
const QUEUE = z.looseObject({ QueueId: id, QueueArn: id, Name: z.string() });
const INSTANCE = z.looseObject({
  Id: id,
  Arn: z.string().regex(/^arn:[^:]+:connect:[^:]+:\d{12}:instance\/.+$/, 'must be an instance ARN'),
  InstanceAlias: z.string().optional(),
});
const HIERARCHY_STRUCTURE = z.looseObject({});
const LAMBDAS = z.array(z.string()).nullable();

/** connect-backup's folders (constants.go `ConnectElement`), and `common`. */
const FOLDERS = [
  'flows',
  'flows-raw',
  'routing-profiles',
  'routing-profile-queues',
  'users',
  'user-hierarchy-groups',
  'prompts',
  'hours-of-operation',
  'quick-connects',
  'queues',
  'common',
] as const;

/** The kinds an imported snapshot holds: those connect-backup's format fills well enough to restore. */
export const IMPORTED_KINDS: readonly KindName[] = [
  'user-hierarchy-structure',
  'user-hierarchy-groups',
  'hours-of-operation',
  'prompts',
  'flows',
  'queues',
  'routing-profiles',
  'users',
];

/** Members jsonutil.BuildJSON writes as epoch seconds that connect-vault stores as ISO 8601 strings. */
const TIMESTAMPS = new Set(['CreatedTime', 'LastModifiedTime']);

/**
 * The entity as connect-vault stores one (timestamps as ISO strings, as `toPlain` makes an SDK v3
 * `Date`), from jsonutil's epoch seconds. Other members are kept as they are.
 */
function normalised(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && TIMESTAMPS.has(key) && Number.isFinite(value))
    return new Date(Math.round(value * 1000)).toISOString();
  if (Array.isArray(value)) return value.map((item) => normalised(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalised(v, k)]));
  return value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The store a tree is read from. */
type TreeSource = ImportConnectBackupPorts['source'];

/** A file of the tree, parsed and checked. */
interface TreeFile<T> {
  /** Its key in the source store. */
  key: string;
  value: T;
}

/**
 * Reads and validates every file of the tree before anything is written.
 * @throws ImportInputError naming the first file that is not UTF-8 JSON or not of its shape.
 */
async function readFile<T>(
  source: TreeSource,
  key: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<TreeFile<T>> {
  const bytes = await source.get(key);
  if (bytes === undefined) throw new ImportInputError(`${key}: the file disappeared while it was read`);
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new ImportInputError(
      `${key} is not valid JSON (${(error as Error).message}); nothing was written`,
      { cause: error },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(the file)'}: ${issue.message}`)
      .join('; ');
    throw new ImportInputError(`${key} is not a connect-backup ${what} (${problems}); nothing was written`);
  }
  return { key, value: parsed.data };
}

/** The instance folder to import: `<root><instanceId>/`. */
async function instanceFolder(source: TreeSource, root: string, instanceId?: string): Promise<string> {
  const where = `${source.describe().replace(/\/?$/, '/')}${root}`;
  if (instanceId) {
    const folder = `${root}${instanceId}/`;
    if ((await source.get(`${folder}common/instance.json`)) === undefined)
      throw new ImportInputError(
        `No connect-backup tree of instance ${instanceId} at ${where}: ${instanceId}/common/instance.json is missing; nothing was written`,
      );
    return folder;
  }
  // The instance folders are those holding common/instance.json (every key is listed, not only
  // the common prefixes: fewer calls would not find a folder any better, and s3rver's delimited
  // listings miss folders whose objects all sit two or more folders deeper).
  const folders: string[] = [];
  const marker = '/common/instance.json';
  for await (const key of source.list(root)) {
    const rest = key.slice(root.length);
    if (rest.endsWith(marker) && !rest.slice(0, -marker.length).includes('/'))
      folders.push(key.slice(0, key.length - marker.length + 1));
  }
  if (folders.length === 1 && folders[0]) return folders[0];
  if (folders.length === 0)
    throw new ImportInputError(
      `No connect-backup tree at ${where}: it holds no instance folder (<instanceId>/common/instance.json); nothing was written`,
    );
  const ids = folders.map((f) => f.slice(root.length, -1));
  throw new ImportInputError(
    `${where} holds ${folders.length} instance folders (${ids.join(', ')}): pick one with --instance-id; nothing was written`,
  );
}

/** Everything of one instance's tree, read and validated. */
interface Tree {
  instance: TreeFile<z.infer<typeof INSTANCE>>;
  lambdas: string[];
  structure?: TreeFile<Record<string, unknown>>;
  flows: TreeFile<z.infer<typeof FLOW>>[];
  routingProfiles: TreeFile<z.infer<typeof ROUTING_PROFILE>>[];
  /** By routing profile id. */
  queueConfigs: Map<string, TreeFile<z.infer<typeof QUEUE_CONFIGS>>>;
  users: TreeFile<z.infer<typeof USER>>[];
  hierarchyGroups: TreeFile<z.infer<typeof HIERARCHY_GROUP>>[];
  prompts?: TreeFile<z.infer<typeof PROMPTS>>;
  hours: TreeFile<z.infer<typeof HOURS>>[];
  quickConnects?: TreeFile<z.infer<typeof QUICK_CONNECTS>>;
  queues: TreeFile<z.infer<typeof QUEUE>>[];
  /** Files outside connect-backup's layout, which the import passes over (relative keys). */
  ignored: string[];
}

/** Reads every file of the instance folder (ListObjectsV2 for S3; a walk for a folder). */
async function readTree(source: TreeSource, folder: string): Promise<Tree> {
  const keys: string[] = [];
  for await (const key of source.list(folder)) keys.push(key);
  const under = (name: string) =>
    keys.filter((k) => k.startsWith(`${folder}${name}/`) && k.endsWith('.json')).sort();
  const known = new Set(FOLDERS.flatMap((name) => under(name)));
  const ignored = keys.filter((k) => !known.has(k)).map((k) => k.slice(folder.length));
  const all = async <T>(name: string, schema: z.ZodType<T>, what: string) => {
    const files: TreeFile<T>[] = [];
    for (const key of under(name)) files.push(await readFile(source, key, schema, what));
    return files;
  };
  const one = async <T>(key: string, schema: z.ZodType<T>, what: string) =>
    keys.includes(`${folder}${key}`) ? await readFile(source, `${folder}${key}`, schema, what) : undefined;

  const instance = await one('common/instance.json', INSTANCE, 'Instance (DescribeInstance)');
  if (!instance) throw new ImportInputError(`${folder}common/instance.json is missing; nothing was written`);
  const queueConfigs = new Map<string, TreeFile<z.infer<typeof QUEUE_CONFIGS>>>();
  for (const file of await all(
    'routing-profile-queues',
    QUEUE_CONFIGS,
    'list of RoutingProfileQueueConfigSummary',
  )) {
    queueConfigs.set(file.key.slice(`${folder}routing-profile-queues/`.length, -'.json'.length), file);
  }
  return {
    instance,
    lambdas: (await one('common/lambdas.json', LAMBDAS, 'list of Lambda ARNs'))?.value ?? [],
    structure: await one(
      'common/user-hierarchy-structures.json',
      HIERARCHY_STRUCTURE,
      'HierarchyStructure (DescribeUserHierarchyStructure)',
    ),
    flows: await all('flows', FLOW, 'ContactFlow (DescribeContactFlow)'),
    routingProfiles: await all(
      'routing-profiles',
      ROUTING_PROFILE,
      'RoutingProfile (DescribeRoutingProfile)',
    ),
    queueConfigs,
    users: await all('users', USER, 'User (DescribeUser)'),
    hierarchyGroups: await all(
      'user-hierarchy-groups',
      HIERARCHY_GROUP,
      'HierarchyGroup (DescribeUserHierarchyGroup)',
    ),
    prompts: await one('prompts/prompts.json', PROMPTS, 'list of PromptSummary (ListPrompts)'),
    hours: await all('hours-of-operation', HOURS, 'HoursOfOperation (DescribeHoursOfOperation)'),
    quickConnects: await one(
      'quick-connects/quick-connects.json',
      QUICK_CONNECTS,
      'list of QuickConnectSummary (ListQuickConnects)',
    ),
    queues: await all('queues', QUEUE, 'Queue (DescribeQueue)'),
    ignored,
  };
}

const entity = (value: object) => normalised(value) as Record<string, unknown>;

/** The flow module ids a flow's content invokes (InvokeFlowModule actions' `FlowModuleId`). */
function invokedModules(content: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  const actions = (parsed as { Actions?: unknown }).Actions;
  if (!Array.isArray(actions)) return [];
  const ids = actions
    .filter(
      (a): a is { Type: string; Parameters?: { FlowModuleId?: unknown } } => a?.Type === 'InvokeFlowModule',
    )
    .map((a) => a.Parameters?.FlowModuleId)
    .filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)].sort();
}

/** The stored documents of the tree, by kind, and the warnings of what their resources lack. */
function documentsOf(
  tree: Tree,
  identity: InstanceIdentity,
  warn: (warning: ManifestWarning) => void,
): Map<KindName, StoredDocument[]> {
  const documents = new Map<KindName, StoredDocument[]>(IMPORTED_KINDS.map((kind) => [kind, []]));
  const add = (document: StoredDocument) => documents.get(document.kind)?.push(document);

  if (tree.structure) {
    add({
      kind: 'user-hierarchy-structure',
      id: 'user-hierarchy-structure',
      arn: `${identity.arn}/user-hierarchy-structure`,
      name: 'user hierarchy structure',
      resource: entity(tree.structure.value),
    });
  } else {
    documents.delete('user-hierarchy-structure');
    warn('user-hierarchy-structure: left out, the tree has no common/user-hierarchy-structures.json');
  }
  for (const { value } of tree.hierarchyGroups) {
    // The hidden root group (level 0), should a tree hold it: no API creates it.
    if (value.LevelId === '0') continue;
    add({
      kind: 'user-hierarchy-groups',
      id: value.Id,
      arn: value.Arn,
      name: value.Name,
      resource: entity(value),
    });
  }
  for (const { value } of tree.hours) {
    add({
      kind: 'hours-of-operation',
      id: value.HoursOfOperationId,
      arn: value.HoursOfOperationArn,
      name: value.Name,
      resource: entity(value),
    });
  }
  for (const summary of tree.prompts?.value ?? []) {
    // A PromptSummary in the Prompt entity's member names (what SearchPrompts returns, and restore reads).
    const { Id, Arn, ...rest } = summary;
    add({
      kind: 'prompts',
      id: Id,
      arn: Arn,
      name: summary.Name,
      resource: entity({ PromptId: Id, PromptARN: Arn, ...rest }),
    });
  }
  if (!tree.prompts) warn('prompts: the tree has no prompts/prompts.json; no prompt was imported');
  for (const { value } of tree.flows) {
    add({ kind: 'flows', id: value.Id, arn: value.Arn, name: value.Name, resource: entity(value) });
    const modules = invokedModules(value.Content);
    if (modules.length) {
      warn({
        kind: 'flows',
        id: value.Id,
        message: `"${value.Name}" invokes flow module(s) ${modules.join(', ')} (InvokeFlowModule), which connect-backup never stored: a restore into another instance would publish it naming the source's modules; create them in the target and map each id with mappings.ids first`,
      });
    }
  }
  for (const { value } of tree.queues) {
    add({
      kind: 'queues',
      id: value.QueueId,
      arn: value.QueueArn,
      name: value.Name,
      resource: entity(value),
    });
  }
  for (const { value } of tree.routingProfiles) {
    const file = tree.queueConfigs.get(value.RoutingProfileId);
    const queueConfigs = (file?.value ?? []).map((c) => entity(c));
    if (!file) {
      warn({
        kind: 'routing-profiles',
        id: value.RoutingProfileId,
        message: `"${value.Name}": the tree has no routing-profile-queues/${value.RoutingProfileId}.json; stored without queue configs`,
      });
    }
    const associated = value.NumberOfAssociatedQueues;
    if (typeof associated === 'number' && associated > queueConfigs.length) {
      warn({
        kind: 'routing-profiles',
        id: value.RoutingProfileId,
        message: `"${value.Name}": ${queueConfigs.length} of its ${associated} queue configs are in the tree (connect-backup kept only the last page of ListRoutingProfileQueues); the others are lost`,
      });
    }
    add({
      kind: 'routing-profiles',
      id: value.RoutingProfileId,
      arn: value.RoutingProfileArn,
      name: value.Name,
      resource: entity(value),
      related: { queueConfigs },
    });
  }
  for (const { value } of tree.users) {
    add({ kind: 'users', id: value.Id, arn: value.Arn, name: value.Username, resource: entity(value) });
  }
  for (const [kind, list] of documents) {
    const ids = new Set<string>();
    for (const document of list) {
      if (ids.has(document.id))
        throw new ImportInputError(
          `the tree holds ${kindNamed(kind).label} ${document.id} twice; nothing was written`,
        );
      ids.add(document.id);
    }
  }
  return documents;
}

/** What connect-backup's format never held, and what the import left out: the manifest's warnings. */
function formatWarnings(tree: Tree, documents: Map<KindName, StoredDocument[]>): string[] {
  const warnings = [
    'flows: connect-backup stored published flows only (DescribeContactFlow); unpublished changes (drafts) are not in this snapshot',
    "queues: no quick-connect links in connect-backup's format (ListQueueQuickConnects); restore leaves the target queues' links as they are",
    `quick-connects: left out (${tree.quickConnects?.value?.length ?? 0} in the tree): connect-backup stored ListQuickConnects summaries only (Id, Arn, Name, QuickConnectType), without their configuration, from which no quick connect can be created`,
    "prompts: ListPrompts summaries only (Id, Arn, Name), and only its first page: no audio, description or tags; restore matches prompts by name, creates a missing one only from audio it can get (mappings.promptAudio, or the source instance), and in mode overwrite would clear the description and tags of the target's",
    "routing-profiles: connect-backup wrote each page of ListRoutingProfileQueues over the one before, so a routing profile with more queue configs than one page kept only its last page; no manual-assignment queues in its format (a restore in mode overwrite would remove the target's)",
    "hours-of-operation: no overrides in connect-backup's format (ListHoursOfOperationOverrides); a restore in mode overwrite would delete the target's",
    "users: no proficiencies in connect-backup's format; restore leaves the target users' as they are",
    "security-profiles: not in connect-backup's format; users reference them by id: map each to the target's with mappings.ids",
    "not in connect-backup's format, so not in this snapshot: flow modules, agent statuses, predefined attributes, evaluation forms, vocabularies, e-mail addresses, task templates, views, rules, phone numbers, instance attributes, approved origins and Lex bots (instance.json holds the Lambda functions only)",
  ];
  const untagged = [...documents]
    .filter(
      ([kind, list]) =>
        kind !== 'user-hierarchy-structure' &&
        list.length > 0 &&
        list.every((d) => d.resource.Tags === undefined),
    )
    .map(([kind]) => kind);
  if (untagged.length)
    warnings.push(
      `tags: none in the tree for ${untagged.join(', ')} (its files hold no Tags member); a restore in mode overwrite would remove the target's`,
    );
  if (tree.ignored.length)
    warnings.push(
      `files outside connect-backup's layout were not imported: ${tree.ignored.slice(0, 10).join(', ')}${tree.ignored.length > 10 ? ` and ${tree.ignored.length - 10} more` : ''}`,
    );
  return warnings;
}

/** A ReadContext for deriving objects offline: an import calls no Connect API. */
function offlineContext(identity: InstanceIdentity): ReadContext {
  const connect = {
    send: () => Promise.reject(new Error('an import of a connect-backup tree calls no Connect API')),
  } as unknown as ReadContext['connect'];
  return { connect, instanceId: identity.id, instanceArn: identity.arn, warn: () => {} };
}

/**
 * Imports one instance of a connect-backup tree as a connect-vault snapshot.
 *
 * Reads every file of `<sourcePrefix>/<instanceId>/` and validates it first (nothing is written
 * when one fails); then writes, with `putIfAbsent` like a backup, each resource's document
 * (`<kind>/<name>--<hash>.json`, passwords scrubbed), `flows-raw/` from each flow's content,
 * `instance.json` (DescribeInstance's Instance and the Lambda ARNs), the manifest (no change
 * signals: the next backup reads every resource again; warnings: what the format never held), and
 * `latest.json` when the instance has none yet in the destination (an existing one is kept, so
 * that an import of an old tree never becomes what a default restore picks over a newer backup).
 * The snapshot id is the import's start time. No Connect API is called.
 *
 * @throws ImportInputError when the tree cannot be imported (nothing written).
 * @throws ImportFailedError when a write fails: the snapshot folder has no manifest (and is removed
 *   where the store can delete, as a local folder can).
 */
export async function importConnectBackup(
  request: ImportConnectBackupRequest,
  ports: ImportConnectBackupPorts,
): Promise<ImportConnectBackupResult> {
  const started = ports.clock.now();
  const { source, destination } = ports;
  let root: string;
  try {
    root = normalizePrefix(request.sourcePrefix);
  } catch (error) {
    throw new ImportInputError(`Bad source prefix: ${(error as Error).message}`);
  }
  const folder = await instanceFolder(source, root, request.instanceId);
  const tree = await readTree(source, folder);
  const treeName = `${source.describe().replace(/\/?$/, '/')}${folder}`;

  const described = tree.instance.value;
  const folderId = folder.slice(root.length, -1);
  if (described.Id !== folderId)
    throw new ImportInputError(
      `${tree.instance.key} describes instance ${described.Id}, not ${folderId} (its folder); nothing was written`,
    );
  const arnParts = /^arn:[^:]+:connect:([^:]+):(\d{12}):instance\/(.+)$/.exec(described.Arn);
  const instance: InstanceIdentity = {
    id: described.Id,
    arn: described.Arn,
    alias: described.InstanceAlias ?? '',
    region: arnParts?.[1] ?? '',
    accountId: arnParts?.[2] ?? '',
  };

  const warnings: ManifestWarning[] = [`imported from connect-backup tree ${treeName}`];
  const warn = (warning: ManifestWarning) => warnings.push(warning);
  const documents = documentsOf(tree, instance, warn);
  warnings.push(...formatWarnings(tree, documents));

  const snapshotId = newSnapshotId(started);
  const written: string[] = [];
  const objects: ManifestObject[] = [];
  const put = async (relativeKey: string, body: string | Uint8Array, contentType = 'application/json') => {
    const key = snapshotObjectKey(request.prefix, instance.id, snapshotId, relativeKey);
    if (!(await destination.putIfAbsent(key, body, contentType)))
      throw new Error(`${key} already exists (another import or backup of the same millisecond?)`);
    written.push(key);
  };
  const ctx = offlineContext(instance);
  let latest = false;
  let latestKept: string | undefined;
  let manifest: Manifest;
  try {
    for (const kindName of KIND_NAMES) {
      const list = documents.get(kindName);
      if (!list) continue;
      const kind = kindNamed(kindName);
      for (const document of list) {
        const removed = scrubPasswords(document);
        if (removed)
          warn({ kind: kindName, id: document.id, message: `removed ${removed} password member(s)` });
        const { name, relativeKey, body } = documentPlacement(kind, document);
        await put(relativeKey, body);
        objects.push(manifestEntry(relativeKey, body, documentIdentity(kind, document)));
        // Raw flow content; prompts' audio is not in the tree, and deriving it would call Connect.
        if (kindName !== 'flows') continue;
        for (const derived of await derivedObjects(kind, document, name, ctx)) {
          await put(derived.relativeKey, derived.body, derived.contentType);
          objects.push(manifestEntry(derived.relativeKey, derived.body, derived.entry));
        }
      }
    }
    const instanceDocument: InstanceDocument = {
      instance: entity(described),
      attributes: {},
      approvedOrigins: [],
      lambdaFunctions: tree.lambdas,
      lexV2BotAliases: [],
    };
    const instanceBody = canonicalJson(instanceDocument);
    await put(INSTANCE_FILE, instanceBody);
    objects.push(
      manifestEntry(INSTANCE_FILE, instanceBody, {
        kind: INSTANCE_KIND,
        id: instance.id,
        arn: instance.arn,
        name: instance.alias,
      }),
    );

    const held = KIND_NAMES.filter((kind) => documents.has(kind));
    manifest = manifestSchema.parse({
      formatVersion: FORMAT_VERSION,
      snapshotId,
      instance,
      startedAt: started.toISOString(),
      finishedAt: ports.clock.now().toISOString(),
      objects: [...objects].sort((a, b) => a.key.localeCompare(b.key)),
      counts: Object.fromEntries(held.map((kind) => [kind, documents.get(kind)?.length ?? 0])),
      apiCalls: {},
      throttles: { count: 0, byOperation: {} },
      warnings,
      // No byKind: the next backup reads every kind in full (the import has no change signals).
      kinds: { read: held, carriedForward: [] },
    });
    const key = manifestKey(request.prefix, instance.id, snapshotId);
    if (!(await destination.putIfAbsent(key, canonicalJson(manifest), 'application/json')))
      throw new Error(`a manifest already exists at ${key}`);
  } catch (error) {
    for (const key of written.reverse()) await destination.delete?.(key).catch(() => undefined);
    throw new ImportFailedError(
      `Importing ${treeName} failed (${(error as Error).message}); snapshot ${snapshotId} has no manifest and latest.json did not move`,
      { cause: error },
    );
  }
  const pointerKey = latestKey(request.prefix, instance.id);
  latest = await destination.putIfAbsent(
    pointerKey,
    canonicalJson(latestPointerFor(manifest)),
    'application/json',
  );
  if (!latest) {
    const bytes = await destination.get(pointerKey);
    const named = bytes ? latestPointerSchema.safeParse(safeJson(bytes)).data?.snapshotId : undefined;
    latestKept = named ?? '(unreadable)';
  }
  return {
    snapshotId,
    instance,
    location: snapshotLocation(destination, request.prefix, instance.id, snapshotId),
    tree: treeName,
    counts: manifest.counts,
    objects: manifest.objects.length,
    bytes: manifest.objects.reduce((n, o) => n + o.bytes, 0),
    warnings: manifest.warnings,
    latest,
    ...(latestKept ? { latestKept } : {}),
  };
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
