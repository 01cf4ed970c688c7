/**
 * `npm run bench`: how fast and how cheaply connect-vault backs up a large instance, against the
 * Connect emulator at Connect's default per-operation quotas. A script that prints figures, not a test.
 *
 * The emulator serves the `large` seed at Connect's default per-instance quotas (5,000 users, 100
 * flows, 200 modules, 50 queues, 100 routing profiles, 100 hours, 100 quick connects, 500 prompts,
 * 100 security profiles, 500 hierarchy groups) and throttles every operation with Connect's default
 * rate and burst, sped up by a time factor (`--factor`, 10 by default); the product's limiter is
 * sped up by the same factor. It measures, each in a fresh child process (the emulator and s3rver
 * stay in this one, so the memory figure is the backup's alone):
 *
 * 1. a full backup to S3 (s3rver);
 * 2. an incremental backup after 1% of the users and 5% of the flows changed, at factor 1 (real
 *    quotas: it is bound by its S3 copies, which a time factor cannot speed up);
 * 3. a baseline that reads the way the common tools do: List, then Describe each item (plus the
 *    association lists), one call at a time, through the same rate-limited client
 *    (`tests/support/connect-truth.ts`; it stores nothing);
 * 4. the full backup again with the emulator's quotas 30% below the rates the limiter assumes;
 * 5. the full backup again under sustained faults on every operation: 30% of calls throttled, 5%
 *    answered 500, 2% with the connection dropped (issue 14: it must complete).
 *
 * 6. many instances, many accounts (issue 12 §4): three instances of a fifth of the reference size
 *    in one account and Region and one in another, scheduled together through the backup queue
 *    (`scheduleBackups`, then an in-process model of SQS FIFO message groups and Lambda's event
 *    source mapping, `tests/support/fifo-queue.ts`: SQS is not available here), in this process,
 *    against an emulator of their own that throttles per account and Region; then the same four
 *    all at once without the queue, for comparison.
 *
 * 7. restore at scale (issue 10 §2), against an emulator of its own (it also reads prompt audio
 *    from s3rver): an instance seeded with `seedLarge` at a fifth of the reference size (the
 *    `FIFTH` counts; a fifth because CreateUser's quota of 2 a second makes the full 5,000 users
 *    about 2,500 s of real time, and restore has no continuation yet) is backed up to S3, then
 *    restored, each restore in a fresh child process, into fresh, empty instances (a new
 *    instance's defaults, 5 claimed numbers) in another account and Region, with the accounts and
 *    Regions mapped and every source number mapped to a target number, `verify: false` and no
 *    safety snapshot: (a) into the first target with the default concurrency
 *    (`DEFAULT_CONCURRENCY`); (b) into the second one resource at a time (`concurrency: 1`); (c)
 *    in mode overwrite into the first target, from a snapshot taken after 1% of the users and 5%
 *    of the flows changed in the source. The restore's client is rate-limited at Connect's
 *    default quotas sped up by the time factor, like the backups'; the emulator throttles by the
 *    same factor. It prints each restore's write calls (operations other than Describe, List,
 *    Search and Get), its quota-bound lower bound (per write operation, accepted calls ÷ rate;
 *    the largest), its time at real quotas, their ratio, its status and peak RSS.
 *
 * For each it prints Connect calls (per operation below), the quota-bound lower bound (per
 * operation, accepted calls ÷ rate; the largest), the measured time scaled back to real quotas
 * (× factor), their ratio, S3 requests and the peak RSS (each child runs with V8's old space
 * capped at 128 MB, so that garbage is collected as a small function's would be). It exits 1 when
 * a target of issue 5 (or issue 12 §4, issue 10 §2) is missed, naming it.
 *
 * Usage: `npm run bench [-- --factor 10] [-- --only accounts|restore]` (`--only accounts`: run 6
 * alone; `--only restore`: run 7 alone)
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#shared/aws.js';
import { backupInstance } from '#shared/backup/backup-instance.js';
import type { BackupQueuePort } from '#shared/backup/backup-queue.js';
import { scheduleBackups } from '#shared/backup/schedule-backups.js';
import { createConnectClient } from '#shared/connect/client.js';
import { defaultQuota } from '#shared/connect/quotas.js';
import { DEFAULT_CONCURRENCY } from '#shared/restore/apply.js';
import { restoreSnapshot } from '#shared/restore/restore-snapshot.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { dispatch } from '../tests/emulator/dispatcher.js';
import { startConnectEmulator } from '../tests/emulator/index.js';
import { DEFAULT_LARGE_COUNTS, type LargeSeedCounts, seedLarge } from '../tests/emulator/seeds/large.js';
import { seedNewInstanceDefaults } from '../tests/emulator/seeds/new-instance.js';
import { claimPhoneNumber } from '../tests/emulator/seeds/phone-numbers.js';
import { createInstance, describeSeeded, type SeededInstance } from '../tests/emulator/seeds/support.js';
import { describeEverything } from '../tests/support/connect-truth.js';
import { drainWithLambda, FifoQueue, ModelClock } from '../tests/support/fifo-queue.js';
import { startS3rver } from '../tests/support/s3rver.js';

const BUCKET = 'connect-vault-bench';
const PREFIX = 'bench';
const REGION = 'us-east-1';
const MB = 1024 * 1024;
/** V8 old-space cap of the child processes, in MB. */
const CHILD_HEAP_MB = 128;

/** Issue 14's fault mix, on every operation, each rule drawn on its own (about 35% of calls hit). */
const SUSTAINED_FAULTS = [
  { operation: '*', kind: 'throttle' as const, probability: 0.3 },
  { operation: '*', kind: 'internal-error' as const, probability: 0.05 },
  { operation: '*', kind: 'drop-connection' as const, probability: 0.02 },
];

const TARGETS = {
  accountsThrottledShare: 0.01,
  accountsGroupToBounds: 1.15,
  fullToBound: 1.2,
  baselineToFull: 1.5,
  incrementalCallShare: 0.05,
  baselineToIncremental: 30,
  peakMemoryMb: 256,
  restoreFullToBound: 1.25,
  restoreOneAtATimeToFull: 1.3,
  restoreOverwriteWriteShare: 0.05,
  restorePeakMemoryMb: 256,
};

/** What a child process is asked to do. */
interface Job {
  mode: 'backup' | 'baseline' | 'restore';
  full: boolean;
  factor: number;
  connectEndpoint: string;
  /** The credentials of the instance the client calls (for a restore: the target's). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  s3Endpoint: string;
  /** The instance backed up or read; for a restore, the snapshot's source instance. */
  instanceId: string;
  /** The Region of the client (default us-east-1; for a restore, the target's). */
  region?: string;
  restore?: RestoreJob;
}

/** What a restore child restores, and how. */
interface RestoreJob {
  snapshotId: string;
  targetInstanceId: string;
  mode: 'create-missing' | 'overwrite';
  concurrency: number;
  accounts: Record<string, string>;
  regions: Record<string, string>;
  phoneNumbers: Record<string, string>;
}

/** What a child process reports. */
interface Measured {
  status: string;
  seconds: number;
  calls: Record<string, number>;
  throttles: Record<string, number>;
  s3: Record<string, number>;
  peakMb: number;
  carriedForward?: number;
  /** The snapshot a backup wrote. */
  snapshotId?: string;
  /** A restore's failed or blocked entries and unresolved references, the first few. */
  errors?: string[];
  /** A restore's Connect operations: seconds since the start of the first call's start and the last one's end. */
  spans?: Record<string, [number, number]>;
  /** Seconds since the start when a restore's plan was ready (its first write could start). */
  plannedAt?: number;
}

// ---------------------------------------------------------------------------------------------
// The child: one backup (or the baseline) with counted Connect and S3 clients.
// ---------------------------------------------------------------------------------------------

function countedS3(endpoint: string): { client: S3Client; requests: Record<string, number> } {
  const client = createS3Client({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const requests: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      requests[name] = (requests[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchS3Count' },
  );
  return { client, requests };
}

async function runJob(job: Job): Promise<Measured> {
  const connect = createConnectClient({
    region: job.region ?? REGION,
    endpoint: job.connectEndpoint,
    credentials: job.credentials,
    // The emulator runs Connect's rates `factor` times faster; so may the limiter.
    rateFactor: job.factor,
  });
  const s3 = countedS3(job.s3Endpoint);
  const started = performance.now();
  let status = 'complete';
  let carriedForward: number | undefined;
  let snapshotId: string | undefined;
  let errors: string[] | undefined;
  let spans: Record<string, [number, number]> | undefined;
  let plannedAt: number | undefined;
  if (job.mode === 'baseline') {
    await describeEverything(connect.client, job.instanceId);
  } else if (job.mode === 'restore') {
    const r = job.restore;
    if (!r) throw new Error('a restore job without its restore');
    // When each operation ran: where a restore's time goes.
    spans = {};
    const recorded = spans;
    connect.client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const at = (performance.now() - started) / 1000;
        const span = recorded[name] ?? [at, at];
        recorded[name] = span;
        try {
          return await next(args);
        } finally {
          span[1] = (performance.now() - started) / 1000;
        }
      },
      { step: 'initialize', name: 'benchSpans' },
    );
    const report = await restoreSnapshot(
      {
        source: { bucket: BUCKET, prefix: PREFIX, instanceId: job.instanceId, snapshot: r.snapshotId },
        target: { instanceId: r.targetInstanceId },
        mode: r.mode,
        mappings: { accounts: r.accounts, regions: r.regions, phoneNumbers: r.phoneNumbers },
        verify: false,
        safetySnapshot: false,
      },
      {
        source: new S3SnapshotStore({ client: s3.client, bucket: BUCKET }),
        targetConnect: connect.client,
        targetStats: connect.stats,
        concurrency: r.concurrency,
        progress: (event) => {
          if (event.type === 'planned') plannedAt = (performance.now() - started) / 1000;
        },
        clock: { now: () => new Date() },
        logger: { info: () => {}, warn: () => {} },
      },
    );
    status = report.status;
    errors = [
      ...report.entries
        .filter((e) => e.blocked || e.outcome === 'failed')
        .map((e) => `${e.kind} "${e.name}": ${e.outcome ?? e.action} — ${e.error ?? e.reason}`),
      ...report.unresolved.map((u) => `unresolved: ${JSON.stringify(u)}`),
    ].slice(0, 5);
  } else {
    const result = await backupInstance(
      { instanceId: job.instanceId, prefix: PREFIX, full: job.full },
      {
        connect: connect.client,
        connectStats: connect.stats,
        store: new S3SnapshotStore({ client: s3.client, bucket: BUCKET }),
        clock: { now: () => new Date() },
        logger: { info: () => {}, warn: () => {} },
      },
    );
    status = result.status;
    snapshotId = result.snapshotId;
    carriedForward = Object.values(result.kinds.byKind ?? {}).reduce((n, k) => n + k.carriedForward, 0);
  }
  return {
    status,
    seconds: (performance.now() - started) / 1000,
    calls: connect.stats.calls,
    throttles: connect.stats.throttles,
    s3: s3.requests,
    peakMb: (process.resourceUsage().maxRSS * 1024) / MB,
    ...(carriedForward === undefined ? {} : { carriedForward }),
    ...(snapshotId === undefined ? {} : { snapshotId }),
    ...(errors === undefined ? {} : { errors }),
    ...(spans === undefined ? {} : { spans }),
    ...(plannedAt === undefined ? {} : { plannedAt }),
  };
}

/** Runs a job in a fresh child process (this script, under the same loader) and returns its figures. */
function inChild(job: Job): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(job)], {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // V8 otherwise lets its heap grow lazily towards the machine's memory; capped, it collects as
      // a 256 MB function would have to, and the peak RSS shows what the backup really needs.
      execArgv: [...process.execArgv, `--max-old-space-size=${CHILD_HEAP_MB}`],
    });
    let measured: Measured | undefined;
    child.on('message', (message) => {
      measured = message as Measured;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && measured) resolve(measured);
      else reject(new Error(`the ${job.mode} child process exited with ${code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The parent: emulator, s3rver, the four runs, the table, the targets.
// ---------------------------------------------------------------------------------------------

interface Row {
  label: string;
  factor: number;
  quotaFactor: number;
  measured: Measured;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The quota-bound lower bound, in seconds at real quotas: for each API accepted calls ÷ rate; the largest. */
function lowerBound(row: Row): { seconds: number; operation: string } {
  let bound = { seconds: 0, operation: '' };
  for (const [operation, calls] of Object.entries(row.measured.calls)) {
    const accepted = calls - (row.measured.throttles[operation] ?? 0);
    const seconds = accepted / (defaultQuota(operation).rate * row.quotaFactor);
    if (seconds > bound.seconds) bound = { seconds, operation };
  }
  return bound;
}

/** Measured wall time scaled back to real quotas. */
const realSeconds = (row: Row) => row.measured.seconds * row.factor;

function table(
  rows: ReadonlyArray<ReadonlyArray<string>>,
  rightAligned: (column: number) => boolean,
): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => (rightAligned(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Changes 1% of the users (identity) and 5% of the flows (content), through the emulator's API. */
async function changeSome(
  emulator: Awaited<ReturnType<typeof startConnectEmulator>>,
  instanceId: string,
): Promise<{ users: number; flows: number }> {
  const state = emulator.world.instances.get(instanceId);
  if (!state) throw new Error('the large instance is gone');
  const call = (operation: string, input: Record<string, unknown>) =>
    dispatch(emulator.world, state.accountId, state.region, operation, { InstanceId: instanceId, ...input });
  const users = state.users.all().slice(1);
  const changedUsers = users.filter((_, i) => i % 100 === 0);
  for (const user of changedUsers) {
    await call('UpdateUserIdentityInfo', {
      UserId: user.id,
      IdentityInfo: {
        ...user.entity.IdentityInfo,
        FirstName: `${user.entity.IdentityInfo?.FirstName ?? ''}-renamed`,
      },
    });
  }
  const flows = state.flows
    .all()
    .filter((f) => f.entity.Type === 'CONTACT_FLOW' && f.entity.Status === 'PUBLISHED');
  const changedFlows = flows.slice(0, Math.round(state.flows.size * 0.05));
  for (const flow of changedFlows) {
    const content = JSON.stringify({
      Version: '2019-10-30',
      StartAction: 'closed',
      Metadata: { changedBy: 'bench' },
      Actions: [{ Identifier: 'closed', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }],
    });
    await call('UpdateContactFlowContent', { ContactFlowId: flow.id, Content: content });
  }
  return { users: changedUsers.length, flows: changedFlows.length };
}

// ---------------------------------------------------------------------------------------------
// Many instances, many accounts: the backup queue's message groups against per-account quotas.
// ---------------------------------------------------------------------------------------------

const ACCOUNT_A = '111122223333';
const ACCOUNT_B = '444455556666';

/** A fifth of the reference instance, each count rounded, never below a new instance's. */
const FIFTH: LargeSeedCounts = Object.fromEntries(
  Object.entries(DEFAULT_LARGE_COUNTS).map(([k, v]) => [k, Math.round(v / 5)]),
) as unknown as LargeSeedCounts;

interface InstanceRun {
  instance: SeededInstance;
  /** Seconds since the run started, at real quotas (× factor). */
  start: number;
  finish: number;
  measured: Measured;
}

/** The quota-bound lower bound of one backup, at real quotas (accepted calls ÷ rate; the largest). */
const boundOf = (measured: Measured) =>
  lowerBound({ label: '', factor: 1, quotaFactor: 1, measured }).seconds;

interface AccountsResult {
  factor: number;
  queued: InstanceRun[];
  unqueued: InstanceRun[];
}

/**
 * Run 6: four instances (three in account A, one in account B, all in us-east-1), scheduled
 * together: `scheduleBackups` queues them (group `<account>/<region>`), the FIFO model delivers one
 * message per group at a time, each backup runs here with its own client and limiter. Then the
 * four at once without the queue.
 */
async function accountsBench(
  factor: number,
  s3Endpoint: string,
  log: (line: string) => void,
): Promise<AccountsResult> {
  const emulator = await startConnectEmulator({
    throttle: { timeScale: factor },
    seed: async (env) => {
      const seeded: SeededInstance[] = [];
      const places = [
        { alias: 'a-1', accountId: ACCOUNT_A, accessKeyId: 'AKIABENCHACCOUNTA001' },
        { alias: 'a-2', accountId: ACCOUNT_A, accessKeyId: 'AKIABENCHACCOUNTA001' },
        { alias: 'a-3', accountId: ACCOUNT_A, accessKeyId: 'AKIABENCHACCOUNTA001' },
        { alias: 'b-1', accountId: ACCOUNT_B, accessKeyId: 'AKIABENCHACCOUNTB001' },
      ];
      for (const [n, place] of places.entries())
        seeded.push(await seedLarge(env, FIFTH, { ...place, region: REGION, phoneNumberOffset: 10 * n }));
      return seeded;
    },
  });
  const byId = new Map(emulator.instances.map((i) => [i.id, i]));
  const job = (instance: SeededInstance): Job => ({
    mode: 'backup',
    full: true,
    factor,
    connectEndpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    s3Endpoint,
    instanceId: instance.id,
  });
  const clientOf = (accountId: string) =>
    createConnectClient({
      region: REGION,
      endpoint: emulator.endpoint,
      credentials: emulator.credentials(accountId),
      rateLimit: false,
    }).client;
  try {
    // Through the queue.
    const clock = new ModelClock();
    const queue = new FifoQueue({
      name: 'connect-vault-bench-backups.fifo',
      visibilityTimeoutSeconds: 5400,
      clock,
    });
    const port: BackupQueuePort = {
      async send(messages) {
        for (const m of messages)
          queue.send({ body: m.body, groupId: m.groupId, deduplicationId: m.deduplicationId });
        return { failed: [] };
      },
    };
    const aIds = emulator.instances.filter((i) => i.accountId === ACCOUNT_A).map((i) => i.id);
    await scheduleBackups(
      { instanceIds: aIds, full: true },
      {
        connect: clientOf(ACCOUNT_A),
        queue: port,
        accountId: ACCOUNT_A,
        region: REGION,
        members: { accounts: async () => [ACCOUNT_B], connectFor: clientOf },
        clock: { now: () => new Date() },
        logger: { info: () => {}, warn: () => {} },
      },
    );
    emulator.throttler.reset();
    log(`running: ${queue.messages.length} backups through the queue (time factor ${factor})`);
    const queued: InstanceRun[] = [];
    const started = performance.now();
    const elapsed = () => ((performance.now() - started) / 1000) * factor;
    await drainWithLambda(queue, async (event) => {
      const detail = JSON.parse(event.Records[0]?.body ?? '{}').detail as { instanceId: string };
      const instance = byId.get(detail.instanceId) as SeededInstance;
      const start = elapsed();
      const measured = await runJob(job(instance));
      queued.push({ instance, start, finish: elapsed(), measured });
      log(`  ${instance.alias}: ${start.toFixed(0)} s → ${elapsed().toFixed(0)} s (${measured.status})`);
      return { batchItemFailures: [] };
    });

    // Without the queue: all four at once.
    emulator.throttler.reset();
    log('running: the same four backups at once, without the queue');
    const again = performance.now();
    const unqueued = await Promise.all(
      emulator.instances.map(async (instance) => {
        const measured = await runJob(job(instance));
        return { instance, start: 0, finish: ((performance.now() - again) / 1000) * factor, measured };
      }),
    );
    return { factor, queued, unqueued };
  } finally {
    await emulator.close();
  }
}

/** The report of run 6, and its targets. */
function accountsReport(result: AccountsResult): {
  lines: string[];
  checks: Array<{ ok: boolean; text: string }>;
} {
  const lines: string[] = [];
  const c = FIFTH;
  lines.push(
    `Many instances, many accounts: 3 instances of a fifth of the reference size (${int(c.users)} users, ${c.flows} flows, ${c.flowModules} flow modules, ${c.prompts} prompts, …) in account ${ACCOUNT_A} and 1 in account ${ACCOUNT_B}, all ${REGION}, scheduled together.`,
    `Through the backup queue: scheduleBackups, then an in-process model of SQS FIFO message groups (<account>/<region>) and Lambda's event source mapping (SQS is not available here); each backup in this process with its own limiter; the emulator throttles per account and Region. Times at real quotas (× ${result.factor}).`,
    '',
  );
  const rows = (runs: InstanceRun[]) =>
    [...runs]
      .sort((a, b) => a.start - b.start || a.instance.alias.localeCompare(b.instance.alias))
      .map((r) => [
        r.instance.alias,
        `${r.instance.accountId}/${r.instance.region}`,
        `${r.start.toFixed(1)} s`,
        `${r.finish.toFixed(1)} s`,
        int(total(r.measured.calls)),
        int(total(r.measured.throttles)),
        `${boundOf(r.measured).toFixed(1)} s`,
        r.measured.status,
      ]);
  const header = [
    'instance',
    'message group',
    'start',
    'finish',
    'Connect calls',
    'throttled',
    'lower bound',
    'status',
  ];
  lines.push(
    'through the queue:',
    table([header, ...rows(result.queued)], (i) => i > 1 && i < 7),
    '',
  );
  lines.push(
    'without the queue (all four at once, for comparison):',
    table([header, ...rows(result.unqueued)], (i) => i > 1 && i < 7),
    '',
  );

  const share = (runs: InstanceRun[]) =>
    runs.reduce((n, r) => n + total(r.measured.throttles), 0) /
    Math.max(
      1,
      runs.reduce((n, r) => n + total(r.measured.calls), 0),
    );
  const same = result.queued.filter((r) => r.instance.accountId === ACCOUNT_A);
  const other = result.queued.find((r) => r.instance.accountId === ACCOUNT_B);
  const groupTime = Math.max(...same.map((r) => r.finish)) - Math.min(...same.map((r) => r.start));
  const bounds = same.reduce((n, r) => n + boundOf(r.measured), 0);
  const groupFinish = Math.max(...same.map((r) => r.finish));
  const checks = [
    {
      ok: share(result.queued) < TARGETS.accountsThrottledShare,
      text: `many accounts: throttled calls under ${TARGETS.accountsThrottledShare * 100}% of all calls: ${(share(result.queued) * 100).toFixed(2)}% (${int(result.queued.reduce((n, r) => n + total(r.measured.throttles), 0))} of ${int(result.queued.reduce((n, r) => n + total(r.measured.calls), 0))}; without the queue ${(share(result.unqueued) * 100).toFixed(2)}%)`,
    },
    {
      ok: groupTime / bounds <= TARGETS.accountsGroupToBounds,
      text: `many accounts: the 3 same-account backups within ${TARGETS.accountsGroupToBounds}× the sum of their quota bounds: ${groupTime.toFixed(1)} s for ${bounds.toFixed(1)} s, ${(groupTime / bounds).toFixed(2)}×`,
    },
    {
      ok:
        other !== undefined &&
        other.finish <= groupFinish &&
        other.start < Math.min(...same.map((r) => r.finish)),
      text: `many accounts: the other account's backup runs beside them, not after: it ran ${other?.start.toFixed(1)} s → ${other?.finish.toFixed(1)} s, the same-account group ${Math.min(...same.map((r) => r.start)).toFixed(1)} s → ${groupFinish.toFixed(1)} s`,
    },
    {
      ok: [...result.queued, ...result.unqueued].every((r) => r.measured.status === 'complete'),
      text: `many accounts: every backup complete (${[...result.queued, ...result.unqueued].map((r) => r.measured.status).join(', ')})`,
    },
  ];
  return { lines, checks };
}

// ---------------------------------------------------------------------------------------------
// Restore at scale (issue 10 §2): a fifth of the reference instance into empty instances elsewhere.
// ---------------------------------------------------------------------------------------------

const RESTORE_SOURCE = {
  alias: 'restore-source',
  accountId: ACCOUNT_A,
  region: REGION,
  accessKeyId: 'AKIABENCHRESTORESRC1',
};
const RESTORE_TARGET_REGION = 'eu-west-2';
const RESTORE_TARGETS = ['restore-target-1', 'restore-target-2'].map((alias) => ({
  alias,
  accountId: ACCOUNT_B,
  region: RESTORE_TARGET_REGION,
  accessKeyId: 'AKIABENCHRESTORETGT1',
}));

/** A write: an operation that is not a read (Describe, List, Search, Get). */
const isWrite = (operation: string) => !/^(Describe|List|Search|Get)/.test(operation);
const writesOf = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([op]) => isWrite(op)));

/** A restore's quota-bound lower bound at real quotas: per write operation, accepted calls ÷ rate; the largest. */
function writeBound(measured: Measured): { seconds: number; operation: string } {
  let bound = { seconds: 0, operation: '' };
  for (const [operation, calls] of Object.entries(writesOf(measured.calls))) {
    const seconds = (calls - (measured.throttles[operation] ?? 0)) / defaultQuota(operation).rate;
    if (seconds > bound.seconds) bound = { seconds, operation };
  }
  return bound;
}

interface RestoreRow {
  label: string;
  measured: Measured;
}

interface RestoreResult {
  factor: number;
  backupSeconds: number;
  changed: { users: number; flows: number };
  phoneNumbers: number;
  rows: RestoreRow[];
}

/**
 * Run 7: seeds the source (a fifth of `large`) and two empty targets (a new instance's defaults,
 * with claimed numbers) in another account and Region; backs the source up to S3; restores it into
 * the first target (default concurrency), into the second (one at a time); changes some users and
 * flows, backs up again, and restores that in mode overwrite into the first target.
 */
async function restoreBench(
  factor: number,
  s3Endpoint: string,
  log: (line: string) => void,
): Promise<RestoreResult> {
  const emulator = await startConnectEmulator({
    throttle: { timeScale: factor },
    // CreatePrompt reads the snapshot's audio from s3rver, as Connect reads it from S3.
    promptFiles: {
      s3: { endpoint: s3Endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    },
    seed: async (env) => {
      const source = await seedLarge(env, FIFTH, RESTORE_SOURCE);
      const targets = [];
      for (const [n, place] of RESTORE_TARGETS.entries()) {
        const instance = createInstance(env, place);
        await seedNewInstanceDefaults(env, instance);
        for (let i = 0; i < 5; i++)
          claimPhoneNumber(env, instance, {
            number: `+4420794603${n}${i}`,
            type: 'DID',
            country: 'GB',
          });
        targets.push(describeSeeded(instance, place.accessKeyId));
      }
      return [source, ...targets];
    },
  });
  const [source, first, second] = emulator.instances;
  if (!source || !first || !second) throw new Error('the restore seed made too few instances');
  const numbersOf = (instance: SeededInstance) =>
    [...(emulator.world.instances.get(instance.id)?.phoneNumbers.values() ?? [])].map((p) => p.number).sort();
  const sourceNumbers = numbersOf(source);
  const mappingInto = (target: SeededInstance) => {
    const targetNumbers = numbersOf(target);
    if (targetNumbers.length < sourceNumbers.length) throw new Error('the target has too few numbers');
    return Object.fromEntries(sourceNumbers.map((n, i) => [n, targetNumbers[i] as string]));
  };
  const backupJob = (full: boolean): Job => ({
    mode: 'backup',
    full,
    factor,
    connectEndpoint: emulator.endpoint,
    credentials: emulator.credentials(source.accountId),
    s3Endpoint,
    instanceId: source.id,
  });
  const restoreJob = (
    target: SeededInstance,
    snapshotId: string,
    mode: RestoreJob['mode'],
    concurrency: number,
  ): Job => ({
    mode: 'restore',
    full: false,
    factor,
    connectEndpoint: emulator.endpoint,
    credentials: emulator.credentials(target.accountId),
    region: target.region,
    s3Endpoint,
    instanceId: source.id,
    restore: {
      snapshotId,
      targetInstanceId: target.id,
      mode,
      concurrency,
      accounts: { [source.accountId]: target.accountId },
      regions: { [source.region]: target.region },
      phoneNumbers: mappingInto(target),
    },
  });
  const rows: RestoreRow[] = [];
  const restore = async (label: string, work: Job) => {
    emulator.throttler.reset();
    log(`running: ${label} (time factor ${factor})`);
    const measured = await inChild(work);
    rows.push({ label, measured });
    log(
      `  ${measured.seconds.toFixed(1)} s measured, ${int(total(writesOf(measured.calls)))} write calls, ${measured.status}`,
    );
    emulator.propagation.settle();
  };
  try {
    log(`running: full backup of ${source.alias} (time factor ${factor})`);
    const backup = await inChild(backupJob(true));
    if (backup.status !== 'complete' || !backup.snapshotId)
      throw new Error(`the backup of the restore source is ${backup.status}`);
    const fullSnapshot = backup.snapshotId;
    await restore(
      `full restore, ${DEFAULT_CONCURRENCY} at once`,
      restoreJob(first, fullSnapshot, 'create-missing', DEFAULT_CONCURRENCY),
    );
    await restore('full restore, one at a time', restoreJob(second, fullSnapshot, 'create-missing', 1));
    const changed = await changeSome(emulator, source.id);
    log(`running: backup after ${changed.users} users and ${changed.flows} flows changed`);
    const again = await inChild(backupJob(false));
    if (again.status !== 'complete' || !again.snapshotId)
      throw new Error(`the second backup of the restore source is ${again.status}`);
    await restore(
      `overwrite restore (${changed.users} users, ${changed.flows} flows changed)`,
      restoreJob(first, again.snapshotId, 'overwrite', DEFAULT_CONCURRENCY),
    );
    return {
      factor,
      backupSeconds: backup.seconds * factor,
      changed,
      phoneNumbers: sourceNumbers.length,
      rows,
    };
  } finally {
    await emulator.close();
  }
}

/** The report of run 7, and its targets. */
function restoreReport(result: RestoreResult): {
  lines: string[];
  checks: Array<{ ok: boolean; text: string }>;
} {
  const c = FIFTH;
  const seconds = (row: RestoreRow) => row.measured.seconds * result.factor;
  const lines: string[] = [
    `Restore at scale: a fifth of the reference instance (${int(c.users)} users, ${c.flows} flows, ${c.flowModules} flow modules, ${c.queues} queues, ${c.routingProfiles} routing profiles, ${c.prompts} prompts, …; a fifth because CreateUser's 2/s quota makes 5,000 users about 2,500 s and restore has no continuation yet), backed up to S3 (${result.backupSeconds.toFixed(1)} s), restored from ${ACCOUNT_A}/${REGION} into fresh instances in ${ACCOUNT_B}/${RESTORE_TARGET_REGION} (${result.phoneNumbers} numbers mapped, prompt audio from S3, verify off, no safety snapshot), each restore in a child process.`,
    `Times at real quotas (× ${result.factor}); lower bound: per write operation, accepted calls ÷ its default rate, the largest.`,
    '',
    table(
      [
        [
          'restore',
          'write calls',
          'throttled',
          'lower bound',
          'time',
          'time/bound',
          'planned at',
          'S3 requests',
          'status',
          'peak RSS',
        ],
        ...result.rows.map((row) => {
          const bound = writeBound(row.measured);
          return [
            row.label,
            int(total(writesOf(row.measured.calls))),
            int(total(row.measured.throttles)),
            `${bound.seconds.toFixed(1)} s (${bound.operation})`,
            `${seconds(row).toFixed(1)} s`,
            bound.seconds > 0 ? (seconds(row) / bound.seconds).toFixed(2) : '-',
            `${((row.measured.plannedAt ?? 0) * result.factor).toFixed(1)} s`,
            int(total(row.measured.s3)),
            row.measured.status,
            `${row.measured.peakMb.toFixed(0)} MB`,
          ];
        }),
      ],
      (i) => i > 0 && i !== 8,
    ),
    "planned at: when the plan was ready and the first write could start, × the factor like the rest (the snapshot's S3 reads are not throttled, so this overstates them that many times).",
    '',
  ];
  for (const row of result.rows)
    if (row.measured.status !== 'succeeded')
      lines.push(
        `${row.label}: ${row.measured.status}; first errors:`,
        ...(row.measured.errors ?? []).map((e) => `  ${e}`),
        '',
      );
  const operations = [...new Set(result.rows.flatMap((r) => Object.keys(r.measured.calls)))].sort();
  lines.push(
    'Restore calls per operation (throttled attempts in brackets), with the time each needs at its rate:',
    table(
      [
        [
          'operation',
          'rate/s',
          ...result.rows.map((_, i) => `(${String.fromCharCode(97 + i)})`),
          'bound (a)',
        ],
        ...operations.map((op) => [
          op,
          String(defaultQuota(op).rate),
          ...result.rows.map((r) => {
            const calls = r.measured.calls[op];
            const throttled = r.measured.throttles[op];
            return calls === undefined ? '-' : `${int(calls)}${throttled ? ` (${throttled})` : ''}`;
          }),
          isWrite(op) && result.rows[0]?.measured.calls[op]
            ? `${(((result.rows[0]?.measured.calls[op] ?? 0) - (result.rows[0]?.measured.throttles[op] ?? 0)) / defaultQuota(op).rate).toFixed(1)} s`
            : '',
        ]),
      ],
      (i) => i > 0,
    ),
    '',
  );
  const [full, oneAtATime, overwrite] = result.rows;
  if (!full || !oneAtATime || !overwrite) throw new Error('a restore run is missing');
  lines.push(
    `Where the time of "${full.label}" goes (at real quotas): planned after ${((full.measured.plannedAt ?? 0) * result.factor).toFixed(1)} s (${(full.measured.plannedAt ?? 0).toFixed(1)} s measured); each write operation from its first call to its last answer:`,
    table(
      [
        ['operation', 'calls', 'at its rate', 'from', 'to'],
        ...Object.entries(full.measured.spans ?? {})
          .filter(([op]) => isWrite(op))
          .sort((a, b) => a[1][0] - b[1][0])
          .map(([op, [from, to]]) => [
            op,
            int(full.measured.calls[op] ?? 0),
            `${((full.measured.calls[op] ?? 0) / defaultQuota(op).rate).toFixed(1)} s`,
            `${(from * result.factor).toFixed(1)} s`,
            `${(to * result.factor).toFixed(1)} s`,
          ]),
      ],
      (i) => i > 0,
    ),
    '',
  );
  const fullRatio = seconds(full) / writeBound(full.measured).seconds;
  const speedup = seconds(oneAtATime) / seconds(full);
  const share = total(writesOf(overwrite.measured.calls)) / total(writesOf(full.measured.calls));
  const peak = Math.max(...result.rows.map((r) => r.measured.peakMb));
  const checks = [
    {
      ok: fullRatio <= TARGETS.restoreFullToBound,
      text: `restore: full restore within ${TARGETS.restoreFullToBound}× its quota bound: ${fullRatio.toFixed(2)}× (${seconds(full).toFixed(1)} s for ${writeBound(full.measured).seconds.toFixed(1)} s, ${writeBound(full.measured).operation})`,
    },
    {
      ok: speedup >= TARGETS.restoreOneAtATimeToFull,
      text: `restore: full restore at least ${TARGETS.restoreOneAtATimeToFull}× faster than one at a time: ${speedup.toFixed(2)}× (${seconds(oneAtATime).toFixed(1)} s one at a time)`,
    },
    {
      ok: share <= TARGETS.restoreOverwriteWriteShare,
      text: `restore: the overwrite restore makes at most ${TARGETS.restoreOverwriteWriteShare * 100}% of the full restore's write calls: ${(share * 100).toFixed(1)}% (${int(total(writesOf(overwrite.measured.calls)))} of ${int(total(writesOf(full.measured.calls)))})`,
    },
    {
      ok: peak < TARGETS.restorePeakMemoryMb,
      text: `restore: peak memory of a restore below ${TARGETS.restorePeakMemoryMb} MB: ${peak.toFixed(0)} MB`,
    },
    {
      ok: result.rows.every((r) => r.measured.status === 'succeeded'),
      text: `restore: every restore succeeded (${result.rows.map((r) => r.measured.status).join(', ')})`,
    },
  ];
  return { lines, checks };
}

async function main(): Promise<number> {
  const factorArg = process.argv.indexOf('--factor');
  const factor = factorArg > 0 ? Number(process.argv[factorArg + 1]) : 10;
  if (!Number.isFinite(factor) || factor < 1) {
    process.stderr.write('bench: --factor must be a number of at least 1\n');
    return 2;
  }
  const counts = DEFAULT_LARGE_COUNTS;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const only =
    process.argv.indexOf('--only') > 0 ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'accounts' && only !== 'restore') {
    process.stderr.write('bench: --only takes "accounts" or "restore"\n');
    return 2;
  }
  if (only === 'restore') {
    const s3 = await startS3rver({ buckets: [BUCKET] });
    try {
      const { lines, checks } = restoreReport(await restoreBench(factor, s3.endpoint, log));
      process.stdout.write(
        `${[...lines, 'Targets:', ...checks.map((c) => `  ${c.ok ? 'met   ' : 'MISSED'} ${c.text}`)].join('\n')}\n`,
      );
      const missed = checks.filter((c) => !c.ok);
      if (missed.length) process.stderr.write(`bench: ${missed.length} target(s) missed\n`);
      return missed.length ? 1 : 0;
    } finally {
      await s3.close();
    }
  }
  if (only === 'accounts') {
    const s3 = await startS3rver({ buckets: [BUCKET] });
    try {
      const { lines, checks } = accountsReport(await accountsBench(factor, s3.endpoint, log));
      process.stdout.write(
        `${[...lines, 'Targets:', ...checks.map((c) => `  ${c.ok ? 'met   ' : 'MISSED'} ${c.text}`)].join('\n')}\n`,
      );
      return checks.every((c) => c.ok) ? 0 : 1;
    } finally {
      await s3.close();
    }
  }
  const seeded = performance.now();
  const emulator = await startConnectEmulator({ seed: 'large', throttle: { timeScale: factor } });
  const s3 = await startS3rver({ buckets: [BUCKET] });
  const instance = emulator.instances[0];
  if (!instance) throw new Error('the large seed made no instance');
  log(`seeded the large instance in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  const job = (mode: Job['mode'], full: boolean, jobFactor: number): Job => ({
    mode,
    full,
    factor: jobFactor,
    connectEndpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    s3Endpoint: s3.endpoint,
    instanceId: instance.id,
  });
  const rows: Row[] = [];
  let accounts: AccountsResult | undefined;
  let restores: RestoreResult | undefined;
  let draftChecks = 0;
  let proficiencyChecks = 0;
  try {
    const run = async (label: string, work: Job, quotaFactor = 1) => {
      emulator.throttler.configure({ timeScale: work.factor, quotaFactor });
      log(`running: ${label} (time factor ${work.factor})`);
      const measured = await inChild(work);
      rows.push({ label, factor: work.factor, quotaFactor, measured });
      log(`  ${measured.seconds.toFixed(1)} s measured, ${int(total(measured.calls))} Connect calls`);
      return measured;
    };
    await run('full backup', job('backup', true, factor));
    const changed = await changeSome(emulator, instance.id);
    // Each night the backup reads `<id>:$SAVED` of every published flow and module: no documented
    // signal says a draft was saved, so correctness needs those calls whatever changed.
    const live = emulator.world.instances.get(instance.id);
    draftChecks =
      (live?.flows.all().filter((f) => f.entity.Status === 'PUBLISHED').length ?? 0) +
      (live?.flowModules.all().filter((m) => m.entity.Status === 'PUBLISHED').length ?? 0);
    // And ListUserProficiencies of every user: the list has a LastModifiedTime of its own, and the
    // docs do not say that the user's moves with it.
    proficiencyChecks = live?.users.size ?? 0;
    await run(
      `incremental (${changed.users} users, ${changed.flows} flows changed)`,
      job('backup', false, 1),
    );
    await run('baseline: List + Describe, 1 call at a time', job('baseline', true, factor));
    await run('full backup, quotas 30% below the limiter', job('backup', true, factor), 0.7);
    emulator.faults.set(SUSTAINED_FAULTS);
    try {
      await run('full backup, 30% 429 + 5% 500 + 2% dropped', job('backup', true, factor));
    } finally {
      emulator.faults.set([]);
    }
    accounts = await accountsBench(factor, s3.endpoint, log);
    restores = await restoreBench(factor, s3.endpoint, log);
  } finally {
    await Promise.all([emulator.close(), s3.close()]);
  }
  if (!accounts || !restores) throw new Error('a run is missing');
  return report(rows, counts, draftChecks, proficiencyChecks, accounts, restores);
}

/**
 * The bench's report. `draftChecks`: the `:$SAVED` Describe calls an incremental run makes for
 * correctness (one per published flow and module); `proficiencyChecks`: its ListUserProficiencies
 * calls (one per user); both shown apart from what change signals allow.
 */
function report(
  rows: Row[],
  counts: typeof DEFAULT_LARGE_COUNTS,
  draftChecks: number,
  proficiencyChecks: number,
  accounts: AccountsResult,
  restores: RestoreResult,
): number {
  const [full, incremental, baseline, squeezed, faulty] = rows;
  if (!full || !incremental || !baseline || !squeezed || !faulty) throw new Error('a run is missing');
  const out: string[] = [];
  out.push(
    `connect-vault benchmark: instance "large" (${int(counts.users)} users, ${counts.flows} flows, ${counts.flowModules} flow modules, ${counts.queues} queues, ${counts.routingProfiles} routing profiles, ${counts.hoursOfOperations} hours of operation, ${counts.quickConnects} quick connects, ${counts.prompts} prompts, ${counts.securityProfiles} security profiles, ${counts.hierarchyGroups} user hierarchy groups)`,
    `Connect's default per-operation quotas (rate and burst), sped up by the time factor in the emulator and the backup's limiter; times are scaled back to real quotas (measured × factor).`,
    `Each run is a child process with V8's old space capped at ${CHILD_HEAP_MB} MB; peak RSS is its high-water mark (the emulator and s3rver run in the parent).`,
    '',
  );
  out.push(
    table(
      [
        [
          'run',
          'factor',
          'Connect calls',
          'throttled',
          'lower bound',
          'time',
          'time/bound',
          'S3 requests',
          'peak RSS',
        ],
        ...rows.map((row) => {
          const bound = lowerBound(row);
          return [
            row.label,
            `${row.factor}×`,
            int(total(row.measured.calls)),
            int(total(row.measured.throttles)),
            `${bound.seconds.toFixed(1)} s`,
            `${realSeconds(row).toFixed(1)} s`,
            (realSeconds(row) / bound.seconds).toFixed(2),
            int(total(row.measured.s3)),
            `${row.measured.peakMb.toFixed(0)} MB`,
          ];
        }),
      ],
      (i) => i > 0,
    ),
    '',
    'lower bound: for each API, calls it accepted ÷ its quota rate (× 0.7 in the last run); the largest:',
    ...rows.map((row) => {
      const bound = lowerBound(row);
      return `  ${row.label}: ${bound.operation}`;
    }),
    '',
  );
  const operations = [...new Set(rows.flatMap((r) => Object.keys(r.measured.calls)))].sort();
  out.push(
    'Connect calls per operation (throttled attempts in brackets):',
    table(
      [
        ['operation', 'rate/s', 'full', 'incremental', 'baseline', 'full, -30%', 'full, faults'],
        ...operations.map((op) => [
          op,
          String(defaultQuota(op).rate),
          ...rows.map((r) => {
            const calls = r.measured.calls[op];
            const throttled = r.measured.throttles[op];
            return calls === undefined ? '-' : `${int(calls)}${throttled ? ` (${throttled})` : ''}`;
          }),
        ]),
      ],
      (i) => i > 0,
    ),
    '',
    'S3 requests per operation:',
    table(
      [
        ['operation', 'full', 'incremental', 'baseline', 'full, -30%', 'full, faults'],
        ...[...new Set(rows.flatMap((r) => Object.keys(r.measured.s3)))]
          .sort()
          .map((op) => [op, ...rows.map((r) => int(r.measured.s3[op] ?? 0))]),
      ],
      (i) => i > 0,
    ),
    '',
  );

  const checks: Array<{ ok: boolean; text: string }> = [];
  const fullRatio = realSeconds(full) / lowerBound(full).seconds;
  checks.push({
    ok: fullRatio <= TARGETS.fullToBound,
    text: `full backup within ${TARGETS.fullToBound}× its lower bound: ${fullRatio.toFixed(2)}×`,
  });
  const fullSpeedup = realSeconds(baseline) / realSeconds(full);
  checks.push({
    ok: fullSpeedup >= TARGETS.baselineToFull,
    text: `full backup at least ${TARGETS.baselineToFull}× faster than the baseline: ${fullSpeedup.toFixed(2)}×`,
  });
  const share = total(incremental.measured.calls) / total(full.measured.calls);
  const signalShare =
    (total(incremental.measured.calls) - draftChecks - proficiencyChecks) / total(full.measured.calls);
  checks.push({
    ok: signalShare <= TARGETS.incrementalCallShare,
    text: `incremental makes at most ${TARGETS.incrementalCallShare * 100}% of a full backup's Connect calls where change signals allow it: ${(signalShare * 100).toFixed(1)}%; with the ${int(draftChecks)} draft checks (DescribeContactFlow(Module) <id>:$SAVED of every published flow and module) and ${int(proficiencyChecks)} proficiency lists (ListUserProficiencies of every user) correctness needs: ${(share * 100).toFixed(1)}%`,
  });
  const incrementalSpeedup = realSeconds(baseline) / realSeconds(incremental);
  const incrementalBound = lowerBound(incremental);
  checks.push({
    ok: incrementalSpeedup >= TARGETS.baselineToIncremental,
    text: `incremental at least ${TARGETS.baselineToIncremental}× faster than the baseline: ${incrementalSpeedup.toFixed(1)}× (its lower bound: ${incrementalBound.operation}, ${incrementalBound.seconds.toFixed(1)} s)`,
  });
  const peak = Math.max(
    full.measured.peakMb,
    incremental.measured.peakMb,
    squeezed.measured.peakMb,
    faulty.measured.peakMb,
  );
  checks.push({
    ok: peak < TARGETS.peakMemoryMb,
    text: `peak memory of a backup below ${TARGETS.peakMemoryMb} MB: ${peak.toFixed(0)} MB`,
  });
  checks.push({
    ok: squeezed.measured.status === 'complete' && incremental.measured.status === 'complete',
    text: `full backup with quotas 30% below the limiter finished (${squeezed.measured.status}), absorbing ${int(total(squeezed.measured.throttles))} throttles`,
  });
  checks.push({
    ok: faulty.measured.status === 'complete',
    text: `full backup under 30% 429 + 5% 500 + 2% dropped connections finished (${faulty.measured.status}) in ${(realSeconds(faulty) / realSeconds(full)).toFixed(2)}× the fault-free time`,
  });
  const many = accountsReport(accounts);
  out.push(...many.lines);
  checks.push(...many.checks);
  const restored = restoreReport(restores);
  out.push(...restored.lines);
  checks.push(...restored.checks);
  out.push('Targets:', ...checks.map((c) => `  ${c.ok ? 'met   ' : 'MISSED'} ${c.text}`));
  process.stdout.write(`${out.join('\n')}\n`);
  const missed = checks.filter((c) => !c.ok);
  if (missed.length) process.stderr.write(`bench: ${missed.length} target(s) missed\n`);
  return missed.length ? 1 : 0;
}

if (process.argv[2] === '--child') {
  const job = JSON.parse(process.argv[3] ?? '{}') as Job;
  runJob(job)
    .then((measured) => {
      process.send?.(measured, () => process.exit(0));
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench child failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
} else {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
