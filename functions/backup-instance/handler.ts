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
 * Invoked with connect-backup's event, `{ "ConnectInstanceId"?, "S3DestURL"?, "FlowsRaw"? }`
 * (`events/backup-instance-connect-backup.json`), it backs up that instance into a normal snapshot
 * under the URL's bucket and prefix, or, without an instance, puts one `Backup Requested` event per
 * instance (ListInstances) carrying that destination on the bus.
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
import { createEventBridgeClient, createIamClient, createS3Client, createSqsClient } from '#shared/aws.js';
import {
  type BackupContinuation,
  type BackupRequest,
  type BackupResult,
  backupInstance,
} from '#shared/backup/backup-instance.js';
import {
  accountOfFunctionArn,
  BACKUP_ATTEMPTS,
  type BackupQueuePort,
  backupQueueUrls,
  type QueueMessageControl,
  RETRY_DELAY_SECONDS,
  readQueueProgress,
  recordQueueProgress,
  sqsBackupQueue,
  sqsQueueControl,
} from '#shared/backup/backup-queue.js';
import {
  BACKUP_CONTINUED,
  type BackupContinuedDetail,
  backupEventSchema,
  backupRequestedEventSchema,
  connectBackupEventSchema,
  type Destination,
  destinationOf,
  doctorRequestSchema,
  EVENT_SOURCE,
  InvalidEventError,
  isConnectBackupEvent,
  isDoctorRequest,
  isSqsEvent,
  parseEvent,
  type SqsRecord,
  sqsEventSchema,
} from '#shared/backup/events.js';
import { memberConnectClients } from '#shared/backup/member-accounts.js';
import { accountPrefix, scheduleBackups } from '#shared/backup/schedule-backups.js';
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
  config: Pick<Config, 'prefix'> &
    Partial<Pick<Config, 'fullBackupIntervalDays' | 'eventBusName' | 'bucket'>>;
  connect: ConnectClient;
  connectStats: ConnectCallStats;
  /** The configured bucket's store. */
  store: SnapshotStore;
  /** A store for another bucket (an event's destination); without it only the configured one is written. */
  storeFor?: (bucket: string) => SnapshotStore;
  clock: { now(): Date };
  eventBridge?: EventBridgeClient;
  /** `singleMetric` emits `ChangedResources` with the instance as a dimension of its own. */
  metrics?: Pick<typeof metrics, 'addMetric' | 'singleMetric'>;
  /** What the doctor mode checks besides Connect: the snapshot bucket, and IAM for the restore role. */
  doctor?: { s3: S3Client; bucket: string; iam?: IAMClient };
  /** The backup queue: where a connect-backup event without an instance queues its backups. */
  queue?: BackupQueuePort;
  /** The consumer's controls on its own messages (visibility, dead letters). */
  queueControl?: QueueMessageControl;
  /** This account and Region (the message group of the backups a connect-backup event queues). */
  accountId?: string;
  region?: string;
  /**
   * Connect in a member account (organisation-wide backups), through the member role; without it
   * an event naming an `accountId` fails before anything is read.
   */
  connectFor?: (accountId: string) => { connect: ConnectClient; connectStats: ConnectCallStats };
}

/** Thrown when an event names a member account this deployment has no role for. */
export class MemberAccountNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemberAccountNotAllowedError';
  }
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

/** Thrown when an event names a destination this deployment cannot write (no store for it). */
export class DestinationNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationNotAllowedError';
  }
}

/**
 * The store and prefix a backup writes to: the event's destination, else the configured ones; a
 * member account's instances under `<prefix>/<accountId>`.
 */
function storeOf(
  deps: BackupDeps,
  destination: Destination | undefined,
  accountId?: string,
): { store: SnapshotStore; prefix: string } {
  if (!destination || destination.bucket === deps.config.bucket) {
    return { store: deps.store, prefix: accountPrefix(destination?.prefix ?? deps.config.prefix, accountId) };
  }
  if (!deps.storeFor) {
    throw new DestinationNotAllowedError(
      `This function writes only to its configured bucket, not to ${destination.bucket}.`,
    );
  }
  return { store: deps.storeFor(destination.bucket), prefix: accountPrefix(destination.prefix, accountId) };
}

/** Connect for the event's account: this account's client, or the member role's. */
function connectOf(
  deps: BackupDeps,
  accountId: string | undefined,
): Pick<BackupDeps, 'connect' | 'connectStats'> {
  if (!accountId || accountId === deps.accountId)
    return { connect: deps.connect, connectStats: deps.connectStats };
  if (!deps.connectFor)
    throw new MemberAccountNotAllowedError(
      `This deployment backs up no member account (MEMBER_ROLE_NAME is not set), not ${accountId}.`,
    );
  return deps.connectFor(accountId);
}

/** Puts the `Backup Continued` event that resumes a snapshot (PutEvents). */
function continuationPutter(
  eventBridge: EventBridgeClient,
  eventBusName: string,
  destination: Destination | undefined,
  accountId: string | undefined,
): (continuation: BackupContinuation) => Promise<void> {
  return async (continuation) => {
    const detail: BackupContinuedDetail = {
      ...continuation,
      ...(accountId ? { accountId } : {}),
      ...(destination ? { destination } : {}),
    };
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
): Promise<BackupHandlerResult | DoctorResult | FanOutResult | QueueBatchResponse> {
  if (isDoctorRequest(event)) return doctorHandler(event, deps, signal);
  if (isSqsEvent(event)) return queueHandler(event, deps, signal);
  if (isConnectBackupEvent(event)) return connectBackupHandler(event, deps, signal);
  return backupInstanceHandler(event, deps, signal);
}

/** What a connect-backup event without an instance returns: the instances it asked to back up. */
export interface FanOutResult {
  status: 'requested';
  requested: string[];
  destination: Destination;
}

/**
 * connect-backup's event: one instance is backed up here, as a `Backup Requested` event for it
 * would be; without `ConnectInstanceId`, one `Backup Requested` event per ACTIVE instance
 * (ListInstances) goes on the bus, each with the destination. `FlowsRaw` changes nothing: the raw
 * flow content is always in the snapshot.
 * @throws InvalidEventError for an event that fails {@link connectBackupEventSchema} or a bad
 *   S3DestURL; DestinationNotAllowedError for a bucket this function has no store for; Error when
 *   the fan-out has no bus to put events on. All before any write.
 */
export async function connectBackupHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<BackupHandlerResult | FanOutResult> {
  const request = parseEvent(connectBackupEventSchema, event, 'connect-backup event');
  const destination = request.S3DestURL
    ? destinationOf(request.S3DestURL)
    : { bucket: deps.config.bucket ?? '', prefix: deps.config.prefix };
  if (request.S3DestURL) storeOf(deps, destination);
  logger.appendKeys({ mode: 'connect-backup' });
  if (request.ConnectInstanceId) {
    const detail = { instanceId: request.ConnectInstanceId, ...(request.S3DestURL ? { destination } : {}) };
    return backupInstanceHandler(
      { source: EVENT_SOURCE, 'detail-type': 'Backup Requested', detail },
      deps,
      signal,
    );
  }
  const { queue, accountId, region } = deps;
  if (!queue || !accountId || !region)
    throw new Error('backing up every instance needs the backup queue (deps.queue, accountId, region)');
  const details = await scheduleBackups(
    { instanceIds: [], ...(request.S3DestURL ? { destination } : {}) },
    { connect: deps.connect, queue, accountId, region, clock: deps.clock, logger },
  );
  const requested = details.map((d) => d.instanceId);
  logger.info('connect-backup event: backups requested', { requested, destination });
  return { status: 'requested', requested, destination };
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
  options: { continueLater?: (continuation: BackupContinuation) => Promise<void> } = {},
): Promise<BackupHandlerResult> {
  const parsed = parseEvent(backupEventSchema, event, 'backup-instance event');
  logger.appendKeys({ instanceId: parsed.detail.instanceId });
  const { eventBridge } = deps;
  const eventBusName = deps.config.eventBusName;
  const intervalDays = deps.config.fullBackupIntervalDays;
  const { destination, accountId } = parsed.detail;
  const { store, prefix } = storeOf(deps, destination, accountId);
  const { connect, connectStats } = connectOf(deps, accountId);
  if (accountId) logger.appendKeys({ accountId });
  if (destination) logger.appendKeys({ destination: `s3://${destination.bucket}/${destination.prefix}` });
  let request: BackupRequest;
  if (parsed['detail-type'] === BACKUP_CONTINUED) {
    const { instanceId, snapshotId, continuation } = parsed.detail;
    logger.appendKeys({ snapshotId, continuation });
    request = { instanceId, prefix, resume: { snapshotId, continuation } };
  } else {
    const { instanceId, kinds, full } = parsed.detail;
    request = {
      instanceId,
      kinds,
      prefix,
      full,
      ...(intervalDays === undefined ? {} : { fullReadIntervalMs: intervalDays * DAY_MS }),
    };
  }
  const continueLater =
    options.continueLater ??
    (eventBridge && eventBusName
      ? continuationPutter(eventBridge, eventBusName, destination, accountId)
      : undefined);
  const result = await backupInstance(request, {
    connect,
    connectStats,
    store,
    clock: deps.clock,
    logger,
    signal,
    ...(continueLater ? { continueLater } : {}),
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

/** What the function answers Lambda's SQS event source mapping (partial batch responses). */
export interface QueueBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/**
 * A message of the backup queue (SQS FIFO, batch size 1): the `Backup Requested` envelope, backed
 * up as the bus's would be, resumed from the latest hand-over recorded for that message
 * (`readQueueProgress`) when there is one.
 *
 * - `continued` (the Lambda deadline): the backup wrote checkpoint n, the handler records it
 *   (`queue/<request>/<n>.json`), makes the message visible again at once (ChangeMessageVisibility
 *   0) and reports it failed, so it stays the head of its message group and is the group's next
 *   delivery, resumed: the other instances of the account wait behind it.
 * - `complete` or `duplicate`: the message is done (Lambda deletes it).
 * - A failure: retried after {@link RETRY_DELAY_SECONDS} until the message's failed attempts
 *   (its receives less its hand-overs) reach {@link BACKUP_ATTEMPTS}; then, and at once for a body
 *   that is not a valid request, it goes to the dead-letter queue with the reason and is deleted,
 *   and the group moves on.
 *
 * A later record of a batch is failed unprocessed after a failed one (FIFO order).
 * @throws InvalidEventError for an event that is not an SQS event of the expected shape;
 *   Error when `deps` has no queue controls.
 */
export async function queueHandler(
  event: unknown,
  deps: BackupDeps,
  signal?: AbortSignal,
): Promise<QueueBatchResponse> {
  const { Records } = parseEvent(sqsEventSchema, event, 'backup queue event');
  const control = deps.queueControl;
  if (!control) throw new Error('the backup queue consumer needs its queue controls (deps.queueControl)');
  const batchItemFailures: QueueBatchResponse['batchItemFailures'] = [];
  for (const record of Records) {
    if (batchItemFailures.length) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    if (!(await queuedBackup(record, deps, control, signal)))
      batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}

/** One queued backup. @returns true when the message is done (to delete), false to keep it. */
async function queuedBackup(
  record: SqsRecord,
  deps: BackupDeps,
  control: QueueMessageControl,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const groupId = record.attributes.MessageGroupId;
  const requestKey = record.attributes.MessageDeduplicationId;
  logger.appendKeys({ messageGroupId: groupId, receiveCount: record.attributes.ApproximateReceiveCount });
  let handedOver = 0;
  try {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new InvalidEventError(`Invalid backup queue message: not JSON (${(error as Error).message})`);
    }
    const requested = parseEvent(backupRequestedEventSchema, body, 'backup queue message');
    const { instanceId, accountId, destination } = requested.detail;
    const { store, prefix } = storeOf(deps, destination, accountId);
    const progress = await readQueueProgress(store, prefix, instanceId, requestKey);
    handedOver = progress?.continuation ?? 0;
    const event = progress
      ? {
          source: requested.source,
          'detail-type': BACKUP_CONTINUED,
          detail: {
            instanceId,
            snapshotId: progress.snapshotId,
            continuation: progress.continuation,
            ...(accountId ? { accountId } : {}),
            ...(destination ? { destination } : {}),
          },
        }
      : requested;
    const result = await backupInstanceHandler(event, deps, signal, {
      continueLater: async (continuation) => {
        await recordQueueProgress(store, prefix, instanceId, requestKey, continuation);
        // This receive handed over: a failure after it (making the message visible) is no failed attempt.
        handedOver = continuation.continuation;
      },
    });
    if (result.status !== 'continued') return true;
    await control.changeVisibility(record.receiptHandle, 0);
    logger.info('backup keeps its place at the head of its message group', {
      continuation: result.continuation,
    });
    return false;
  } catch (error) {
    const failedAttempts = record.attributes.ApproximateReceiveCount - handedOver;
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    // What no retry can change: a body that is no request, an account or bucket this deployment may not write.
    const invalid =
      error instanceof InvalidEventError ||
      error instanceof MemberAccountNotAllowedError ||
      error instanceof DestinationNotAllowedError;
    if (invalid || failedAttempts >= BACKUP_ATTEMPTS) {
      logger.warn('backup request sent to the dead-letter queue', { failedAttempts, reason });
      await control.deadLetter({
        body: record.body,
        groupId,
        deduplicationId: requestKey,
        reason,
      });
      return true;
    }
    logger.warn('backup failed; retried', { failedAttempts, retryInSeconds: RETRY_DELAY_SECONDS, reason });
    await control.changeVisibility(record.receiptHandle, RETRY_DELAY_SECONDS);
    return false;
  }
}

let deps: BackupDeps | undefined;

/**
 * Clients and config, created once per container on first use (no network at module scope). The
 * account is `ACCOUNT_ID` when set (local runs), else the function's own ARN's.
 */
function containerDeps(invokedFunctionArn: string): BackupDeps {
  if (!deps) {
    const config = readConfig();
    const accountId = config.accountId ?? accountOfFunctionArn(invokedFunctionArn);
    const { queueUrl, deadLetterQueueUrl } = backupQueueUrls(config, accountId);
    const connectWith = (credentials?: Parameters<typeof createConnectClient>[0]['credentials']) =>
      createConnectClient({
        region: config.region,
        endpoint: config.endpoints.connect,
        rateFactor: config.rateFactor,
        ...(credentials ? { credentials } : {}),
      });
    const { client: connect, stats: connectStats } = connectWith();
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    const sqs = createSqsClient({ region: config.region, endpoint: config.endpoints.sqs });
    const { members } = config;
    // One client (and limiter) per member account, through the member role.
    const { roleName } = members;
    const memberClient = roleName
      ? memberConnectClients({
          roleName,
          externalId: members.externalId,
          region: config.region,
          sessionName: 'connect-vault-backup-instance',
          create: (credentials) => connectWith(credentials),
        })
      : undefined;
    deps = {
      config,
      connect,
      connectStats,
      store: new S3SnapshotStore({ client: s3, bucket: config.bucket, kmsKeyId: config.kmsKeyArn }),
      // Another bucket (a connect-backup event's S3DestURL) keeps its own default encryption.
      storeFor: (bucket) => new S3SnapshotStore({ client: s3, bucket }),
      clock: { now: () => new Date() },
      eventBridge: createEventBridgeClient({ region: config.region, endpoint: config.endpoints.eventBridge }),
      metrics,
      doctor: { s3, bucket: config.bucket, iam: createIamClient({ region: config.region }) },
      ...(queueUrl ? { queue: sqsBackupQueue(sqs, queueUrl) } : {}),
      ...(queueUrl && deadLetterQueueUrl
        ? { queueControl: sqsQueueControl(sqs, queueUrl, deadLetterQueueUrl) }
        : {}),
      accountId,
      region: config.region,
      ...(memberClient
        ? {
            connectFor: (accountId: string) => {
              const made = memberClient(accountId);
              return { connect: made.client, connectStats: made.stats };
            },
          }
        : {}),
    };
  }
  return deps;
}

/** The invocation in flight: middy's early-timeout response waits for its hand-over. */
let inFlight: Promise<BackupHandlerResult | DoctorResult | FanOutResult | QueueBatchResponse> | undefined;

export const handler = middy({
  timeoutEarlyInMillis: DEADLINE_RESERVE_MS,
  // At the deadline middy aborts the signal and answers with this instead of the handler: the
  // backup then checkpoints and hands over, so answer with that outcome (or its failure).
  timeoutEarlyResponse: () => inFlight,
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, context: Context, { signal }: { signal: AbortSignal }) => {
    inFlight = invocationHandler(event, containerDeps(context.invokedFunctionArn), signal);
    return inFlight;
  });
