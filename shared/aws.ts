/**
 * S3, EventBridge and IAM clients, one per service per container, each with an optional endpoint so the
 * same code talks to AWS, s3rver or a local bus.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';

type Credentials = ConstructorParameters<typeof S3Client>[0] extends infer C
  ? C extends { credentials?: infer K }
    ? K
    : never
  : never;

export interface ClientOptions {
  region: string;
  endpoint?: string;
  credentials?: Credentials;
  /** Shared-config profile (CLI); Lambdas use their role. */
  profile?: string;
}

/**
 * An S3 client. With an endpoint override (s3rver, MinIO) it uses path-style addressing and sends
 * checksums only when required, as such servers store `aws-chunked` framing otherwise.
 */
export function createS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    credentials: options.credentials,
    profile: options.profile,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
}

/** An EventBridge client. */
export function createEventBridgeClient(options: ClientOptions): EventBridgeClient {
  return new EventBridgeClient({
    region: options.region,
    credentials: options.credentials,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
}

/** An IAM client (doctor's `iam:SimulatePrincipalPolicy`); IAM is global, any Region signs for it. */
export function createIamClient(options: Omit<ClientOptions, 'endpoint'>): IAMClient {
  return new IAMClient({
    region: options.region,
    credentials: options.credentials,
    profile: options.profile,
  });
}
