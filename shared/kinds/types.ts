/**
 * The contract of a resource kind: one Connect resource type described once, in one module of its
 * own (`users.ts`, `prompts.ts`, …): how to read it in full, its change signal, the objects derived
 * from it, and its restore part (restorable state, references, create and update). Backup, diff and
 * restore iterate over the registry in `index.ts`, a plain list of those modules; a `switch` on
 * resource type outside the registry means a kind is missing something. Adding a type is one file
 * and one line in `index.ts`.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { Mapping } from '#shared/restore/request.js';
import type { KindName } from './index.js';

export type { KindName } from './index.js';

/**
 * One stored resource: its identity, the entity as the API returned it (JSON-normalised: timestamps
 * as ISO-8601 strings), and the data that lives behind other calls.
 */
export interface StoredDocument {
  kind: KindName;
  id: string;
  arn: string;
  name: string;
  /** The Describe (or lossless Search) entity, e.g. a `Queue` or a `User`. Never holds a password. */
  resource: Record<string, unknown>;
  /**
   * Data from other API calls: routing-profile queue configs, queue quick-connect ids,
   * security-profile permissions, applications and allowed flow modules, the SAVED content of a
   * flow with unpublished changes.
   */
  related?: Record<string, unknown>;
  /**
   * Restore only, never stored: the objects derived from this resource (by folder, e.g.
   * `prompts-audio`), as the manifest lists them (source documents) or as read from the target
   * (`KindRestore.completeTarget`).
   */
  derived?: Record<string, DerivedObjectSummary>;
}

/** A derived object as a restore compares it: its SHA-256, size and content type. */
export interface DerivedObjectSummary {
  sha256: string;
  bytes: number;
  contentType?: string | undefined;
}

/**
 * An object derived from a document and stored beside the kinds: a raw flow (text), a prompt's
 * audio (binary). Its manifest entry holds its SHA-256 and size, and a binary one its content type.
 */
export interface DerivedObject {
  /** Folder in the snapshot, one of `DERIVED_FOLDERS` (format.ts): `flows-raw`, `prompts-audio`. */
  folder: string;
  /** The object body, ready to store: text (stored as UTF-8) or bytes. */
  body: string | Uint8Array;
  /** File extension of the object, e.g. `.wav`. Default `.json`. */
  extension?: string;
  /** MIME type of a binary body, e.g. `audio/wav`; recorded in the manifest. Text is `application/json`. */
  contentType?: string;
}

/** What a kind needs to read an instance. */
export interface ReadContext {
  connect: ConnectClient;
  instanceId: string;
  /** `arn:aws:connect:<region>:<account>:instance/<id>` */
  instanceArn: string;
  /** Aborts in-flight reads (the Lambda's deadline). */
  signal?: AbortSignal;
  /** Records a warning for the manifest (never a failure: failures throw). */
  warn(warning: { kind: KindName; id?: string; message: string }): void;
  /**
   * Ids of resources an earlier invocation of the same backup already stored (a resumed backup).
   * A kind that reads per item (Describe) does not read them again; the engine drops the others.
   */
  skip?(id: string): boolean;
}

/**
 * One resource, as an incremental read sees it: read in full (new, changed, or without a usable
 * signal), or unchanged since the previous snapshot (its objects are copied forward).
 */
export type IncrementalItem = { document: StoredDocument } | { unchanged: string };

/**
 * How a kind finds what changed since the previous snapshot, so that a nightly backup reads again
 * only that and copies the rest forward. A change signal is a string built from what cheap, bulk
 * calls return (a List summary's `LastModifiedTime`, a Search result's tags); two equal signals
 * mean the stored document would be byte-identical, except for what `notCovered` lists.
 */
export interface ChangeDetection {
  /** What the signal is made of, for people: "ListUsers LastModifiedTime + SearchUsers tags". */
  signal: string;
  /**
   * Changes no signal covers. The scheduled full backup (weekly by default) picks them up; an
   * empty list means every change to the stored document moves the signal.
   */
  notCovered: readonly string[];
  /** The change signal of a stored document, computed from the document alone. */
  signalOf(document: StoredDocument): string;
  /**
   * Reads the kind against the previous snapshot's signals (id → signal): yields `{ unchanged }`
   * for every resource whose current signal equals its previous one, and reads the others in full.
   * Honours `ctx.skip`.
   * @throws the SDK's service errors once retries are exhausted.
   */
  readChanged(ctx: ReadContext, previous: ReadonlyMap<string, string>): AsyncIterable<IncrementalItem>;
}

/** Why a kind reads its entities with Search alone, and what it relies on Search returning. */
export interface SearchOnlyRead {
  /** One line, for people: why no Describe. */
  why: string;
  /** Members every entity must carry (the kind's restore state needs them). */
  requires: readonly string[];
}

/**
 * One resource kind. `N` is the kind's name as a string literal (`ResourceKind<'users'>`), from
 * which the registry derives {@link KindName}; everywhere else it is any kind.
 */
export interface ResourceKind<N extends string = KindName> {
  name: N;
  /** Connect's term, for people: "routing profile". */
  label: string;
  /**
   * The Connect operations the kind reads with. Used for IAM policies and the documentation.
   */
  readOperations: readonly string[];
  /**
   * Reads every resource of the kind in full, one document at a time (streaming: nothing holds
   * a whole instance in memory).
   * @throws the SDK's service errors once retries are exhausted; the backup fails loudly.
   */
  read(ctx: ReadContext): AsyncIterable<StoredDocument>;
  /**
   * Set when Search is the kind's only read of its entities (no Describe): why, in one line, and the
   * members the backup checks on every entity (a missing one fails the backup, naming the resource).
   */
  searchOnly?: SearchOnlyRead;
  /**
   * Objects derived from a document (raw flows, prompt audio), if any. May read Connect (a prompt's
   * audio: GetPromptFile, then its presigned URL) with `ctx`.
   * @throws an Error naming the resource when a derived object cannot be had: the backup fails
   *   loudly rather than write a snapshot without it.
   */
  derive?(document: StoredDocument, ctx: ReadContext): DerivedObject[] | Promise<DerivedObject[]>;
  /**
   * The folders `derive` writes to (carried forward with the document on incremental runs).
   * Default `['flows-raw']` for a kind with `derive`.
   */
  derivedFolders?: readonly string[];
  /**
   * Change detection for incremental backups. Kinds without it are read in full on every run
   * (they cost one Search call per 100 resources, no more than a change scan would).
   */
  changes?: ChangeDetection;
  /** How the kind is restored: its restorable state, references, create and update. */
  restore?: KindRestore;
}

// ---------------------------------------------------------------------------------------------
// Restore
// ---------------------------------------------------------------------------------------------

/*
 * The restore half of a resource kind: what of a stored document is restored, which members
 * reference other resources, how a missing resource is created and how an existing one is brought
 * to the snapshot's state. The restore engine (`shared/restore/`) iterates over these through the
 * registry of kinds; it never switches on a resource type.
 *
 * A kind's **state** is the part of a stored document that restore writes and compares, split into
 * named parts (`Name`, `Tags`, `HoursOfOperationId`, `Content`, …). The engine rewrites every id
 * and ARN inside it before comparing or writing, so a kind deals only in the documents' own terms on
 * the way in (`state`) and in target ids on the way out (`create`, `update`).
 */

/**
 * When a part is written. `main` in the kinds' order (DESIGN.md: hierarchy, hours, prompts, agent
 * statuses, security profiles, flows and modules as placeholders, queues, routing profiles, users,
 * quick connects); `links` after every kind's main phase (queue ↔ quick-connect links); `content`
 * last (flow and module content, published).
 */
export type RestorePhase = 'main' | 'links' | 'content';

/** The phases in the order they run. */
export const RESTORE_PHASES: readonly RestorePhase[] = ['main', 'links', 'content'];

/** A resource's restorable state: named parts (top-level members), JSON values only. */
export type ResourceState = Record<string, unknown>;

/** What a reference member may point at besides a kind of the registry. */
export type ExternalReferenceKind = 'phone-number' | 'email-address';

/**
 * A member of a state that holds the id (or ARN) of another resource. The engine checks each one:
 * a value that is neither in the snapshot nor mapped explicitly is an unresolved reference (in a
 * restore into another instance).
 */
export interface DeclaredReference {
  /** Where the reference sits, for people: `OutboundCallerConfig.OutboundCallerIdNumberId`. */
  member: string;
  /** What it points at. */
  kind: KindName | ExternalReferenceKind;
  /** The id or ARN as stored. */
  value: string;
}

/** A resource in the target instance: created by restore, or matched to a source resource. */
export interface TargetResource {
  id: string;
  arn: string;
}

/** What a kind's writes need. */
export interface WriteContext {
  /** The target instance's Connect client (its Region and credentials). */
  connect: ConnectClient;
  /** The target instance. */
  instanceId: string;
  instanceArn: string;
  /** `CONNECT_MANAGED`, `SAML` or `EXISTING_DIRECTORY`: whether a new user gets a password. */
  identityManagementType: string;
  /** Aborts in-flight writes (the Lambda's deadline). */
  signal?: AbortSignal;
  /**
   * A new random password meeting Connect's rules. It must go into the CreateUser request and
   * nowhere else: never into a log, an error message, a report or a return value.
   */
  newPassword(): string;
  /** Records a user created with a random password, for the report's password-reset list. */
  passwordReset(user: { userId: string; username: string }): void;
  /**
   * The `S3Uri` to create a prompt from, in this order: the caller's `mappings.promptAudio`; the
   * snapshot's own audio object when the snapshot is in S3 (`s3://<backup bucket>/<key>`); a fresh
   * presigned URL of the source prompt (GetPromptFile on the source instance, when it can be read:
   * snapshots written before they held audio, or a snapshot in a local folder).
   * @throws Error when none is available.
   */
  promptAudio(source: StoredDocument): Promise<string>;
}

/** What the plan knows when a kind decides whether a missing resource can be created. */
export interface CreateCheckContext {
  /**
   * Why no audio can be had for this prompt (see `WriteContext.promptAudio`), or undefined when it
   * can: a sentence saying what is missing and what to do.
   */
  promptAudioMissing(source: StoredDocument): string | undefined;
  /** The name the source resource is matched by in the target (after `names` or `phoneNumbers`). */
  targetName(source: StoredDocument): string;
}

/** What the plan knows when a kind decides whether changed parts can be written. */
export interface UpdateCheckContext {
  /** The snapshot's document of the resource. */
  source: StoredDocument;
  /**
   * Why the snapshot's own audio of this prompt cannot be given to UpdatePrompt (not in S3, or the
   * snapshot holds none) and no `mappings.promptAudio` replaces it; undefined when it can. The
   * source instance's audio never replaces the snapshot's: it may have changed since.
   */
  snapshotAudioMissing(source: StoredDocument): string | undefined;
}

/** What a kind that is matched by a mapping of its own (phone numbers) needs to know. */
export interface MatchContext {
  /** The restore request's mapping. */
  mapping: Mapping;
  /** The target is the source instance (a point-in-time restore). */
  sameInstance: boolean;
}

/**
 * Where a source resource goes in the target: the name it is matched by, or why it is not restored
 * (`blocked` entries make the restore end `blocked`; others are skipped with the reason).
 */
export type TargetMatch = { name: string } | { skip: string; blocked: boolean };

/**
 * How mirror mode removes a resource the target has and the snapshot does not (see
 * {@link KindRestore.remove}).
 *
 * - `delete`: the resource is gone afterwards (DeleteContactFlow, DeleteQueue, …).
 * - `disable`: Connect cannot delete the kind, only switch it off (agent statuses: UpdateAgentStatus
 *   `State: DISABLED`); the resource stays, disabled.
 */
export interface KindRemoval {
  readonly operation: 'delete' | 'disable';
  /** The Connect operations removal calls (IAM policy, documentation). */
  readonly writeOperations: readonly string[];
  /**
   * Why this target resource is never removed (a default or system resource: the default flows,
   * the Admin security profile, BasicQueue, the default routing profile, …), or undefined.
   */
  protect?(target: StoredDocument): string | undefined;
  /** `disable` only: true when the target resource is disabled already (nothing to write). */
  isRemoved?(target: StoredDocument): boolean;
  /**
   * Deletes or disables the target resource. Removals run after every create and update, kinds in
   * reverse restore order (dependents first), so a resource is free of what referenced it.
   * @throws the SDK's errors, e.g. ResourceInUseException when something the mirror keeps still
   *   references it.
   */
  remove(ctx: WriteContext, target: StoredDocument): Promise<void>;
}

/**
 * How one kind is restored. Documents come from the snapshot (source) and from reading the target
 * with the same kind's `read` (target); both go through `state`, so comparisons are like for like.
 */
export interface KindRestore {
  /** The Connect operations restore writes with (IAM policy, documentation). */
  readonly writeOperations: readonly string[];
  /** The state member holding the resource's name (renamed by a `names` mapping); none for a singleton. */
  readonly nameMember?: string;
  /**
   * How mode `mirror` removes what the target has and the snapshot does not. Optional: a kind
   * without it cannot be removed by the Connect API, and a mirror keeps the target's extra
   * resources of the kind, listing each one as kept (with `keptReason`, when given, as the reason).
   */
  readonly remove?: KindRemoval;
  /** Why a mirror keeps the target's extra resources of a kind without `remove`; default "cannot be removed by the Connect API". */
  readonly keptReason?: string;
  /** A singleton (the hierarchy structure): always matched, never created. */
  readonly singleton?: boolean;
  /**
   * The kind's documents reference the instance's Lambda functions and Lex bots (flow content), so
   * restoring it restores those associations first.
   */
  readonly usesIntegrations?: boolean;
  /** Parts written after the main phase, and when. Parts not listed are written in `main`. */
  readonly phases?: Readonly<Record<string, Exclude<RestorePhase, 'main'>>>;
  /** Parts that are lists whose order means nothing (sorted before comparing). */
  readonly unordered?: readonly string[];
  /**
   * Parts that are lists of links (queue ↔ quick connect): a link to a resource that will not exist
   * is left out and reported, instead of blocking the whole resource.
   */
  readonly links?: readonly string[];
  /**
   * How a resource is matched in the target when not by its own name (or a `names` mapping): phone
   * numbers by `mappings.phoneNumbers`, as they cannot be created. A resource it skips is matched
   * only by id in a restore into the same instance (so references to it still resolve), never by name.
   */
  matchBy?(source: StoredDocument, context: MatchContext): TargetMatch;
  /**
   * What is wrong with the request's mapping for this kind, given the snapshot's documents of the
   * kind (a mapped number the snapshot does not hold, "same" into another instance). Each problem
   * fails the restore with `invalid-mapping` before anything is written.
   */
  mappingProblems?(documents: readonly StoredDocument[], context: MatchContext): string[];
  /** Position within the kind when applying (hierarchy groups: by level, parents first). */
  order?(document: StoredDocument): number;
  /** The restorable state of a document, in the document's own terms. Empty parts may be omitted. */
  state(document: StoredDocument): ResourceState;
  /** Members of a state that reference other resources by id or ARN. */
  references?(state: ResourceState): DeclaredReference[];
  /** Why a source document cannot be matched with the target document of the same name (flows: another type). */
  incompatible?(source: StoredDocument, target: StoredDocument): string | undefined;
  /** Why a missing resource cannot be created (a system agent status; a prompt without audio). */
  cannotCreate?(source: StoredDocument, context: CreateCheckContext): string | undefined;
  /**
   * True when the matched target is blank (a hierarchy without levels, the placeholder of an
   * interrupted restore) and restore fills it in, even in `create-missing` mode.
   */
  isBlank?(current: ResourceState): boolean;
  /** Why these changed parts cannot be written (a hierarchy group's parent; a prompt's audio with no source). */
  cannotUpdate?(
    changed: readonly string[],
    current: ResourceState,
    desired: ResourceState,
    context?: UpdateCheckContext,
  ): string | undefined;
  /**
   * Adds to a matched target document what the kind's `read` leaves out but its state compares
   * (a prompt's audio: GetPromptFile and a download, its SHA-256 into `derived`). Called in mode
   * `overwrite` only, for the matched targets of the selected resources.
   * @throws what the reads throw; the restore fails before any write.
   */
  completeTarget?(ctx: ReadContext, target: StoredDocument): Promise<void>;
  /** The current state as compared with the desired one (flows: a never-published flow ignores what is published). */
  comparable?(current: ResourceState, desired: ResourceState): ResourceState;
  /**
   * Creates the resource from the main-phase parts of `desired` (references already in target
   * ids). Later phases then `update` it from nothing.
   */
  create(ctx: WriteContext, desired: ResourceState, source: StoredDocument): Promise<TargetResource>;
  /**
   * Writes the `changed` parts of one phase. `current` is the target's state in target ids, or
   * undefined for a resource created by this restore; `desired` holds target ids.
   */
  update(
    ctx: WriteContext,
    phase: RestorePhase,
    target: TargetResource,
    change: {
      current: ResourceState | undefined;
      desired: ResourceState;
      changed: ReadonlySet<string>;
      /** The snapshot's document of the resource. */
      source: StoredDocument;
    },
  ): Promise<void>;
}
