/**
 * What `connect-vault export cloudformation` does (export-command.ts defines its options): loads
 * and verifies the snapshot as restore does, builds the template with
 * `shared/migrate/export-cloudformation.ts`, writes it, and prints what it holds. Loaded only when
 * the command runs.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exportCloudFormation } from '#shared/migrate/export-cloudformation.js';
import { RestoreInputError } from '#shared/restore/errors.js';
import { loadSnapshot } from '#shared/restore/snapshot-source.js';
import { isSnapshotId, snapshotObjectKey } from '#shared/snapshot/format.js';
import { type AwsOptions, CliError, EXIT, sourceFor } from './context.js';
import { readMapping } from './mapping-file.js';

/** The options of `connect-vault export cloudformation`, as commander parses them. */
export interface ExportCloudFormationOptions extends AwsOptions {
  from: string;
  instanceId?: string;
  snapshot: string;
  kinds?: string[];
  names?: string[];
  mapping?: string;
  out: string;
  quiet?: boolean;
}

/** `--from`: where snapshots are, the instance and the snapshot (a snapshot folder names both). */
function snapshotOf(options: ExportCloudFormationOptions): {
  location: string;
  instanceId: string;
  snapshot: string;
} {
  const folder = /^(.*?)\/*([^/]+)\/snapshots\/([^/]+)\/*$/.exec(options.from);
  if (folder?.[3] && isSnapshotId(folder[3]) && folder[2]) {
    if (options.instanceId && options.instanceId !== folder[2])
      throw new CliError(
        `--from names instance ${folder[2]}'s snapshot, but --instance-id is ${options.instanceId}: give one of them.`,
      );
    const location = folder[1] || (options.from.startsWith('/') ? '/' : '.');
    return { location, instanceId: folder[2], snapshot: folder[3] };
  }
  if (!options.instanceId)
    throw new CliError(
      '--from is where snapshots are: add --instance-id (and --snapshot, default latest), or give a snapshot folder <location>/<instanceId>/snapshots/<snapshotId>.',
    );
  return { location: options.from, instanceId: options.instanceId, snapshot: options.snapshot };
}

function listOption(values: string[] | undefined): string[] | undefined {
  return values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Runs `connect-vault export cloudformation`: no Connect call; S3 ListObjectsV2 and GetObject when
 * the snapshot is in S3. Everything is checked before the template is written (to a temporary file
 * beside `--out`, then renamed).
 * @throws CliError, RestoreInputError (a snapshot that fails verification, an unknown snapshot) or
 *   ExportInputError (an unknown kind, a name no resource has): all exit 2, nothing written.
 */
export async function runExportCloudFormation(options: ExportCloudFormationOptions): Promise<void> {
  const kinds = listOption(options.kinds);
  const names = listOption(options.names);
  if (kinds?.length === 0) throw new CliError('--kinds names no kind: leave it out to export every kind.');
  if (names?.length === 0) throw new CliError('--names gives no glob: leave it out to export every name.');
  const mapping = options.mapping ? await readMapping(options.mapping) : undefined;
  const { location, instanceId, snapshot } = snapshotOf(options);
  const { store, prefix } = await sourceFor(location, options);
  let loaded: Awaited<ReturnType<typeof loadSnapshot>>;
  try {
    loaded = await loadSnapshot(store, prefix, instanceId, snapshot);
  } catch (error) {
    // The same check as restore's, in an export's words; still exit 2, nothing written.
    if (error instanceof RestoreInputError)
      throw new CliError(
        error.message.replace(/restore from another snapshot$/, 'export another snapshot'),
        EXIT.usage,
        {
          cause: error,
        },
      );
    throw error;
  }
  const bucket = /^s3:\/\/([^/]+)/.exec(location)?.[1];
  const snapshotId = loaded.manifest.snapshotId;
  const result = exportCloudFormation(loaded, {
    kinds,
    names,
    mapping,
    promptAudioUri: bucket
      ? (key) => `s3://${bucket}/${snapshotObjectKey(prefix, instanceId, snapshotId, key)}`
      : undefined,
  });
  const body = `${JSON.stringify(result.template, null, 2)}\n`;
  const report = (line: string) => {
    if (!options.quiet) (options.out === '-' ? process.stderr : process.stdout).write(`${line}\n`);
  };
  if (options.out === '-') process.stdout.write(body);
  else {
    const temporary = join(dirname(options.out), `.${basename(options.out)}.${process.pid}.tmp`);
    try {
      await writeFile(temporary, body);
      await rename(temporary, options.out);
    } catch (error) {
      throw new CliError(`Cannot write ${options.out}: ${(error as Error).message}`, EXIT.usage, {
        cause: error,
      });
    }
  }
  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  report(
    `Exported snapshot ${snapshotId} (${loaded.location}) to ${options.out === '-' ? 'stdout' : options.out}: ${result.resources.length} resources, ${result.parameters.length + 1} parameters`,
  );
  for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) report(`  ${type}  ${n}`);
  if (result.parameters.length) {
    report('Parameters besides InstanceArn (give them at deploy, or resolve them in the mapping):');
    for (const p of result.parameters) report(`  ${p.name}: ${p.description}`);
  }
  if (result.skipped.length) {
    report(`Skipped (${result.skipped.length}):`);
    for (const s of result.skipped) report(`  ${s.kind} "${s.name}": ${s.reason}`);
  }
  if (result.warnings.length) {
    report(`Warnings (${result.warnings.length}):`);
    for (const w of result.warnings) report(`  - ${w}`);
  }
  if (result.resources.some((r) => r.kind === 'users'))
    report('Users have no passwords in the template: set them after deploying, or use SAML or a directory.');
}
