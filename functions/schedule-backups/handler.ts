/**
 * schedule-backups: started by the EventBridge schedule (nightly by default). Puts one
 * `Backup Requested` event per instance onto the project's bus.
 *
 * Input: the schedule's configured `input` (see `events/schedule-backups.json`), not an envelope.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createEventBridgeClient, createS3Client } from '#shared/aws.js';
import { parseEvent, scheduleInputSchema } from '#shared/backup/events.js';
import { backupFreshness, type SchedulePorts, scheduleBackups } from '#shared/backup/schedule-backups.js';
import { type Config, readConfig } from '#shared/config.js';
import { createConnectClient } from '#shared/connect/client.js';
import { logger, metrics } from '#shared/observability.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

export interface ScheduleDeps {
  config: Pick<Config, 'eventBusName' | 'instanceIds'> & Partial<Pick<Config, 'prefix'>>;
  ports: SchedulePorts;
  /** The backup bucket, to check each instance's newest snapshot (the staleness heartbeat). */
  store?: SnapshotStore;
  metrics?: Pick<typeof metrics, 'addMetric'>;
}

/** Result: the instances for which a backup was requested, and those whose backups are stale. */
export interface ScheduleResult {
  requested: string[];
  /** Instances whose newest complete snapshot is older than 26 hours (when the store is known). */
  stale?: string[];
}

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an input that fails the schema; PutEventsFailedError when
 *   EventBridge rejects entries. Either way the invocation fails and EventBridge retries.
 */
export async function scheduleBackupsHandler(event: unknown, deps: ScheduleDeps): Promise<ScheduleResult> {
  const input = parseEvent(scheduleInputSchema, event ?? {}, 'schedule-backups input');
  const details = await scheduleBackups(
    {
      instanceIds: input.instanceIds ?? deps.config.instanceIds,
      kinds: input.kinds,
      full: input.full,
      eventBusName: deps.config.eventBusName,
    },
    deps.ports,
  );
  const requested = details.map((d) => d.instanceId);
  deps.metrics?.addMetric('ScheduleRuns', MetricUnit.Count, 1);
  if (!deps.store) return { requested };
  const freshness = await backupFreshness(
    requested,
    deps.store,
    deps.config.prefix ?? '',
    deps.ports.clock.now(),
  );
  for (const s of freshness.stale)
    logger.warn('no successful backup in 26 hours', {
      instanceId: s.instanceId,
      lastFinishedAt: s.finishedAt,
      ageHours: s.ageHours,
    });
  if (freshness.neverBackedUp.length)
    logger.info('instances without a complete snapshot yet', { instances: freshness.neverBackedUp });
  deps.metrics?.addMetric('StaleInstances', MetricUnit.Count, freshness.stale.length);
  return { requested, stale: freshness.stale.map((s) => s.instanceId) };
}

let deps: ScheduleDeps | undefined;

/** Clients and config, created once per container on first use (no network at module scope). */
function containerDeps(): ScheduleDeps {
  if (!deps) {
    const config = readConfig();
    const eventBridge: EventBridgeClient = createEventBridgeClient({
      region: config.region,
      endpoint: config.endpoints.eventBridge,
    });
    const { client: connect } = createConnectClient({
      region: config.region,
      endpoint: config.endpoints.connect,
      rateFactor: config.rateFactor,
    });
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    deps = {
      config,
      ports: { connect, eventBridge, clock: { now: () => new Date() }, logger },
      store: new S3SnapshotStore({ client: s3, bucket: config.bucket }),
      metrics,
    };
  }
  return deps;
}

export const handler = middy()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, _context: Context) => scheduleBackupsHandler(event, containerDeps()));
