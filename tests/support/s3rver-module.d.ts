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

  class S3rver {
    constructor(options?: S3rver.Options);
    /** Creates the configured buckets and starts listening. */
    run(): Promise<AddressInfo>;
    /** Stops listening. */
    close(): Promise<void>;
    /** Deletes every bucket and object. */
    reset(): void;
  }

  export = S3rver;
}
