/**
 * A local model of an SQS FIFO queue and of Lambda's SQS event source mapping, in-process: SQS is
 * not available here, so the tests, the demo and the bench run the backup queue through this. It
 * models what connect-vault relies on, as the SQS Developer Guide states it:
 *
 * - messages of one message group are delivered in the order sent, one at a time: while a message
 *   of a group is in flight (received, not deleted, its visibility timeout not over) no other
 *   message of that group is delivered ("FIFO queue delivery logic"; "Using the message group ID");
 * - a message not deleted becomes visible again when its visibility timeout ends, or at once after
 *   ChangeMessageVisibility 0, still the head of its group;
 * - a second message with the same deduplication id within 5 minutes is accepted and dropped
 *   ("FIFO queue key terms": message deduplication ID);
 * - `ApproximateReceiveCount` counts receives; a message whose count would pass the redrive
 *   policy's `maxReceiveCount` moves to the dead-letter queue instead of being delivered;
 * - send validation: a FIFO message needs a MessageGroupId and (without content-based
 *   deduplication) a MessageDeduplicationId, each 1..128 characters of letters, digits and
 *   punctuation.
 *
 * Time is the model's own clock (`now()`, real time plus a skew the poller advances when every
 * group waits on a visibility timeout), so a 60-second retry delay costs no real minute.
 */
import { createHash, randomUUID } from 'node:crypto';

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const SQS_ID = /^[\x21-\x7e]{1,128}$/;

export interface FifoMessage {
  messageId: string;
  body: string;
  groupId: string;
  deduplicationId: string;
  sentAt: number;
  sequenceNumber: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** In flight until then (model ms); 0: visible. */
  invisibleUntil: number;
  receiptHandle?: string;
  attributes?: Record<string, string>;
}

/** An SQS error as the service names it. */
export class SqsModelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface FifoQueueOptions {
  name: string;
  visibilityTimeoutSeconds: number;
  /** The redrive policy: the dead-letter queue and maxReceiveCount. */
  redrive?: { deadLetter: FifoQueue; maxReceiveCount: number };
  clock?: { now(): number };
}

/** One FIFO queue. */
export class FifoQueue {
  readonly messages: FifoMessage[] = [];
  private readonly seen = new Map<string, number>();
  private sequence = 0;
  /** Every send accepted (duplicates included), for assertions. */
  readonly sent: Array<{ groupId: string; deduplicationId: string; body: string; duplicate: boolean }> = [];

  constructor(readonly options: FifoQueueOptions) {}

  now(): number {
    return this.options.clock?.now() ?? Date.now();
  }

  /**
   * SendMessage.
   * @throws SqsModelError MissingParameter / InvalidParameterValue as SQS answers a FIFO queue.
   */
  send(message: {
    body: string;
    groupId?: string | undefined;
    deduplicationId?: string | undefined;
    attributes?: Record<string, string>;
  }): { messageId: string; duplicate: boolean; sequenceNumber: number } {
    if (!message.groupId)
      throw new SqsModelError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    if (!message.deduplicationId)
      throw new SqsModelError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    for (const [name, value] of [
      ['MessageGroupId', message.groupId],
      ['MessageDeduplicationId', message.deduplicationId],
    ] as const)
      if (!SQS_ID.test(value))
        throw new SqsModelError('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid.`);
    if (Buffer.byteLength(message.body) > 256 * 1024)
      throw new SqsModelError('InvalidParameterValue', 'Message must be shorter than 262144 bytes.');
    const now = this.now();
    const seenAt = this.seen.get(message.deduplicationId);
    const duplicate = seenAt !== undefined && now - seenAt < DEDUPLICATION_WINDOW_MS;
    this.sent.push({
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      body: message.body,
      duplicate,
    });
    if (duplicate) {
      const original = this.messages.find((m) => m.deduplicationId === message.deduplicationId);
      return {
        messageId: original?.messageId ?? randomUUID(),
        duplicate,
        sequenceNumber: original?.sequenceNumber ?? 0,
      };
    }
    this.seen.set(message.deduplicationId, now);
    this.sequence += 1;
    const stored: FifoMessage = {
      messageId: randomUUID(),
      body: message.body,
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      sentAt: now,
      sequenceNumber: this.sequence,
      receiveCount: 0,
      invisibleUntil: 0,
      ...(message.attributes ? { attributes: message.attributes } : {}),
    };
    this.messages.push(stored);
    return { messageId: stored.messageId, duplicate: false, sequenceNumber: stored.sequenceNumber };
  }

  /**
   * ReceiveMessage of one message: the head of the first group (in order of their heads' sequence
   * numbers) that has no message in flight; `excludeGroups` lets a poller skip groups it serves.
   * A head whose receive count reached maxReceiveCount moves to the dead-letter queue first.
   */
  receive(): FifoMessage | undefined {
    const now = this.now();
    const heads = new Map<string, FifoMessage>();
    for (const m of this.messages) if (!heads.has(m.groupId)) heads.set(m.groupId, m);
    for (const head of [...heads.values()].sort((a, b) => a.sequenceNumber - b.sequenceNumber)) {
      if (head.invisibleUntil > now) continue;
      const redrive = this.options.redrive;
      if (redrive && head.receiveCount >= redrive.maxReceiveCount) {
        this.remove(head);
        redrive.deadLetter.send({
          body: head.body,
          groupId: head.groupId,
          deduplicationId: head.deduplicationId,
        });
        return this.receive();
      }
      head.receiveCount += 1;
      head.firstReceiveAt ??= now;
      head.invisibleUntil = now + this.options.visibilityTimeoutSeconds * 1000;
      head.receiptHandle = `${head.messageId}#${head.receiveCount}#${randomUUID()}`;
      return head;
    }
    return undefined;
  }

  private byReceipt(receiptHandle: string): FifoMessage {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message)
      throw new SqsModelError(
        'ReceiptHandleIsInvalid',
        `The receipt handle "${receiptHandle}" is not valid.`,
      );
    return message;
  }

  /** DeleteMessage. */
  delete(receiptHandle: string): void {
    this.remove(this.byReceipt(receiptHandle));
  }

  /**
   * ChangeMessageVisibility: the message stays in flight for `seconds` more (0: visible now).
   * @throws SqsModelError MessageNotInflight for a message not in flight.
   */
  changeVisibility(receiptHandle: string, seconds: number): void {
    const message = this.byReceipt(receiptHandle);
    if (message.invisibleUntil <= this.now())
      throw new SqsModelError('MessageNotInflight', 'The message referred to is not in flight.');
    message.invisibleUntil = this.now() + seconds * 1000;
  }

  private remove(message: FifoMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  /** When the next in-flight message becomes visible again (model ms), if any. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.invisibleUntil).filter((t) => t > this.now());
    return times.length ? Math.min(...times) : undefined;
  }
}

/** A skewable clock the poller moves forward when everything waits on a visibility timeout. */
export class ModelClock {
  skew = 0;
  now(): number {
    return Date.now() + this.skew;
  }
}

/** The SQS event record Lambda delivers for a message. */
export function lambdaRecord(queue: FifoQueue, message: FifoMessage) {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SequenceNumber: String(message.sequenceNumber),
      MessageGroupId: message.groupId,
      SenderId: 'AIDAFIFOMODEL',
      MessageDeduplicationId: message.deduplicationId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt ?? message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:111122223333:${queue.options.name}`,
    awsRegion: 'us-east-1',
  };
}

/** One invocation the poller made. */
export interface PolledInvocation {
  messageId: string;
  groupId: string;
  receiveCount: number;
  startedAt: number;
  finishedAt: number;
  outcome: 'deleted' | 'kept' | 'threw';
}

/**
 * Lambda's SQS event source mapping with batch size 1 and partial batch responses: receives a
 * message whenever a slot is free (at most `concurrency` invocations at once; FIFO: one per
 * group), invokes `handler` with `{ Records: [record] }`, deletes the message unless the response
 * lists it in `batchItemFailures` or the handler throws. Runs until the queue is empty; when every
 * remaining message waits on a visibility timeout, it moves the model clock to the earliest.
 */
export async function drainWithLambda(
  queue: FifoQueue,
  handler: (event: { Records: ReturnType<typeof lambdaRecord>[] }) => Promise<unknown>,
  options: { concurrency?: number; clock?: ModelClock; maxInvocations?: number } = {},
): Promise<PolledInvocation[]> {
  const concurrency = options.concurrency ?? 10;
  const invocations: PolledInvocation[] = [];
  const running = new Set<Promise<void>>();
  const limit = options.maxInvocations ?? 10_000;
  for (;;) {
    while (running.size < concurrency && invocations.length + running.size < limit) {
      const message = queue.receive();
      if (!message) break;
      const record = lambdaRecord(queue, message);
      const startedAt = queue.now();
      const run = (async () => {
        let outcome: PolledInvocation['outcome'];
        try {
          const response = (await handler({ Records: [record] })) as
            | { batchItemFailures?: Array<{ itemIdentifier: string }> }
            | undefined;
          const failed = response?.batchItemFailures?.some((f) => f.itemIdentifier === record.messageId);
          if (failed) outcome = 'kept';
          else {
            queue.delete(record.receiptHandle);
            outcome = 'deleted';
          }
        } catch {
          outcome = 'threw';
        }
        invocations.push({
          messageId: record.messageId,
          groupId: message.groupId,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          startedAt,
          finishedAt: queue.now(),
          outcome,
        });
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    if (running.size > 0) {
      await Promise.race(running);
      continue;
    }
    if (queue.messages.length === 0 || invocations.length >= limit) return invocations;
    const next = queue.nextVisibleAt();
    if (next === undefined || !options.clock) return invocations;
    options.clock.skew += next - queue.now() + 1;
  }
}
