/**
 * What `connect-vault users export` and `users import` do (users-command.ts defines their options):
 * the core is `shared/users/`; this file reads and writes the files, shows progress on stderr and
 * prints the summary. Loaded only when one of the commands runs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { parseUsersCsv } from '#shared/users/csv.js';
import { type InstanceDirectory, readDirectory } from '#shared/users/directory.js';
import { exportUsers } from '#shared/users/export-users.js';
import {
  failedRowsCsv,
  type ImportPlan,
  type ImportReport,
  importUsers,
  type PlannedRow,
  type ProblemKind,
  planImport,
} from '#shared/users/import-users.js';
import { type AwsOptions, CliError, connectFor, EXIT } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';
import { onInterrupt, setActivity } from './interrupt.js';

/** The options of `users export`, as commander parses them. */
export interface UsersExportOptions extends AwsOptions {
  instanceId: string;
  out: string;
  rateFactor?: number;
  quiet?: boolean;
}

/** The options of `users import`, as commander parses them. */
export interface UsersImportOptions extends AwsOptions {
  file: string;
  instanceId: string;
  dryRun?: boolean;
  batchSize: number;
  /** Seconds between batches. */
  pause: number;
  failedOut?: string;
  rateFactor?: number;
  quiet?: boolean;
}

/** How often a progress line is written when stderr is not a terminal. */
const LOG_EVERY_MS = 5000;

/**
 * Progress on stderr: a bar with done/total and an ETA on a terminal, else a line every few
 * seconds and one at the end. `stop()` gives the terminal back; Ctrl-C calls it too.
 */
function progressBar(
  quiet: boolean,
  label: string,
): { update(done: number, total: number): void; stop(): void } {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    let last = Date.now();
    let shown = -1;
    let latest: [number, number] = [0, 0];
    return {
      update: (done, total) => {
        latest = [done, total];
        if (Date.now() - last >= LOG_EVERY_MS) {
          process.stderr.write(`  ${label}: ${done}/${total}\n`);
          last = Date.now();
          shown = done;
        }
      },
      stop: () => {
        if (latest[1] > 0 && shown !== latest[0])
          process.stderr.write(`  ${label}: ${latest[0]}/${latest[1]}\n`);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `  ${label} {bar} {value}/{total}  ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const unregister = onInterrupt(() => bar.stop());
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => {
      unregister();
      if (started) bar.stop();
    },
  };
}

function checkRateFactor(options: { rateFactor?: number }): void {
  if (!Number.isFinite(options.rateFactor) || (options.rateFactor ?? 1) <= 0)
    throw new CliError('--rate-factor must be a positive number.');
}

/** An unknown instance (ResourceNotFoundException from DescribeInstance) is bad input: exit 2. */
async function directoryOf(
  connect: Parameters<typeof readDirectory>[0],
  instanceId: string,
): Promise<InstanceDirectory> {
  try {
    return await readDirectory(connect, instanceId);
  } catch (error) {
    throw unknownInstance(error, instanceId);
  }
}

function unknownInstance(error: unknown, instanceId: string): unknown {
  if ((error as { name?: string }).name === 'ResourceNotFoundException')
    return new CliError(`No instance ${instanceId} in this account and Region.`, EXIT.usage, {
      cause: error,
    });
  return error;
}

/**
 * Runs `users export`: reads every user, then writes the file (or stdout) once. Connect: see
 * `exportUsers`.
 * @throws CliError (exit 2) for an unknown instance or a bad option.
 */
export async function runUsersExport(options: UsersExportOptions): Promise<void> {
  checkRateFactor(options);
  const { client: connect } = await connectFor(options);
  const progress = progressBar(Boolean(options.quiet) || options.out === '-', 'users described');
  setActivity({ doing: `exporting the users of ${options.instanceId}`, leaves: 'no file was written' });
  let result: Awaited<ReturnType<typeof exportUsers>>;
  try {
    result = await exportUsers(connect, options.instanceId, { progress: progress.update });
  } catch (error) {
    throw unknownInstance(error, options.instanceId);
  } finally {
    progress.stop();
  }
  if (options.out === '-') process.stdout.write(result.csv);
  else {
    await writeFile(options.out, result.csv);
    process.stderr.write(
      `Exported ${result.count} user(s) of ${options.instanceId} to ${options.out} (no passwords).\n`,
    );
  }
}

/** `users.csv` → `users.failed.csv`; `users.failed.csv` stays itself (what still fails replaces it). */
export function defaultFailedPath(file: string): string {
  const name = basename(file)
    .replace(/\.csv$/i, '')
    .replace(/\.failed$/i, '');
  return join(dirname(file), `${name}.failed.csv`);
}

const KIND_TITLES: ReadonlyArray<[ProblemKind, string]> = [
  ['missing-routing-profile', 'Missing routing profiles'],
  ['missing-security-profile', 'Missing security profiles'],
  ['missing-hierarchy-group', 'Missing hierarchy groups'],
  ['invalid-phone', 'Invalid phone settings'],
  ['invalid', 'Other problems'],
];

/** Lines listed per missing name before the rest are counted. */
const LINES_SHOWN = 10;

/** `line 3`, `lines 2, 4, 5`, or the first ten and `and 12 more`. */
function linesText(at: readonly number[]): string {
  const shown = at.slice(0, LINES_SHOWN).join(', ');
  const more = at.length > LINES_SHOWN ? ` and ${at.length - LINES_SHOWN} more` : '';
  return `line${at.length > 1 ? 's' : ''} ${shown}${more}`;
}

const rowLabel = (p: { raw: { line: number }; login: string }) =>
  `line ${p.raw.line} ${p.login || '(no login)'}`;

/** The dry run's listing: counts, then each missing name with its lines, then invalid rows. */
export function dryRunText(plan: ImportPlan, file: string, instanceId: string): string {
  const count = (action: PlannedRow['action']) => plan.rows.filter((r) => r.action === action).length;
  const lines = [
    `Dry run of ${file} against ${instanceId} (nothing written): ${plan.rows.length} row(s): ${count('create')} would be created, ${count('skip')} skipped (user login exists), ${count('fail')} would fail`,
  ];
  const failing = plan.rows.filter((r) => r.action === 'fail');
  for (const [kind, title] of KIND_TITLES) {
    const hits = failing.flatMap((r) => r.problems.filter((p) => p.kind === kind).map((p) => ({ r, p })));
    if (!hits.length) continue;
    lines.push(`${title}:`);
    if (kind.startsWith('missing-')) {
      const byName = new Map<string, number[]>();
      for (const { r, p } of hits)
        byName.set(p.name ?? '', [...(byName.get(p.name ?? '') ?? []), r.raw.line]);
      for (const [name, at] of byName) lines.push(`  ${name} (${linesText(at)})`);
    } else for (const { r, p } of hits) lines.push(`  ${rowLabel(r)}: ${p.message}`);
  }
  if (plan.ignoredPasswords)
    lines.push(`${plan.ignoredPasswords} row(s) have a password: it is ignored, new users get a random one.`);
  return `${lines.join('\n')}\n`;
}

/** The import's summary: counts, who needs a password reset, what was skipped and what failed. */
export function importSummary(report: ImportReport, failedFile: string | undefined): string {
  const lines = [
    `${report.created.length} created, ${report.skipped.length} skipped, ${report.failed.length} failed`,
  ];
  if (report.needsPasswordReset.length)
    lines.push(
      `Needs password reset (${report.needsPasswordReset.length}, created with a random password nobody knows): ${report.needsPasswordReset.join(', ')}`,
    );
  if (report.skipped.length) {
    lines.push('Skipped:');
    for (const s of report.skipped) lines.push(`  line ${s.line} ${s.login}: ${s.reason ?? ''}`);
  }
  if (report.failed.length) {
    lines.push('Failed:');
    for (const f of report.failed)
      lines.push(`  line ${f.line} ${f.login || '(no login)'}: ${f.reason ?? ''}`);
  }
  if (report.ignoredPasswords)
    lines.push(`${report.ignoredPasswords} row(s) had a password: ignored, new users got a random one.`);
  if (failedFile)
    lines.push(`Failed rows written to ${failedFile}: fix them, then run again with --file ${failedFile}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `users import`: reads and checks the file, then (unless --dry-run) creates the users in
 * batches, writes the failed rows and prints the summary. Sets `process.exitCode` 1 when a row
 * failed or would fail.
 * @throws CliError (exit 2) for a missing file, an unknown instance or a bad option; UsersCsvError
 *   (exit 2) for a file that is not the layout. Nothing is written in either case.
 */
export async function runUsersImport(options: UsersImportOptions): Promise<void> {
  checkRateFactor(options);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new CliError('--batch-size must be a whole number of at least 1.');
  if (!Number.isFinite(options.pause) || options.pause < 0)
    throw new CliError('--pause must be a number of seconds, 0 or more.');
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${options.file}: ${(error as Error).message}`, EXIT.usage, {
      cause: error,
    });
  }
  const raws = parseUsersCsv(text);
  const { client: connect } = await connectFor(options);
  const directory = await directoryOf(connect, options.instanceId);
  const plan = planImport(raws, directory);
  if (options.dryRun) {
    process.stdout.write(dryRunText(plan, options.file, options.instanceId));
    process.exitCode = exitCodeForFinding(plan.rows.some((r) => r.action === 'fail'));
    return;
  }
  const progress = progressBar(Boolean(options.quiet), 'users created');
  setActivity({
    doing: `importing users from ${options.file} into ${options.instanceId}`,
    leaves:
      'the users created so far stay (they need a password reset); run the same import again: existing logins are skipped',
  });
  let report: ImportReport;
  try {
    report = await importUsers(plan, {
      connect,
      directory,
      batchSize: options.batchSize,
      pauseMs: options.pause * 1000,
      progress: progress.update,
    });
  } finally {
    progress.stop();
    setActivity(undefined);
  }
  const failedFile = report.failed.length
    ? (options.failedOut ?? defaultFailedPath(options.file))
    : undefined;
  if (failedFile) await writeFile(failedFile, failedRowsCsv(report));
  process.stdout.write(
    `Import of ${options.file} into ${options.instanceId}: ${importSummary(report, failedFile)}`,
  );
  process.exitCode = exitCodeForFinding(report.failed.length > 0);
}
