import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

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
 * Known differences from S3 (3.7.1): PUT ignores `If-None-Match` and `x-amz-checksum-*`; listings
 * come in file-system walk order, not UTF-8 byte order; a delimited listing misses a common prefix
 * whose objects all sit two or more folders deeper; CopyObject decodes `x-amz-copy-source` with
 * `decodeURI`, so `%23` (`#`), `%2B` (`+`), `%3F` (`?`) and the like in copied keys are not found.
 */
export async function startS3rver(options: { buckets?: readonly string[] } = {}): Promise<S3rverHandle> {
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
