/** The named errors of a restore. */

/** What is wrong with a restore's input, for callers that branch on it. */
export type RestoreInputProblem =
  /** The request does not match the schema. */
  | 'invalid-request'
  /** The mapping does not match the schema. */
  | 'invalid-mapping'
  /** No such snapshot: no `latest.json`, or no manifest for the snapshot id. */
  | 'unknown-snapshot'
  /**
   * The target instance is not in the target account and Region, or its ARN names another account,
   * Region or id than the instance DescribeInstance finds.
   */
  | 'unknown-instance'
  /**
   * The snapshot fails verification: an object missing, changed or not in the manifest, or a
   * manifest whose entries, counts and kinds do not agree.
   */
  | 'integrity'
  /** The snapshot was written in a newer format than this code reads. */
  | 'newer-format';

/**
 * The restore cannot start: bad request or mapping (also a mapping that contradicts the snapshot
 * or the target), unknown snapshot or instance, a tampered or too-new snapshot. Always thrown before any write to Connect. `cause` keeps the underlying error.
 */
export class RestoreInputError extends Error {
  override readonly name = 'RestoreInputError';
  readonly problem: RestoreInputProblem;

  constructor(problem: RestoreInputProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
}

/**
 * The request's filters (kinds, names) match no resource of the snapshot: there is nothing to
 * restore. Thrown before any write; the CLI exits 1 ("found a problem"), not 2, since the request
 * itself is well-formed.
 */
export class NothingToRestoreError extends Error {
  override readonly name = 'NothingToRestoreError';
}

/**
 * A reference could not be turned into a target id while applying: what it names was not created
 * (it failed, or was skipped). The resource that holds the reference is not written.
 */
export class UnresolvedReferenceError extends Error {
  override readonly name = 'UnresolvedReferenceError';
}

/**
 * A restore ran but did not finish cleanly: some resources failed, or were blocked by unresolved
 * references. Thrown by the `restore` Lambda after the report is written; the report has the detail.
 */
export class RestoreFailedError extends Error {
  override readonly name = 'RestoreFailedError';
  readonly restoreId: string;

  constructor(message: string, restoreId: string, options?: ErrorOptions) {
    super(message, options);
    this.restoreId = restoreId;
  }
}

/**
 * Another restore is writing into the same target instance (its lock in the snapshot store is held
 * and unexpired). Thrown before anything is read or written; `heldBy` says which restore.
 */
export class RestoreLockedError extends Error {
  override readonly name = 'RestoreLockedError';
  readonly heldBy: Readonly<Record<string, unknown>> | undefined;

  constructor(message: string, heldBy: Readonly<Record<string, unknown>> | undefined) {
    super(message);
    this.heldBy = heldBy;
  }
}

/**
 * The safety snapshot of the target (its backup before the first write) could not be taken.
 * Nothing was written to Connect. `cause` keeps the backup's error.
 */
export class SafetySnapshotFailedError extends Error {
  override readonly name = 'SafetySnapshotFailedError';
}
