/**
 * `connect-vault changes --since`: what changed each night, each complete snapshot diffed with the
 * one before it, by name, with old → new values; partial snapshots skipped.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backup, connectCall, DAY_MS, PREFIX, TestClock } from '../backup/incremental-support.js';
import { emulatorClient, type TempFolder, tempFolderStore } from '../backup/support.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: ConnectEmulator;
let instance: SeededInstance;
let folder: TempFolder;
const nights: string[] = [];
let queueName = '';

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  instance = emulator.instances.find((i) => i.alias === 'demo-target') ?? (undefined as never);
  folder = await tempFolderStore();
  const client = emulatorClient(emulator, instance);
  const clock = new TestClock(Date.parse('2026-11-28T02:00:00.000Z'));
  const night = async (options: { kinds?: ['queues'] } = {}) => {
    nights.push((await backup(client, folder.store, instance.id, clock, options)).snapshotId);
    clock.advance(DAY_MS);
  };
  await night();
  const queue = emulator.world.instances
    .get(instance.id)
    ?.queues.all()
    .find((q) => q.entity.QueueArn?.includes('/queue/'));
  queueName = queue?.name ?? '';
  await connectCall(emulator, instance, 'UpdateQueueName', {
    QueueId: queue?.id,
    Description: 'Changed on the 29th',
  });
  await connectCall(emulator, instance, 'CreateHoursOfOperation', {
    Name: 'Night shift',
    TimeZone: 'Europe/Dublin',
    Config: [{ Day: 'MONDAY', StartTime: { Hours: 22, Minutes: 0 }, EndTime: { Hours: 23, Minutes: 0 } }],
  });
  await night();
  await night({ kinds: ['queues'] });
  await night();
});

afterAll(async () => {
  await emulator?.close();
  await folder?.remove();
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const changes = (...args: string[]) =>
  runCli('changes', '--from', join(folder.root, PREFIX), '--instance-id', instance.id, ...args);

describe('connect-vault changes', () => {
  it('lists each night by name with old and new values, skipping the partial snapshot', async () => {
    const result = await changes('--since', '2026-11-28');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${nights[1]} (since ${nights[0]}): 2 change(s)`);
    expect(result.stdout).toContain('hours-of-operation:\n  + Night shift');
    expect(result.stdout).toMatch(
      new RegExp(`queues:\\n  ~ ${queueName}\\n      resource.Description: .* → "Changed on the 29th"`),
    );
    expect(result.stdout).toContain(`${nights[3]} (since ${nights[1]}): no change`);
    expect(result.stdout).not.toContain(`${nights[2]} (since`);
    expect(result.stdout).toContain(`${nights[0]} is the first snapshot in reach`);
  });

  it('compares the first night of the window with the snapshot before it, as JSON', async () => {
    const result = await changes('--since', '2026-11-29', '--until', '2026-11-30', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      first: string;
      nights: Array<{
        a: { snapshotId: string };
        b: { snapshotId: string };
        kinds: Record<string, { added: string[] }>;
      }>;
    };
    expect(report.first).toBe(nights[0]);
    expect(report.nights.map((n) => [n.a.snapshotId, n.b.snapshotId])).toEqual([[nights[0], nights[1]]]);
    expect(report.nights[0]?.kinds['hours-of-operation']?.added).toEqual(['Night shift']);
  });

  it('exits 2 for a bad date or an empty window', async () => {
    const bad = await changes('--since', 'last tuesday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be an ISO 8601 date');
    const empty = await changes('--since', '2027-01-01');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No complete snapshot');
  });
});
