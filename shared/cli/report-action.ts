/**
 * What `connect-vault report` does (report-command.ts defines its options): renders a snapshot's
 * HTML report (`shared/report/`) and writes it to a file. Loaded only when the command runs.
 */
import { statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { collectSnapshotReport } from '#shared/report/snapshot-report.js';
import { reportHtml } from '#shared/report/template.js';
import { type AwsOptions, CliError, sourceFor } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault report`, as commander parses them. */
export interface ReportOptions extends AwsOptions {
  from: string;
  instanceId: string;
  /** Snapshot id, or `latest`. */
  snapshot: string;
  /** The HTML file to write. */
  out: string;
}

/**
 * Where the page goes, checked before anything is read: not a folder, in a folder that exists.
 * @throws CliError (exit 2) otherwise.
 */
function outputPath(out: string): string {
  const path = resolve(out);
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'none';
    }
  };
  if (kind(path) === 'folder') throw new CliError(`--out ${out} is a folder: give the HTML file to write.`);
  if (kind(dirname(path)) !== 'folder')
    throw new CliError(`--out ${out}: the folder ${dirname(path)} does not exist.`);
  return path;
}

/**
 * Runs `connect-vault report`: renders the report of the snapshot and writes it to `--out` (through
 * a temporary file in the same folder, renamed into place, so a reader never sees half a page).
 * Prints one line saying what was written. Sets `process.exitCode` 1 when the snapshot is NOT
 * INTACT (the page says what is wrong). Reads only the store.
 * @throws CliError (exit 2) for a bad --out, SnapshotIntegrityError (exit 2) when there is no such
 *   snapshot or its manifest is bad; nothing is written then.
 */
export async function runReport(options: ReportOptions): Promise<void> {
  const path = outputPath(options.out);
  const { store, prefix } = await sourceFor(options.from, options);
  const report = await collectSnapshotReport(store, prefix, options.instanceId, options.snapshot);
  const html = reportHtml(report);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, html, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const diff = report.changes.diff;
  const changed = diff
    ? Object.values(diff.kinds).reduce((n, d) => n + d.added.length + d.removed.length + d.changed.length, 0)
    : undefined;
  const since =
    changed === undefined
      ? 'no changes shown'
      : `${changed} change(s) since ${report.changes.previous?.snapshotId}`;
  process.stdout.write(
    `wrote ${options.out}: snapshot ${report.snapshotId}, ${report.verify.ok ? 'intact' : 'NOT INTACT'}, ${since}, ${report.graph?.nodes.length ?? 0} nodes in the flow graph\n`,
  );
  process.exitCode = exitCodeForFinding(!report.verify.ok);
}
