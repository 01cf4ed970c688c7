/**
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
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { KindName, StoredDocument } from '../types.js';

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
   * The `S3Uri` to create a prompt from: the caller's mapping, or a fresh presigned URL of the
   * source prompt (GetPromptFile on the source instance).
   * @throws Error when neither is available.
   */
  promptAudio(source: StoredDocument): Promise<string>;
}

/** What the plan knows when a kind decides whether a missing resource can be created. */
export interface CreateCheckContext {
  /** True when prompt audio can be had for this prompt (mapping or readable source instance). */
  hasPromptAudio(source: StoredDocument): boolean;
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
  /** Why these changed parts cannot be written (a hierarchy group's parent). */
  cannotUpdate?(
    changed: readonly string[],
    current: ResourceState,
    desired: ResourceState,
  ): string | undefined;
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
    change: { current: ResourceState | undefined; desired: ResourceState; changed: ReadonlySet<string> },
  ): Promise<void>;
}
