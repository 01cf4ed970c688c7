/**
 * An in-memory `SnapshotStore` for tests whose subject is not the store: a map of keys to bytes,
 * listed in S3's order. `copy` reports the copy's SHA-256, as S3 does.
 */
import { createHash } from 'node:crypto';
import {
  type CopyResult,
  compareKeys,
  folderUnder,
  MissingObjectError,
  type SnapshotStore,
  toBytes,
} from '#shared/snapshot/store.js';

export class MemorySnapshotStore implements SnapshotStore {
  readonly objects = new Map<string, Uint8Array>();
  /** Writes per key (put, putIfAbsent that wrote, copy target), to prove work is not redone. */
  readonly writes = new Map<string, number>();

  #written(key: string, bytes: Uint8Array): void {
    this.objects.set(key, bytes);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
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
