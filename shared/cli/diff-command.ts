/** `connect-vault diff A B`: what changed between two snapshots, kind by kind. */
import { Command } from 'commander';
import { diffSnapshots } from '#shared/snapshot/diff.js';
import { type AwsOptions, awsOptions, CliError, EXIT, sourceFor } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

interface DiffCommandOptions extends AwsOptions {
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

export function diffCommand(): Command {
  const command = new Command('diff')
    .description('Show what changed between two snapshots: added, removed and changed resources per kind.')
    .argument('<a>', 'first snapshot: LOCATION/INSTANCE_ID[@SNAPSHOT] (default @latest)')
    .argument('<b>', 'second snapshot, the same way')
    .option('--normalize', 'compare across instances: ignore ids, ARNs, account, Region and timestamps')
    .option('--kinds <list>', 'only these kinds (comma-separated)')
    .option(
      '--volatile',
      'also compare members Connect changes itself (LastModifiedTime, LastModifiedRegion, content hashes)',
    )
    .option('--json', 'print the diff as JSON')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault diff s3://backups/connect/<id>@2026-11-21T02-00-07.123Z s3://backups/connect/<id>@latest
  connect-vault diff ./backups/<source-id> ./backups/<target-id> --normalize

Differences found exit 1; a snapshot missing or not intact exits 2.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (a: string, b: string, options: DiffCommandOptions) => {
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
  });
}
