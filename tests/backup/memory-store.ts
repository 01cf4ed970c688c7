/**
 * An in-memory `SnapshotStore` for tests whose subject is not the store: a map of keys to bytes,
 * listed in S3's order, with S3's conditional writes (`putIfAbsent`, `copyIfAbsent`, `putIfMatch`
 * are atomic: nothing awaits between the check and the write). `copy` reports the copy's SHA-256,
 * as S3 does. Tags are a counter of writes, like ETags that change on every write.
 */
import { createHash } from 'node:crypto';
import {
  type CopyIfAbsentResult,
  type CopyResult,
  compareKeys,
  folderUnder,
  MissingObjectError,
  type SnapshotStore,
  type TaggedObject,
  toBytes,
} from '#shared/snapshot/store.js';

export class MemorySnapshotStore implements SnapshotStore {
  readonly objects = new Map<string, Uint8Array>();
  /** Writes per key (put, putIfAbsent that wrote, copy target), to prove work is not redone. */
  readonly writes = new Map<string, number>();

  /** Every write (put, putIfAbsent, putIfMatch or copy that wrote), oldest first. */
  readonly log: string[] = [];
  /** Deleted keys, oldest first. */
  readonly deleted: string[] = [];
  readonly #tags = new Map<string, string>();
  #version = 0;

  #written(key: string, bytes: Uint8Array): void {
    this.objects.set(key, bytes);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    this.log.push(key);
    this.#version += 1;
    this.#tags.set(key, `"v${this.#version}"`);
  }

  async copyIfAbsent(fromKey: string, toKey: string): Promise<CopyIfAbsentResult> {
    const bytes = this.objects.get(fromKey);
    if (!bytes) throw new MissingObjectError(fromKey);
    if (this.objects.has(toKey)) return { written: false };
    this.#written(toKey, bytes.slice());
    return { written: true, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  async getTagged(key: string): Promise<TaggedObject | undefined> {
    const bytes = this.objects.get(key);
    const tag = this.#tags.get(key);
    return bytes && tag ? { bytes: bytes.slice(), tag } : undefined;
  }

  async putIfMatch(
    key: string,
    body: string | Uint8Array,
    _contentType: string,
    tag: string,
  ): Promise<boolean> {
    if (this.#tags.get(key) !== tag || !this.objects.has(key)) return false;
    this.#written(key, toBytes(body).slice());
    return true;
  }

  async delete(key: string): Promise<void> {
    if (this.objects.delete(key)) this.deleted.push(key);
    this.#tags.delete(key);
  }

  async put(key: string, body: string | Uint8Array, _contentType?: string): Promise<void> {
    this.#written(key, toBytes(body).slice());
  }

  async putIfAbsent(key: string, body: string | Uint8Array, _contentType?: string): Promise<boolean> {
    if (this.objects.has(key)) return false;
    this.#written(key, toBytes(body).slice());
    return true;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.slice();
  }

  async *list(prefix: string): AsyncIterable<string> {
    yield* [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    const folders = new Set<string>();
    for (const key of this.objects.keys()) {
      const folder = folderUnder(prefix, key);
      if (folder !== undefined) folders.add(folder);
    }
    yield* [...folders].sort(compareKeys);
  }

  async copy(fromKey: string, toKey: string): Promise<CopyResult> {
    const bytes = this.objects.get(fromKey);
    if (!bytes) throw new MissingObjectError(fromKey);
    this.#written(toKey, bytes.slice());
    return { sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  describe(): string {
    return 'memory://';
  }
}
