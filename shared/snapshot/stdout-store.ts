/**
 * `SnapshotStore` that streams every write as one NDJSON line, for `connect-vault backup --out -`
 * and for piping a snapshot into other tools.
 *
 * @packageDocumentation
 */
import { canonicalJson, sha256Hex } from './format.js';
import {
  type CopyIfAbsentResult,
  compareKeys,
  folderUnder,
  MissingObjectError,
  type SnapshotStore,
  type StoreCallOptions,
  type TaggedObject,
  throwIfAborted,
  toBytes,
  UnsupportedStoreOperationError,
} from './store.js';

/** The one method of a writable stream the store calls (`process.stdout`, a file stream, ...). */
export interface LineSink {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

/** Settings of a {@link StdoutSnapshotStore}. */
export interface StdoutSnapshotStoreOptions {
  /** Where lines go. Default `process.stdout`. */
  output?: LineSink | undefined;
  /** What `describe()` says. Default `stdout`. */
  label?: string | undefined;
  /**
   * Bodies up to this many bytes are kept in memory for `get` and `copy`. Default 1 MiB, enough
   * for `latest.json`, manifests and every resource document; larger bodies are only written.
   */
  retainBodiesUpToBytes?: number | undefined;
}

/**
 * One NDJSON line. `sha256` and `bytes` describe the stored bytes. To get those bytes back:
 * `encoding: 'base64'` → base64-decode `body`; `body` a string → its UTF-8; `body` an object or
 * array → `canonicalJson(body)`, which a JSON body is only written as when that gives back exactly
 * the stored text.
 */
export interface StdoutRecord {
  key: string;
  sha256: string;
  bytes: number;
  body: unknown;
  encoding?: 'base64';
}

interface Written {
  body: Uint8Array | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The `body` (and `encoding`) of the NDJSON line for `bytes`. */
function lineBody(bytes: Uint8Array): Pick<StdoutRecord, 'body' | 'encoding'> {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { body: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && canonicalJson(parsed) === text)
      return { body: parsed };
  } catch {
    // Not JSON: written as a string.
  }
  return { body: text };
}

/**
 * Snapshot store that writes each object as one NDJSON line ({@link StdoutRecord}) to a stream,
 * in the order written; a copy is written as a new line under the target key. Nothing is read from
 * anywhere else: `get`, `list`, `listFolders` and `copy` see only what this store wrote in this run,
 * which makes a backup through it a full one (there is no previous `latest.json`).
 *
 * `get` and `copy` of an object over `retainBodiesUpToBytes` throw `UnsupportedStoreOperationError`;
 * `putIfAbsent` is exact (one process, one map). A write resolves once the stream has taken the
 * line, so back-pressure holds; a stream error rejects the write.
 */
export class StdoutSnapshotStore implements SnapshotStore {
  readonly #output: LineSink;
  readonly #label: string;
  readonly #retainLimit: number;
  readonly #written = new Map<string, Written>();

  constructor(options: StdoutSnapshotStoreOptions = {}) {
    this.#output = options.output ?? process.stdout;
    this.#label = options.label ?? 'stdout';
    this.#retainLimit = options.retainBodiesUpToBytes ?? 1024 * 1024;
  }

  /** The label, `stdout` by default. */
  describe(): string {
    return this.#label;
  }

  /** Writes one line; keeps the body when it is small enough. */
  async put(
    key: string,
    body: string | Uint8Array,
    _contentType: string,
    options?: StoreCallOptions,
  ): Promise<void> {
    throwIfAborted(options);
    const bytes = toBytes(body);
    const record: StdoutRecord = { key, sha256: sha256Hex(bytes), bytes: bytes.length, ...lineBody(bytes) };
    await new Promise<void>((resolve, reject) => {
      this.#output.write(`${JSON.stringify(record)}\n`, (error) => (error ? reject(error) : resolve()));
    });
    this.#written.set(key, { body: bytes.length <= this.#retainLimit ? bytes.slice() : undefined });
  }

  /** Writes unless this store already wrote `key` in this run. */
  async putIfAbsent(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    if (this.#written.has(key)) return false;
    await this.put(key, body, contentType, options);
    return true;
  }

  /**
   * What this store wrote at `key` in this run, or `undefined`.
   *
   * @throws UnsupportedStoreOperationError when the body was too large to keep.
   */
  async get(key: string, options?: StoreCallOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options);
    const written = this.#written.get(key);
    if (written === undefined) return undefined;
    if (written.body === undefined) {
      throw new UnsupportedStoreOperationError(`stdout store did not keep the large body of ${key}`);
    }
    return written.body.slice();
  }

  /** Keys written in this run that start with `prefix`, in S3's order. */
  async *list(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    throwIfAborted(options);
    yield* [...this.#written.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
  }

  /** Sub-folders under `prefix` of the keys written in this run, in S3's order. */
  async *listFolders(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    throwIfAborted(options);
    const folders = new Set<string>();
    for (const key of this.#written.keys()) {
      const folder = folderUnder(prefix, key);
      if (folder !== undefined) folders.add(folder);
    }
    yield* [...folders].sort(compareKeys);
  }

  /**
   * Writes the body of `fromKey` again under `toKey`.
   *
   * @throws MissingObjectError when this store did not write `fromKey` in this run.
   * @throws UnsupportedStoreOperationError when that body was too large to keep.
   */
  async copy(fromKey: string, toKey: string, options?: StoreCallOptions): Promise<void> {
    const written = this.#written.get(fromKey);
    if (written === undefined) throw new MissingObjectError(fromKey);
    if (written.body === undefined) {
      throw new UnsupportedStoreOperationError(`stdout store did not keep the large body of ${fromKey}`);
    }
    await this.put(toKey, written.body, 'application/octet-stream', options);
  }

  /** `copy`, unless this store already wrote `toKey` in this run. */
  async copyIfAbsent(
    fromKey: string,
    toKey: string,
    options?: StoreCallOptions,
  ): Promise<CopyIfAbsentResult> {
    if (this.#written.has(toKey)) return { written: false };
    await this.copy(fromKey, toKey, options);
    return { written: true };
  }

  /**
   * `get`, with the SHA-256 of the body as its tag.
   *
   * @throws UnsupportedStoreOperationError when the body was too large to keep.
   */
  async getTagged(key: string, options?: StoreCallOptions): Promise<TaggedObject | undefined> {
    const bytes = await this.get(key, options);
    return bytes === undefined ? undefined : { bytes, tag: sha256Hex(bytes) };
  }

  /** Writes a new line for `key` when this store's last body for it has tag `tag`. */
  async putIfMatch(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    tag: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    const current = await this.getTagged(key, options);
    if (current?.tag !== tag) return false;
    await this.put(key, body, contentType, options);
    return true;
  }
}
