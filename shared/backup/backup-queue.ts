/**
 * The backup queue: one SQS FIFO queue between the scheduler and backup-instance, so that the
 * backups of instances that share an account and Region (one set of Connect quotas) run one at a
 * time, and those of other accounts or Regions run beside them.
 *
 * - The scheduler sends one message per instance (SendMessageBatch, 10 a call) with message group
 *   `<account>/<region>` ({@link messageGroupOf}) and deduplication id `<account>/<instance>@<requested
 *   at>` ({@link deduplicationIdOf}). EventBridge's SQS target takes one static MessageGroupId per
 *   target (EventBridge API Reference, `SqsParameters`), so the scheduler sends the messages itself.
 *   SQS delivers one message of a group at a time and no other message of the group while one is in
 *   flight (SQS Developer Guide, "FIFO queue delivery logic", "Using the message group ID").
 * - backup-instance consumes the queue (Lambda event source mapping, batch size 1, partial batch
 *   responses). A backup that reaches the Lambda deadline checkpoints, records its progress in the
 *   store ({@link queueProgressKey}), makes its message visible again at once (ChangeMessageVisibility
 *   0) and reports it as a batch item failure: the message is still the head of its group, so the
 *   group's next delivery is the same backup, resumed, ahead of the other instances of its account.
 * - A failed backup is retried after {@link RETRY_DELAY_SECONDS} until it has failed
 *   {@link BACKUP_ATTEMPTS} times; then the handler sends the message to the dead-letter queue itself
 *   and deletes it, so the group moves on. The queue's redrive policy
 *   (`maxReceiveCount` {@link BACKUP_QUEUE_MAX_RECEIVES}) is the backstop for invocations that die
 *   before the handler can count (a crash, an out-of-memory kill).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { instanceRoot } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { MAX_CONTINUATIONS } from './backup-instance.js';
import { checkpointKey } from './checkpoint.js';

/** Attempts a queued backup may fail (the first and two retries, as EventBridge's rule had). */
export const BACKUP_ATTEMPTS = 3;

/**
 * The queue's redrive `maxReceiveCount`: every continuation is one receive (at most
 * {@link MAX_CONTINUATIONS}, the backup's own guard against endless continuations) and so is every
 * failed attempt (at most {@link BACKUP_ATTEMPTS}). infra/events.yml must say the same
 * (tests/infra/backup-queue.test.ts).
 */
export const BACKUP_QUEUE_MAX_RECEIVES = MAX_CONTINUATIONS + BACKUP_ATTEMPTS;

/** How long a failed backup's message stays invisible before its retry, in seconds. */
export const RETRY_DELAY_SECONDS = 60;

/** SendMessageBatch takes at most 10 entries per call. */
const SEND_BATCH = 10;

/** SQS's limit on MessageGroupId and MessageDeduplicationId: 128 characters. */
const SQS_ID_MAX = 128;

/**
 * A queue's URL from its name (SQS Developer Guide, "Amazon SQS queue and message identifiers":
 * `https://sqs.<region>.amazonaws.com/<account>/<name>`; `amazonaws.com.cn` in the China Regions).
 */
export function queueUrlOf(name: string, region: string, accountId: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${accountId}/${name}`;
}

/**
 * The account of a Lambda function's ARN (`context.invokedFunctionArn`,
 * `arn:<partition>:lambda:<region>:<account>:function:<name>[:alias]`).
 * @throws Error for a string that is not a Lambda function ARN.
 */
export function accountOfFunctionArn(arn: string): string {
  const account = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:/.exec(arn)?.[1];
  if (!account) throw new Error(`Not a Lambda function ARN: ${arn}`);
  return account;
}

/** The backup queue's and its DLQ's URLs: the configured URLs (local runs), else made from the names. */
export function backupQueueUrls(
  config: {
    queueUrl?: string | undefined;
    deadLetterQueueUrl?: string | undefined;
    queueName?: string | undefined;
    deadLetterQueueName?: string | undefined;
    region: string;
  },
  accountId: string,
): { queueUrl?: string; deadLetterQueueUrl?: string } {
  const queueUrl =
    config.queueUrl ?? (config.queueName && queueUrlOf(config.queueName, config.region, accountId));
  const deadLetterQueueUrl =
    config.deadLetterQueueUrl ??
    (config.deadLetterQueueName && queueUrlOf(config.deadLetterQueueName, config.region, accountId));
  return { ...(queueUrl ? { queueUrl } : {}), ...(deadLetterQueueUrl ? { deadLetterQueueUrl } : {}) };
}

/** The message group of an account and Region: `<account>/<region>`. */
export function messageGroupOf(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/**
 * The deduplication id of one instance's backup request: `<account>/<instanceId>@<requestedAt>`
 * (SQS drops a second message with the same id within 5 minutes, so a scheduler run retried
 * after a partial failure does not queue an instance twice). Longer than SQS's 128 characters (an
 * instance id of up to 100), its SHA-256 instead.
 */
export function deduplicationIdOf(accountId: string, instanceId: string, requestedAt: string): string {
  const id = `${accountId}/${instanceId}@${requestedAt}`;
  return id.length <= SQS_ID_MAX ? id : createHash('sha256').update(id).digest('hex');
}

/** One message for the queue. */
export interface QueuedBackup {
  /** Unique within one send call (the batch entry id): the instance's position. */
  id: string;
  groupId: string;
  deduplicationId: string;
  /** The `Backup Requested` envelope, JSON. */
  body: string;
}

/** Where the scheduler sends backup requests. */
export interface BackupQueuePort {
  /**
   * Sends the messages, in order.
   * @returns the ids of the messages the queue refused.
   */
  send(messages: readonly QueuedBackup[]): Promise<{ failed: string[] }>;
}

/** What the consumer does with its own message besides answering Lambda. */
export interface QueueMessageControl {
  /** Makes an in-flight message visible again after `seconds` (ChangeMessageVisibility). */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Sends a message that failed for good to the dead-letter queue (SendMessage), same group. */
  deadLetter(message: {
    body: string;
    groupId: string;
    deduplicationId: string;
    reason: string;
  }): Promise<void>;
}

/**
 * The queue through SQS: SendMessageBatch, 10 entries a call, in order.
 * @throws the SDK's errors for a call that fails as a whole (after its retries).
 */
export function sqsBackupQueue(client: SQSClient, queueUrl: string): BackupQueuePort {
  return {
    async send(messages) {
      const failed: string[] = [];
      for (let i = 0; i < messages.length; i += SEND_BATCH) {
        const batch = messages.slice(i, i + SEND_BATCH);
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((m) => ({
              Id: m.id,
              MessageBody: m.body,
              MessageGroupId: m.groupId,
              MessageDeduplicationId: m.deduplicationId,
            })),
          }),
        );
        for (const entry of result.Failed ?? []) if (entry.Id) failed.push(entry.Id);
      }
      return { failed };
    },
  };
}

/**
 * The consumer's controls through SQS: ChangeMessageVisibility on the backup queue, SendMessage to
 * its (FIFO) dead-letter queue with the message's group and deduplication id and the reason as a
 * message attribute.
 */
export function sqsQueueControl(
  client: SQSClient,
  queueUrl: string,
  deadLetterQueueUrl: string,
): QueueMessageControl {
  return {
    async changeVisibility(receiptHandle, seconds) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
    async deadLetter(message) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: message.reason.slice(0, 1000) },
          },
        }),
      );
    },
  };
}

/** Where a queued backup stands: the snapshot it writes and the checkpoint to resume from. */
export interface QueueProgress {
  snapshotId: string;
  continuation: number;
}

/** A deduplication id made safe as a key segment (`/` and `:` are replaced, `@` kept). */
function requestSegment(deduplicationId: string): string {
  return deduplicationId.replace(/[^A-Za-z0-9@._-]/g, '_');
}

/**
 * Key of a queued backup's progress after its `n`th hand-over:
 * `<prefix>/<instanceId>/queue/<request>/<n>.json`, written once (`putIfAbsent`) right after
 * checkpoint `n`. Working state like the checkpoints: no snapshot lists it.
 */
export function queueProgressKey(
  prefix: string,
  instanceId: string,
  deduplicationId: string,
  continuation: number,
): string {
  return `${queueProgressFolder(prefix, instanceId, deduplicationId)}${continuation}.json`;
}

function queueProgressFolder(prefix: string, instanceId: string, deduplicationId: string): string {
  return `${instanceRoot(prefix, instanceId)}queue/${requestSegment(deduplicationId)}/`;
}

/** Records a hand-over of a queued backup. @returns false when it was already recorded. */
export function recordQueueProgress(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  deduplicationId: string,
  progress: QueueProgress,
): Promise<boolean> {
  return store.putIfAbsent(
    queueProgressKey(prefix, instanceId, deduplicationId, progress.continuation),
    JSON.stringify({ snapshotId: progress.snapshotId, continuation: progress.continuation }),
    'application/json',
  );
}

/**
 * The latest hand-over of a queued backup, or undefined for a backup that has not handed over yet:
 * the newest record (one S3 list of its folder, one read), then any later checkpoint of the same
 * snapshot (an invocation that died between writing checkpoint n + 1 and recording it: resuming
 * from n would end as `duplicate` and drop the message with the snapshot unfinished). A backup that
 * died before recording its first hand-over has no record: its redelivery starts a new snapshot
 * (the unfinished one has no manifest and never counts).
 * @throws Error when the newest record is not what {@link recordQueueProgress} writes.
 */
export async function readQueueProgress(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  deduplicationId: string,
): Promise<QueueProgress | undefined> {
  let newest = 0;
  const folder = queueProgressFolder(prefix, instanceId, deduplicationId);
  for await (const key of store.list(folder)) {
    const n = Number(/^(\d+)\.json$/.exec(key.slice(folder.length))?.[1] ?? Number.NaN);
    if (Number.isInteger(n) && n > newest) newest = n;
  }
  if (newest === 0) return undefined;
  const key = `${folder}${newest}.json`;
  const bytes = await store.get(key);
  const parsed = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as Partial<QueueProgress>;
  if (typeof parsed.snapshotId !== 'string' || parsed.continuation !== newest)
    throw new Error(`The queue progress record ${key} is not one connect-vault wrote`);
  let continuation = newest;
  while (
    continuation < MAX_CONTINUATIONS &&
    (await store.get(checkpointKey(prefix, instanceId, parsed.snapshotId, continuation + 1)))
  )
    continuation += 1;
  return { snapshotId: parsed.snapshotId, continuation };
}
