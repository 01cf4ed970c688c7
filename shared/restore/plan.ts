/**
 * Planning a restore: load the snapshot (checked), read the target through the same kinds, match
 * every source resource to a target resource, compare their states with every reference remapped,
 * and decide create, update, unchanged or skip for each, with a reason. Nothing is written.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import picomatch from 'picomatch';
import type {
  DeclaredReference,
  KindRemoval,
  KindRestore,
  MatchContext,
  ResourceState,
  TargetMatch,
  TargetResource,
} from '#shared/kinds/index.js';
import {
  KIND_NAMES,
  type KindName,
  kindNamed,
  type ReadContext,
  restoreOf,
  type StoredDocument,
} from '#shared/kinds/index.js';
import { describeInstance, type InstanceDocument, readInstanceDocument } from '#shared/kinds/instance.js';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import {
  canonicalJson,
  newSnapshotId,
  PROMPT_AUDIO_FOLDER,
  snapshotObjectKey,
} from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { NothingToRestoreError, RestoreInputError } from './errors.js';
import {
  type Finding,
  handlesIn,
  type InstanceIdentityLite,
  type RewriteContext,
  rewriteSource,
  rewriteSourceText,
  SourceIndex,
  TargetSymbols,
} from './references.js';
import type { EntryKind, PlanEntry, RestorePlan, UnresolvedReference } from './report.js';
import { instanceArnParts, type Mapping, type RestoreRequest } from './request.js';
import { type LoadedSnapshot, loadSnapshot } from './snapshot-source.js';

/** Progress of a restore, for a CLI's output or a Lambda's logs. */
export type RestoreProgress =
  | { type: 'snapshot-loaded'; objects: number }
  | { type: 'target-read'; kind: KindName; count: number }
  | { type: 'planned'; entries: number }
  | { type: 'applied'; kind: EntryKind; name: string; outcome: string; done: number; total: number };

/** The ports planning runs on. */
export interface PlanPorts {
  /** Where the snapshot is (S3 or a folder); the request's `source.prefix` applies inside it. */
  source: SnapshotStore;
  /** The target instance's Connect client: its Region and credentials. */
  targetConnect: ConnectClient;
  /**
   * A Connect client that can read the source instance, if any: used only for prompts whose audio
   * the snapshot cannot give CreatePrompt (a snapshot written before snapshots held audio, or one
   * in a local folder), which are then created from the source prompt's audio (GetPromptFile).
   */
  sourceConnect?: ConnectClient;
  clock: ClockPort;
  logger: LoggerPort;
  progress?: (event: RestoreProgress) => void;
  signal?: AbortSignal;
  /**
   * Target ids of resources earlier restores into the target created and did not finish (their
   * journals, `journal.ts`): planned as updates in any mode, create-missing included.
   */
  halfCreated?: ReadonlySet<string>;
}

/** One resource the plan decided on, with what applying it needs. */
export interface WorkItem {
  entry: PlanEntry;
  kind: KindName;
  spec: KindRestore;
  source: StoredDocument;
  /** The source resource's handle in the index (-1 for a singleton). */
  handle: number;
  /** The desired state, references as symbols. */
  desired: ResourceState;
  /** The matched target resource and its state in target ids, and with references as symbols. */
  target?: TargetResource;
  current?: ResourceState;
  currentSymbolic?: ResourceState;
  /** The parts that differ. */
  changed: Set<string>;
  /** A blank singleton the plan "creates" by updating it. */
  fillBlank?: boolean;
}

/**
 * Mode mirror: a resource the target has and the snapshot does not, and how it is removed. Only
 * entries with action `remove` are written; the others (kept, disabled already) are reported.
 */
export interface RemovalItem {
  entry: PlanEntry;
  kind: KindName;
  /** The kind's removal; undefined for a kind that cannot be removed (the entry is kept). */
  removal?: KindRemoval;
  /** The target's document of the resource. */
  target: StoredDocument;
  /** Position within the kind (the kind's `order`); removals run highest first. */
  order: number;
}

/** An instance integration to associate (Lambda function, Lex V2 bot alias). */
export interface AssociationItem {
  entry: PlanEntry;
  arn: string;
}

/**
 * An instance setting to write: an attribute (UpdateInstanceAttribute) or an approved origin
 * (AssociateApprovedOrigin).
 */
export type InstanceSettingItem =
  | { entry: PlanEntry; attribute: { type: string; value: string } }
  | { entry: PlanEntry; origin: string };

/**
 * Instance attributes restore does not set: only accounts AWS Support has allowlisted can set
 * USE_CUSTOM_TTS_VOICES (UpdateInstanceAttribute, API reference).
 */
export const UNSETTABLE_ATTRIBUTES: Readonly<Record<string, string>> = {
  USE_CUSTOM_TTS_VOICES:
    'only accounts AWS Support has allowlisted can set USE_CUSTOM_TTS_VOICES (UpdateInstanceAttribute): set it by hand once allowlisted',
};

/** A plan and what applying it needs; nothing has been written. */
export interface PlannedRestore {
  plan: RestorePlan;
  items: WorkItem[];
  associations: AssociationItem[];
  /** Instance attributes and approved origins (an unfiltered restore only). */
  settings: InstanceSettingItem[];
  /**
   * Mode mirror: the target's resources of the selected kinds (and names) the snapshot does not
   * have, in the order they are removed (kinds in reverse restore order, dependents first). Empty
   * in the other modes.
   */
  removals: RemovalItem[];
  index: SourceIndex;
  /** Target resources matched to source resources, by handle. */
  matched: Map<number, TargetResource>;
  sourceIdentity: InstanceIdentityLite;
  targetIdentity: InstanceIdentityLite;
  /** The target is the source instance (a point-in-time restore). */
  sameInstance: boolean;
  identityManagementType: string;
  /**
   * `sourceConnect` can read the source instance (prompt audio the snapshot cannot give comes
   * from it). Only checked when a prompt needs it.
   */
  sourceReadable: boolean;
  /**
   * The `S3Uri` CreatePrompt reads a prompt's audio from without the source instance:
   * `mappings.promptAudio`, else the snapshot's own audio object when the snapshot is in S3.
   */
  promptAudioUri(source: StoredDocument): string | undefined;
  request: RestoreRequest;
  startedAt: Date;
}

const EMPTY = canonicalJson(null);

/** Drops undefined members, empty objects and empty lists, at every depth. */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => [key, pruned(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** The form two parts are compared in: pruned, unordered lists sorted, canonical JSON. */
export function comparablePart(spec: KindRestore, part: string, value: unknown): string {
  let normal = pruned(value);
  if (Array.isArray(normal) && spec.unordered?.includes(part)) {
    normal = normal.map((item) => canonicalJson(item)).sort();
  }
  return normal === undefined ? EMPTY : canonicalJson(normal);
}

/** True when a part has something to write. */
export function hasContent(value: unknown): boolean {
  return pruned(value) !== undefined;
}

/** The parts that differ between two states. */
function changedParts(spec: KindRestore, current: ResourceState, desired: ResourceState): Set<string> {
  const parts = new Set([...Object.keys(current), ...Object.keys(desired)]);
  return new Set(
    [...parts].filter(
      (part) => comparablePart(spec, part, current[part]) !== comparablePart(spec, part, desired[part]),
    ),
  );
}

function label(kind: EntryKind): string {
  return (KIND_NAMES as readonly string[]).includes(kind) ? kindNamed(kind as KindName).label : kind;
}

/** Reads the target's resources of some kinds through the kinds' own `read`. */
async function readTarget(
  kinds: ReadonlySet<KindName>,
  ctx: ReadContext,
  progress: PlanPorts['progress'],
): Promise<Map<KindName, StoredDocument[]>> {
  const out = new Map<KindName, StoredDocument[]>();
  await Promise.all(
    [...kinds].map(async (kind) => {
      const documents: StoredDocument[] = [];
      for await (const document of kindNamed(kind).read(ctx)) documents.push(document);
      out.set(kind, documents);
      progress?.({ type: 'target-read', kind, count: documents.length });
    }),
  );
  return out;
}

function identityOf(instance: {
  id: string;
  arn: string;
  region: string;
  accountId: string;
}): InstanceIdentityLite {
  return { id: instance.id, arn: instance.arn, region: instance.region, accountId: instance.accountId };
}

/**
 * Describes the target instance.
 * @throws RestoreInputError `unknown-instance` when it is not in the target's account and Region.
 */
async function targetInstance(connect: ConnectClient, instanceId: string, signal: AbortSignal | undefined) {
  try {
    return await describeInstance({ connect, instanceId, signal });
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      throw new RestoreInputError(
        'unknown-instance',
        `Target instance ${instanceId} does not exist in the target account and Region: check the instance id, --target-region and the credentials`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * A target instance given as an ARN must be the instance DescribeInstance found with the target's
 * credentials and Region (partition, account, Region, id); a `target.region` must be its Region.
 * @throws RestoreInputError `unknown-instance` naming what differs.
 */
function checkTargetIdentity(request: RestoreRequest, target: InstanceIdentityLite): void {
  const given = request.target.instanceId ? instanceArnParts(request.target.instanceId) : undefined;
  const differs: string[] = [];
  if (given) {
    if (given.accountId !== target.accountId)
      differs.push(`account ${given.accountId}, not ${target.accountId}`);
    if (given.region !== target.region) differs.push(`Region ${given.region}, not ${target.region}`);
    if (given.instanceId !== target.id) differs.push(`instance ${given.instanceId}, not ${target.id}`);
    const partition = target.arn.split(':')[1] ?? '';
    if (given.partition !== partition) differs.push(`partition ${given.partition}, not ${partition}`);
  }
  if (request.target.region && request.target.region !== target.region)
    differs.push(`Region ${request.target.region} (target.region), not ${target.region}`);
  if (differs.length) {
    throw new RestoreInputError(
      'unknown-instance',
      `Target instance ${request.target.instanceId ?? target.id} names ${differs.join(', ')}: the target credentials and Region reach ${target.arn}. Check the target ARN, --target-region and the credentials; nothing was written`,
    );
  }
}

/** The filters, for a message. */
function describeFilters(filters: RestoreRequest['filters']): string {
  return [
    ...(filters.kinds ? [`kinds ${filters.kinds.join(', ')}`] : []),
    ...(filters.names ? [`names ${filters.names.map((n) => JSON.stringify(n)).join(', ')}`] : []),
  ].join('; ');
}

/**
 * Checks `mappings.names` against the snapshot: every name it renames is a resource of that kind
 * in the snapshot, and no target name is left to two resources of one kind because of a rename
 * (two source names mapped to one name, or a rename onto a name another resource keeps).
 * @throws RestoreInputError `invalid-mapping` naming every problem.
 */
function checkNamesMapping(
  mapping: Mapping,
  documents: ReadonlyMap<KindName, StoredDocument[]>,
  targetName: (document: StoredDocument) => string,
): void {
  const problems: string[] = [];
  for (const [kind, renames] of Object.entries(mapping.names ?? {}) as Array<
    [KindName, Record<string, string>]
  >) {
    const ofKind = documents.get(kind) ?? [];
    const names = new Set(ofKind.map((d) => d.name));
    for (const from of Object.keys(renames)) {
      if (!names.has(from))
        problems.push(`names.${kind}.${from}: the snapshot has no ${label(kind)} named "${from}"`);
    }
    const byTarget = new Map<string, StoredDocument[]>();
    for (const document of ofKind) {
      const name = targetName(document);
      byTarget.set(name, [...(byTarget.get(name) ?? []), document]);
    }
    for (const [name, same] of byTarget) {
      if (same.length < 2 || !same.some((d) => Object.hasOwn(renames, d.name))) continue;
      problems.push(
        `names.${kind}: ${same.map((d) => `"${d.name}"`).join(' and ')} would all be restored as ${label(kind)} "${name}"`,
      );
    }
  }
  if (problems.length) {
    throw new RestoreInputError(
      'invalid-mapping',
      `The mapping contradicts the snapshot: ${problems.join('; ')}. Nothing was written`,
    );
  }
}

/**
 * Checks the mappings of kinds matched by a mapping of their own (`mappings.phoneNumbers`) against
 * the snapshot: see `KindRestore.mappingProblems`.
 * @throws RestoreInputError `invalid-mapping` naming every problem.
 */
function checkKindMappings(documents: ReadonlyMap<KindName, StoredDocument[]>, context: MatchContext): void {
  const problems = KIND_NAMES.flatMap(
    (kind) => restoreOf(kind).mappingProblems?.(documents.get(kind) ?? [], context) ?? [],
  );
  if (problems.length) {
    throw new RestoreInputError(
      'invalid-mapping',
      `The mapping contradicts the snapshot: ${problems.join('; ')}. Nothing was written`,
    );
  }
}

/**
 * The `mappings.ids` and `mappings.arns` entries whose key is a reference of a known kind (a
 * resource of the snapshot, or a declared reference member): each must map to a resource of that
 * kind in the target, checked against the target's resources before the first write.
 */
class MappedReferences {
  readonly #keys = new Map<string, KindName>();

  constructor(
    private readonly mapping: Mapping,
    index: SourceIndex,
  ) {
    for (const key of [...Object.keys(mapping.ids ?? {}), ...Object.keys(mapping.arns ?? {})]) {
      const resource = index.find(key);
      if (resource) this.#keys.set(key, resource.kind);
    }
  }

  /** Records that `value`, if mapped, stands for a resource of `kind`. */
  note(value: string, kind: KindName): void {
    if (Object.hasOwn(this.mapping.ids ?? {}, value) || Object.hasOwn(this.mapping.arns ?? {}, value))
      if (!this.#keys.has(value)) this.#keys.set(value, kind);
  }

  /** The kinds of the target to read for the check. */
  kinds(): Set<KindName> {
    return new Set(this.#keys.values());
  }

  /**
   * @throws RestoreInputError `invalid-mapping` for every entry whose value is no resource of its
   *   kind in the target.
   */
  check(target: ReadonlyMap<KindName, StoredDocument[]>): void {
    const problems: string[] = [];
    for (const [key, kind] of this.#keys) {
      const documents = target.get(kind) ?? [];
      for (const [member, map] of [
        ['ids', this.mapping.ids],
        ['arns', this.mapping.arns],
      ] as const) {
        if (!map || !Object.hasOwn(map, key)) continue;
        const value = map[key] ?? '';
        if (documents.some((d) => d.id === value || d.arn === value)) continue;
        problems.push(
          `${member}.${key}: maps a ${label(kind)} to ${value}, which is no ${label(kind)} of the target instance`,
        );
      }
    }
    if (problems.length) {
      throw new RestoreInputError(
        'invalid-mapping',
        `The mapping contradicts the target: ${problems.join('; ')}. Nothing was written`,
      );
    }
  }
}

/** True when `text` holds `arn` as a whole ARN (not as the start of a longer name). */
function mentions(text: string, arn: string): boolean {
  for (let at = text.indexOf(arn); at >= 0; at = text.indexOf(arn, at + 1)) {
    if (!/[A-Za-z0-9_-]/.test(text.charAt(at + arn.length))) return true;
  }
  return false;
}

/** Checks a declared reference member: is it in the snapshot, mapped, or (same instance) kept? */
function declaredFinding(reference: DeclaredReference, ctx: RewriteContext): Finding | undefined {
  const { value } = reference;
  const mapped = Object.hasOwn(ctx.mapping.ids ?? {}, value) || Object.hasOwn(ctx.mapping.arns ?? {}, value);
  if (mapped || ctx.sameInstance || value === ctx.source.id) return undefined;
  // A phone number of the snapshot (the phone-numbers kind) is remapped through mappings.phoneNumbers.
  if (reference.kind === 'phone-number' && ctx.index.find(value)?.kind === 'phone-numbers') return undefined;
  if (reference.kind === 'phone-number' || reference.kind === 'email-address') {
    const what = reference.kind === 'phone-number' ? 'phone number' : 'email address';
    return {
      path: reference.member,
      reference: value,
      reason: `is a ${what} of the source instance: map it to one of the target with mappings.ids`,
    };
  }
  if (ctx.index.find(value)) return undefined;
  return {
    path: reference.member,
    reference: value,
    reason: `is a ${label(reference.kind)} that is not in the snapshot; map it with mappings.ids`,
  };
}

/**
 * Plans a restore. Checks first, so that bad input fails before the first write: the snapshot is
 * verified (see `loadSnapshot`); a target instance given as an ARN must be the instance
 * DescribeInstance finds (account, Region, id); filters that match nothing fail; `mappings.names`
 * must name resources of the snapshot and give no two of one kind the same target name;
 * `mappings.ids`/`arns` entries for resources of a known kind must name a resource of that kind in
 * the target. Reads only: the snapshot (every object checked against the manifest), the
 * target instance (DescribeInstance, its integrations, and the resources of the kinds the selected
 * resources need, through the kinds' `read`; in mode overwrite, what a kind's `completeTarget`
 * adds for matched targets: a prompt's audio).
 *
 * Prompt audio: a prompt is created (or, in mode overwrite, its differing audio updated) from
 * `mappings.promptAudio`, else the snapshot's own `prompts-audio/` object when the snapshot is in
 * S3; a prompt to create may also take the source instance's audio when it can be read (snapshots
 * without audio, or in a local folder). Otherwise it is blocked, saying what is missing.
 *
 * Matching: by id first when the target is the source instance, else by name (a `names` mapping
 * renames); flows must also have the same type; phone numbers by `mappings.phoneNumbers` (a number
 * it does not map is skipped, and blocked when the mapping names other numbers; see
 * `KindRestore.matchBy`). Decisions: `create` when there is no match;
 * `unchanged` when the states are equal once references are remapped; `update` when they differ
 * (mode `overwrite`); `skip` otherwise, with the reason (create-missing leaves existing resources
 * alone; unresolved references; a change the API cannot make). A resource that references one
 * that will not exist is skipped too, until nothing changes (so nothing dangling is ever written).
 *
 * Mode mirror: also every target resource of the selected kinds and names that no source resource
 * matches, as an entry with `removal` (see `planRemovals`): `remove`, `unchanged` (disabled
 * already) or `skip` (kept, with the reason). Every selected kind's target is read, also a kind the
 * snapshot holds none of.
 *
 * Integrations: every Lambda function and Lex V2 bot of the source instance in an unfiltered
 * restore; in a filtered one, only those the restored resources reference.
 *
 * @throws RestoreInputError for an unknown snapshot or target instance (`unknown-instance`, also a
 *   target ARN of another account, Region or id), a snapshot that fails verification (`integrity`)
 *   or of a newer format, a mapping that contradicts the snapshot or the target
 *   (`invalid-mapping`, also a `phoneNumbers` entry for a number the snapshot does not hold, or
 *   `"same"` into another instance); NothingToRestoreError when the filters match nothing. All before any write.
 */
export async function planRestore(request: RestoreRequest, ports: PlanPorts): Promise<PlannedRestore> {
  const startedAt = ports.clock.now();
  const restoreId = newSnapshotId(startedAt);
  const targetArn = request.target.instanceId ? instanceArnParts(request.target.instanceId) : undefined;
  const targetInstanceId = targetArn?.instanceId ?? request.target.instanceId ?? request.source.instanceId;

  const snapshot: LoadedSnapshot = await loadSnapshot(
    ports.source,
    request.source.prefix,
    request.source.instanceId,
    request.source.snapshot,
    ports.signal,
  );
  ports.progress?.({ type: 'snapshot-loaded', objects: snapshot.manifest.objects.length });
  const target = await targetInstance(ports.targetConnect, targetInstanceId, ports.signal);
  checkTargetIdentity(request, target);
  const readContext: ReadContext = {
    connect: ports.targetConnect,
    instanceId: target.id,
    instanceArn: target.arn,
    signal: ports.signal,
    warn: (w) =>
      ports.logger.warn('target read warning', { kind: w.kind, resourceId: w.id, warning: w.message }),
  };
  const targetDocument: InstanceDocument = await readInstanceDocument(readContext);
  const identityManagementType = String(targetDocument.instance.IdentityManagementType ?? 'CONNECT_MANAGED');

  const sourceIdentity = identityOf(snapshot.manifest.instance);
  const targetIdentity = identityOf(target);
  const sameInstance =
    sourceIdentity.id === targetIdentity.id &&
    sourceIdentity.accountId === targetIdentity.accountId &&
    sourceIdentity.region === targetIdentity.region;
  const allDocuments = KIND_NAMES.flatMap((kind) =>
    restoreOf(kind).singleton ? [] : (snapshot.documents.get(kind) ?? []),
  );
  const index = new SourceIndex(sourceIdentity, allDocuments);
  const rewrite: RewriteContext = {
    source: sourceIdentity,
    target: targetIdentity,
    sameInstance,
    index,
    mapping: request.mappings,
  };
  // Kinds matched by a mapping of their own (phone numbers): where each resource goes, or why not.
  const matchContext = { mapping: request.mappings, sameInstance };
  const matches = new Map<StoredDocument, TargetMatch>();
  const matchOf = (document: StoredDocument): TargetMatch | undefined => {
    const spec = restoreOf(document.kind);
    if (!spec.matchBy) return undefined;
    let match = matches.get(document);
    if (!match) {
      match = spec.matchBy(document, matchContext);
      matches.set(document, match);
    }
    return match;
  };
  const targetName = (document: StoredDocument) => {
    const match = matchOf(document);
    if (match && 'name' in match) return match.name;
    return request.mappings.names?.[document.kind]?.[document.name] ?? document.name;
  };

  // Selection, and each selected resource's desired state with its references as symbols.
  const kinds = request.filters.kinds ?? [...KIND_NAMES];
  const nameMatches = request.filters.names ? picomatch(request.filters.names, { dot: true }) : undefined;
  const selected = KIND_NAMES.filter((kind) => kinds.includes(kind)).flatMap((kind) =>
    (snapshot.documents.get(kind) ?? []).filter((d) => !nameMatches || nameMatches(d.name)),
  );
  const filtered = request.filters.kinds !== undefined || request.filters.names !== undefined;
  if (filtered && selected.length === 0) {
    throw new NothingToRestoreError(
      `Nothing to restore: the filters (${describeFilters(request.filters)}) match no resource of snapshot ${snapshot.manifest.snapshotId}; nothing was written`,
    );
  }
  checkNamesMapping(request.mappings, snapshot.documents, targetName);
  checkKindMappings(snapshot.documents, matchContext);
  const mappedTo = new MappedReferences(request.mappings, index);
  const drafts = selected.map((source) => {
    const spec = restoreOf(source.kind);
    const state = spec.state(source);
    if (spec.nameMember) state[spec.nameMember] = targetName(source);
    const findings: Finding[] = [];
    for (const reference of spec.references?.(state) ?? []) {
      const finding = declaredFinding(reference, rewrite);
      if (finding) findings.push(finding);
      if ((KIND_NAMES as readonly string[]).includes(reference.kind))
        mappedTo.note(reference.value, reference.kind as KindName);
    }
    const desired = rewriteSource(state, rewrite, findings) as ResourceState;
    const unique = [...new Map(findings.map((f) => [`${f.path}\u0000${f.reference}`, f])).values()];
    return { source, spec, desired, findings: unique, handle: index.find(source.id)?.handle ?? -1 };
  });

  // The target's resources of every kind the selection is or references.
  const needed = new Set<KindName>(drafts.map((d) => d.source.kind));
  for (const draft of drafts) {
    for (const handle of handlesIn(draft.desired)) {
      const resource = index.at(handle);
      if (resource) needed.add(resource.kind);
    }
  }
  for (const kind of mappedTo.kinds()) needed.add(kind);
  // A mirror compares every selected kind, also one the snapshot has no resource of.
  const mirror = request.mode === 'mirror';
  if (mirror) for (const kind of kinds) if (!restoreOf(kind).singleton) needed.add(kind);
  const targetDocuments = await readTarget(needed, readContext, ports.progress);
  mappedTo.check(targetDocuments);

  // Matching, for every source resource of those kinds (references need it, not only the selection).
  const matched = new Map<number, TargetResource>();
  const matchedDocument = new Map<StoredDocument, StoredDocument>();
  const conflicts = new Map<StoredDocument, string>();
  /** Target resources a source resource was matched to, or conflicts with: a mirror never removes them. */
  const claimed = new Set<StoredDocument>();
  const symbols = new TargetSymbols(targetIdentity);
  for (const kind of needed) {
    const spec = restoreOf(kind);
    const targets = targetDocuments.get(kind) ?? [];
    const byId = new Map(targets.map((t) => [t.id, t]));
    const byName = new Map(targets.map((t) => [t.name, t]));
    const used = new Set<string>();
    for (const source of snapshot.documents.get(kind) ?? []) {
      // A resource its kind does not restore (an unmapped phone number) still stands for itself in
      // the same instance, so references to it resolve; it is never matched by name.
      const unmatched = 'skip' in (matchOf(source) ?? {});
      const found = spec.singleton
        ? targets[0]
        : ((sameInstance ? byId.get(source.id) : undefined) ??
          (unmatched ? undefined : byName.get(targetName(source))));
      if (!found) continue;
      claimed.add(found);
      if (used.has(found.id)) {
        conflicts.set(
          source,
          `the target's ${label(kind)} "${found.name}" is already matched to another resource of the snapshot`,
        );
        continue;
      }
      const incompatible = spec.incompatible?.(source, found);
      if (incompatible) {
        conflicts.set(source, incompatible);
        continue;
      }
      used.add(found.id);
      matchedDocument.set(source, found);
      const handle = index.find(source.id)?.handle;
      if (handle !== undefined && !spec.singleton) {
        matched.set(handle, { id: found.id, arn: found.arn });
        symbols.add(handle, { id: found.id, arn: found.arn });
      }
    }
  }

  // What the kinds' reads leave out but their states compare (a prompt's audio), for the matched
  // targets of the selection that mode overwrite may update.
  if (request.mode !== 'create-missing') {
    for (const draft of drafts) {
      const found = matchedDocument.get(draft.source);
      if (found && draft.spec.completeTarget) await draft.spec.completeTarget(readContext, found);
    }
  }
  const promptAudio = promptAudioOf(request, ports.source, snapshot);
  // The source instance is asked (DescribeInstance, later GetPromptFile) only for prompts whose
  // audio neither the mapping nor the snapshot in S3 gives, and which restore creates.
  const needsSource = drafts.some(
    (d) => d.source.kind === 'prompts' && !matchedDocument.has(d.source) && !promptAudio.uri(d.source),
  );
  const sourceReadable = needsSource && (await canRead(ports, sourceIdentity.id));
  const promptAudioMissing = (source: StoredDocument) =>
    promptAudio.uri(source) || sourceReadable ? undefined : promptAudio.missing(source);
  const unresolved: UnresolvedReference[] = [];
  const items: WorkItem[] = drafts.map((draft) => {
    const { source, spec, findings } = draft;
    const desired = symbols.symbolize(draft.desired) as ResourceState;
    const entry: PlanEntry = {
      kind: source.kind,
      name: targetName(source),
      sourceId: source.id,
      action: 'skip',
      reason: '',
    };
    const item: WorkItem = {
      entry,
      kind: source.kind,
      spec,
      source,
      handle: draft.handle,
      desired,
      changed: new Set(),
    };
    const found = matchedDocument.get(source);
    if (found) entry.targetId = found.id;
    const match = matchOf(source);
    if (match && 'skip' in match) {
      if (match.blocked) entry.blocked = true;
      entry.reason = match.skip;
      return item;
    }
    if (findings.length) {
      entry.blocked = true;
      entry.reason = `${findings.length} unresolved reference(s): ${findings[0]?.reference} ${findings[0]?.reason}`;
      for (const f of findings)
        unresolved.push({
          kind: source.kind,
          name: entry.name,
          sourceId: source.id,
          ...f,
          cause: 'unresolved',
        });
      return item;
    }
    const conflict = conflicts.get(source);
    if (conflict) {
      entry.blocked = true;
      entry.reason = conflict;
      return item;
    }
    if (!found) {
      const cannot = spec.cannotCreate?.(source, { promptAudioMissing, targetName });
      if (cannot) {
        entry.blocked = true;
        entry.reason = cannot;
      } else {
        entry.action = 'create';
        entry.reason = `not in the target`;
        item.changed = new Set(Object.keys(desired).filter((part) => hasContent(desired[part])));
      }
      return item;
    }
    item.target = { id: found.id, arn: found.arn };
    item.current = spec.state(found);
    const current = symbols.symbolize(item.current) as ResourceState;
    item.currentSymbolic = current;
    item.changed = changedParts(spec, spec.comparable?.(current, desired) ?? current, desired);
    const changes = [...item.changed].sort();
    if (!changes.length) {
      entry.action = 'unchanged';
      entry.reason = 'the target matches the snapshot';
    } else if (spec.isBlank?.(current)) {
      entry.action = 'create';
      entry.reason = spec.singleton
        ? 'the target has none'
        : 'the target holds only the placeholder an interrupted restore left';
      entry.changes = changes;
      item.fillBlank = true;
    } else if (request.mode === 'create-missing' && !ports.halfCreated?.has(found.id)) {
      entry.reason =
        'exists in the target and differs; create-missing never changes existing resources (use mode overwrite)';
      entry.changes = changes;
    } else {
      const cannot = spec.cannotUpdate?.(changes, current, desired, {
        source,
        snapshotAudioMissing: (s) => (promptAudio.uri(s) ? undefined : promptAudio.missing(s)),
      });
      entry.changes = changes;
      if (cannot) {
        entry.blocked = true;
        entry.reason = cannot;
      } else {
        entry.action = 'update';
        entry.reason = ports.halfCreated?.has(found.id)
          ? 'created by an earlier restore that stopped before finishing it (its journal): finished in any mode'
          : 'differs from the snapshot';
      }
    }
    return item;
  });

  blockDangling(items, matched, index, unresolved);

  const includeAssociations = (request.filters.kinds ?? KIND_NAMES).some(
    (k) => restoreOf(k).usesIntegrations,
  );
  // A filtered restore associates only the integrations its restored resources reference.
  const referenced = filtered
    ? JSON.stringify(items.filter((i) => i.entry.action !== 'skip').map((i) => i.desired))
    : undefined;
  const associations = includeAssociations
    ? planAssociations(snapshot.instanceDocument, targetDocument, rewrite, unresolved, referenced)
    : [];

  // Instance settings belong to no kind: a restore filtered by kinds or names leaves them alone.
  const settings = filtered
    ? []
    : planInstanceSettings(snapshot.instanceDocument, targetDocument, request.mode);

  const removals = mirror
    ? planRemovals(kinds, targetDocuments, claimed, (name) => !nameMatches || nameMatches(name))
    : [];

  const entries = [
    ...associations.map((a) => a.entry),
    ...settings.map((s) => s.entry),
    ...items.map((i) => i.entry),
    ...removals.map((r) => r.entry),
  ];
  const counts: RestorePlan['counts'] = {
    create: 0,
    update: 0,
    unchanged: 0,
    skip: 0,
    ...(mirror ? { remove: 0 } : {}),
  };
  for (const entry of entries) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
  const plan: RestorePlan = {
    restoreId,
    mode: request.mode,
    dryRun: request.dryRun,
    source: {
      location: snapshot.location,
      instanceId: sourceIdentity.id,
      alias: snapshot.manifest.instance.alias,
      region: sourceIdentity.region,
      accountId: sourceIdentity.accountId,
      snapshotId: snapshot.manifest.snapshotId,
    },
    target: {
      instanceId: target.id,
      arn: target.arn,
      alias: target.alias,
      region: target.region,
      accountId: target.accountId,
      identityManagementType,
    },
    filters: {
      ...(request.filters.kinds ? { kinds: request.filters.kinds } : {}),
      ...(request.filters.names ? { names: request.filters.names } : {}),
    },
    entries,
    unresolved,
    counts,
  };
  ports.progress?.({ type: 'planned', entries: entries.length });
  ports.logger.info('restore planned', { restoreId, ...counts, unresolved: unresolved.length });
  return {
    plan,
    items,
    associations,
    settings,
    removals,
    index,
    matched,
    sourceIdentity,
    targetIdentity,
    sameInstance,
    identityManagementType,
    sourceReadable,
    promptAudioUri: promptAudio.uri,
    request,
    startedAt,
  };
}

/**
 * Mode mirror: every target resource of the selected kinds (singletons aside) that no source
 * resource was matched to or conflicts with, and whose name the `names` filter selects. Each is
 * removed as its kind says (`KindRestore.remove`: deleted, or disabled), unless disabled already,
 * or kept with the reason: the kind cannot be removed, or the resource is one every instance comes
 * with (`KindRemoval.protect`). In removal order: kinds in reverse restore order, and within a kind
 * the reverse of its `order` (hierarchy groups: deepest level first).
 */
function planRemovals(
  kinds: readonly KindName[],
  targetDocuments: ReadonlyMap<KindName, StoredDocument[]>,
  claimed: ReadonlySet<StoredDocument>,
  selected: (name: string) => boolean,
): RemovalItem[] {
  return [...KIND_NAMES]
    .reverse()
    .filter((kind) => kinds.includes(kind) && !restoreOf(kind).singleton)
    .flatMap((kind) => {
      const spec = restoreOf(kind);
      const removal = spec.remove;
      return (targetDocuments.get(kind) ?? [])
        .filter((target) => !claimed.has(target) && selected(target.name))
        .map((target): RemovalItem => {
          const entry: PlanEntry = {
            kind,
            name: target.name,
            sourceId: '',
            targetId: target.id,
            action: 'skip',
            reason: '',
            removal: 'kept',
          };
          const kept = removal
            ? removal.protect?.(target)
            : (spec.keptReason ?? `kept: ${label(kind)} cannot be removed by the Connect API`);
          if (kept !== undefined) entry.reason = kept;
          else if (removal?.operation === 'disable') {
            entry.removal = 'disable';
            if (removal.isRemoved?.(target)) {
              entry.action = 'unchanged';
              entry.reason = 'in the target, not in the snapshot: disabled already';
            } else {
              entry.action = 'remove';
              entry.reason = `in the target, not in the snapshot: disabled (${removal.writeOperations.join(', ')}; Connect cannot delete a ${label(kind)})`;
            }
          } else if (removal) {
            entry.removal = 'delete';
            entry.action = 'remove';
            entry.reason = `in the target, not in the snapshot: deleted (${removal.writeOperations.join(', ')})`;
          }
          return {
            entry,
            kind,
            ...(removal ? { removal } : {}),
            target,
            order: spec.order?.(target) ?? 0,
          };
        })
        .sort((a, b) => b.order - a.order);
    });
}

/**
 * Where each prompt's audio comes from on restore, without the source instance: the caller's
 * `mappings.promptAudio` (by prompt name), else the snapshot's `prompts-audio/` object, which
 * CreatePrompt can read only when the snapshot is in S3 (its `s3://<bucket>/<key>`). Connect reads
 * that object itself: the backup bucket's policy lets `connect.amazonaws.com` read the snapshots'
 * `prompts-audio/` objects of its own account (infra/s3.yml).
 */
function promptAudioOf(
  request: RestoreRequest,
  store: SnapshotStore,
  snapshot: LoadedSnapshot,
): { uri(source: StoredDocument): string | undefined; missing(source: StoredDocument): string } {
  const { manifest } = snapshot;
  const audioKeys = new Map(
    manifest.objects
      .filter((o) => o.kind === PROMPT_AUDIO_FOLDER)
      .map((o) => [
        o.id,
        snapshotObjectKey(request.source.prefix, manifest.instance.id, manifest.snapshotId, o.key),
      ]),
  );
  const mapped = request.mappings.promptAudio ?? {};
  return {
    uri(source) {
      if (Object.hasOwn(mapped, source.name)) return mapped[source.name];
      const key = audioKeys.get(source.id);
      return key === undefined ? undefined : store.s3Uri?.(key);
    },
    missing(source) {
      if (audioKeys.has(source.id))
        return `its audio is in the snapshot, but the snapshot is not in S3 (${snapshot.location}) and Connect reads prompt audio (CreatePrompt, UpdatePrompt S3Uri) only from S3: restore from the snapshot in the backup bucket, or give mappings.promptAudio for this prompt (an s3:// URI)`;
      return 'the snapshot holds no audio for this prompt (it was written before snapshots held prompt audio): give mappings.promptAudio for this prompt (an s3:// URI), or restore where the source instance can be read (GetPromptFile)';
    },
  };
}

/** True when `sourceConnect` can read the source instance (for prompt audio); logs why not. */
async function canRead(ports: PlanPorts, instanceId: string): Promise<boolean> {
  if (!ports.sourceConnect) return false;
  try {
    await describeInstance({ connect: ports.sourceConnect, instanceId, signal: ports.signal });
    return true;
  } catch (error) {
    ports.logger.warn('source instance not readable: missing prompts cannot be created from its audio', {
      instanceId,
      errorName: (error as Error).name,
    });
    return false;
  }
}

/**
 * Skips every resource to be created or updated that references a resource that will not exist in
 * the target (not matched, and not created by this restore), repeating until nothing changes. A
 * link (`KindRestore.links`) to such a resource is left out instead, and reported.
 */
function blockDangling(
  items: WorkItem[],
  matched: ReadonlyMap<number, TargetResource>,
  index: SourceIndex,
  unresolved: UnresolvedReference[],
): void {
  const byHandle = new Map(items.filter((i) => i.handle >= 0).map((i) => [i.handle, i]));
  const creating = new Set(
    items.filter((i) => i.entry.action === 'create' && i.handle >= 0).map((i) => i.handle),
  );
  const exists = (handle: number) => matched.has(handle) || creating.has(handle);
  const describe = (handle: number) => {
    const resource = index.at(handle);
    const other = byHandle.get(handle);
    const what = resource ? `${label(resource.kind)} "${resource.name}"` : `resource #${handle}`;
    const why = other
      ? other.entry.blocked
        ? 'is blocked'
        : `is skipped (${other.entry.reason})`
      : 'is neither in the target nor selected for this restore';
    return { what, why, arn: resource?.arn ?? String(handle) };
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const item of items) {
      if (item.entry.action !== 'create' && item.entry.action !== 'update') continue;
      for (const part of item.spec.links ?? []) {
        const links = item.desired[part];
        if (!Array.isArray(links)) continue;
        const kept = links.filter((link) => [...handlesIn(link)].every(exists));
        if (kept.length === links.length) continue;
        for (const link of links.filter((l) => !kept.includes(l))) {
          for (const handle of [...handlesIn(link)].filter((h) => !exists(h))) {
            const { what, why, arn } = describe(handle);
            unresolved.push({
              kind: item.kind,
              name: item.entry.name,
              sourceId: item.source.id,
              path: part,
              reference: arn,
              reason: `the link to ${what} is left out: it ${why}`,
              cause: 'link-dropped',
            });
          }
        }
        item.desired[part] = kept;
        refreshChanges(item);
        changed = true;
      }
      if (item.entry.action !== 'create' && item.entry.action !== 'update') continue;
      const missing = [...handlesIn(item.desired)].find((h) => !exists(h));
      if (missing === undefined) continue;
      const { what, why, arn } = describe(missing);
      item.entry.action = 'skip';
      item.entry.blocked = true;
      item.entry.reason = `references ${what}, which ${why}`;
      unresolved.push({
        kind: item.kind,
        name: item.entry.name,
        sourceId: item.source.id,
        path: '',
        reference: arn,
        reason: `${what} ${why}`,
        cause: 'blocked',
      });
      creating.delete(item.handle);
      changed = true;
    }
  }
}

/** Recomputes an item's changed parts after its desired state changed (a link left out). */
function refreshChanges(item: WorkItem): void {
  if (item.entry.action === 'create' && !item.fillBlank) {
    item.changed = new Set(Object.keys(item.desired).filter((part) => hasContent(item.desired[part])));
    return;
  }
  if (!item.currentSymbolic) return;
  const current = item.spec.comparable?.(item.currentSymbolic, item.desired) ?? item.currentSymbolic;
  item.changed = changedParts(item.spec, current, item.desired);
  const changes = [...item.changed].sort();
  if (!changes.length) {
    item.entry.action = 'unchanged';
    item.entry.reason = 'the target matches the snapshot, but for links left out';
    delete item.entry.changes;
  } else {
    item.entry.changes = changes;
  }
}

/** Lambda functions and Lex V2 bots the snapshot's instance had, remapped, to associate with the target. */
function planAssociations(
  source: InstanceDocument | undefined,
  target: InstanceDocument,
  rewrite: RewriteContext,
  unresolved: UnresolvedReference[],
  referenced: string | undefined,
): AssociationItem[] {
  const list = (kind: 'lambda-function' | 'lex-v2-bot', arns: readonly string[], have: readonly string[]) =>
    arns.flatMap((arn): AssociationItem[] => {
      const findings: Finding[] = [];
      const mapped = rewriteSourceText(
        arn,
        rewrite,
        findings,
        kind === 'lambda-function' ? 'lambdaFunctions' : 'lexV2BotAliases',
      );
      if (referenced !== undefined && !mentions(referenced, arn) && !mentions(referenced, mapped)) return [];
      const entry: PlanEntry = {
        kind,
        name: mapped,
        sourceId: arn,
        action: 'create',
        reason: 'not associated with the target instance',
      };
      if (findings.length) {
        entry.action = 'skip';
        entry.blocked = true;
        entry.reason = `unresolved: ${findings[0]?.reason}`;
        for (const f of findings)
          unresolved.push({ kind, name: arn, sourceId: arn, ...f, cause: 'unresolved' });
      } else if (have.includes(mapped)) {
        entry.action = 'unchanged';
        entry.reason = 'already associated with the target instance';
        entry.targetId = mapped;
      }
      return [{ entry, arn: mapped }];
    });
  return [
    ...list('lambda-function', source?.lambdaFunctions ?? [], target.lambdaFunctions),
    ...list('lex-v2-bot', source?.lexV2BotAliases ?? [], target.lexV2BotAliases),
  ];
}

/**
 * The snapshot's instance attributes and approved origins against the target's. An attribute that
 * differs is updated (mode overwrite; create-missing changes no existing setting) unless it cannot
 * be set ({@link UNSETTABLE_ATTRIBUTES}, or an attribute the target does not list): those are
 * skipped and blocked, with the reason. An approved origin the target lacks is associated in either
 * mode; origins only the target has are left alone. Equal ones are unchanged, so a second restore
 * writes nothing.
 */
function planInstanceSettings(
  source: InstanceDocument | undefined,
  target: InstanceDocument,
  mode: RestoreRequest['mode'],
): InstanceSettingItem[] {
  const attributes = Object.entries(source?.attributes ?? {}).map(([type, value]): InstanceSettingItem => {
    const entry: PlanEntry = {
      kind: 'instance-attribute',
      name: type,
      sourceId: type,
      action: 'skip',
      reason: '',
    };
    const current = target.attributes[type];
    if (current === value) {
      entry.action = 'unchanged';
      entry.reason = 'the target has the same value';
      entry.targetId = type;
    } else if (current === undefined) {
      entry.blocked = true;
      entry.reason = `the target instance does not list ${type} (ListInstanceAttributes): it cannot be set there`;
    } else if (UNSETTABLE_ATTRIBUTES[type]) {
      entry.blocked = true;
      entry.reason = UNSETTABLE_ATTRIBUTES[type];
      entry.changes = ['Value'];
    } else if (mode === 'create-missing') {
      entry.reason = `is ${current} in the target, ${value} in the snapshot; create-missing never changes existing settings (use mode overwrite)`;
      entry.changes = ['Value'];
    } else {
      entry.action = 'update';
      entry.reason = `is ${current} in the target, ${value} in the snapshot`;
      entry.changes = ['Value'];
      entry.targetId = type;
    }
    return { entry, attribute: { type, value } };
  });
  const have = new Set(target.approvedOrigins);
  const origins = (source?.approvedOrigins ?? []).map(
    (origin): InstanceSettingItem => ({
      entry: have.has(origin)
        ? {
            kind: 'approved-origin',
            name: origin,
            sourceId: origin,
            targetId: origin,
            action: 'unchanged',
            reason: 'already approved in the target instance',
          }
        : {
            kind: 'approved-origin',
            name: origin,
            sourceId: origin,
            action: 'create',
            reason: 'not approved in the target instance',
          },
      origin,
    }),
  );
  return [...attributes, ...origins];
}
