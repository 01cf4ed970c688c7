/**
 * What `connect-vault backup` does (backup-command.ts defines its options): backs up one or more
 * instances (or --all) to S3, a folder or stdout, with progress on stderr and a summary table at
 * the end. Loaded only when the command runs.
 */
import { paginateListInstances } from '@aws-sdk/client-connect';
import cliProgress from 'cli-progress';
import { type BackupProgress, type BackupResult, backupInstance } from '#shared/backup/backup-instance.js';
import { KIND_NAMES, type KindName, parseKinds } from '#shared/kinds/index.js';
import {
  type AwsOptions,
  CliError,
  connectFor,
  EXIT,
  type StoreOptions,
  storeFor,
  table,
} from './context.js';
import { exitCodeForBackups } from './exit-codes.js';
import { onInterrupt, setActivity } from './interrupt.js';
import { formatSize, quietLogger, stderrLogger } from './output.js';

/** The options of `connect-vault backup`, as commander parses them. */
export interface BackupOptions extends AwsOptions, StoreOptions {
  instanceId?: string[];
  all?: boolean;
  kinds?: string;
  rateFactor?: number;
  full?: boolean;
  fullEvery?: number;
  quiet?: boolean;
  /** False with `--no-report`: no `report.html`. Never written with `--stdout`. */
  report?: boolean;
}

/** How often a progress line is written when stderr is not a terminal (a CI log, a file). */
const LOG_EVERY_MS = 5000;

/**
 * Progress on stderr. On a terminal: a bar over the kinds (done/total, ETA) and a line per kind with
 * its resources stored. Otherwise: a line per finished kind, and a status line every few seconds.
 * `stop()` gives the terminal its cursor and line wrap back; Ctrl-C calls it too.
 */
function progressReporter(
  quiet: boolean,
  totalKinds: number,
): { onProgress(event: BackupProgress): void; stop(): void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    let finished = 0;
    let lastLine = Date.now();
    return {
      onProgress: (event) => {
        if (event.type === 'kind-finished') {
          finished += 1;
          process.stderr.write(`  ${event.kind}: ${event.stored} stored (${finished}/${totalKinds} kinds)\n`);
          lastLine = Date.now();
        } else if (event.type === 'resource-stored' && Date.now() - lastLine >= LOG_EVERY_MS) {
          process.stderr.write(
            `  ${event.kind}: ${event.stored} stored so far (${finished}/${totalKinds} kinds)\n`,
          );
          lastLine = Date.now();
        }
      },
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { format: '  {kind} {value} stored', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const overall = bars.create(
    totalKinds,
    0,
    { kind: 'kinds'.padEnd(26) },
    { format: '  {kind} {bar} {value}/{total}  ETA {eta_formatted}' },
  );
  const byKind = new Map<KindName, cliProgress.SingleBar>();
  const stop = () => bars.stop();
  const unregister = onInterrupt(stop);
  return {
    onProgress: (event) => {
      let bar = byKind.get(event.kind);
      if (!bar) {
        bar = bars.create(0, 0, { kind: event.kind.padEnd(26) });
        byKind.set(event.kind, bar);
      }
      if (event.type !== 'kind-started') bar.update(event.stored);
      if (event.type === 'kind-finished') overall.increment();
    },
    stop: () => {
      unregister();
      stop();
    },
  };
}

function summary(results: BackupResult[], failures: Array<{ instanceId: string; message: string }>): string {
  const lines: string[] = [];
  for (const r of results) {
    const calls = Object.values(r.apiCalls).reduce((a, b) => a + b, 0);
    lines.push(
      '',
      `Snapshot ${r.snapshotId} of ${r.instance.alias || r.instance.id} (${r.instance.id})`,
      `  at ${r.location}`,
      table([
        ['kind', 'resources'],
        ...Object.entries(r.counts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([kind, n]) => [kind, n]),
      ])
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
      `  objects ${r.objects} (${formatSize(r.bytes)}), Connect API calls ${calls}, throttled ${r.throttles}, ${(r.durationMs / 1000).toFixed(1)} s`,
    );
    if (r.kinds.carriedForward.length) {
      const byKind = Object.values(r.kinds.byKind ?? {});
      const read = byKind.reduce((n, k) => n + k.read, 0);
      const carried = byKind.reduce((n, k) => n + k.carriedForward, 0);
      lines.push(
        `  incremental from ${r.kinds.basedOn}: ${read} read, ${carried} carried forward (${r.kinds.carriedForward.join(', ')} checked for changes)`,
      );
    }
    if (r.warnings.length) lines.push(`  warnings: ${r.warnings.length} (see the manifest)`);
    if (r.report?.problem) lines.push(`  report.html not written: ${r.report.problem}`);
    else if (r.report) lines.push(`  report: ${r.report.key}`);
  }
  for (const f of failures) lines.push('', `FAILED ${f.instanceId}: ${f.message}`);
  lines.push('', `${results.length} succeeded, ${failures.length} failed`);
  return lines.join('\n');
}

/**
 * Runs `connect-vault backup`: each instance in turn, then the summary; sets `process.exitCode`
 * (see exit-codes.ts). Connect: ListInstances (for --all), then what each kind reads.
 * @throws CliError on bad usage (exit 2).
 */
export async function runBackup(options: BackupOptions): Promise<void> {
  if (Boolean(options.instanceId?.length) === Boolean(options.all)) {
    throw new CliError('Give either --instance-id ID ... or --all.');
  }
  let kinds: KindName[] | undefined;
  try {
    kinds = options.kinds ? parseKinds(options.kinds.split(',').map((k) => k.trim())) : undefined;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!Number.isFinite(options.rateFactor) || (options.rateFactor ?? 1) <= 0) {
    throw new CliError('--rate-factor must be a positive number.');
  }
  if (!Number.isFinite(options.fullEvery) || (options.fullEvery ?? 7) <= 0) {
    throw new CliError('--full-every must be a positive number of days.');
  }
  const { store, prefix } = await storeFor(options);
  const { client: connect, stats } = await connectFor(options);

  let instanceIds = options.instanceId ?? [];
  if (options.all) {
    instanceIds = [];
    for await (const page of paginateListInstances({ client: connect }, {})) {
      for (const i of page.InstanceSummaryList ?? []) if (i.Id) instanceIds.push(i.Id);
    }
    if (instanceIds.length === 0)
      throw new CliError('ListInstances found no instance in this account and Region.', EXIT.failed);
  }

  const results: BackupResult[] = [];
  const failures: Array<{ instanceId: string; message: string; error: unknown }> = [];
  for (const instanceId of instanceIds) {
    if (!options.quiet) process.stderr.write(`Backing up ${instanceId} to ${store.describe()}\n`);
    const progress = progressReporter(Boolean(options.quiet), kinds?.length ?? KIND_NAMES.length);
    setActivity({
      doing: `backing up ${instanceId} to ${store.describe()}`,
      leaves:
        'the snapshot in progress has no manifest, so it does not count: snapshots lists it as incomplete, and restore and verify never use it',
    });
    try {
      results.push(
        await backupInstance(
          {
            instanceId,
            kinds,
            prefix,
            full: Boolean(options.full),
            fullReadIntervalMs: (options.fullEvery ?? 7) * 24 * 3600 * 1000,
            // A page in an NDJSON stream helps nobody: `connect-vault report` makes it from a store.
            report: options.report !== false && !options.stdout,
          },
          {
            connect,
            connectStats: stats,
            store,
            clock: { now: () => new Date() },
            logger: options.quiet ? quietLogger : stderrLogger,
            progress: progress.onProgress,
          },
        ),
      );
    } catch (error) {
      failures.push({ instanceId, message: (error as Error).message, error });
    } finally {
      progress.stop();
    }
  }
  process.stderr.write(`${summary(results, failures)}\n`);
  process.exitCode = exitCodeForBackups(failures.map((f) => f.error));
}
