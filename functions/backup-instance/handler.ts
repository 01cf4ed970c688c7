/**
 * backup-instance: started by the EventBridge rule on `Backup Requested` events (one instance to
 * back up) and `Backup Continued` events (a snapshot to resume). Backs up one instance into a
 * snapshot in S3, incrementally unless a full read is asked or due, and emits EMF metrics
 * (`ChangedResources` with an `instanceId` dimension, the others with the service's alone).
 *
 * Near the Lambda deadline (middy's `timeoutEarlyInMillis` aborts the signal), the backup writes a
 * checkpoint inside the unfinished snapshot and puts a `Backup Continued` event on the bus; the
 * next invocation resumes it. Middy's early-timeout response is the outcome of that hand-over.
 *
 * Invoked directly with `{ "mode": "doctor", "instanceId": … }` (`events/backup-instance-doctor.json`),
 * it runs the read-only checks of `connect-vault doctor` with its own role against the instance and
 * its snapshot bucket, and returns their result instead of backing up.
 *
 * Events: see `events/backup-instance.json`, `events/backup-instance-full.json`,
 * `events/backup-continued.json` and `events/backup-instance-doctor.json`.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { ConnectClient } from '@aws-sdk/client-connect';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createEventBridgeClient, createIamClient, createS3Client } from '#shared/aws.js';
import {
  type BackupContinuation,
  type BackupRequest,
  type BackupResult,
  backupInstance,
} from '#shared/backup/backup-instance.js';
import {
  BACKUP_CONTINUED,
  type BackupContinuedDetail,
  backupEventSchema,
  doctorRequestSchema,
  EVENT_SOURCE,
  isDoctorRequest,
  parseEvent,
} from '#shared/backup/events.js';
import { type Config, readConfig } from '#shared/config.js';
import { type ConnectCallStats, createConnectClient } from '#shared/connect/client.js';
import { type DoctorResult, runDoctor } from '#shared/doctor/doctor.js';
import { logger, metrics } from '#shared/observability.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

/**
 * Time kept back before the Lambda's own timeout: middy aborts the backup's signal this long
 * before it, leaving time to let writes in flight finish, write the checkpoint (up to a few MB for
 * a large instance) and put the continuation event.
 */
export const DEADLINE_RESERVE_MS = 30_000;

const DAY_MS = 24 * 3600 * 1000;

export interface BackupDeps {
  /**
   * `fullBackupIntervalDays` defaults to the use case's one week; without `eventBusName` (and
   * `eventBridge`), a backup that reaches its deadline fails instead of continuing.
   */
  config: Pick<Config, 'prefix'> & Partial<Pick<Config, 'fullBackupIntervalDays' | 'eventBusName'>>;
  connect: ConnectClient;
  connectStats: ConnectCallStats;
  store: SnapshotStore;
  clock: { now(): Date };
  eventBridge?: EventBridgeClient;
  /** `singleMetric` emits `ChangedResources` with the instance as a dimension of its own. */
  metrics?: Pick<typeof metrics, 'addMetric' | 'singleMetric'>;
  /** What the doctor mode checks besides Connect: the snapshot bucket, and IAM for the restore role. */
  doctor?: { s3: S3Client; bucket: string; iam?: IAMClient };
}

/** What the function returns (and logs): the snapshot written, or handed over to a continuation. */
export type BackupHandlerResult = Pick<
  BackupResult,
  | 'status'
  | 'snapshotId'
  | 'manifestKey'
  | 'counts'
  | 'objects'
  | 'throttles'
  | 'continuation'
  | 'kinds'
  | 'changedResources'
>;

/** Thrown when EventBridge rejects the continuation event. */
export class ContinuationFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContinuationFailedError';
  }
}

/** Puts the `Backup Continued` event that resumes a snapshot (PutEvents). */
function continuationPutter(
  eventBridge: EventBridgeClient,
  eventBusName: string,
): (continuation: BackupContinuation) => Promise<void> {
  return async (continuation) => {
    const detail: BackupContinuedDetail = continuation;
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: eventBusName,
            Source: EVENT_SOURCE,
            DetailType: BACKUP_CONTINUED,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const entry = result.Entries?.[0];
    if (result.FailedEntryCount || entry?.ErrorCode) {
      throw new ContinuationFailedError(
        `EventBridge rejected the Backup Continued event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  };
}

/**
 * The doctor mode: the checks of `connect-vault doctor` with the function's role, against the
 * instance and the configured bucket. Writes nothing.
 * @throws InvalidEventError for a request that fails {@link doctorRequestSchema}, before any call;
 *   DoctorInputError when the instance is not in the account and Region; Error when `deps` has no
 *   `doctor` clients.
 */
export async function doctorHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<DoctorResult> {
  const request = parseEvent(doctorRequestSchema, event, 'backup-instance doctor request');
  logger.appendKeys({ instanceId: request.instanceId, mode: 'doctor' });
  if (!deps.doctor) throw new Error('the doctor mode needs the S3 client and bucket (deps.doctor)');
  const result = await runDoctor({
    connect: deps.connect,
    instanceId: request.instanceId,
    s3: deps.doctor.s3,
    bucket: deps.doctor.bucket,
    ...(deps.doctor.iam ? { iam: deps.doctor.iam } : {}),
    ...(request.restoreRoleArn ? { restoreRoleArn: request.restoreRoleArn } : {}),
    signal,
  });
  const failed = result.checks.filter((c) => c.status === 'failed');
  logger.info('doctor finished', { ok: result.ok, failed: failed.map((c) => c.id) });
  return result;
}

/**
 * What an invocation runs, without middleware: {@link doctorHandler} for a `{ "mode": "doctor" }`
 * event, else {@link backupInstanceHandler}.
 */
export function invocationHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<BackupHandlerResult | DoctorResult> {
  return isDoctorRequest(event)
    ? doctorHandler(event, deps, signal)
    : backupInstanceHandler(event, deps, signal);
}

/**
 * The backup handler without middleware, for tests.
 * @throws InvalidEventError for an event that fails the schema, before any Connect or S3 call;
 *   BackupFailedError when the backup cannot complete (no manifest written). EventBridge then
 *   retries, and the dead-letter queue keeps what still fails.
 */
export async function backupInstanceHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<BackupHandlerResult> {
  const parsed = parseEvent(backupEventSchema, event, 'backup-instance event');
  logger.appendKeys({ instanceId: parsed.detail.instanceId });
  const { eventBridge } = deps;
  const eventBusName = deps.config.eventBusName;
  const intervalDays = deps.config.fullBackupIntervalDays;
  let request: BackupRequest;
  if (parsed['detail-type'] === BACKUP_CONTINUED) {
    const { instanceId, snapshotId, continuation } = parsed.detail;
    logger.appendKeys({ snapshotId, continuation });
    request = { instanceId, prefix: deps.config.prefix, resume: { snapshotId, continuation } };
  } else {
    const { instanceId, kinds, full } = parsed.detail;
    request = {
      instanceId,
      kinds,
      prefix: deps.config.prefix,
      full,
      ...(intervalDays === undefined ? {} : { fullReadIntervalMs: intervalDays * DAY_MS }),
    };
  }
  const result = await backupInstance(request, {
    connect: deps.connect,
    connectStats: deps.connectStats,
    store: deps.store,
    clock: deps.clock,
    logger,
    signal,
    ...(eventBridge && eventBusName ? { continueLater: continuationPutter(eventBridge, eventBusName) } : {}),
  });
  logger.appendKeys({ snapshotId: result.snapshotId });
  const apiCalls = Object.values(result.apiCalls).reduce((a, b) => a + b, 0);
  if (result.status === 'complete') {
    deps.metrics?.addMetric('ObjectsWritten', MetricUnit.Count, result.objects);
    deps.metrics?.addMetric('ConnectApiCalls', MetricUnit.Count, apiCalls);
    deps.metrics?.addMetric('ConnectThrottles', MetricUnit.Count, result.throttles);
    deps.metrics?.addMetric('BackupDuration', MetricUnit.Milliseconds, result.durationMs);
    // Per instance, and only for complete snapshots: a partial one's changes count again the next
    // night, which compares with the same previous complete snapshot.
    if (result.changedResources !== undefined && !result.partial) {
      deps.metrics
        ?.singleMetric()
        .addDimension('instanceId', result.instance.id)
        .addMetric('ChangedResources', MetricUnit.Count, result.changedResources);
    }
  } else if (result.status === 'continued') {
    deps.metrics?.addMetric('BackupContinuations', MetricUnit.Count, 1);
  }
  logger.info('backup invocation finished', {
    status: result.status,
    objects: result.objects,
    apiCalls,
    throttles: result.throttles,
    continuation: result.continuation,
    carriedForward: result.kinds.carriedForward,
    changedResources: result.changedResources,
  });
  return {
    status: result.status,
    snapshotId: result.snapshotId,
    manifestKey: result.manifestKey,
    counts: result.counts,
    objects: result.objects,
    throttles: result.throttles,
    kinds: result.kinds,
    ...(result.continuation === undefined ? {} : { continuation: result.continuation }),
    ...(result.changedResources === undefined ? {} : { changedResources: result.changedResources }),
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
      eventBridge: createEventBridgeClient({ region: config.region, endpoint: config.endpoints.eventBridge }),
      metrics,
      doctor: { s3, bucket: config.bucket, iam: createIamClient({ region: config.region }) },
    };
  }
  return deps;
}

/** The invocation in flight: middy's early-timeout response waits for its hand-over. */
let inFlight: Promise<BackupHandlerResult | DoctorResult> | undefined;

export const handler = middy({
  timeoutEarlyInMillis: DEADLINE_RESERVE_MS,
  // At the deadline middy aborts the signal and answers with this instead of the handler: the
  // backup then checkpoints and hands over, so answer with that outcome (or its failure).
  timeoutEarlyResponse: () => inFlight,
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, _context: Context, { signal }: { signal: AbortSignal }) => {
    inFlight = invocationHandler(event, containerDeps(), signal);
    return inFlight;
  });
