/**
 * `SnapshotStore` over Amazon S3 (or any server speaking its API, such as s3rver).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  type CopyObjectCommandInput,
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  paginateListObjectsV2,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { normalizePrefix } from './format.js';
import {
  type CopyIfAbsentResult,
  type CopyResult,
  MissingObjectError,
  type SnapshotStore,
  type StoreCallOptions,
  type TaggedObject,
  toBytes,
} from './store.js';

/** Settings of an {@link S3SnapshotStore}. */
export interface S3SnapshotStoreOptions {
  /** The S3 client, created once per container and injected (its endpoint may point at s3rver). */
  client: S3Client;
  /** Bucket name. */
  bucket: string;
  /** Root of the store inside the bucket, for example `connect-vault/`; empty by default. */
  prefix?: string | undefined;
  /** SSE-KMS key id or ARN. Without it, objects are written with SSE-S3 (`AES256`). */
  kmsKeyId?: string | undefined;
  /** Bodies of at least this many bytes go through a multipart upload. Default 16 MiB. */
  multipartThresholdBytes?: number | undefined;
  /** Part size of multipart uploads, at least 5 MiB. Default 8 MiB. */
  partSizeBytes?: number | undefined;
  /** `MaxKeys` of each ListObjectsV2 page. Default: S3's own (1,000). */
  listPageSize?: number | undefined;
}

const MIB = 1024 * 1024;
const CONDITIONAL_CONFLICT_ATTEMPTS = 3;

/** HTTP status of an SDK error, from its `$metadata`. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

/** True when an SDK error says the object does not exist. */
function isNotFound(error: unknown): boolean {
  if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return true;
  return httpStatus(error) === 404;
}

/**
 * Encodes `bucket/key` for `x-amz-copy-source`, which S3 wants URL-encoded. Each path segment is
 * percent-encoded as `encodeURIComponent` does, then the RFC 3986 sub-delimiters that are legal in
 * a path segment (`$ & , ; = : @`) are put back literally. S3 decodes both forms the same, and
 * servers that decode the header with `decodeURI` (s3rver) only understand the literal ones.
 * `+` stays `%2B`: S3 would read a literal `+` as a space.
 */
function encodeCopySource(bucket: string, key: string): string {
  return [bucket, ...key.split('/')]
    .map((segment) =>
      encodeURIComponent(segment).replace(/%(?:24|26|2C|3B|3D|3A|40)/g, (sequence) =>
        decodeURIComponent(sequence),
      ),
    )
    .join('/');
}

/**
 * Snapshot store over an S3 bucket.
 *
 * Small bodies are written with one PutObject that carries their SHA-256 (`ChecksumSHA256`), so S3
 * rejects a body damaged on the way; bodies of at least `multipartThresholdBytes` go through
 * `@aws-sdk/lib-storage`'s multipart `Upload` (no whole-object checksum). Every write and copy asks
 * for server-side encryption: SSE-KMS with `kmsKeyId` when given, SSE-S3 (`AES256`) otherwise.
 *
 * Permissions: `s3:PutObject` (conditional writes need no other action), `s3:GetObject`,
 * `s3:ListBucket` (without it, a missing key reads as 403 instead of 404, and `get` throws), plus `kms:GenerateDataKey` and `kms:Decrypt` with a KMS
 * key. Objects over 5 GiB cannot be copied (CopyObject's limit); snapshot objects are far smaller.
 *
 * Errors of the SDK other than "not found" are thrown unchanged (classify them by `name` or
 * `$metadata.httpStatusCode`).
 */
export class S3SnapshotStore implements SnapshotStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #root: string;
  readonly #encryption: Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'>;
  readonly #multipartThreshold: number;
  readonly #partSize: number;
  readonly #pageSize: number | undefined;

  /**
   * @throws RangeError on a bad `prefix` (see `normalizePrefix`), an empty bucket name, or a part
   *   size under 5 MiB.
   */
  constructor(options: S3SnapshotStoreOptions) {
    if (options.bucket === '') throw new RangeError('S3 snapshot store needs a bucket name');
    const partSize = options.partSizeBytes ?? 8 * MIB;
    if (partSize < 5 * MIB) throw new RangeError('multipart part size must be at least 5 MiB');
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#root = normalizePrefix(options.prefix ?? '');
    const sse: ServerSideEncryption = options.kmsKeyId === undefined ? 'AES256' : 'aws:kms';
    this.#encryption =
      options.kmsKeyId === undefined
        ? { ServerSideEncryption: sse }
        : { ServerSideEncryption: sse, SSEKMSKeyId: options.kmsKeyId };
    this.#multipartThreshold = options.multipartThresholdBytes ?? 16 * MIB;
    this.#partSize = partSize;
    this.#pageSize = options.listPageSize;
  }

  /** `s3://<bucket>/<prefix>`, for example `s3://vault/connect-vault/`. */
  describe(): string {
    return `s3://${this.#bucket}/${this.#root}`;
  }

  /** `s3://<bucket>/<prefix><key>`: the object at `key` as CreatePrompt's `S3Uri` names it. */
  s3Uri(key: string): string {
    return `s3://${this.#bucket}/${this.#root}${key}`;
  }

  /**
   * Writes with PutObject (with `ChecksumSHA256`), or with a multipart Upload from
   * `multipartThresholdBytes` on. An aborted multipart upload is aborted on S3 too.
   */
  async put(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    options?: StoreCallOptions,
  ): Promise<void> {
    const bytes = toBytes(body);
    if (bytes.length < this.#multipartThreshold) {
      await this.#putObject(key, bytes, contentType, {}, options);
      return;
    }
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: this.#root + key,
        Body: bytes,
        ContentType: contentType,
        ...this.#encryption,
      },
      partSize: this.#partSize,
      queueSize: 4,
      leavePartsOnError: false,
    });
    const signal = options?.abortSignal;
    signal?.throwIfAborted();
    const onAbort = () => {
      void upload.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Writes only when the key is free: one PutObject with `IfNoneMatch: '*'`, which S3 answers with
   * 412 when the key exists (conditional writes, S3 User Guide "How to prevent object overwrites
   * with conditional writes"). A 409 (another conditional write to the key in flight) is retried up
   * to three times. Always one PutObject, whatever the size (up to S3's 5 GiB).
   *
   * The server must honour `If-None-Match` on PUT, as S3 does since August 2024; one that ignores
   * it (s3rver 3.7.1 unpatched) overwrites. The tests' s3rver adds S3's conditional writes
   * (`tests/support/s3rver.ts`).
   */
  async putIfAbsent(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    const bytes = toBytes(body);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#putObject(key, bytes, contentType, { IfNoneMatch: '*' }, options);
        return true;
      } catch (error) {
        const status = httpStatus(error);
        if (status === 412) return false;
        if (status === 409 && attempt < CONDITIONAL_CONFLICT_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /**
   * PutObject with `IfMatch: tag`: S3 writes only when the object's ETag is still `tag`, and
   * answers 412 otherwise (404 when the object is gone, 409 when a conditional write raced).
   */
  async putIfMatch(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    tag: string,
    options?: StoreCallOptions,
  ): Promise<boolean> {
    try {
      await this.#putObject(key, toBytes(body), contentType, { IfMatch: tag }, options);
      return true;
    } catch (error) {
      const status = httpStatus(error);
      if (status === 412 || status === 409 || isNotFound(error)) return false;
      throw error;
    }
  }

  /** GetObject, with the object's `ETag` as its tag. */
  async getTagged(key: string, options?: StoreCallOptions): Promise<TaggedObject | undefined> {
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#root + key }),
        { abortSignal: options?.abortSignal },
      );
      const bytes = output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray();
      if (output.ETag === undefined) throw new Error(`S3 returned no ETag for ${key}`);
      return { bytes, tag: output.ETag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Reads with GetObject; `undefined` on NoSuchKey (404). */
  async get(key: string, options?: StoreCallOptions): Promise<Uint8Array | undefined> {
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#root + key }),
        { abortSignal: options?.abortSignal },
      );
      return output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Lists with the SDK's `paginateListObjectsV2`, in the order the server returns: S3's UTF-8 byte
   * order on AWS; s3rver 3.7.1 returns file-system walk order instead.
   */
  async *list(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.#client, ...(this.#pageSize === undefined ? {} : { pageSize: this.#pageSize }) },
      { Bucket: this.#bucket, Prefix: this.#root + prefix },
      { abortSignal: options?.abortSignal },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key.slice(this.#root.length);
      }
    }
  }

  /**
   * Lists common prefixes with delimiter `/`, through the same paginator. s3rver 3.7.1 only reports
   * a common prefix that has an object directly inside it (`p/x/o`, not only `p/x/y/o`); snapshot
   * folders always do (`manifest.json`, `instance.json`), and S3 has no such gap.
   */
  async *listFolders(prefix: string, options?: StoreCallOptions): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.#client, ...(this.#pageSize === undefined ? {} : { pageSize: this.#pageSize }) },
      { Bucket: this.#bucket, Prefix: this.#root + prefix, Delimiter: '/' },
      { abortSignal: options?.abortSignal },
    );
    // s3rver can repeat a common prefix on consecutive pages; S3 does not.
    const seen = new Set<string>();
    for await (const page of pages) {
      for (const common of page.CommonPrefixes ?? []) {
        if (common.Prefix === undefined || seen.has(common.Prefix)) continue;
        seen.add(common.Prefix);
        yield common.Prefix.slice(this.#root.length);
      }
    }
  }

  /**
   * Server-side CopyObject, with the store's encryption. It asks S3 for the copy's SHA-256
   * (`ChecksumAlgorithm`), which S3 returns without reading the object back; servers that ignore
   * checksums (s3rver) return none.
   *
   * @returns the copy's SHA-256 when the server returned it.
   * @throws MissingObjectError (with the SDK error as `cause`) when `fromKey` has no object.
   */
  async copy(fromKey: string, toKey: string, options?: StoreCallOptions): Promise<CopyResult> {
    return this.#copyObject(fromKey, toKey, {}, options);
  }

  /**
   * Copies by reading and writing: GetObject, then PutObject with `IfNoneMatch: '*'` and the bytes'
   * SHA-256 (S3 checks it on arrival), so S3 writes only when the target key is free and answers 412
   * otherwise; a 409 is retried up to three times. The content type is kept.
   *
   * Not a server-side CopyObject: the stack's bucket policy makes the backup role's writes
   * conditional, and S3 answers a CopyObject under such a policy with 403 (without a condition) or
   * 501 Not Implemented (with one) (S3 User Guide, "Enforce conditional writes on Amazon S3
   * buckets"). Reading also gives the SHA-256 of what was copied, on every server.
   *
   * @throws MissingObjectError (with the SDK error as `cause`) when `fromKey` has no object.
   */
  async copyIfAbsent(
    fromKey: string,
    toKey: string,
    options?: StoreCallOptions,
  ): Promise<CopyIfAbsentResult> {
    let bytes: Uint8Array;
    let contentType: string;
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#root + fromKey }),
        { abortSignal: options?.abortSignal },
      );
      bytes = output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray();
      contentType = output.ContentType ?? 'application/octet-stream';
    } catch (error) {
      if (isNotFound(error)) throw new MissingObjectError(fromKey, { cause: error });
      throw error;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#putObject(toKey, bytes, contentType, { IfNoneMatch: '*' }, options);
        return { written: true, sha256 };
      } catch (error) {
        const status = httpStatus(error);
        if (status === 412) return { written: false };
        if (status === 409 && attempt < CONDITIONAL_CONFLICT_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async #copyObject(
    fromKey: string,
    toKey: string,
    condition: Pick<CopyObjectCommandInput, 'IfNoneMatch'>,
    options: StoreCallOptions | undefined,
  ): Promise<CopyResult> {
    try {
      const output = await this.#client.send(
        new CopyObjectCommand({
          Bucket: this.#bucket,
          Key: this.#root + toKey,
          CopySource: encodeCopySource(this.#bucket, this.#root + fromKey),
          MetadataDirective: 'COPY',
          ChecksumAlgorithm: 'SHA256',
          ...condition,
          ...this.#encryption,
        }),
        { abortSignal: options?.abortSignal },
      );
      const checksum = output.CopyObjectResult?.ChecksumSHA256;
      return checksum ? { sha256: Buffer.from(checksum, 'base64').toString('hex') } : {};
    } catch (error) {
      if (isNotFound(error)) throw new MissingObjectError(fromKey, { cause: error });
      throw error;
    }
  }

  async #putObject(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    condition: Pick<PutObjectCommandInput, 'IfNoneMatch' | 'IfMatch'>,
    options: StoreCallOptions | undefined,
  ): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#root + key,
        Body: bytes,
        ContentType: contentType,
        ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
        ...condition,
        ...this.#encryption,
      }),
      { abortSignal: options?.abortSignal },
    );
  }
}
