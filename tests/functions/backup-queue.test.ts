/**
 * The backup queue (issue 12 §4, one budget per account and Region): the scheduler's messages
 * through the FIFO model and Lambda's event source mapping modelled in-process
 * (`tests/support/fifo-queue.ts`, behind a local SQS endpoint: SQS is not available here), consumed
 * by the real backup-instance handler. Backups of one message group run one at a time; a backup
 * that reaches its deadline keeps its place at the head of its group; failures are retried, then
 * dead-lettered, and the group moves on.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONTINUATIONS } from '#shared/backup/backup-instance.js';
import {
  BACKUP_ATTEMPTS,
  BACKUP_QUEUE_MAX_RECEIVES,
  RETRY_DELAY_SECONDS,
  readQueueProgress,
  recordQueueProgress,
  sqsBackupQueue,
  sqsQueueControl,
} from '#shared/backup/backup-queue.js';
import { checkpointKey } from '#shared/backup/checkpoint.js';
import { scheduleBackups } from '#shared/backup/schedule-backups.js';
import { createConnectClient } from '#shared/connect/client.js';
import { readLatestPointer, verifySnapshot } from '#shared/snapshot/verify.js';
import { type BackupDeps, invocationHandler } from '../../functions/backup-instance/handler.js';
import { MemorySnapshotStore } from '../backup/memory-store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { seedNewInstanceDefaults } from '../emulator/seeds/new-instance.js';
import { createInstance, describeSeeded } from '../emulator/seeds/support.js';
import { drainWithLambda, FifoQueue, ModelClock } from '../support/fifo-queue.js';
import { type LocalSqs, startLocalSqs } from '../support/local-sqs.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const KEY = 'AKIAQUEUETESTACCOUNT';

let emulator: ConnectEmulator;
let sqs: LocalSqs;
let instances: SeededInstance[];

beforeAll(async () => {
  // Connect's default quotas, 4× faster, in the emulator and the client's limiter: a backup takes
  // about a second, so a deadline of 250 ms makes it hand over several times.
  emulator = await startConnectEmulator({
    throttle: { timeScale: 4 },
    seed: async (env) => {
      const seeded: SeededInstance[] = [];
      for (const alias of ['first', 'second']) {
        const instance = createInstance(env, { alias, accountId: ACCOUNT, region: REGION, accessKeyId: KEY });
        await seedNewInstanceDefaults(env, instance);
        seeded.push(describeSeeded(instance, KEY));
      }
      return seeded;
    },
  });
  instances = emulator.instances;
  sqs = await startLocalSqs({ accountId: ACCOUNT });
});

afterAll(async () => {
  await emulator?.close();
  await sqs?.close();
});

beforeEach(() => {
  for (const queue of [sqs.queue, sqs.deadLetter]) {
    queue.messages.length = 0;
    queue.sent.length = 0;
  }
});

function clients() {
  const sqsClient = new SQSClient({
    region: REGION,
    endpoint: sqs.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const instance = instances[0] as SeededInstance;
  const connect = createConnectClient({
    region: instance.region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    rateFactor: 4,
  });
  return { sqsClient, connect };
}

function depsWith(store: MemorySnapshotStore): BackupDeps {
  const { sqsClient, connect } = clients();
  return {
    config: { prefix: 'vault' },
    connect: connect.client,
    connectStats: connect.stats,
    store,
    clock: { now: () => new Date() },
    queue: sqsBackupQueue(sqsClient, sqs.queueUrl),
    queueControl: sqsQueueControl(sqsClient, sqs.queueUrl, sqs.deadLetterQueueUrl),
    accountId: ACCOUNT,
    region: REGION,
  };
}

async function schedule(instanceIds: string[], deps: BackupDeps, at = '2026-11-22T02:00:05.000Z') {
  const { connect } = clients();
  return scheduleBackups(
    { instanceIds },
    {
      connect: connect.client,
      queue: deps.queue as NonNullable<BackupDeps['queue']>,
      accountId: ACCOUNT,
      region: REGION,
      clock: { now: () => new Date(at) },
      logger: { info: () => {}, warn: () => {} },
    },
  );
}

describe('the backup queue', () => {
  it('documents numbers that agree: the redrive count covers every continuation and every attempt', () => {
    expect(BACKUP_QUEUE_MAX_RECEIVES).toBe(MAX_CONTINUATIONS + BACKUP_ATTEMPTS);
    expect(sqs.queue.options.redrive?.maxReceiveCount).toBe(BACKUP_QUEUE_MAX_RECEIVES);
  });

  it('runs the backups of one account and Region one at a time; a continued backup keeps its place at the head of its group', async () => {
    const store = new MemorySnapshotStore();
    const deps = depsWith(store);
    const [first, second] = instances as [SeededInstance, SeededInstance];
    await schedule([first.id, second.id], deps);

    // A deadline 250 ms away: each invocation hands over, as at the Lambda's deadline.
    const invocations = await drainWithLambda(
      sqs.queue,
      (event) => invocationHandler(event, deps, AbortSignal.timeout(250)),
      { concurrency: 10, clock: sqs.clock },
    );

    const bodies = new Map(sqs.queue.sent.map((m) => [m.deduplicationId, m.body]));
    expect(bodies.size).toBe(2);
    const order = invocations.map((i) => i.groupId);
    expect(new Set(order)).toEqual(new Set([`${ACCOUNT}/${REGION}`]));
    // The first instance's continuations all ran before the second instance started.
    const firstMessage = invocations[0]?.messageId;
    const firstRuns = invocations.filter((i) => i.messageId === firstMessage);
    const secondRuns = invocations.filter((i) => i.messageId !== firstMessage);
    expect(firstRuns.length).toBeGreaterThan(1);
    expect(invocations.slice(0, firstRuns.length)).toEqual(firstRuns);
    expect(firstRuns.map((i) => i.outcome)).toEqual([...firstRuns.slice(1).map(() => 'kept'), 'deleted']);
    expect(firstRuns.map((i) => i.receiveCount)).toEqual(firstRuns.map((_, n) => n + 1));
    expect(secondRuns.at(-1)?.outcome).toBe('deleted');
    // Never two at once in the group.
    for (let n = 1; n < invocations.length; n += 1)
      expect(invocations[n]?.startedAt).toBeGreaterThanOrEqual(invocations[n - 1]?.finishedAt ?? 0);
    // Both snapshots are complete and verify; the progress records name the snapshot resumed.
    for (const instance of [first, second]) {
      const latest = await readLatestPointer(store, 'vault', instance.id);
      expect(latest, instance.alias).toBeDefined();
      expect(await verifySnapshot(store, 'vault', instance.id, latest?.snapshotId ?? '')).toMatchObject({
        ok: true,
      });
    }
    const progress = await readQueueProgress(
      store,
      'vault',
      first.id,
      `${ACCOUNT}/${first.id}@2026-11-22T02:00:05.000Z`,
    );
    expect(progress?.continuation).toBe(firstRuns.length - 1);
    expect(progress?.snapshotId).toBe((await readLatestPointer(store, 'vault', first.id))?.snapshotId);
    expect(sqs.queue.messages).toEqual([]);
    expect(sqs.deadLetter.messages).toEqual([]);
  }, 120_000);

  it(`retries a failed backup after ${RETRY_DELAY_SECONDS} s, dead-letters it after ${BACKUP_ATTEMPTS} attempts, and the group moves on`, async () => {
    const store = new MemorySnapshotStore();
    const deps = depsWith(store);
    const [first] = instances as [SeededInstance];
    const skewBefore = sqs.clock.skew;
    await schedule(['00000000-0000-4000-8000-00000000dead', first.id], deps, '2026-11-23T02:00:05.000Z');

    const invocations = await drainWithLambda(sqs.queue, (event) => invocationHandler(event, deps), {
      clock: sqs.clock,
    });

    const missing = invocations.filter((i) => i.messageId === invocations[0]?.messageId);
    expect(missing.map((i) => [i.receiveCount, i.outcome])).toEqual([
      [1, 'kept'],
      [2, 'kept'],
      [3, 'deleted'],
    ]);
    // The retries waited their delay (model time), not the 5,400 s visibility timeout.
    expect(sqs.clock.skew - skewBefore).toBeGreaterThanOrEqual(2 * RETRY_DELAY_SECONDS * 1000);
    expect(sqs.clock.skew - skewBefore).toBeLessThan(3 * RETRY_DELAY_SECONDS * 1000);
    expect(sqs.deadLetter.messages.map((m) => [m.groupId, JSON.parse(m.body).detail.instanceId])).toEqual([
      [`${ACCOUNT}/${REGION}`, '00000000-0000-4000-8000-00000000dead'],
    ]);
    expect(sqs.deadLetter.messages[0]?.attributes?.reason).toContain('no such instance');
    expect(invocations.at(-1)?.outcome).toBe('deleted');
    expect(await readLatestPointer(store, 'vault', first.id)).toBeDefined();
  }, 120_000);

  it('dead-letters a message that is not a backup request at once', async () => {
    const deps = depsWith(new MemorySnapshotStore());
    sqs.queue.send({
      body: '{"detail-type":"Backup Requested"}',
      groupId: `${ACCOUNT}/${REGION}`,
      deduplicationId: 'bad-1',
    });

    const invocations = await drainWithLambda(sqs.queue, (event) => invocationHandler(event, deps), {
      clock: sqs.clock,
    });

    expect(invocations.map((i) => i.outcome)).toEqual(['deleted']);
    expect(sqs.deadLetter.messages[0]?.attributes?.reason).toMatch(
      /^InvalidEventError: Invalid backup queue message/,
    );
  });
});

describe('the FIFO model', () => {
  it('delivers other groups while one group has a message in flight, and that group in order', () => {
    const clock = new ModelClock();
    const queue = new FifoQueue({ name: 'q.fifo', visibilityTimeoutSeconds: 30, clock });
    queue.send({ body: 'a1', groupId: 'a', deduplicationId: '1' });
    queue.send({ body: 'a2', groupId: 'a', deduplicationId: '2' });
    queue.send({ body: 'b1', groupId: 'b', deduplicationId: '3' });

    const a1 = queue.receive();
    const b1 = queue.receive();
    expect([a1?.body, b1?.body, queue.receive()]).toEqual(['a1', 'b1', undefined]);
    queue.changeVisibility(a1?.receiptHandle ?? '', 0);
    // Visible again: still the head of group a, ahead of a2.
    expect(queue.receive()?.body).toBe('a1');
    queue.delete(queue.messages[0]?.receiptHandle ?? '');
    expect(queue.receive()?.body).toBe('a2');
    expect(() => queue.send({ body: 'x', groupId: 'a' })).toThrow(/MessageDeduplicationId/);
    expect(() => queue.send({ body: 'x', deduplicationId: '9' })).toThrow(/MessageGroupId/);
  });

  it('moves a message past its maxReceiveCount to the dead-letter queue', () => {
    const clock = new ModelClock();
    const deadLetter = new FifoQueue({ name: 'dlq.fifo', visibilityTimeoutSeconds: 30, clock });
    const queue = new FifoQueue({
      name: 'q.fifo',
      visibilityTimeoutSeconds: 30,
      redrive: { deadLetter, maxReceiveCount: 2 },
      clock,
    });
    queue.send({ body: 'm', groupId: 'g', deduplicationId: '1' });
    for (let n = 0; n < 2; n += 1) {
      expect(queue.receive()?.receiveCount).toBe(n + 1);
      clock.skew += 31_000;
    }
    expect(queue.receive()).toBeUndefined();
    expect(deadLetter.messages.map((m) => m.body)).toEqual(['m']);
  });
});

describe('the queue progress records', () => {
  it('resume from a checkpoint written after the newest record (an invocation that died in between)', async () => {
    const store = new MemorySnapshotStore();
    const request = `${ACCOUNT}/i-1@2026-11-22T02:00:05.000Z`;
    const snapshotId = '2026-11-22T02-00-07.000Z';
    expect(await readQueueProgress(store, 'vault', 'i-1', request)).toBeUndefined();

    await recordQueueProgress(store, 'vault', 'i-1', request, {
      snapshotId,
      continuation: 1,
    });
    await recordQueueProgress(store, 'vault', 'i-1', request, {
      snapshotId,
      continuation: 2,
    });
    expect(await readQueueProgress(store, 'vault', 'i-1', request)).toEqual({ snapshotId, continuation: 2 });

    await store.put(checkpointKey('vault', 'i-1', snapshotId, 3), '{}', 'application/json');
    expect(await readQueueProgress(store, 'vault', 'i-1', request)).toEqual({ snapshotId, continuation: 3 });
    // Another request of the same instance has its own records.
    expect(
      await readQueueProgress(store, 'vault', 'i-1', `${ACCOUNT}/i-1@2026-11-23T02:00:05.000Z`),
    ).toBeUndefined();
  });
});
