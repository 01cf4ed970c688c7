/**
 * What `connect-vault diff A B` does (diff-command.ts defines its options): what changed between two
 * snapshots, kind by kind. Loaded only when the command runs.
 */
import { diffSnapshots } from '#shared/snapshot/diff.js';
import { type AwsOptions, CliError, EXIT, sourceFor } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault diff`, as commander parses them. */
export interface DiffCommandOptions extends AwsOptions {
  normalize?: boolean;
  volatile?: boolean;
  kinds?: string;
  json?: boolean;
}

/**
 * Parses `LOCATION/INSTANCE_ID[@SNAPSHOT]`: the instance's folder in S3 (`s3://bucket/prefix/<id>`)
 * or on disk, and a snapshot id (default `latest`).
 */
async function parseSide(text: string, options: AwsOptions) {
  const at = text.lastIndexOf('@');
  const path = (at > text.lastIndexOf('/') ? text.slice(0, at) : text).replace(/\/+$/, '');
  const snapshotId = at > text.lastIndexOf('/') ? text.slice(at + 1) : 'latest';
  const slash = path.lastIndexOf('/');
  const instanceId = path.slice(slash + 1);
  const location = path.slice(0, slash);
  if (slash <= 0 || !instanceId || !location) {
    throw new CliError(
      `Cannot read "${text}": give LOCATION/INSTANCE_ID[@SNAPSHOT], e.g. s3://bucket/prefix/<id>@latest`,
    );
  }
  const { store, prefix } = await sourceFor(location, options);
  return { store, prefix, instanceId, snapshotId };
}

/** A member's value on one line: JSON, cut at 80 characters; `(none)` when absent. */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * Runs `connect-vault diff A B`: prints the diff (text or JSON) and sets `process.exitCode` (1 when
 * the snapshots differ). Reads only the store (no Connect call).
 * @throws CliError (exit 2) when a side cannot be read, is missing or is not intact.
 */
export async function runDiff(a: string, b: string, options: DiffCommandOptions): Promise<void> {
  const kinds = options.kinds?.split(',').map((k) => k.trim());
  const diff = await diffSnapshots(await parseSide(a, options), await parseSide(b, options), {
    normalize: options.normalize,
    includeVolatile: Boolean(options.volatile),
    kinds,
  }).catch((error: Error) => {
    throw new CliError(`${error.message}`, EXIT.usage, { cause: error });
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${diff.a.instanceId}@${diff.a.snapshotId} → ${diff.b.instanceId}@${diff.b.snapshotId}\n`,
    );
    for (const [kind, d] of Object.entries(diff.kinds)) {
      if (!d.added.length && !d.removed.length && !d.changed.length) continue;
      process.stdout.write(`\n${kind}:\n`);
      for (const name of d.added) process.stdout.write(`  + ${name}\n`);
      for (const name of d.removed) process.stdout.write(`  - ${name}\n`);
      for (const c of d.changed) {
        process.stdout.write(`  ~ ${c.name}\n`);
        for (const m of c.changes)
          process.stdout.write(`      ${m.path}: ${shown(m.before)} → ${shown(m.after)}\n`);
      }
    }
    process.stdout.write(diff.identical ? '\nidentical\n' : '\n');
  }
  process.exitCode = exitCodeForFinding(!diff.identical);
}
