/**
 * restore: invoked on demand with a restore request as its payload (see `events/restore.json`).
 * Plans the restore of a snapshot from S3 into the same or another instance, account or Region,
 * applies it unless `dryRun`, writes `report.json` next to the target's snapshots, and returns a
 * summary. A cross-account target is reached through `target.roleArn` (assumed with STS).
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { ConnectClient } from '@aws-sdk/client-connect';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { assumedRoleCredentials, createEventBridgeClient, createS3Client } from '#shared/aws.js';
import { EVENT_SOURCE, InvalidEventError, parseEvent } from '#shared/backup/events.js';
import { type Config, readConfig } from '#shared/config.js';
import { createConnectClient, type InstrumentedConnectClient } from '#shared/connect/client.js';
import { logger, metrics } from '#shared/observability.js';
import { RestoreFailedError } from '#shared/restore/errors.js';
import type { RestoreReport } from '#shared/restore/report.js';
import { type RestoreRequest, restoreRequestSchema } from '#shared/restore/request.js';
import { type RestoreAnnouncement, restoreSnapshot } from '#shared/restore/restore-snapshot.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

export interface RestoreDeps {
  /** The snapshot store of a bucket (the request names the bucket). */
  storeFor(bucket: string): SnapshotStore;
  /** A client for the Lambda's own account and Region: reads the source instance's prompt audio. */
  sourceConnect: ConnectClient;
  /** The client for the target: its Region, and the role to assume when there is one. */
  targetConnectFor(target: RestoreRequest['target']): InstrumentedConnectClient;
  clock: { now(): Date };
  metrics?: Pick<typeof metrics, 'addMetric'>;
  /** Where `Restore Started` and `Restore Finished` go; without it they are not put. */
  bus?: { eventBridge: EventBridgeClient; eventBusName: string };
}

/**
 * Puts a restore's announcement on the bus (PutEvents, source `connect-vault`, detail-type
 * `Restore Started` or `Restore Finished`), so a team can freeze changes and be told.
 * @throws Error when EventBridge rejects the entry (the restore logs it and goes on).
 */
function announcer(bus: NonNullable<RestoreDeps['bus']>): (event: RestoreAnnouncement) => Promise<void> {
  return async (event) => {
    const result = await bus.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus.eventBusName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
    const entry = result.Entries?.[0];
    if (result.FailedEntryCount || entry?.ErrorCode)
      throw new Error(
        `EventBridge rejected ${event.type}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
  };
}

/** What the function returns (and logs); the full report is in S3 at `reportLocation`. */
export type RestoreHandlerResult = Pick<
  RestoreReport,
  'restoreId' | 'status' | 'dryRun' | 'counts' | 'outcomes' | 'reportLocation'
> & { unresolved: number; passwordResets: number };

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an event that fails the schema (or names a folder), before any
 *   Connect or S3 call; RestoreInputError for an unknown snapshot or instance, a changed snapshot
 *   object or a newer format, before any write; RestoreFailedError, after the report is written,
 *   when resources failed or were blocked (the report names them).
 */
export async function restoreHandler(
  event: unknown,
  deps: RestoreDeps,
  signal?: AbortSignal,
): Promise<RestoreHandlerResult> {
  const request = parseEvent(restoreRequestSchema, event, 'restore request');
  if (!request.source.bucket) {
    throw new InvalidEventError(
      'Invalid restore request: source.folder: the restore function reads snapshots from S3; give source.bucket (folders are for the CLI)',
    );
  }
  logger.appendKeys({
    instanceId: request.target.instanceId ?? request.source.instanceId,
    sourceInstanceId: request.source.instanceId,
  });
  const store = deps.storeFor(request.source.bucket);
  const target = deps.targetConnectFor(request.target);
  const report = await restoreSnapshot(request, {
    source: store,
    reportStore: store,
    targetConnect: target.client,
    targetStats: target.stats,
    sourceConnect: deps.sourceConnect,
    clock: deps.clock,
    logger,
    signal,
    ...(deps.bus ? { announce: announcer(deps.bus) } : {}),
  });
  logger.appendKeys({ restoreId: report.restoreId });
  const writes = (report.outcomes.created ?? 0) + (report.outcomes.updated ?? 0);
  deps.metrics?.addMetric('RestoredResources', MetricUnit.Count, writes);
  deps.metrics?.addMetric('RestoreFailures', MetricUnit.Count, report.outcomes.failed ?? 0);
  deps.metrics?.addMetric('UnresolvedReferences', MetricUnit.Count, report.unresolved.length);
  const result: RestoreHandlerResult = {
    restoreId: report.restoreId,
    status: report.status,
    dryRun: report.dryRun,
    counts: report.counts,
    outcomes: report.outcomes,
    unresolved: report.unresolved.length,
    passwordResets: report.passwordResets.length,
    ...(report.reportLocation ? { reportLocation: report.reportLocation } : {}),
  };
  logger.info('restore summary', { ...result });
  if (report.status === 'failed' || report.status === 'blocked' || report.status === 'aborted') {
    const blocked = report.entries.filter((e) => e.blocked).length;
    throw new RestoreFailedError(
      `Restore ${report.restoreId} ${report.status}: ${report.outcomes.failed ?? 0} failed, ${blocked} blocked, ${report.outcomes['not-run'] ?? 0} not run; see ${report.reportLocation ?? 'the report'}`,
      report.restoreId,
    );
  }
  return result;
}

let deps: RestoreDeps | undefined;

/**
 * The target client for a Region and role, created once per container: with `target.roleArn`, the
 * role's temporary credentials (STS AssumeRole in the function's own Region, with the external id).
 */
export function targetClients(config: Config): RestoreDeps['targetConnectFor'] {
  const clients = new Map<string, InstrumentedConnectClient>();
  return (target) => {
    const region = target.region ?? config.region;
    const key = `${region}\u0000${target.roleArn ?? ''}\u0000${target.externalId ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = createConnectClient({
        region,
        endpoint: config.endpoints.connect,
        rateFactor: config.rateFactor,
        ...(target.roleArn
          ? {
              credentials: assumedRoleCredentials(
                { roleArn: target.roleArn, externalId: target.externalId },
                { region: config.region, sessionName: 'connect-vault-restore' },
              ),
            }
          : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
}

/** Clients and config, created once per container on first use (no network at module scope). */
function containerDeps(): RestoreDeps {
  if (!deps) {
    const config = readConfig();
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    const { client: sourceConnect } = createConnectClient({
      region: config.region,
      endpoint: config.endpoints.connect,
      rateFactor: config.rateFactor,
    });
    deps = {
      // Reports written into the stack's bucket use its KMS key; another bucket keeps its default.
      storeFor: (bucket) =>
        new S3SnapshotStore({
          client: s3,
          bucket,
          kmsKeyId: bucket === config.bucket ? config.kmsKeyArn : undefined,
        }),
      sourceConnect,
      targetConnectFor: targetClients(config),
      clock: { now: () => new Date() },
      metrics,
      bus: {
        eventBridge: createEventBridgeClient({
          region: config.region,
          endpoint: config.endpoints.eventBridge,
        }),
        eventBusName: config.eventBusName,
      },
    };
  }
  return deps;
}

export const handler = middy({ timeoutEarlyInMillis: 10_000 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, _context: Context, { signal }: { signal: AbortSignal }) =>
    restoreHandler(event, containerDeps(), signal),
  );
