/**
 * What every command shares: AWS options (--region, --profile, --endpoint-url), where snapshots
 * live (--bucket/--prefix, --out, --stdout, or --from for readers), and exit codes.
 */
import { Option } from 'commander';
import { createS3Client } from '#shared/aws.js';
import { createConnectClient, type InstrumentedConnectClient } from '#shared/connect/client.js';
import { FolderSnapshotStore } from '#shared/snapshot/folder-store.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { StdoutSnapshotStore } from '#shared/snapshot/stdout-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

/** Exit codes: 0 success; 1 the work failed (a backup, a verification); 2 bad usage or input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** An error whose message is for the user, ending the command with an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

export interface AwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  s3EndpointUrl?: string;
}

export const awsOptions = [
  new Option('--region <region>', 'AWS Region of the Connect instance (default: AWS_REGION)'),
  new Option('--profile <profile>', 'AWS shared-config profile'),
  new Option('--endpoint-url <url>', 'Connect endpoint override, e.g. the local emulator'),
  new Option('--s3-endpoint-url <url>', 'S3 endpoint override, e.g. a local s3rver'),
];

/** The Region from --region or the environment. @throws CliError when there is none. */
export function regionOf(options: AwsOptions): string {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError('No AWS Region: pass --region or set AWS_REGION.');
  return region;
}

/** The Connect client for the command, rate-limited per operation and counted. */
export function connectFor(options: AwsOptions & { rateFactor?: number }): InstrumentedConnectClient {
  return createConnectClient({
    region: regionOf(options),
    endpoint: options.endpointUrl,
    rateFactor: options.rateFactor,
    profile: options.profile,
  });
}

export interface StoreOptions {
  bucket?: string;
  prefix?: string;
  out?: string;
  stdout?: boolean;
}

/** A snapshot store and the key prefix inside it, from --bucket/--prefix, --out or --stdout. */
export function storeFor(options: StoreOptions & AwsOptions): { store: SnapshotStore; prefix: string } {
  const chosen = [options.bucket, options.out, options.stdout].filter(Boolean).length;
  if (chosen !== 1)
    throw new CliError('Choose exactly one destination: --bucket B [--prefix P], --out DIR or --stdout.');
  if (options.bucket) {
    const client = createS3Client({
      region: regionOf(options),
      endpoint: options.s3EndpointUrl,
      profile: options.profile,
    });
    return {
      store: new S3SnapshotStore({ client, bucket: options.bucket }),
      prefix: trimSlashes(options.prefix ?? ''),
    };
  }
  if (options.out) return { store: new FolderSnapshotStore(options.out), prefix: '' };
  return { store: new StdoutSnapshotStore(), prefix: '' };
}

/**
 * A store to read snapshots from: `s3://bucket/prefix` or a folder.
 */
export function sourceFor(from: string, options: AwsOptions): { store: SnapshotStore; prefix: string } {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(from);
  if (s3?.[1]) {
    const client = createS3Client({
      region: regionOf(options),
      endpoint: options.s3EndpointUrl,
      profile: options.profile,
    });
    return { store: new S3SnapshotStore({ client, bucket: s3[1] }), prefix: trimSlashes(s3[2] ?? '') };
  }
  return { store: new FolderSnapshotStore(from), prefix: '' };
}

function trimSlashes(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** Formats rows as an aligned text table. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          typeof cell === 'number'
            ? String(cell).padStart(widths[i] ?? 0)
            : String(cell).padEnd(widths[i] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}
