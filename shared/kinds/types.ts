/**
 * A resource kind describes one Connect resource type once: how to read it in full, and what the
 * stored document holds. Backup, diff and (later) restore iterate over the registry of kinds in
 * `index.ts`; a `switch` on resource type outside the registry means a kind is missing something.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { KindRestore } from './restore/types.js';

/** The kinds a snapshot holds, named after Connect's own resource types. */
export const KIND_NAMES = [
  'user-hierarchy-structure',
  'user-hierarchy-groups',
  'hours-of-operation',
  'prompts',
  'agent-statuses',
  'security-profiles',
  'flows',
  'flow-modules',
  'queues',
  'routing-profiles',
  'users',
  'quick-connects',
] as const;

export type KindName = (typeof KIND_NAMES)[number];

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
   * security-profile permissions, the SAVED content of a flow with unpublished changes.
   */
  related?: Record<string, unknown>;
}

/** An object derived from a document and stored beside the kinds, e.g. a raw flow. */
export interface DerivedObject {
  /** Folder in the snapshot, e.g. `flows-raw`. */
  folder: string;
  /** The object body, ready to store. */
  body: string;
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

export interface ResourceKind {
  name: KindName;
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
  /** Objects derived from a document (raw flows), if any. */
  derive?(document: StoredDocument): DerivedObject[];
  /**
   * Change detection for incremental backups. Kinds without it are read in full on every run
   * (they cost one Search call per 100 resources, no more than a change scan would).
   */
  changes?: ChangeDetection;
  /**
   * How the kind is restored: its restorable state, references, create and update
   * (`restore/`). The registry (`index.ts`) joins it to every kind.
   */
  restore?: KindRestore;
}
