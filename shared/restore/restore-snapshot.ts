/**
 * The restore use case: plan a snapshot's restore into an instance, apply it unless it is a dry
 * run, and report.
 */
import type { ConnectCallStats } from '#shared/connect/client.js';
import { canonicalJson, restoreReportKey } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { applyRestore } from './apply.js';
import type { RandomSource } from './password.js';
import { type PlanPorts, planRestore } from './plan.js';
import { countBy, type RestoreReport } from './report.js';
import { parseRestoreRequest, type RestoreRequestInput } from './request.js';
import type { PropagationRetryOptions } from './write-retry.js';

/** The ports a restore runs on. */
export interface RestorePorts extends PlanPorts {
  /** Calls per operation of the target client (`createConnectClient`), for the report. */
  targetStats?: Pick<ConnectCallStats, 'calls'>;
  /**
   * Where `report.json` goes: `<prefix>/<targetInstanceId>/restores/<restoreId>/report.json`, with
   * the request's source prefix. No report object is written without it.
   */
  reportStore?: SnapshotStore;
  /** Random bytes for new users' passwords; `crypto.randomBytes` by default. */
  random?: RandomSource;
  /** Retries of writes naming just-created resources (see `applyRestore`); defaults for a real account. */
  propagationRetry?: Partial<PropagationRetryOptions>;
}

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
 * AssociateApprovedOrigin (origins the target lacks) on the target. A dry run makes no write.
 *
 * Passwords: a user created on a CONNECT_MANAGED instance gets a random password that is sent in
 * CreateUser and nowhere else; the report lists those users (`passwordResets`) by id and username.
 *
 * @returns the report: every entry's action, reason and outcome, the unresolved references, the
 *   users who need a password reset, API calls, and `status` (`planned` for a dry run, `succeeded`,
 *   `blocked` when resources were skipped for unresolved references or conflicts or links were left
 *   out, `failed` when a write failed, `aborted` when `signal` stopped it).
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
  const callsBefore = { ...(ports.targetStats?.calls ?? {}) };
  const planned = await planRestore(request, ports);
  const { plan } = planned;
  let passwordResets: RestoreReport['passwordResets'] = [];
  let aborted = false;
  if (!request.dryRun) {
    const applied = await applyRestore(planned, ports);
    passwordResets = applied.passwordResets;
    aborted = applied.aborted;
  }
  const failed = plan.entries.some((e) => e.outcome === 'failed');
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
  };
  if (ports.reportStore) {
    const key = restoreReportKey(request.source.prefix, plan.target.instanceId, plan.restoreId);
    await ports.reportStore.put(key, canonicalJson(report), 'application/json', { abortSignal: undefined });
    report.reportLocation = `${ports.reportStore.describe().replace(/\/?$/, '/')}${key}`;
  }
  ports.logger.info('restore finished', {
    restoreId: plan.restoreId,
    status: report.status,
    ...report.outcomes,
    passwordResets: passwordResets.length,
  });
  return report;
}
