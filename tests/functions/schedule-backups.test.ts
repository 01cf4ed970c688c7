import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectClient } from '#shared/connect/client.js';
import { latestKey, latestPointerFor } from '#shared/snapshot/format.js';
import { scheduleBackupsHandler } from '../../functions/schedule-backups/handler.js';
import { MemorySnapshotStore } from '../backup/memory-store.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type LocalBus, startLocalBus } from '../support/local-bus.js';

let emulator: ConnectEmulator;
let bus: LocalBus;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  bus = await startLocalBus();
});

afterAll(async () => {
  await emulator?.close();
  await bus?.close();
});

function deps(instanceIds: string[] = []) {
  const source = emulator.instances.find((i) => i.alias === 'demo-source')!;
  return {
    config: { eventBusName: 'connect-vault-test', instanceIds },
    ports: {
      connect: createConnectClient({
        region: source.region,
        endpoint: emulator.endpoint,
        credentials: emulator.credentials(source.accountId),
        rateLimit: false,
      }).client,
      eventBridge: new EventBridgeClient({
        region: source.region,
        endpoint: bus.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      clock: { now: () => new Date('2026-11-22T02:00:05.000Z') },
      logger: { info: () => {}, warn: () => {} },
    },
  };
}

describe('scheduleBackupsHandler', () => {
  it('puts one Backup Requested event per instance ListInstances returns in its account and Region', async () => {
    bus.entries.length = 0;

    const result = await scheduleBackupsHandler({}, deps());

    const source = emulator.instances.find((i) => i.alias === 'demo-source')!;
    expect(result).toEqual({ requested: [source.id] });
    expect(bus.entries).toEqual([
      {
        EventBusName: 'connect-vault-test',
        Source: 'connect-vault',
        DetailType: 'Backup Requested',
        Detail: JSON.stringify({ instanceId: source.id, requestedAt: '2026-11-22T02:00:05.000Z' }),
      },
    ]);
  });

  it('uses the schedule input, then the configured list, before listing instances; 10 entries per PutEvents', async () => {
    bus.entries.length = 0;
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
    expect(bus.entries.length).toBe(13);
    expect(JSON.parse(bus.entries[12]?.Detail ?? '{}')).toEqual({
      instanceId: 'abc',
      kinds: ['flows'],
      requestedAt: '2026-11-22T02:00:05.000Z',
    });
  });

  it('rejects an invalid input before putting any event', async () => {
    bus.entries.length = 0;

    const error = await rejectionOf(
      scheduleBackupsHandler({ instanceIds: [], kinds: ['telephony'] }, deps()),
    );

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('instanceIds: Too small');
    expect(error.message).toContain('kinds.0: Invalid option');
    expect(bus.entries).toEqual([]);
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
