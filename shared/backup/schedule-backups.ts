/**
 * The scheduler use case: find the instances to back up and put one `Backup Requested` event per
 * instance on the project's EventBridge bus.
 */
import { type ConnectClient, paginateListInstances } from '@aws-sdk/client-connect';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { KindName } from '#shared/kinds/index.js';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { readLatestPointer } from '#shared/snapshot/verify.js';
import { BACKUP_REQUESTED, type BackupRequestDetail, type Destination, EVENT_SOURCE } from './events.js';

export interface ScheduleRequest {
  /** Instances to back up; when empty, every instance ListInstances returns. */
  instanceIds: readonly string[];
  kinds?: readonly KindName[];
  /** Ask for full backups instead of incremental ones. */
  full?: boolean;
  /** Another bucket and prefix than the backup function's configured ones, passed on in each event. */
  destination?: Destination;
  eventBusName: string;
}

export interface SchedulePorts {
  connect: ConnectClient;
  eventBridge: EventBridgeClient;
  clock: ClockPort;
  logger: LoggerPort;
}

/** Thrown when EventBridge rejects some of the events; the message lists the instances. */
export class PutEventsFailedError extends Error {
  constructor(
    message: string,
    readonly failedInstanceIds: string[],
  ) {
    super(message);
    this.name = 'PutEventsFailedError';
  }
}

/** PutEvents takes at most 10 entries per call. */
const PUT_EVENTS_BATCH = 10;

/**
 * Lists the instances (ListInstances, unless a list is given) and puts one `Backup Requested` event
 * per instance (PutEvents, 10 per call).
 *
 * @returns the details put on the bus, one per instance.
 * @throws PutEventsFailedError when EventBridge rejects any entry (after the SDK's retries), so the
 *   schedule's invocation fails and is retried.
 */
export async function scheduleBackups(
  request: ScheduleRequest,
  ports: SchedulePorts,
): Promise<BackupRequestDetail[]> {
  let instanceIds = [...request.instanceIds];
  if (instanceIds.length === 0) {
    for await (const page of paginateListInstances({ client: ports.connect }, {})) {
      for (const summary of page.InstanceSummaryList ?? []) {
        if (summary.Id && summary.InstanceStatus === 'ACTIVE') instanceIds.push(summary.Id);
      }
    }
  }
  instanceIds = [...new Set(instanceIds)];
  const requestedAt = ports.clock.now().toISOString();
  const details: BackupRequestDetail[] = instanceIds.map((instanceId) => ({
    instanceId,
    ...(request.kinds ? { kinds: [...request.kinds] } : {}),
    ...(request.full ? { full: true } : {}),
    ...(request.destination ? { destination: request.destination } : {}),
    requestedAt,
  }));

  const failed: string[] = [];
  for (let i = 0; i < details.length; i += PUT_EVENTS_BATCH) {
    const batch = details.slice(i, i + PUT_EVENTS_BATCH);
    const result = await ports.eventBridge.send(
      new PutEventsCommand({
        Entries: batch.map((detail) => ({
          EventBusName: request.eventBusName,
          Source: EVENT_SOURCE,
          DetailType: BACKUP_REQUESTED,
          Detail: JSON.stringify(detail),
        })),
      }),
    );
    result.Entries?.forEach((entry, index) => {
      const detail = batch[index];
      if (entry.ErrorCode && detail) failed.push(detail.instanceId);
    });
  }
  if (failed.length) {
    throw new PutEventsFailedError(`EventBridge rejected the backup events of ${failed.join(', ')}`, failed);
  }
  ports.logger.info('backups requested', { instances: details.length });
  return details;
}

/** Hours after which an instance's newest complete snapshot is stale: a night missed, and margin. */
export const STALE_AFTER_HOURS = 26;

/** The age of each instance's newest complete snapshot, as the scheduler sees it before a run. */
export interface BackupFreshness {
  /** Instances whose newest complete snapshot finished more than `STALE_AFTER_HOURS` ago. */
  stale: Array<{ instanceId: string; finishedAt: string; ageHours: number }>;
  /** Instances with no complete snapshot yet (a new deployment or a new instance): not stale. */
  neverBackedUp: string[];
}

/**
 * Reads each instance's `latest.json` (one S3 GetObject each) and tells which are stale: the
 * heartbeat behind the "no successful backup in 26 hours" alarm, which works per instance without a
 * CloudWatch alarm per instance.
 * @throws SnapshotIntegrityError when a `latest.json` cannot be parsed (the alarm must not stay
 *   quiet over it); the store's errors unchanged.
 */
export async function backupFreshness(
  instanceIds: readonly string[],
  store: SnapshotStore,
  prefix: string,
  now: Date,
  staleAfterHours = STALE_AFTER_HOURS,
): Promise<BackupFreshness> {
  const freshness: BackupFreshness = { stale: [], neverBackedUp: [] };
  for (const instanceId of instanceIds) {
    const latest = await readLatestPointer(store, prefix, instanceId);
    if (!latest) {
      freshness.neverBackedUp.push(instanceId);
      continue;
    }
    const ageHours = (now.getTime() - Date.parse(latest.finishedAt)) / 3_600_000;
    if (ageHours > staleAfterHours)
      freshness.stale.push({
        instanceId,
        finishedAt: latest.finishedAt,
        ageHours: Math.round(ageHours * 10) / 10,
      });
  }
  return freshness;
}
