/**
 * The snapshot store port: the few object-store operations that backup, restore, verify and the
 * listing of snapshots need. Adapters: `S3SnapshotStore`, `FolderSnapshotStore`,
 * `StdoutSnapshotStore`.
 *
 * @packageDocumentation
 */

/** Options every store call accepts. */
export interface StoreCallOptions {
  /** Aborts the call (for example near the Lambda deadline); the call then rejects. */
  abortSignal?: AbortSignal | undefined;
}

/**
 * Where snapshots are kept. Keys are `/`-separated, relative to the store's root (a store may add
 * its own root prefix, which never shows in keys), at most 1024 bytes of UTF-8, as in S3.
 */
export interface SnapshotStore {
  /**
   * Writes (or replaces) the object at `key`. A reader sees the old or the new body, never a part.
   *
   * @param body - A string is stored as its UTF-8 bytes.
   * @param contentType - MIME type, for example `application/json`.
   */
  put(key: string, body: string | Uint8Array, contentType: string, options?: StoreCallOptions): Promise<void>;

  /**
   * Writes the object at `key` only when no object is there yet.
   *
   * @returns `true` when this call wrote it, `false` when the key already existed (nothing written).
   */
  putIfAbsent(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    options?: StoreCallOptions,
  ): Promise<boolean>;

  /**
   * Reads the object at `key`.
   *
   * @returns Its bytes, or `undefined` when there is no object at `key`.
   */
  get(key: string, options?: StoreCallOptions): Promise<Uint8Array | undefined>;

  /**
   * Yields every key that starts with `prefix` (a plain string prefix, as in S3: `a/b` matches
   * `a/bc`), in ascending order of UTF-8 bytes, as S3 lists them.
   */
  list(prefix: string, options?: StoreCallOptions): AsyncIterable<string>;

  /**
   * Yields the distinct "sub-folders" right under `prefix`: for each key `prefix + x + '/' + rest`,
   * the string `prefix + x + '/'` (S3's common prefixes with delimiter `/`), in ascending order.
   * Lets a caller find snapshot folders without listing every object of every snapshot.
   */
  listFolders(prefix: string, options?: StoreCallOptions): AsyncIterable<string>;

  /**
   * Copies the object at `fromKey` to `toKey` inside the store (server-side where the store allows),
   * replacing any object at `toKey`. Used to carry unchanged objects forward to a new snapshot.
   *
   * @returns the SHA-256 of the copied bytes when the store learns it without an extra request
   *   (S3 returns it for objects written with a SHA-256 checksum), so a caller can check the copy
   *   against a manifest; nothing otherwise.
   * @throws MissingObjectError when there is no object at `fromKey`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores that learn no checksum return nothing.
  copy(fromKey: string, toKey: string, options?: StoreCallOptions): Promise<CopyResult | void>;

  /**
   * Copies the object at `fromKey` to `toKey` only when no object is at `toKey` yet, atomically
   * (S3 CopyObject with `If-None-Match: *`). What makes carried-forward objects of a snapshot
   * write-once, like the objects it writes with {@link SnapshotStore.putIfAbsent}.
   *
   * @returns `written: false` when `toKey` already existed (nothing written); the copy's SHA-256
   *   when the store learns it without an extra request, as for {@link SnapshotStore.copy}.
   * @throws MissingObjectError when there is no object at `fromKey`.
   */
  copyIfAbsent(fromKey: string, toKey: string, options?: StoreCallOptions): Promise<CopyIfAbsentResult>;

  /**
   * Reads the object at `key` with its entity tag, for a later {@link SnapshotStore.putIfMatch}.
   *
   * @returns Its bytes and tag, or `undefined` when there is no object at `key`.
   */
  getTagged(key: string, options?: StoreCallOptions): Promise<TaggedObject | undefined>;

  /**
   * Replaces the object at `key` only when it is still the version read with tag `tag`
   * (compare-and-swap; S3 PutObject with `If-Match: <ETag>`). Used where two writers may race to
   * move one object, such as `latest.json`.
   *
   * @returns `true` when this call wrote it; `false` when the object changed since, is gone, or
   *   another conditional write was in flight (read it again and decide again).
   */
  putIfMatch(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    tag: string,
    options?: StoreCallOptions,
  ): Promise<boolean>;

  /**
   * Deletes the object at `key`; nothing happens when there is none. Only stores the product may
   * delete from have it: a failed local backup removes its unfinished snapshot folder with it.
   * `S3SnapshotStore` has none, so the backup function's role needs no `s3:DeleteObject`.
   */
  delete?(key: string, options?: StoreCallOptions): Promise<void>;

  /** A human-readable location, for example `s3://bucket/prefix/` or `/var/backups/connect`. */
  describe(): string;

  /**
   * The `s3://<bucket>/<full key>` URI of the object at `key`, for stores in S3 only: what a restore
   * gives CreatePrompt so that Connect reads a prompt's audio straight from the snapshot. Stores
   * elsewhere (a folder, stdout) have none.
   */
  s3Uri?(key: string): string;
}

/** What `SnapshotStore.copyIfAbsent` did. */
export interface CopyIfAbsentResult extends CopyResult {
  /** False when an object was already at the target key (nothing was written). */
  written: boolean;
}

/** An object read with its entity tag. */
export interface TaggedObject {
  bytes: Uint8Array;
  /** Opaque: S3's ETag, or what the store uses in its place. Equal tags mean equal bytes. */
  tag: string;
}

/** What `SnapshotStore.copy` learnt about the copied object. */
export interface CopyResult {
  /** SHA-256 of the copied bytes, 64 lower-case hex characters. */
  sha256?: string;
}

/**
 * Thrown by `SnapshotStore.copy` when the source object does not exist.
 */
export class MissingObjectError extends Error {
  override readonly name = 'MissingObjectError';
  /** The key that has no object. */
  readonly key: string;

  constructor(key: string, options?: ErrorOptions) {
    super(`no object at ${key}`, options);
    this.key = key;
  }
}

/**
 * Thrown when a store cannot do what is asked by its nature, for example `StdoutSnapshotStore.get`
 * of a large object it did not keep in memory.
 */
export class UnsupportedStoreOperationError extends Error {
  override readonly name = 'UnsupportedStoreOperationError';
}

const encoder = new TextEncoder();

/** The bytes of a body: a string as UTF-8, a `Uint8Array` as is. */
export function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** Orders keys as S3 does: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The common prefix (sub-folder) of `key` right under `prefix`, or `undefined` when `key` is a
 * direct child object of `prefix` or does not start with it.
 */
export function folderUnder(prefix: string, key: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const slash = key.indexOf('/', prefix.length);
  return slash === -1 ? undefined : key.slice(0, slash + 1);
}

/** Throws the signal's reason when `signal` is aborted. */
export function throwIfAborted(options: StoreCallOptions | undefined): void {
  options?.abortSignal?.throwIfAborted();
}
