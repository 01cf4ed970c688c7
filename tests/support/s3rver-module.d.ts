/**
 * Types for the parts of s3rver 3.7.1 the tests use (the package ships none).
 */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    /** A bucket created when the server starts. */
    interface BucketConfig {
      name: string;
      /** CORS or website configuration documents (XML). */
      configs?: ReadonlyArray<string | Buffer>;
    }

    interface Options {
      /** Port to listen on; 0 picks a free one. Default 4568. */
      port?: number;
      /** Address to listen on. Default `localhost`. */
      address?: string;
      /** Suppresses request logging. Default false. */
      silent?: boolean;
      /** Folder where buckets and objects are kept. */
      directory?: string;
      /** Empties every bucket when the server closes. Default false. */
      resetOnClose?: boolean;
      /** Answers requests to `<bucket>.<host>` as virtual-hosted buckets. */
      vhostBuckets?: boolean;
      allowMismatchedSignatures?: boolean;
      configureBuckets?: ReadonlyArray<BucketConfig>;
    }
  }

  /** The parts of a Koa context the tests' middleware uses. */
  export interface KoaContext {
    method: string;
    path: string;
    querystring: string;
    status: number;
    type: string;
    body: unknown;
    get(header: string): string;
  }

  /** A Koa middleware. */
  export type S3rverMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  class S3rver {
    constructor(options?: S3rver.Options);
    /** Koa's middleware list; composed when the server starts listening. */
    middleware: S3rverMiddleware[];
    /** The file-system store behind the server. */
    store: {
      existsObject(bucket: string, key: string): Promise<boolean>;
      /** @throws when there is no object. */
      getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    };
    /** Creates the configured buckets and starts listening. */
    run(): Promise<AddressInfo>;
    /** Stops listening. */
    close(): Promise<void>;
    /** Deletes every bucket and object. */
    reset(): void;
  }

  export = S3rver;
}
