/**
 * A local SQS endpoint over the FIFO model (`fifo-queue.ts`), for the operations connect-vault's
 * code sends (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`): SendMessage, SendMessageBatch
 * and ChangeMessageVisibility (DeleteMessage too, for completeness). Receiving is Lambda's job,
 * modelled in-process by `drainWithLambda`. Each queue is `<endpoint>/<account>/<name>`. Errors are
 * answered as SQS answers them (400 with `__type` and the query-compatible error code header).
 * Other operations answer 400 UnsupportedOperation. SQS itself is not available here.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BACKUP_QUEUE_MAX_RECEIVES } from '#shared/backup/backup-queue.js';
import { FifoQueue, ModelClock, SqsModelError } from './fifo-queue.js';

export interface LocalSqs {
  endpoint: string;
  clock: ModelClock;
  /** The backup queue (visibility 5,400 s, redrive to `deadLetter` after the product's count). */
  queue: FifoQueue;
  deadLetter: FifoQueue;
  queueUrl: string;
  deadLetterQueueUrl: string;
  close(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Starts the endpoint with the backup queue and its dead-letter queue, as infra/events.yml has them. */
export async function startLocalSqs(options: { accountId?: string; stage?: string } = {}): Promise<LocalSqs> {
  const account = options.accountId ?? '111122223333';
  const stage = options.stage ?? 'local';
  const clock = new ModelClock();
  const deadLetter = new FifoQueue({
    name: `connect-vault-${stage}-backups-dlq.fifo`,
    visibilityTimeoutSeconds: 30,
    clock,
  });
  const queue = new FifoQueue({
    name: `connect-vault-${stage}-backups.fifo`,
    visibilityTimeoutSeconds: 5400,
    redrive: { deadLetter, maxReceiveCount: BACKUP_QUEUE_MAX_RECEIVES },
    clock,
  });
  const queues = new Map([
    [`/${account}/${queue.options.name}`, queue],
    [`/${account}/${deadLetter.options.name}`, deadLetter],
  ]);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const fail = (code: string, message: string) => {
        res.statusCode = 400;
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.setHeader('x-amzn-query-error', `AWS.SimpleQueueService.${code};Sender`);
        res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }));
      };
      const ok = (body: unknown) => {
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify(body));
      };
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return fail('InvalidParameterValue', 'not JSON');
      }
      const path = (() => {
        try {
          return new URL(String(input.QueueUrl ?? '')).pathname;
        } catch {
          return '';
        }
      })();
      const target = queues.get(path);
      if (!target) return fail('QueueDoesNotExist', 'The specified queue does not exist.');
      try {
        switch (operation) {
          case 'SendMessage': {
            const sent = target.send({
              body: String(input.MessageBody ?? ''),
              groupId: input.MessageGroupId as string | undefined,
              deduplicationId: input.MessageDeduplicationId as string | undefined,
              attributes: Object.fromEntries(
                Object.entries(
                  (input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>,
                ).map(([k, v]) => [k, v.StringValue ?? '']),
              ),
            });
            return ok({
              MessageId: sent.messageId,
              MD5OfMessageBody: md5(String(input.MessageBody ?? '')),
              SequenceNumber: String(sent.sequenceNumber).padStart(20, '0'),
            });
          }
          case 'SendMessageBatch': {
            const entries = (input.Entries ?? []) as Array<Record<string, string>>;
            if (entries.length === 0)
              return fail(
                'EmptyBatchRequest',
                'There should be at least one SendMessageBatchRequestEntry in the request.',
              );
            if (entries.length > 10)
              return fail('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
            if (new Set(entries.map((e) => e.Id)).size !== entries.length)
              return fail('BatchEntryIdsNotDistinct', 'Id must be distinct among the entries of a batch.');
            const Successful: unknown[] = [];
            const Failed: unknown[] = [];
            for (const entry of entries) {
              try {
                const sent = target.send({
                  body: entry.MessageBody ?? '',
                  groupId: entry.MessageGroupId,
                  deduplicationId: entry.MessageDeduplicationId,
                });
                Successful.push({
                  Id: entry.Id,
                  MessageId: sent.messageId,
                  MD5OfMessageBody: md5(entry.MessageBody ?? ''),
                  SequenceNumber: String(sent.sequenceNumber).padStart(20, '0'),
                });
              } catch (error) {
                if (!(error instanceof SqsModelError)) throw error;
                Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
              }
            }
            return ok({ Successful, Failed });
          }
          case 'ChangeMessageVisibility': {
            const seconds = Number(input.VisibilityTimeout);
            if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200)
              return fail('InvalidParameterValue', 'VisibilityTimeout must be 0 to 43200 seconds.');
            target.changeVisibility(String(input.ReceiptHandle ?? ''), seconds);
            return ok({});
          }
          case 'DeleteMessage':
            target.delete(String(input.ReceiptHandle ?? ''));
            return ok({});
          default:
            return fail('UnsupportedOperation', `local SQS: ${operation}`);
        }
      } catch (error) {
        if (error instanceof SqsModelError) return fail(error.code, error.message);
        res.statusCode = 500;
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clock,
    queue,
    deadLetter,
    queueUrl: `${endpoint}/${account}/${queue.options.name}`,
    deadLetterQueueUrl: `${endpoint}/${account}/${deadLetter.options.name}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
