/**
 * `SnapshotStore` over a local directory, for admins working from a laptop and for tests.
 *
 * @packageDocumentation
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import lockfile from 'proper-lockfile';
import {
  type CopyIfAbsentResult,
  type CopyResult,
  compareKeys,
  MissingObjectError,
  type SnapshotStore,
  type StoreCallOptions,
  type TaggedObject,
  throwIfAborted,
  toBytes,
} from './store.js';

/** File names starting with this are the store's temporary files; keys may not use it. */
const TEMP_MARK = '.~';

/** The tag of a file's bytes: their SHA-256 (equal tags mean equal bytes, as the port asks). */
function tagOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True for the error codes a read of a missing object produces. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/**
 * Snapshot store over a directory: key `a/b/c.json` is the file `<root>/a/b/c.json`.
 *
 * Writes are atomic: the body goes to a temporary file (`.~<name>.<random>.tmp`) in the target's
 * folder, is flushed to disk, then renamed over the target, so a reader never sees half an
 * object. `putIfAbsent` hard-links the finished temporary file to the target, which fails when the
 * target exists, so it is atomic too (the file system must support hard links); `copyIfAbsent`
 * does the same with a copied file. `putIfMatch` compares and renames under a lock file
 * (`proper-lockfile`: `<target>.lock`, a folder, taken over when stale after 10 s, so a killed
 * writer does not block the key for ever); tags are the SHA-256 of the bytes. The folder entry
 * itself is not fsynced: after a power cut the newest writes may be missing, never torn.
 *
 * Keys are refused (RangeError) when they could leave the root: empty, absolute, with an empty, `.`
 * or `..` segment, a backslash or a control character, or a segment starting with `.~`. Symbolic
 * links inside the root are followed as the operating system does. Names must also suit the file
 * system (255 bytes per segment on most; object names from `objectName` stay far below).
 * A key cannot be both an object and a folder (`a` and `a/b`), unlike in S3.
 */
export class FolderSnapshotStore implements SnapshotStore {
  readonly #root: string;

  /** @param root - The directory; made absolute, created on the first write. */
  constructor(root: string) {
    this.#root = resolve(root);
  }

  /** The absolute path of the root directory. */
  describe(): string {
    return this.#root;
  }

  /** Atomic write: temporary file, fsync, rename. */
  async put(
    key: string,
    body: string | Uint8Array,
    _contentType: string,
    options?: StoreCallOptions,
  ): Promise<void> {
    const target = this.#path(key);
    const temp = await this.#writeTemp(target, toBytes(body), options);
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /** Atomic create: temporary file, fsync, hard link to the target (fails when it exists). */
  async putIfAbsent(
    key: string,
    body: string | Uint8Array,
    _contentType: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    const target = this.#path(key);
    const temp = await this.#writeTemp(target, toBytes(body), options);
    try {
      await link(temp, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Reads the file; `undefined` when it does not exist (or the key names a folder). */
  async get(key: string, options?: StoreCallOptions): Promise<Uint8Array | undefined> {
    const path = this.#path(key);
    try {
      const buffer = await readFile(path, { signal: options?.abortSignal });
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Walks the folder that holds `prefix`, then sorts the keys in S3's order. */
  async *list(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    const base = this.#prefixFolder(prefix);
    const keys: string[] = [];
    for await (const key of this.#walk(base, options)) {
      if (key.startsWith(prefix)) keys.push(key);
    }
    keys.sort(compareKeys);
    yield* keys;
  }

  /** Sub-folders right under `prefix` that hold at least one object, in S3's order. */
  async *listFolders(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    const base = this.#prefixFolder(prefix);
    const folders: string[] = [];
    for (const entry of await this.#entries(base)) {
      if (!entry.isDirectory() || entry.name.startsWith(TEMP_MARK)) continue;
      const folder = `${base}${entry.name}/`;
      if (!folder.startsWith(prefix)) continue;
      for await (const _key of this.#walk(folder, options)) {
        folders.push(folder);
        break;
      }
    }
    folders.sort(compareKeys);
    yield* folders;
  }

  /**
   * Copies through a temporary file and a rename.
   *
   * @returns the SHA-256 of the copied bytes (read back from the copy).
   * @throws MissingObjectError when `fromKey` has no file.
   */
  async copy(fromKey: string, toKey: string, options?: StoreCallOptions): Promise<CopyResult> {
    const source = this.#path(fromKey);
    const target = this.#path(toKey);
    throwIfAborted(options);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.#tempPath(target);
    try {
      await copyFile(source, temp);
      const sha256 = createHash('sha256')
        .update(await readFile(temp))
        .digest('hex');
      await rename(temp, target);
      return { sha256 };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      if (isMissing(error)) throw new MissingObjectError(fromKey, { cause: error });
      throw error;
    }
  }

  /**
   * Copies to a temporary file, then hard-links it to the target, which fails when it exists.
   *
   * @returns the copy's SHA-256 (read back from the copy), and whether it was written.
   * @throws MissingObjectError when `fromKey` has no file.
   */
  async copyIfAbsent(
    fromKey: string,
    toKey: string,
    options?: StoreCallOptions,
  ): Promise<CopyIfAbsentResult> {
    const source = this.#path(fromKey);
    const target = this.#path(toKey);
    throwIfAborted(options);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.#tempPath(target);
    try {
      await copyFile(source, temp);
      const sha256 = tagOf(await readFile(temp));
      await link(temp, target);
      return { written: true, sha256 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { written: false };
      if (isMissing(error)) throw new MissingObjectError(fromKey, { cause: error });
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Reads the file; its tag is the SHA-256 of its bytes. */
  async getTagged(key: string, options?: StoreCallOptions): Promise<TaggedObject | undefined> {
    const bytes = await this.get(key, options);
    return bytes === undefined ? undefined : { bytes, tag: tagOf(bytes) };
  }

  /**
   * Under the key's lock file: reads the file, and renames the new body over it only when its
   * SHA-256 is still `tag`. Writers of the key through `put` do not take the lock; the product
   * writes `latest.json`, the one key it compares and swaps, only through this method.
   */
  async putIfMatch(
    key: string,
    body: string | Uint8Array,
    _contentType: string,
    tag: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    const target = this.#path(key);
    const temp = await this.#writeTemp(target, toBytes(body), options);
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: join(dirname(target), `${TEMP_MARK}${target.slice(dirname(target).length + 1)}.lock`),
        retries: { retries: 20, minTimeout: 10, maxTimeout: 200 },
      });
      const current = await readFile(target).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (current === undefined || tagOf(current) !== tag) return false;
      await rename(temp, target);
      return true;
    } finally {
      await unlink(temp).catch(() => undefined);
      await release?.();
    }
  }

  /** Deletes the file, then every folder above it that is left empty, up to the root. */
  async delete(key: string, options?: StoreCallOptions): Promise<void> {
    throwIfAborted(options);
    const path = this.#path(key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (let folder = dirname(path); folder.startsWith(this.#root + sep); folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        break; // not empty (or already gone): the folders above are not empty either
      }
    }
  }

  /** Absolute path of a key, after checking it cannot leave the root. */
  #path(key: string): string {
    const segments = key.split('/');
    const bad =
      key === '' ||
      key.includes('\\') ||
      /\p{Cc}/u.test(key) ||
      segments.some(
        (segment) => segment === '' || segment === '.' || segment === '..' || segment.startsWith(TEMP_MARK),
      );
    if (bad) throw new RangeError(`key not allowed in a folder store: ${JSON.stringify(key)}`);
    const path = join(this.#root, ...segments);
    if (!path.startsWith(this.#root + sep)) throw new RangeError(`key escapes the store root: ${key}`);
    return path;
  }

  /** The folder part of a listing prefix (`a/b/c` -> `a/b/`), checked like a key. */
  #prefixFolder(prefix: string): string {
    const slash = prefix.lastIndexOf('/');
    const folder = prefix.slice(0, slash + 1);
    if (folder !== '') this.#path(folder.slice(0, -1));
    return folder;
  }

  async #entries(folder: string) {
    try {
      return await readdir(join(this.#root, ...folder.split('/')), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Yields the keys of every file under `folder` (a key prefix ending in `/`, or empty). */
  async *#walk(folder: string, options: StoreCallOptions | undefined): AsyncIterable<string> {
    throwIfAborted(options);
    for (const entry of await this.#entries(folder)) {
      if (entry.name.startsWith(TEMP_MARK)) continue;
      if (entry.isDirectory()) yield* this.#walk(`${folder}${entry.name}/`, options);
      else if (entry.isFile()) yield `${folder}${entry.name}`;
    }
  }

  #tempPath(target: string): string {
    const name = target.slice(dirname(target).length + 1);
    return join(dirname(target), `${TEMP_MARK}${name}.${randomBytes(6).toString('hex')}.tmp`);
  }

  async #writeTemp(
    target: string,
    bytes: Uint8Array,
    options: StoreCallOptions | undefined,
  ): Promise<string> {
    throwIfAborted(options);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.#tempPath(target);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes, { signal: options?.abortSignal });
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return temp;
  }
}
