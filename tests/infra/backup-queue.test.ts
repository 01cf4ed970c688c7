/**
 * The backup queue in the templates (issue 12 §4): a FIFO queue between the scheduler and
 * backupInstance, its redrive count and visibility timeout agreeing with the code's numbers, its
 * FIFO dead-letter queue with an alarm that notifies the topic, and least-privilege IAM for the
 * sender (the scheduler) and the consumer (the backup function).
 */
import { describe, expect, it } from 'vitest';
import { MAX_CONTINUATIONS } from '#shared/backup/backup-instance.js';
import {
  accountOfFunctionArn,
  BACKUP_ATTEMPTS,
  BACKUP_QUEUE_MAX_RECEIVES,
  queueUrlOf,
  RETRY_DELAY_SECONDS,
} from '#shared/backup/backup-queue.js';
import { readTemplate } from '../support/cloudformation.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const events = readTemplate<{ Resources: Record<string, Resource> }>('infra/events.yml');
const iam = readTemplate<{
  Resources: Record<
    string,
    { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } }
  >;
}>('infra/iam.yml');
const sls = readTemplate<{
  functions: Record<
    string,
    {
      timeout: number;
      environment?: Record<string, unknown>;
      events: Array<Record<string, Record<string, unknown>>>;
    }
  >;
}>('serverless.yml');

const statementsOf = (role: string) =>
  (iam.Resources[role]?.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
/** Every SQS action a role allows, with the queues it allows it on. */
function sqsGrants(role: string): Record<string, unknown[]> {
  const grants: Record<string, unknown[]> = {};
  for (const s of statementsOf(role))
    for (const action of [s.Action].flat())
      if (action.startsWith('sqs:')) grants[action] = [...(grants[action] ?? []), ...[s.Resource].flat()];
  return grants;
}

describe('the backup queue', () => {
  const queue = events.Resources.BackupQueue as Resource;
  const deadLetter = events.Resources.BackupQueueDeadLetterQueue as Resource;

  it('is FIFO with explicit deduplication ids, and so is its dead-letter queue', () => {
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false });
    expect(String(queue.Properties.QueueName)).toMatch(/\.fifo$/);
    expect(deadLetter.Properties).toMatchObject({ FifoQueue: true });
    expect(String(deadLetter.Properties.QueueName)).toMatch(/\.fifo$/);
  });

  it('redrives after every continuation and every failed attempt the code allows, and not before', () => {
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { GetAtt: 'BackupQueueDeadLetterQueue.Arn' },
      maxReceiveCount: BACKUP_QUEUE_MAX_RECEIVES,
    });
    expect(BACKUP_QUEUE_MAX_RECEIVES).toBe(MAX_CONTINUATIONS + BACKUP_ATTEMPTS);
    expect(BACKUP_QUEUE_MAX_RECEIVES).toBe(103);
  });

  it('hides a message six times the backup function timeout, longer than the retry delay', () => {
    const timeout = sls.functions.backupInstance?.timeout ?? 0;
    expect(timeout).toBe(900);
    expect(queue.Properties.VisibilityTimeout).toBe(6 * timeout);
    expect(RETRY_DELAY_SECONDS).toBeLessThan(6 * timeout);
  });

  it('feeds the backup function one message at a time, with partial batch responses', () => {
    const sqs = sls.functions.backupInstance?.events.find((e) => e.sqs)?.sqs;
    expect(sqs).toEqual({
      arn: { GetAtt: 'BackupQueue.Arn' },
      batchSize: 1,
      functionResponseType: 'ReportBatchItemFailures',
    });
    // On-demand Backup Requested events and their continuations still come through the bus.
    expect(sls.functions.backupInstance?.events.some((e) => e.eventBridge)).toBe(true);
    // The functions find the queues by the names the template gives them (their URLs from the
    // Region and the account of their own ARN), so that invoke local needs no CloudFormation.
    expect(sls.functions.backupInstance?.environment).toMatchObject({
      BACKUP_QUEUE_NAME: queue.Properties.QueueName,
      BACKUP_DEAD_LETTER_QUEUE_NAME: deadLetter.Properties.QueueName,
    });
    expect(sls.functions.scheduleBackups?.environment).toMatchObject({
      BACKUP_QUEUE_NAME: queue.Properties.QueueName,
    });
    expect(queueUrlOf('connect-vault-prod-backups.fifo', 'eu-west-2', '111122223333')).toBe(
      'https://sqs.eu-west-2.amazonaws.com/111122223333/connect-vault-prod-backups.fifo',
    );
    expect(
      accountOfFunctionArn(
        'arn:aws:lambda:eu-west-2:111122223333:function:connect-vault-prod-backupInstance',
      ),
    ).toBe('111122223333');
  });

  it('has a dead-letter alarm that notifies the topic', () => {
    const alarm = events.Resources.BackupQueueDeadLetterAlarm as Resource;
    expect(alarm.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { GetAtt: 'BackupQueueDeadLetterQueue.QueueName' } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });

  it('lets the scheduler send to the queue only, and the backup function consume it', () => {
    const queueArn = { GetAtt: 'BackupQueue.Arn' };
    const dlqArn = { GetAtt: 'BackupQueueDeadLetterQueue.Arn' };
    const oldDlq = { GetAtt: 'BackupDeadLetterQueue.Arn' };
    expect(sqsGrants('ScheduleBackupsRole')).toEqual({ 'sqs:SendMessage': [queueArn, oldDlq] });
    expect(sqsGrants('BackupInstanceRole')).toEqual({
      'sqs:SendMessage': [oldDlq, queueArn, dlqArn],
      'sqs:ReceiveMessage': [queueArn],
      'sqs:DeleteMessage': [queueArn],
      'sqs:GetQueueAttributes': [queueArn],
      'sqs:ChangeMessageVisibility': [queueArn],
    });
    for (const role of ['RestoreRole', 'PruneRole']) expect(sqsGrants(role), role).toEqual({});
  });
});
