/**
 * What every command's action shares: the Region, the Connect and S3 clients, the snapshot store
 * (--bucket/--prefix, --out, --stdout, or --from for readers), and tables. Loaded only when a
 * command runs (the SDK is heavy); the options themselves are in options.ts.
 */
import { statSync } from 'node:fs';
import { loadConfig, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { createS3Client } from '#shared/aws.js';
import { createConnectClient, type InstrumentedConnectClient } from '#shared/connect/client.js';
import { FolderSnapshotStore } from '#shared/snapshot/folder-store.js';
import { type RemoveKeys, s3Remover } from '#shared/snapshot/prune.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { StdoutSnapshotStore } from '#shared/snapshot/stdout-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { CliError } from './exit-codes.js';
import type { AwsOptions, StoreOptions } from './options.js';

export { CliError, EXIT } from './exit-codes.js';
export type { AwsOptions, StoreOptions } from './options.js';

/**
 * The Region as the AWS CLI finds it: `--region`, else `AWS_REGION` / `AWS_DEFAULT_REGION`, else the
 * `region` of the profile (`profile`, else `AWS_PROFILE`, else `default`) in the shared config files,
 * read by the SDK's own loader.
 * @throws CliError (exit 2) when there is none.
 */
export async function regionOf(options: { region?: string | undefined }, profile?: string): Promise<string> {
  if (options.region) return options.region;
  if (process.env.AWS_DEFAULT_REGION && !process.env.AWS_REGION) return process.env.AWS_DEFAULT_REGION;
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, profile ? { profile } : {})();
  } catch {
    throw new CliError(
      `No AWS Region: pass --region, set AWS_REGION, or set region in ${profile ? `profile ${profile}` : 'the profile'} (aws configure).`,
    );
  }
}

/** The Connect client for the command, rate-limited per operation and counted. */
export async function connectFor(
  options: AwsOptions & { rateFactor?: number },
): Promise<InstrumentedConnectClient> {
  return createConnectClient({
    region: await regionOf(options, options.profile),
    endpoint: options.endpointUrl,
    rateFactor: options.rateFactor,
    profile: options.profile,
  });
}

/** A snapshot store and the key prefix inside it, from --bucket/--prefix, --out or --stdout. */
export async function storeFor(
  options: StoreOptions & AwsOptions,
): Promise<{ store: SnapshotStore; prefix: string }> {
  const chosen = [options.bucket, options.out, options.stdout].filter(Boolean).length;
  if (chosen !== 1)
    throw new CliError('Choose exactly one destination: --bucket B [--prefix P], --out DIR or --stdout.');
  if (options.bucket) {
    const client = await s3ClientFor(options);
    return {
      store: new S3SnapshotStore({ client, bucket: options.bucket }),
      prefix: trimSlashes(options.prefix ?? ''),
    };
  }
  if (options.out) return { store: new FolderSnapshotStore(options.out), prefix: '' };
  return { store: new StdoutSnapshotStore(), prefix: '' };
}

export type { RemoveKeys } from '#shared/snapshot/prune.js';

/**
 * A store to read snapshots from: `s3://bucket/prefix` or a folder, and how to remove objects from
 * it (only `prune` removes; the snapshot stores themselves never delete from S3).
 * @throws CliError (exit 2) when the folder does not exist.
 */
export async function sourceFor(
  from: string,
  options: AwsOptions,
): Promise<{ store: SnapshotStore; prefix: string; remove: RemoveKeys }> {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(from);
  if (s3?.[1]) {
    const bucket = s3[1];
    const client = await s3ClientFor(options);
    const remove = s3Remover(client, bucket);
    return { store: new S3SnapshotStore({ client, bucket }), prefix: trimSlashes(s3[2] ?? ''), remove };
  }
  let isFolder = false;
  try {
    isFolder = statSync(from).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder)
    throw new CliError(`No folder ${from}: give --from s3://bucket/prefix or an existing folder.`);
  const folder = new FolderSnapshotStore(from);
  const remove: RemoveKeys = async (keys) => {
    for (const key of keys) await folder.delete(key);
  };
  return { store: folder, prefix: '', remove };
}

/** The S3 client for the snapshot bucket: `--s3-profile` (default `--profile`), its Region. */
async function s3ClientFor(options: AwsOptions) {
  const profile = options.s3Profile ?? options.profile;
  return createS3Client({
    region: await regionOf(options, profile),
    endpoint: options.s3EndpointUrl,
    profile,
  });
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
