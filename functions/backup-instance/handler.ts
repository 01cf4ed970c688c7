/**
 * backup-instance: started by the EventBridge rule on `Backup Requested` events. Backs up one
 * instance into a new snapshot in S3 and emits EMF metrics.
 *
 * Event: see `events/backup-instance.json`.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { ConnectClient } from '@aws-sdk/client-connect';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createS3Client } from '#shared/aws.js';
import { type BackupResult, backupInstance } from '#shared/backup/backup-instance.js';
import { backupRequestedEventSchema, parseEvent } from '#shared/backup/events.js';
import { type Config, readConfig } from '#shared/config.js';
import { type ConnectCallStats, createConnectClient } from '#shared/connect/client.js';
import { logger, metrics } from '#shared/observability.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

export interface BackupDeps {
  config: Pick<Config, 'prefix'>;
  connect: ConnectClient;
  connectStats: ConnectCallStats;
  store: SnapshotStore;
  clock: { now(): Date };
  metrics?: Pick<typeof metrics, 'addMetric'>;
}

/** What the function returns (and logs): the snapshot written. */
export type BackupHandlerResult = Pick<
  BackupResult,
  'snapshotId' | 'manifestKey' | 'counts' | 'objects' | 'throttles'
>;

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an event that fails the schema, before any Connect or S3 call;
 *   BackupFailedError when the backup cannot complete (no manifest written). EventBridge then
 *   retries, and the dead-letter queue keeps what still fails.
 */
export async function backupInstanceHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<BackupHandlerResult> {
  const { detail } = parseEvent(backupRequestedEventSchema, event, 'Backup Requested event');
  logger.appendKeys({ instanceId: detail.instanceId });
  const result = await backupInstance(
    { instanceId: detail.instanceId, kinds: detail.kinds, prefix: deps.config.prefix },
    {
      connect: deps.connect,
      connectStats: deps.connectStats,
      store: deps.store,
      clock: deps.clock,
      logger,
      signal,
    },
  );
  logger.appendKeys({ snapshotId: result.snapshotId });
  const apiCalls = Object.values(result.apiCalls).reduce((a, b) => a + b, 0);
  deps.metrics?.addMetric('ObjectsWritten', MetricUnit.Count, result.objects);
  deps.metrics?.addMetric('ConnectApiCalls', MetricUnit.Count, apiCalls);
  deps.metrics?.addMetric('ConnectThrottles', MetricUnit.Count, result.throttles);
  deps.metrics?.addMetric('BackupDuration', MetricUnit.Milliseconds, result.durationMs);
  logger.info('backup finished', { objects: result.objects, apiCalls, throttles: result.throttles });
  return {
    snapshotId: result.snapshotId,
    manifestKey: result.manifestKey,
    counts: result.counts,
    objects: result.objects,
    throttles: result.throttles,
  };
}

let deps: BackupDeps | undefined;

/** Clients and config, created once per container on first use (no network at module scope). */
function containerDeps(): BackupDeps {
  if (!deps) {
    const config = readConfig();
    const { client: connect, stats: connectStats } = createConnectClient({
      region: config.region,
      endpoint: config.endpoints.connect,
      rateFactor: config.rateFactor,
    });
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    deps = {
      config,
      connect,
      connectStats,
      store: new S3SnapshotStore({ client: s3, bucket: config.bucket }),
      clock: { now: () => new Date() },
      metrics,
    };
  }
  return deps;
}

export const handler = middy({ timeoutEarlyInMillis: 10_000 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, _context: Context, { signal }: { signal: AbortSignal }) =>
    backupInstanceHandler(event, containerDeps(), signal),
  );
