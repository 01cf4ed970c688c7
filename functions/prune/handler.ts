/**
 * prune: started by its own EventBridge schedule (off unless `pruneEnabled`), applies the deployed
 * retention policy (`PRUNE_KEEP_*`: restic's `forget` rules) to each instance's snapshots and
 * deletes the forgotten ones, as `connect-vault prune --apply` does. `latest` and folders without a
 * manifest are never removed; an instance whose manifests cannot all be read is left as it is and
 * named in the result (and the invocation fails, so the errors alarm fires).
 *
 * Which instances: the input's `instanceIds`, else the configured list, else every instance
 * ListInstances returns. The snapshots of an instance that no longer exists are never pruned by the
 * schedule: after a disaster they may be all that is left (prune them with the CLI).
 *
 * Input: the schedule's configured input (`events/prune.json`): `{ instanceIds?, dryRun? }`.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { type ConnectClient, paginateListInstances } from '@aws-sdk/client-connect';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createS3Client } from '#shared/aws.js';
import { parseEvent } from '#shared/backup/events.js';
import { type Config, ConfigError, readConfig } from '#shared/config.js';
import { createConnectClient } from '#shared/connect/client.js';
import { logger, metrics } from '#shared/observability.js';
import { PruneInputError, pruneInstance, type RemoveKeys, s3Remover } from '#shared/snapshot/prune.js';
import { hasRule } from '#shared/snapshot/retention.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

/** The prune function's input (the schedule's configured input). */
export const pruneInputSchema = z
  .object({
    /** Instances to prune; when absent, the configured list, else every instance ListInstances returns. */
    instanceIds: z.array(z.string().min(1).max(100)).min(1).optional(),
    /** Decide and report, delete nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict();

export interface PruneDeps {
  config: Pick<Config, 'prefix' | 'instanceIds' | 'prune'>;
  connect: ConnectClient;
  store: SnapshotStore;
  remove: RemoveKeys;
  metrics?: Pick<typeof metrics, 'addMetric'>;
}

/** Per instance: how many snapshots were kept and removed, or why nothing was done. */
export interface PruneInstanceOutcome {
  instanceId: string;
  kept: number;
  removed: string[];
  /** Would be removed (dry run). */
  forgotten: string[];
  /** Why this instance was left alone (an unreadable manifest). */
  error?: string;
}

/** Thrown after every instance was handled when some could not be pruned; the message names them. */
export class PruneFailedError extends Error {
  override readonly name = 'PruneFailedError';
}

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an input that fails {@link pruneInputSchema}; ConfigError when the deployed policy has no keep rule (nothing is deleted then); PruneFailedError when
 *   an instance could not be pruned (the others were).
 */
export async function pruneHandler(event: unknown, deps: PruneDeps): Promise<PruneInstanceOutcome[]> {
  const input = parseEvent(pruneInputSchema, event ?? {}, 'prune input');
  const policy = deps.config.prune;
  if (!hasRule(policy)) {
    throw new ConfigError(
      'The prune policy has no keep rule (PRUNE_KEEP_LAST/DAILY/WEEKLY/MONTHLY are all 0): nothing pruned. Set pruneKeepDaily etc. in serverless.yml.',
    );
  }
  const instanceIds =
    input.instanceIds ??
    (deps.config.instanceIds.length ? deps.config.instanceIds : await listInstances(deps.connect));
  const outcomes: PruneInstanceOutcome[] = [];
  for (const instanceId of instanceIds) {
    try {
      const result = await pruneInstance({
        store: deps.store,
        prefix: deps.config.prefix,
        instanceId,
        policy,
        apply: !input.dryRun,
        remove: deps.remove,
      });
      const forgotten = result.decisions.filter((d) => !d.keep).map((d) => d.snapshotId);
      outcomes.push({
        instanceId,
        kept: result.decisions.length - forgotten.length,
        removed: result.removed,
        forgotten,
      });
      logger.info('instance pruned', {
        instanceId,
        kept: result.decisions.length - forgotten.length,
        removed: result.removed,
        dryRun: Boolean(input.dryRun),
      });
    } catch (error) {
      if (!(error instanceof PruneInputError)) throw error;
      outcomes.push({ instanceId, kept: 0, removed: [], forgotten: [], error: error.message });
      logger.error('instance not pruned', { instanceId, error: error.message });
    }
  }
  deps.metrics?.addMetric(
    'SnapshotsPruned',
    MetricUnit.Count,
    outcomes.reduce((n, o) => n + o.removed.length, 0),
  );
  const failed = outcomes.filter((o) => o.error);
  if (failed.length) {
    throw new PruneFailedError(
      `${failed.length} instance(s) not pruned: ${failed.map((o) => `${o.instanceId} (${o.error})`).join('; ')}`,
    );
  }
  return outcomes;
}

/** ACTIVE instances of the account and Region (ListInstances). */
async function listInstances(connect: ConnectClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListInstances({ client: connect }, {})) {
    for (const summary of page.InstanceSummaryList ?? []) {
      if (summary.Id && summary.InstanceStatus === 'ACTIVE') ids.push(summary.Id);
    }
  }
  return ids;
}

let deps: PruneDeps | undefined;

/** Clients and config, created once per container on first use (no network at module scope). */
function containerDeps(): PruneDeps {
  if (!deps) {
    const config = readConfig();
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    const { client: connect } = createConnectClient({
      region: config.region,
      endpoint: config.endpoints.connect,
      rateFactor: config.rateFactor,
    });
    deps = {
      config,
      connect,
      store: new S3SnapshotStore({ client: s3, bucket: config.bucket, kmsKeyId: config.kmsKeyArn }),
      remove: s3Remover(s3, config.bucket),
      metrics,
    };
  }
  return deps;
}

export const handler = middy()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, _context: Context) => pruneHandler(event, containerDeps()));
