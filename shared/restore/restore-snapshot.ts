/**
 * The restore use case: plan a snapshot's restore into an instance, apply it unless it is a dry
 * run, and report.
 */

import { backupInstance } from '#shared/backup/backup-instance.js';
import type { ConnectCallStats } from '#shared/connect/client.js';
import { canonicalJson, restoreLockKey, restoreReportKey } from '#shared/snapshot/format.js';
import { type LeaseTiming, ObjectLease } from '#shared/snapshot/object-lease.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { applyRestore } from './apply.js';
import { RestoreInputError, RestoreLockedError, SafetySnapshotFailedError } from './errors.js';
import { halfCreatedResources, RestoreJournal } from './journal.js';
import type { RandomSource } from './password.js';
import { type PlannedRestore, type PlanPorts, planRestore } from './plan.js';
import { countBy, type RestoreReport } from './report.js';
import {
  instanceArnParts,
  parseRestoreRequest,
  type RestoreRequest,
  type RestoreRequestInput,
} from './request.js';
import type { PropagationRetryOptions } from './write-retry.js';

/** The ports a restore runs on. */
export interface RestorePorts extends PlanPorts {
  /** Calls per operation of the target client (`createConnectClient`), for the report. */
  targetStats?: Pick<ConnectCallStats, 'calls'> & Partial<Pick<ConnectCallStats, 'throttles'>>;
  /**
   * Where `report.json` goes: `<prefix>/<targetInstanceId>/restores/<restoreId>/report.json`, with
   * the request's source prefix. No report object is written without it.
   */
  reportStore?: SnapshotStore;
  /** Random bytes for new users' passwords; `crypto.randomBytes` by default. */
  random?: RandomSource;
  /** Retries of writes naming just-created resources (see `applyRestore`); defaults for a real account. */
  propagationRetry?: Partial<PropagationRetryOptions>;
  /** Resources written at once (see `applyRestore`); default `DEFAULT_CONCURRENCY`, 1 for one at a time. */
  concurrency?: number;
  /**
   * Told when a restore that writes starts (after its plan, before the first write) and when it
   * has finished (after its report): the restore Lambda puts `Restore Started` / `Restore Finished`
   * on the bus. A failure to tell is logged, never fails the restore.
   */
  announce?: (event: RestoreAnnouncement) => Promise<void>;
  /**
   * Where the safety snapshot of the target goes (under the request's source prefix); default
   * `reportStore`. Without either, no safety snapshot is taken.
   */
  safetyStore?: SnapshotStore;
  /**
   * Post-restore verification: how many times to read the target, and the wait before each read
   * after the first (Connect's reads may lag its writes). Default 3 reads, 5 s apart.
   */
  verifyRetry?: { attempts: number; delayMs: number };
  /** The restore lock's timing; Connect-scale defaults (a minute, renewed every 15 s). */
  lockTiming?: LeaseTiming;
}

/** What {@link RestorePorts.announce} is told. */
export type RestoreAnnouncement =
  | { type: 'Restore Started'; detail: RestoreStartedDetail }
  | { type: 'Restore Finished'; detail: RestoreStartedDetail & RestoreFinishedPart };

/** The `detail` of a `Restore Started` event. */
export interface RestoreStartedDetail {
  restoreId: string;
  targetInstanceId: string;
  targetInstanceArn: string;
  sourceInstanceId: string;
  snapshotId: string;
  mode: RestoreRequest['mode'];
  /** Entries the plan will create and update (and, in mode mirror, remove). */
  planned: { create: number; update: number; remove?: number };
  startedAt: string;
}

/** What a `Restore Finished` event adds. */
interface RestoreFinishedPart {
  status: RestoreReport['status'];
  outcomes: RestoreReport['outcomes'];
  finishedAt: string;
  reportLocation?: string;
}

/** The restore lock's default timing: held a minute, renewed every 15 s. */
export const RESTORE_LOCK_TIMING: LeaseTiming = { ttlMs: 60_000, renewMs: 15_000, safetyMs: 20_000 };

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) out[op] = n - (before[op] ?? 0);
  return out;
}

/**
 * Restores a snapshot into the same or another instance, account or Region.
 *
 * Input: the restore request (validated here; see `request.ts`). Steps: validate the request; load
 * the snapshot, verified as `connect-vault verify` verifies it; describe the target instance; read the
 * target through the kinds; plan (see `planRestore`); unless `dryRun`, apply in dependency order
 * (see `applyRestore`); write `report.json` to `reportStore`.
 *
 * Connect operations: DescribeInstance, ListInstanceAttributes, ListApprovedOrigins,
 * ListLambdaFunctions, ListBots and the kinds' read operations on the target (in mode overwrite
 * also GetPromptFile on the target, to compare matched prompts' audio); CreatePrompt / UpdatePrompt
 * with the S3 URI of the snapshot's own audio when the snapshot is in S3; with `sourceConnect`,
 * DescribeInstance and GetPromptFile on the source only for prompts it creates whose audio neither
 * the snapshot in S3 nor `mappings.promptAudio` gives; and the kinds' write operations
 * (`KindRestore.writeOperations`), AssociateLambdaFunction, AssociateBot, and, in an unfiltered
 * restore, UpdateInstanceAttribute (mode overwrite, attributes that differ and can be set) and
 * AssociateApprovedOrigin (origins the target lacks) on the target. In mode mirror, after those,
 * the kinds' removal operations (`KindRestore.remove.writeOperations`: DeleteContactFlow,
 * DeleteQueue, DeleteUser, …, and UpdateAgentStatus to disable an agent status) for the target's
 * resources the snapshot does not have. A dry run makes no write.
 *
 * Passwords: a user created on a CONNECT_MANAGED instance gets a random password that is sent in
 * CreateUser and nowhere else; the report lists those users (`passwordResets`) by id and username.
 *
 * @returns the report: every entry's action, reason and outcome, the unresolved references, the
 *   users who need a password reset, API calls, and `status` (`planned` for a dry run, `succeeded`,
 *   `blocked` when resources were skipped for unresolved references or conflicts or links were left
 *   out, `failed` when a write failed, `aborted` when `signal` stopped it).
 * Mode mirror needs the safety snapshot: `safetySnapshot: false` is an `invalid-request`, and so
 * is a mirror with neither `safetyStore` nor `reportStore` to write it to (both before any read).
 *
 * @throws RestoreInputError (`invalid-request`, `invalid-mapping`, `unknown-snapshot`,
 *   `unknown-instance`, `integrity`, `newer-format`) and NothingToRestoreError (filters that
 *   match nothing), before any write; the SDK's errors when reading fails; ConnectionLostError
 *   when Connect stops answering while applying (no report is written).
 */
export async function restoreSnapshot(
  input: RestoreRequestInput,
  ports: RestorePorts,
): Promise<RestoreReport> {
  const request = parseRestoreRequest(input);
  if (request.mode === 'mirror' && !request.dryRun && !(ports.safetyStore ?? ports.reportStore)) {
    throw new RestoreInputError(
      'invalid-request',
      'Mode mirror removes resources and needs the safety snapshot, but this restore has no store to write it to (safetyStore or reportStore): give one, or use mode overwrite, which removes nothing. Nothing was written',
    );
  }
  const lock = request.dryRun ? undefined : await takeRestoreLock(request, ports);
  try {
    return await restoreUnderLock(request, ports);
  } finally {
    await lock?.release({ expire: true }).catch((error: unknown) => {
      ports.logger.warn('restore lock not released (it expires by itself)', { error: (error as Error).name });
    });
  }
}

/** The id of the request's target instance (its own id when given an ARN; the source's by default). */
function targetInstanceIdOf(request: RestoreRequest): string {
  const target = request.target.instanceId;
  return (target && instanceArnParts(target)?.instanceId) ?? target ?? request.source.instanceId;
}

/**
 * Takes the lock of restores into the request's target (in `reportStore`, under the request's
 * source prefix). Without a report store there is no lock.
 * @throws RestoreLockedError naming the restore that holds it.
 */
async function takeRestoreLock(
  request: RestoreRequest,
  ports: RestorePorts,
): Promise<ObjectLease<Record<string, unknown>> | undefined> {
  if (!ports.reportStore) return undefined;
  const targetInstanceId = targetInstanceIdOf(request);
  const key = restoreLockKey(request.source.prefix, targetInstanceId);
  const payload = {
    targetInstanceId,
    sourceInstanceId: request.source.instanceId,
    snapshot: request.source.snapshot,
    mode: request.mode,
    startedAt: ports.clock.now().toISOString(),
  };
  const taken = await ObjectLease.take(
    { store: ports.reportStore, clock: ports.clock, logger: ports.logger },
    key,
    payload,
    ports.lockTiming ?? RESTORE_LOCK_TIMING,
  );
  if (taken.lease) return taken.lease;
  const held = taken.heldBy;
  throw new RestoreLockedError(
    held
      ? `Another restore is writing into instance ${targetInstanceId}: started ${String(held.startedAt)}, snapshot ${String(held.snapshot)} of ${String(held.sourceInstanceId)}, mode ${String(held.mode)}. Wait for it to finish (its lock ${ports.reportStore.describe()}/${key} expires by ${held.expiresAt} if it died), then run this again.`
      : `Another restore is writing into instance ${targetInstanceId} (lock ${key}); run this again once it has finished.`,
    held,
  );
}

/**
 * Backs up the target into the report store, under the request's prefix (incremental from the
 * target's own latest snapshot there, if any), marked as this restore's safety snapshot.
 * @returns its id and location, and the command that restores it (the rollback).
 * @throws SafetySnapshotFailedError when the backup fails or does not complete in this run.
 */
async function takeSafetySnapshot(
  request: RestoreRequest,
  planned: PlannedRestore,
  ports: RestorePorts,
  store: SnapshotStore,
): Promise<NonNullable<RestoreReport['safetySnapshot']>> {
  const { plan } = planned;
  const target = plan.target;
  ports.logger.info('safety snapshot of the target', {
    restoreId: plan.restoreId,
    instanceId: target.instanceId,
  });
  let result: Awaited<ReturnType<typeof backupInstance>>;
  try {
    result = await backupInstance(
      { instanceId: target.instanceId, prefix: request.source.prefix, safetyFor: plan.restoreId },
      {
        connect: ports.targetConnect,
        connectStats: {
          calls: ports.targetStats?.calls ?? {},
          throttles: ports.targetStats?.throttles ?? {},
        },
        store,
        clock: ports.clock,
        logger: ports.logger,
        ...(ports.signal ? { signal: ports.signal } : {}),
      },
    );
  } catch (error) {
    throw new SafetySnapshotFailedError(
      `The safety snapshot of instance ${target.instanceId} failed (${(error as Error).message}); nothing was written to Connect. Fix the cause and run the restore again, or restore without it (--no-safety-snapshot, "safetySnapshot": false).`,
      { cause: error },
    );
  }
  if (result.status !== 'complete') {
    throw new SafetySnapshotFailedError(
      `The safety snapshot of instance ${target.instanceId} did not complete (${result.status}); nothing was written to Connect.`,
    );
  }
  const root = `${store.describe().replace(/\/?$/, '/')}${request.source.prefix}`.replace(/\/+$/, '');
  const rollback = [
    'connect-vault restore',
    `--from ${root}`,
    `--source-instance-id ${target.instanceId}`,
    `--snapshot ${result.snapshotId}`,
    `--target-instance-id ${target.instanceId}`,
    `--target-region ${target.region}`,
    // A mirror's rollback is a mirror too: it also removes what the restore created.
    `--mode ${request.mode === 'mirror' ? 'mirror' : 'overwrite'}`,
  ].join(' ');
  return { snapshotId: result.snapshotId, location: result.location, rollback };
}

/** Outcomes whose resource should now equal the snapshot in the target. */
const REACHED = new Set(['created', 'updated', 'unchanged']);
/** Outcomes of a mirror's removals whose resource should now be gone or disabled. */
const REMOVED = new Set(['removed', 'disabled', 'unchanged']);

/**
 * Reads the target again (a dry-run plan in mode overwrite, or mirror for a mirror, with the same
 * filters and mappings) and lists every resource the restore created, updated or left unchanged
 * that the planner would still create or update, and every resource a mirror removed (or found
 * disabled) that it would still remove. Differences are read again up to `verifyRetry.attempts` times.
 */
async function verifyRestore(
  request: RestoreRequest,
  plan: RestoreReport | PlannedRestore['plan'],
  ports: RestorePorts,
): Promise<NonNullable<RestoreReport['verification']>> {
  const reached = plan.entries.filter((e) => !e.removal && e.outcome && REACHED.has(e.outcome));
  const removed = plan.entries.filter(
    (e) => e.removal && e.removal !== 'kept' && e.outcome && REMOVED.has(e.outcome),
  );
  const { attempts, delayMs } = ports.verifyRetry ?? { attempts: 3, delayMs: 5_000 };
  let differences: NonNullable<RestoreReport['verification']>['differences'] = [];
  let attempt = 0;
  while (attempt < Math.max(1, attempts)) {
    if (attempt > 0) await sleep(delayMs, ports.signal);
    attempt += 1;
    const again = await planRestore(
      {
        ...request,
        mode: request.mode === 'mirror' ? 'mirror' : 'overwrite',
        dryRun: true,
        safetySnapshot: false,
        verify: false,
      },
      { ...ports, progress: undefined },
    );
    const byKey = new Map(
      again.plan.entries.filter((e) => !e.removal).map((e) => [`${e.kind}\0${e.sourceId}`, e]),
    );
    const toRemove = new Map(
      again.plan.entries
        .filter((e) => e.removal && e.action === 'remove')
        .map((e) => [`${e.kind}\0${e.targetId}`, e]),
    );
    differences = reached.flatMap((entry) => {
      const now = byKey.get(`${entry.kind}\0${entry.sourceId}`);
      // A skip with changes is a difference the API cannot make; without, a reference held back.
      if (now && (now.action === 'unchanged' || (now.action === 'skip' && !now.changes?.length))) return [];
      return [
        {
          kind: entry.kind,
          name: entry.name,
          ...(entry.targetId ? { targetId: entry.targetId } : {}),
          changes: now ? (now.changes?.length ? now.changes : [now.action]) : ['not found in the target'],
        },
      ];
    });
    for (const entry of removed) {
      if (!toRemove.has(`${entry.kind}\0${entry.targetId}`)) continue;
      differences.push({
        kind: entry.kind,
        name: entry.name,
        ...(entry.targetId ? { targetId: entry.targetId } : {}),
        changes: [entry.removal === 'disable' ? 'still enabled in the target' : 'still in the target'],
      });
    }
    if (!differences.length) break;
  }
  const checked = reached.length + removed.length;
  ports.logger.info('restore verified', { checked, differences: differences.length, attempts: attempt });
  return { checked, attempts: attempt, differences };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function announce(ports: RestorePorts, event: RestoreAnnouncement): Promise<void> {
  try {
    await ports.announce?.(event);
  } catch (error) {
    ports.logger.warn(`${event.type} not announced`, {
      error: (error as Error).name,
      message: (error as Error).message,
    });
  }
}

async function restoreUnderLock(request: RestoreRequest, ports: RestorePorts): Promise<RestoreReport> {
  const callsBefore = { ...(ports.targetStats?.calls ?? {}) };
  const targetInstanceId = targetInstanceIdOf(request);
  // What earlier restores into this target created and did not finish: finished now, in any mode.
  const halfCreated = ports.reportStore
    ? await halfCreatedResources(
        ports.reportStore,
        request.source.prefix,
        targetInstanceId,
        ports.logger,
        ports.signal,
      )
    : undefined;
  const planned = await planRestore(request, { ...ports, ...(halfCreated ? { halfCreated } : {}) });
  const { plan } = planned;
  let passwordResets: RestoreReport['passwordResets'] = [];
  let aborted = false;
  const started: RestoreStartedDetail = {
    restoreId: plan.restoreId,
    targetInstanceId: plan.target.instanceId,
    targetInstanceArn: plan.target.arn,
    sourceInstanceId: request.source.instanceId,
    snapshotId: plan.source.snapshotId,
    mode: request.mode,
    planned: {
      create: plan.entries.filter((e) => e.action === 'create').length,
      update: plan.entries.filter((e) => e.action === 'update').length,
      ...(request.mode === 'mirror'
        ? { remove: plan.entries.filter((e) => e.action === 'remove').length }
        : {}),
    },
    startedAt: planned.startedAt.toISOString(),
  };
  let safetySnapshot: RestoreReport['safetySnapshot'];
  const writes = started.planned.create + started.planned.update + (started.planned.remove ?? 0);
  const safetyStore = ports.safetyStore ?? ports.reportStore;
  if (!request.dryRun && request.safetySnapshot && safetyStore && writes > 0) {
    safetySnapshot = await takeSafetySnapshot(request, planned, ports, safetyStore);
  }
  if (!request.dryRun) {
    await announce(ports, { type: 'Restore Started', detail: started });
    const journal = ports.reportStore
      ? new RestoreJournal({
          store: ports.reportStore,
          prefix: request.source.prefix,
          targetInstanceId: plan.target.instanceId,
          restoreId: plan.restoreId,
          logger: ports.logger,
        })
      : undefined;
    try {
      const applied = await applyRestore(planned, { ...ports, ...(journal ? { journal } : {}) });
      passwordResets = applied.passwordResets;
      aborted = applied.aborted;
    } finally {
      await journal?.close(plan.entries);
    }
  }
  const verification =
    !request.dryRun && !aborted && request.verify ? await verifyRestore(request, plan, ports) : undefined;
  const failed =
    plan.entries.some((e) => e.outcome === 'failed') || Boolean(verification?.differences.length);
  const blocked = plan.entries.some((e) => e.blocked) || plan.unresolved.length > 0;
  const report: RestoreReport = {
    ...plan,
    status: request.dryRun
      ? 'planned'
      : aborted
        ? 'aborted'
        : failed
          ? 'failed'
          : blocked
            ? 'blocked'
            : 'succeeded',
    startedAt: planned.startedAt.toISOString(),
    finishedAt: ports.clock.now().toISOString(),
    outcomes: request.dryRun ? {} : countBy(plan.entries, (e) => e.outcome),
    passwordResets,
    apiCalls: diff(ports.targetStats?.calls ?? {}, callsBefore),
    ...(safetySnapshot ? { safetySnapshot } : {}),
    ...(verification ? { verification } : {}),
  };
  if (ports.reportStore) {
    const key = restoreReportKey(request.source.prefix, plan.target.instanceId, plan.restoreId);
    await ports.reportStore.put(key, canonicalJson(report), 'application/json', { abortSignal: undefined });
    report.reportLocation = `${ports.reportStore.describe().replace(/\/?$/, '/')}${key}`;
  }
  if (!request.dryRun) {
    await announce(ports, {
      type: 'Restore Finished',
      detail: {
        ...started,
        status: report.status,
        outcomes: report.outcomes,
        finishedAt: report.finishedAt,
        ...(report.reportLocation ? { reportLocation: report.reportLocation } : {}),
      },
    });
  }
  ports.logger.info('restore finished', {
    restoreId: plan.restoreId,
    status: report.status,
    ...report.outcomes,
    passwordResets: passwordResets.length,
  });
  return report;
}
