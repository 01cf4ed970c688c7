/**
 * A resource kind describes one Connect resource type once: how to read it in full, and what the
 * stored document holds. Backup, diff and (later) restore iterate over the registry of kinds in
 * `index.ts`; a `switch` on resource type outside the registry means a kind is missing something.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';

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
}
