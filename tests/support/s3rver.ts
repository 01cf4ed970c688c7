import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver, { type KoaContext, type S3rverMiddleware } from 's3rver';

/** A running s3rver and a way to talk to it. */
export interface S3rverHandle {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The first configured bucket (`vault-test` by default). */
  bucket: string;
  /** The folder s3rver keeps its buckets in; removed by `close()`. */
  directory: string;
  /**
   * An S3 client set up for s3rver (path-style, its fixed credentials, checksums only when
   * required, see TOOLCHAIN.md). Without overrides the same client is returned each time.
   */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  /** Destroys the clients, stops the server and deletes its folder. */
  close(): Promise<void>;
}

/**
 * Starts s3rver on a free loopback port, in a fresh temporary folder, with the given buckets.
 * The process must run with `--openssl-legacy-provider` for paginated listings (vitest.config.ts
 * does this).
 *
 * s3rver 3.7.1 ignores `If-None-Match` and `If-Match` on PUT (PutObject and CopyObject) and
 * overwrites; {@link conditionalWrites} adds them as S3 documents them, so the stores' write-once
 * objects and compare-and-swap of `latest.json` are tested against S3's semantics.
 *
 * Other known differences from S3 (3.7.1): PUT ignores `x-amz-checksum-*`; a PUT whose client dies
 * mid-body may leave a partial object (S3 stores nothing); listings
 * come in file-system walk order, not UTF-8 byte order; a delimited listing misses a common prefix
 * whose objects all sit two or more folders deeper; CopyObject decodes `x-amz-copy-source` with
 * `decodeURI`, so `%23` (`#`), `%2B` (`+`), `%3F` (`?`) and the like in copied keys are not found.
 */
export async function startS3rver(
  options: {
    buckets?: readonly string[];
    bucketConfig?: BucketConfig;
    /**
     * Answer as S3 does under the stack's bucket policy for the backup role (infra/storage.yml,
     * BackupRoleCreatesOnly), for every request: see {@link enforcedConditionalWrites}.
     */
    enforceConditionalWrites?: boolean;
  } = {},
): Promise<S3rverHandle> {
  const buckets = options.buckets ?? ['vault-test'];
  const bucket = buckets[0];
  if (bucket === undefined) throw new RangeError('startS3rver needs at least one bucket');
  const directory = await mkdtemp(join(tmpdir(), 'connect-vault-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  server.middleware.unshift(conditionalWrites(server));
  if (options.enforceConditionalWrites) server.middleware.unshift(enforcedConditionalWrites());
  if (options.bucketConfig) server.middleware.unshift(bucketConfiguration(buckets, options.bucketConfig));
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clients: S3Client[] = [];
  let shared: S3Client | undefined;
  const create = (overrides: Partial<S3ClientConfig> = {}) => {
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  return {
    endpoint,
    bucket,
    directory,
    client(overrides) {
      if (overrides !== undefined) return create(overrides);
      shared ??= create();
      return shared;
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An S3 error document, as S3 sends it. */
function s3Error(ctx: KoaContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/**
 * Koa middleware for s3rver that gives PutObject and CopyObject S3's conditional writes (S3 User
 * Guide, "How to prevent object overwrites with conditional writes"; PutObject and CopyObject API
 * references): with `If-None-Match: *` the write happens only when the key is free, else 412
 * PreconditionFailed; with `If-Match: <etag>` only when the object's ETag is that one, else 412,
 * or 404 NoSuchKey when there is no object. Every PUT of an object waits for the ones before it on
 * the same key, so a check and its write are atomic, as in S3 (which answers a race with 409; here
 * the later request simply sees the earlier one's result).
 */
function conditionalWrites(server: S3rver): S3rverMiddleware {
  const queues = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const [, bucket, ...rest] = ctx.path.split('/');
    // Object PUTs only (the SDK adds `x-id=PutObject`), not uploads of parts, tags or ACLs.
    const subresource = ctx.querystring.split('&').some((pair) => pair !== '' && !pair.startsWith('x-id='));
    if (ctx.method !== 'PUT' || !bucket || rest.length === 0 || subresource) return next();
    const key = decodeURIComponent(rest.join('/'));
    const id = `${bucket}/${key}`;
    const before = queues.get(id) ?? Promise.resolve();
    let done = () => {};
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = before.then(() => mine);
    queues.set(id, tail);
    await before;
    try {
      const noneMatch = ctx.get('if-none-match');
      const match = ctx.get('if-match');
      if (noneMatch !== '' || match !== '') {
        const exists = await server.store.existsObject(bucket, key);
        if (noneMatch === '*' && exists) {
          return s3Error(
            ctx,
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          );
        }
        if (match !== '') {
          if (!exists) return s3Error(ctx, 404, 'NoSuchKey', 'The specified key does not exist.');
          const { etag } = await server.store.getMetadata(bucket, key);
          if (etag !== match) {
            return s3Error(
              ctx,
              412,
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
            );
          }
        }
      }
      await next();
    } finally {
      done();
      if (queues.get(id) === tail) queues.delete(id);
    }
  };
}

/**
 * S3 under a bucket policy that denies writes without `If-None-Match` or `If-Match` (S3 User Guide,
 * "Enforce conditional writes on Amazon S3 buckets"): a PutObject without either header is 403
 * AccessDenied; a CopyObject is 403 without them and 501 NotImplemented with them (the guide's
 * note: copy operations cannot be performed into such a bucket); a multipart upload's
 * CreateMultipartUpload is denied too (the policy does not exempt it with s3:ObjectCreationOperation).
 */
function enforcedConditionalWrites(): S3rverMiddleware {
  return async (ctx, next) => {
    const [, bucket, ...rest] = ctx.path.split('/');
    if (!bucket || rest.length === 0) return next();
    const query = new URLSearchParams(ctx.querystring);
    const conditional = ctx.get('if-none-match') !== '' || ctx.get('if-match') !== '';
    const denied = () => s3Error(ctx, 403, 'AccessDenied', 'Access Denied');
    if (ctx.method === 'POST' && query.has('uploads')) return denied();
    if (ctx.method !== 'PUT' || query.has('partNumber') || query.has('tagging') || query.has('acl'))
      return next();
    if (ctx.get('x-amz-copy-source') !== '') {
      return conditional
        ? s3Error(
            ctx,
            501,
            'NotImplemented',
            'A header you provided implies functionality that is not implemented',
          )
        : denied();
    }
    return conditional ? next() : denied();
  };
}

/**
 * A bucket's configuration as S3 answers for it (s3rver 3.7.1 implements none of these reads):
 * versioning, default encryption, public access block, bucket policy, Object Lock. A member left
 * out is a configuration the bucket does not have.
 */
export interface BucketConfig {
  versioning?: 'Enabled' | 'Suspended';
  /** The default encryption's `SSEAlgorithm`, e.g. `AES256`. */
  encryption?: string;
  publicAccessBlock?: Partial<
    Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>
  >;
  /** The bucket policy, JSON. */
  policy?: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
}

/** The configuration of the CloudFormation stack's bucket (infra/storage.yml), without Object Lock. */
export const STACK_BUCKET_CONFIG: BucketConfig = {
  versioning: 'Enabled',
  encryption: 'AES256',
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::vault-test', 'arn:aws:s3:::vault-test/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  }),
};

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * Koa middleware answering the bucket-configuration reads (GetBucketVersioning, GetBucketEncryption,
 * GetPublicAccessBlock, GetBucketPolicy, GetObjectLockConfiguration) from `config`, with S3's
 * documents and its errors for a configuration the bucket lacks
 * (ServerSideEncryptionConfigurationNotFoundError, NoSuchPublicAccessBlockConfiguration,
 * NoSuchBucketPolicy, ObjectLockConfigurationNotFoundError, all 404). Every other request goes on
 * to s3rver.
 */
function bucketConfiguration(buckets: readonly string[], config: BucketConfig): S3rverMiddleware {
  const xml = (ctx: KoaContext, body: string) => {
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  };
  return async (ctx, next) => {
    const [, bucket, ...rest] = ctx.path.split('/');
    if (ctx.method !== 'GET' || !bucket || !buckets.includes(bucket) || rest.some(Boolean)) return next();
    const keys = ctx.querystring.split('&').map((pair) => pair.split('=')[0]);
    if (keys.includes('versioning')) {
      const status = config.versioning ? `<Status>${config.versioning}</Status>` : '';
      return xml(ctx, `<VersioningConfiguration xmlns="${S3_XMLNS}">${status}</VersioningConfiguration>`);
    }
    if (keys.includes('encryption')) {
      if (!config.encryption) {
        return s3Error(
          ctx,
          404,
          'ServerSideEncryptionConfigurationNotFoundError',
          'The server side encryption configuration was not found',
        );
      }
      return xml(
        ctx,
        `<ServerSideEncryptionConfiguration xmlns="${S3_XMLNS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${config.encryption}</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
      );
    }
    if (keys.includes('publicAccessBlock')) {
      if (!config.publicAccessBlock) {
        return s3Error(
          ctx,
          404,
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
        );
      }
      const members = Object.entries(config.publicAccessBlock)
        .map(([name, value]) => `<${name}>${value}</${name}>`)
        .join('');
      return xml(
        ctx,
        `<PublicAccessBlockConfiguration xmlns="${S3_XMLNS}">${members}</PublicAccessBlockConfiguration>`,
      );
    }
    if (keys.includes('policy')) {
      if (!config.policy) return s3Error(ctx, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = config.policy;
      return;
    }
    if (keys.includes('object-lock')) {
      if (!config.objectLock) {
        return s3Error(
          ctx,
          404,
          'ObjectLockConfigurationNotFoundError',
          'Object Lock configuration does not exist for this bucket',
        );
      }
      const { mode, days } = config.objectLock;
      return xml(
        ctx,
        `<ObjectLockConfiguration xmlns="${S3_XMLNS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>${mode}</Mode><Days>${days}</Days></DefaultRetention></Rule></ObjectLockConfiguration>`,
      );
    }
    return next();
  };
}
