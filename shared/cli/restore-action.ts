import cliProgress from 'cli-progress';
import { assumedRoleCredentials } from '#shared/aws.js';
import { createConnectClient } from '#shared/connect/client.js';
import { type KindName, parseKinds } from '#shared/kinds/index.js';
import type { RestoreProgress } from '#shared/restore/plan.js';
import { formatSummary } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import { restoreSnapshot } from '#shared/restore/restore-snapshot.js';
import { type AwsOptions, CliError, connectFor, regionOf, sourceFor } from './context.js';
import { exitCodeForRestore } from './exit-codes.js';
import { onInterrupt, setActivity } from './interrupt.js';
import { readMapping } from './mapping-file.js';
import { quietLogger, stderrLogger } from './output.js';

/** The options of `connect-vault restore` and `plan`, as commander parses them. */
export interface RestoreOptions extends AwsOptions {
  from: string;
  sourceInstanceId: string;
  snapshot: string;
  targetInstanceId?: string;
  mode: 'create-missing' | 'overwrite' | 'mirror';
  kinds?: string[];
  names?: string[];
  mapping?: string;
  dryRun?: boolean;
  /** False with --no-safety-snapshot. */
  safetySnapshot?: boolean;
  /** False with --no-verify. */
  verify?: boolean;
  targetRegion?: string;
  targetProfile?: string;
  targetRoleArn?: string;
  externalId?: string;
  targetEndpointUrl?: string;
  report?: 'store' | 'stdout';
  rateFactor: number;
  quiet?: boolean;
}

/** How often a progress line is written when stderr is not a terminal (a CI log, a file). */
const LOG_EVERY_MS = 5000;

/**
 * Progress on stderr: a line per phase; while applying, a bar with done/total and an ETA on a
 * terminal, else a line for each failure and a status line every few seconds. `stop()` gives the
 * terminal its cursor and line wrap back; Ctrl-C calls it too.
 */
function progressReporter(quiet: boolean): { onProgress(event: RestoreProgress): void; stop(): void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = Date.now();
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const stopBar = () => bar?.stop();
  const unregister = onInterrupt(stopBar);
  return {
    onProgress(event) {
      if (event.type === 'snapshot-loaded') write(`  snapshot loaded and verified: ${event.objects} objects`);
      else if (event.type === 'target-read') write(`  target read: ${event.kind} ${event.count}`);
      else if (event.type === 'planned') write(`  planned: ${event.entries} resources`);
      else if (event.type === 'applied') {
        if (process.stderr.isTTY) {
          bar ??= new cliProgress.SingleBar(
            {
              format: '  applying {bar} {value}/{total}  ETA {eta_formatted}  {name}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          if (event.done === 1) bar.start(event.total, 0, { name: '' });
          bar.update(event.done, { name: `${event.kind} ${event.name}`.slice(0, 50) });
        } else if (event.outcome === 'failed') {
          write(`  FAILED ${event.kind} "${event.name}"`);
        } else if (event.done === event.total || Date.now() - lastLine >= LOG_EVERY_MS) {
          write(`  applied ${event.done}/${event.total}`);
          lastLine = Date.now();
        }
      }
    },
    stop: () => {
      unregister();
      stopBar();
    },
  };
}

function listOption(values: string[] | undefined): string[] | undefined {
  // Given but empty (`--kinds ,`, `--names ''`) stays an empty list, which the request refuses:
  // an empty filter must not widen to everything.
  return values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Runs `connect-vault restore` (or `plan`): loads and verifies the snapshot, plans, and (not for a
 * plan or --dry-run) applies; prints the summary and sets `process.exitCode` (see exit-codes.ts).
 * Connect: what restoreSnapshot reads and writes in the target instance.
 * @throws CliError or RestoreInputError (exit 2) on bad usage or input, before anything is written.
 */
export async function runRestore(name: 'restore' | 'plan', options: RestoreOptions): Promise<void> {
  const plan = name === 'plan';
  if (!Number.isFinite(options.rateFactor) || options.rateFactor <= 0) {
    throw new CliError('--rate-factor must be a positive number.');
  }
  if (options.externalId !== undefined && options.targetRoleArn === undefined) {
    throw new CliError('--external-id is for the role --target-role-arn names: give both, or neither.');
  }
  let kinds: KindName[] | undefined;
  try {
    const listed = listOption(options.kinds);
    kinds = listed ? parseKinds(listed) : undefined;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const dryRun = plan || Boolean(options.dryRun);
  const mappings = options.mapping ? await readMapping(options.mapping) : {};
  const { store, prefix } = await sourceFor(options.from, options);
  const s3 = /^s3:\/\/([^/]+)/.exec(options.from)?.[1];
  const names = listOption(options.names);
  const request: RestoreRequestInput = {
    source: {
      ...(s3 ? { bucket: s3, prefix } : { folder: options.from }),
      instanceId: options.sourceInstanceId,
      snapshot: options.snapshot,
    },
    target: {
      ...(options.targetInstanceId ? { instanceId: options.targetInstanceId } : {}),
      ...(options.targetRoleArn ? { roleArn: options.targetRoleArn } : {}),
      ...(options.externalId ? { externalId: options.externalId } : {}),
    },
    filters: { ...(kinds ? { kinds } : {}), ...(names ? { names } : {}) },
    mode: options.mode,
    mappings,
    dryRun,
    safetySnapshot: options.safetySnapshot !== false,
    verify: options.verify !== false,
  };
  const source = await connectFor(options);
  const targetRegion =
    options.targetRegion ??
    (options.targetProfile
      ? await regionOf({}, options.targetProfile)
      : await regionOf(options, options.profile));
  const signer = options.targetProfile ?? options.profile;
  const target = createConnectClient({
    region: targetRegion,
    endpoint: options.targetEndpointUrl ?? options.endpointUrl,
    rateFactor: options.rateFactor,
    // With a role: its temporary credentials, from an AssumeRole that the target profile (else the
    // source profile, else the default chain) signs, in the target Region.
    ...(options.targetRoleArn
      ? {
          credentials: assumedRoleCredentials(
            { roleArn: options.targetRoleArn, externalId: options.externalId },
            { region: targetRegion, profile: signer, sessionName: 'connect-vault-restore-cli' },
          ),
        }
      : { profile: signer }),
  });
  const reportTo = options.report ?? (dryRun ? 'stdout' : 'store');
  const progress = progressReporter(Boolean(options.quiet));
  setActivity(
    dryRun
      ? { doing: 'planning a restore', leaves: 'nothing was written' }
      : {
          doing: `restoring into ${options.targetInstanceId ?? options.sourceInstanceId}`,
          leaves:
            'the restore is incomplete and wrote no report; what it already wrote to Connect stays, and connect-vault plan shows what is left',
        },
  );
  if (!options.quiet) {
    process.stderr.write(
      `${dryRun ? 'Planning' : 'Restoring'} ${options.snapshot} of ${options.sourceInstanceId} from ${store.describe()} into ${options.targetInstanceId ?? options.sourceInstanceId}\n`,
    );
  }
  let report: Awaited<ReturnType<typeof restoreSnapshot>>;
  try {
    report = await restoreSnapshot(request, {
      source: store,
      targetConnect: target.client,
      targetStats: target.stats,
      sourceConnect: source.client,
      ...(reportTo === 'store' ? { reportStore: store } : {}),
      safetyStore: store,
      clock: { now: () => new Date() },
      logger: options.quiet ? quietLogger : stderrLogger,
      progress: progress.onProgress,
    });
  } finally {
    progress.stop();
  }
  if (reportTo === 'stdout') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`\n${formatSummary(report)}\n`);
  process.exitCode = exitCodeForRestore(report);
}
