import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqsBackupQueue } from '#shared/backup/backup-queue.js';
import { createConnectClient } from '#shared/connect/client.js';
import { latestKey, latestPointerFor } from '#shared/snapshot/format.js';
import { scheduleBackupsHandler } from '../../functions/schedule-backups/handler.js';
import { MemorySnapshotStore } from '../backup/memory-store.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type LocalSqs, startLocalSqs } from '../support/local-sqs.js';

let emulator: ConnectEmulator;
let sqs: LocalSqs;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  sqs = await startLocalSqs();
});

afterAll(async () => {
  await emulator?.close();
  await sqs?.close();
});

beforeEach(() => {
  sqs.queue.messages.length = 0;
  sqs.queue.sent.length = 0;
});

function deps(instanceIds: string[] = [], now = '2026-11-22T02:00:05.000Z') {
  const source = emulator.instances.find((i) => i.alias === 'demo-source')!;
  return {
    config: { instanceIds },
    ports: {
      connect: createConnectClient({
        region: source.region,
        endpoint: emulator.endpoint,
        credentials: emulator.credentials(source.accountId),
        rateLimit: false,
      }).client,
      queue: sqsBackupQueue(
        new SQSClient({
          region: source.region,
          endpoint: sqs.endpoint,
          credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        }),
        sqs.queueUrl,
      ),
      accountId: source.accountId,
      region: source.region,
      clock: { now: () => new Date(now) },
      logger: { info: () => {}, warn: () => {} },
    },
  };
}

describe('scheduleBackupsHandler', () => {
  it('queues one Backup Requested message per instance ListInstances returns, grouped by account and Region', async () => {
    const result = await scheduleBackupsHandler({}, deps());

    const source = emulator.instances.find((i) => i.alias === 'demo-source')!;
    expect(result).toEqual({ requested: [source.id] });
    expect(sqs.queue.messages.map((m) => [m.groupId, m.deduplicationId, JSON.parse(m.body)])).toEqual([
      [
        '111122223333/us-east-1',
        `111122223333/${source.id}@2026-11-22T02:00:05.000Z`,
        {
          source: 'connect-vault',
          'detail-type': 'Backup Requested',
          detail: { instanceId: source.id, requestedAt: '2026-11-22T02:00:05.000Z' },
        },
      ],
    ]);
  });

  it('uses the schedule input, then the configured list, before listing instances; 10 messages per SendMessageBatch', async () => {
    const configured = Array.from(
      { length: 12 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );

    const fromConfig = await scheduleBackupsHandler({}, deps(configured));
    const fromInput = await scheduleBackupsHandler(
      { instanceIds: ['abc'], kinds: ['flows'] },
      deps(configured),
    );

    expect(fromConfig.requested).toEqual(configured);
    expect(fromInput.requested).toEqual(['abc']);
    // All in one group, in the order sent: FIFO delivers them one at a time in that order.
    expect(new Set(sqs.queue.messages.map((m) => m.groupId))).toEqual(new Set(['111122223333/us-east-1']));
    expect(sqs.queue.messages.map((m) => JSON.parse(m.body).detail.instanceId)).toEqual([
      ...configured,
      'abc',
    ]);
    expect(JSON.parse(sqs.queue.messages[12]?.body ?? '{}').detail).toEqual({
      instanceId: 'abc',
      kinds: ['flows'],
      requestedAt: '2026-11-22T02:00:05.000Z',
    });
  });

  it('a run retried within five minutes queues nothing twice (SQS deduplication)', async () => {
    await scheduleBackupsHandler({}, deps(['a', 'b']));
    await scheduleBackupsHandler({}, deps(['a', 'b']));
    await scheduleBackupsHandler({}, deps(['a'], '2026-11-23T02:00:05.000Z'));

    expect(sqs.queue.sent.map((m) => m.duplicate)).toEqual([false, false, true, true, false]);
    expect(sqs.queue.messages.length).toBe(3);
  });

  it('rejects an invalid input before queueing anything', async () => {
    const error = await rejectionOf(
      scheduleBackupsHandler({ instanceIds: [], kinds: ['telephony'] }, deps()),
    );

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('instanceIds: Too small');
    expect(error.message).toContain('kinds.0: Invalid option');
    expect(sqs.queue.sent).toEqual([]);
  });

  it('fails naming the instances whose message the queue refused', async () => {
    const base = deps(['good']);
    const error = await rejectionOf(
      scheduleBackupsHandler(
        {},
        {
          ...base,
          ports: {
            ...base.ports,
            // A group id SQS refuses (a character outside letters, digits and punctuation).
            region: 'us east 1',
          },
        },
      ),
    );

    expect(error.name).toBe('BackupsNotQueuedError');
    expect(error.message).toContain('the queue refused the backups of good');
  });
});

describe('the staleness heartbeat', () => {
  it('counts the instances whose newest complete snapshot finished over 26 hours ago, each named in the log, and records the run', async () => {
    const store = new MemorySnapshotStore();
    const pointer = (instanceId: string, snapshotId: string, finishedAt: string) =>
      store.put(
        latestKey('', instanceId),
        JSON.stringify(latestPointerFor({ snapshotId, finishedAt })),
        'application/json',
      );
    // The run is at 2026-11-22T02:00:05Z.
    await pointer('fresh-instance', '2026-11-21T02-00-00.000Z', '2026-11-21T02:10:00.000Z');
    await pointer('stale-instance', '2026-11-20T02-00-00.000Z', '2026-11-20T02:10:00.000Z');
    const recorded: Array<[string, number]> = [];
    const base = deps(['fresh-instance', 'stale-instance', 'new-instance']);
    const result = await scheduleBackupsHandler(
      {},
      {
        ...base,
        store,
        metrics: {
          addMetric(name: string, _unit: unknown, value: number) {
            recorded.push([name, value]);
            return this as never;
          },
        },
      },
    );
    expect(result).toEqual({
      requested: ['fresh-instance', 'stale-instance', 'new-instance'],
      stale: ['stale-instance'],
    });
    expect(recorded).toEqual([
      ['ScheduleRuns', 1],
      ['StaleInstances', 1],
    ]);
  });

  it('stops loudly on a latest.json it cannot read, rather than stay quiet', async () => {
    const store = new MemorySnapshotStore();
    await store.put(latestKey('', 'broken-instance'), '{not json', 'application/json');
    const error = await rejectionOf(scheduleBackupsHandler({}, { ...deps(['broken-instance']), store }));
    expect(String(error)).toMatch(/latest/);
  });
});
