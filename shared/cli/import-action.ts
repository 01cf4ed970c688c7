/**
 * What `connect-vault import connect-backup` does (import-command.ts defines its options): reads
 * the tree through `shared/migrate/import-connect-backup.ts`, then prints the snapshot, its counts
 * and its warnings. Loaded only when the command runs.
 */
import { importConnectBackup } from '#shared/migrate/import-connect-backup.js';
import { warningSentence } from '#shared/snapshot/format.js';
import { type AwsOptions, CliError, sourceFor, storeFor, table } from './context.js';
import { formatSize } from './output.js';

/** The options of `connect-vault import connect-backup`, as commander parses them. */
export interface ImportConnectBackupOptions extends AwsOptions {
  instanceId?: string;
  bucket?: string;
  prefix?: string;
  out?: string;
  quiet?: boolean;
}

/**
 * Runs `connect-vault import connect-backup <source>`: no Connect call; S3 ListObjectsV2 and
 * GetObject on the source when it is in S3, PutObject (conditional) on the destination.
 * @throws CliError (exit 2) for a missing source folder or not exactly one destination;
 *   ImportInputError (exit 2) for a tree that cannot be imported; ImportFailedError (exit 1).
 */
export async function runImportConnectBackup(
  source: string,
  options: ImportConnectBackupOptions,
): Promise<void> {
  if (Boolean(options.bucket) === Boolean(options.out))
    throw new CliError('Choose exactly one destination: --bucket B [--prefix P] or --out DIR.');
  let from: Awaited<ReturnType<typeof sourceFor>>;
  try {
    from = await sourceFor(source, options);
  } catch (error) {
    if (error instanceof CliError)
      throw new CliError(`No folder ${source}: give s3://bucket/prefix or an existing folder.`);
    throw error;
  }
  const { store, prefix } = await storeFor(options);
  const result = await importConnectBackup(
    { sourcePrefix: from.prefix, instanceId: options.instanceId, prefix },
    { source: from.store, destination: store, clock: { now: () => new Date() } },
  );
  if (options.quiet) {
    process.stdout.write(`${result.snapshotId} ${result.location}\n`);
    return;
  }
  const lines = [
    `Imported ${result.tree} as snapshot ${result.snapshotId} of ${result.instance.alias || result.instance.id} (${result.instance.id})`,
    `  at ${result.location}`,
    table([
      ['kind', 'resources'],
      ...Object.entries(result.counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, n]) => [kind, n]),
    ])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    `  objects ${result.objects} (${formatSize(result.bytes)})`,
    result.latest
      ? '  latest.json names it'
      : `  latest.json kept: it names snapshot ${result.latestKept}; restore this one with --snapshot ${result.snapshotId}`,
    `Warnings (${result.warnings.length}, also in the manifest):`,
    ...result.warnings.map((w) => `  - ${warningSentence(w)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
