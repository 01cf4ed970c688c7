/**
 * S3, EventBridge, SQS, Organizations and IAM clients, one per service per container, each with an optional endpoint so the
 * same code talks to AWS, s3rver or a local bus.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

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

/** An SQS client (the backup queue). */
export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient({
    region: options.region,
    credentials: options.credentials,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
}

/** An AWS Organizations client (ListAccounts, for organisation-wide backups). */
export function createOrganizationsClient(options: Omit<ClientOptions, 'endpoint'>): OrganizationsClient {
  return new OrganizationsClient({ region: options.region, credentials: options.credentials });
}

/** An IAM client (doctor's `iam:SimulatePrincipalPolicy`); IAM is global, any Region signs for it. */
export function createIamClient(options: Omit<ClientOptions, 'endpoint'>): IAMClient {
  return new IAMClient({
    region: options.region,
    credentials: options.credentials,
    profile: options.profile,
  });
}

/** A role in another account to reach Connect with (cross-account restores). */
export interface AssumedRole {
  /** `arn:aws:iam::<account>:role/<name>`: the role infra/restore-target-role.yml creates. */
  roleArn: string;
  /** The external id its trust policy asks for (`sts:ExternalId`), when it asks for one. */
  externalId?: string | undefined;
}

/**
 * STS refused to give credentials of the target role: its trust policy does not name the caller, the
 * external id differs, or the role does not exist. Its message names the role and what to check.
 */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  constructor(
    readonly roleArn: string,
    cause: Error,
  ) {
    super(
      `Cannot assume ${roleArn}: ${cause.name}: ${cause.message}. Check that the role exists, that its trust policy names the caller (the connect-vault account, or its restore function's role), and that the external id (--external-id, or target.externalId) is the one its sts:ExternalId condition asks for; infra/restore-target-role.yml creates such a role.`,
      { cause },
    );
  }
}

/**
 * Temporary credentials of a role, from STS `AssumeRole`, refreshed before they expire (the SDK's
 * `fromTemporaryCredentials`). The caller's own credentials sign the AssumeRole call: the profile's
 * when one is given (CLI), else the default chain (a Lambda's role). STS is called in `region`
 * (its Regional endpoint, or `AWS_ENDPOINT_URL_STS` when set). Nothing is called until the first
 * request that needs the credentials.
 * @throws (on first use) AssumeRoleError when STS refuses (AccessDenied: the trust policy does not
 *   name the caller, or the external id differs); the caller's own credential errors as they are.
 */
export function assumedRoleCredentials(
  role: AssumedRole,
  options: { region: string; profile?: string | undefined; sessionName: string },
): NonNullable<Credentials> {
  const provider = fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: options.sessionName,
      ...(role.externalId ? { ExternalId: role.externalId } : {}),
    },
    ...(options.profile ? { masterCredentials: fromIni({ profile: options.profile }) } : {}),
    clientConfig: { region: options.region },
  });
  return async (props) => {
    try {
      return await provider(props);
    } catch (error) {
      // The caller's own missing credentials stay what they are (exit 2, "No AWS credentials").
      if (error instanceof Error && error.name !== 'CredentialsProviderError' && '$metadata' in error)
        throw new AssumeRoleError(role.roleArn, error);
      throw error;
    }
  };
}
