/**
 * A create whose answer is lost: the emulator applies CreateQueue (or CreateUser) and drops the
 * connection instead of answering (`drop-after`); the SDK retries, and Connect answers
 * DuplicateResourceException. Restore adopts the resource of that name, warns, and carries on with
 * what depends on it. A duplicate-name answer to a first attempt is a real conflict and fails.
 */
import { CreateQueueCommand, DescribeQueueCommand, paginateListQueues } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  runRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let report: RestoreReport;
let createQueueApplied: number;

async function targetQueueNames(): Promise<string[]> {
  const target = instanceNamed(emulator, 'demo-target');
  const names: string[] = [];
  for await (const page of paginateListQueues(
    { client: emulatorClient(emulator, target).client },
    { InstanceId: target.id, QueueTypes: ['STANDARD'] },
  ))
    names.push(...(page.QueueSummaryList ?? []).map((q) => q.Name ?? ''));
  return names.sort();
}

beforeAll(async () => {
  // With the propagation delay on (the restore tests' default): adoption finds the resource through
  // Search, which does not show it until the write has propagated, so the lookup is repeated.
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  // The second CreateQueue and the first CreateUser are applied, and their answers lost.
  emulator.faults.set([
    { operation: 'CreateQueue', kind: 'drop-after', onCalls: [2] },
    { operation: 'CreateUser', kind: 'drop-after', onCalls: [1] },
  ]);
  emulator.resetStats();
  report = await restoreIntoDemoTarget(emulator, folder, { mappings: CROSS_ACCOUNT_MAPPING });
  // Applied CreateQueue calls: every call minus those answered with an error (a reference still
  // propagating; the duplicate-name answer to the retry of the lost one).
  const createQueue = emulator.stats().operations.CreateQueue;
  createQueueApplied = (createQueue?.calls ?? 0) - (createQueue?.errors ?? 0);
  emulator.faults.set([]);
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('a create whose answer was lost', () => {
  it('is adopted by name, with a warning, and what depends on it is restored', async () => {
    const target = instanceNamed(emulator, 'demo-target');
    const queues = report.entries.filter((e) => e.kind === 'queues' && e.action === 'create');
    const warned = report.entries.filter((e) => e.warning);
    const queue = warned.find((e) => e.kind === 'queues');

    expect(report.status).toBe('succeeded');
    expect(warned.map((e) => e.kind)).toEqual(['queues', 'users']);
    expect(queue).toMatchObject({ action: 'create', outcome: 'created' });
    expect(queue?.warning).toBe(
      `the create's answer was lost and its retry was answered DuplicateResourceException: adopted the target's queues "${queue?.name}" (${queue?.targetId}), made by the lost attempt or, in the moments between plan and apply, by someone else`,
    );
    // One applied CreateQueue per queue: the retry of the lost one made no second queue.
    expect(createQueueApplied).toBe(queues.length);
    // No queue twice in the target, and the adopted one got its later phases (quick connects).
    const names = await targetQueueNames();
    expect(names.length).toBe(new Set(names).size);
    for (const created of queues) expect(names).toContain(created.name);
    const { Queue } = await emulatorClient(emulator, target).client.send(
      new DescribeQueueCommand({ InstanceId: target.id, QueueId: queue?.targetId }),
    );
    expect(Queue?.Name).toBe(queue?.name);
  });

  it('of a user is adopted, and the user is listed for a password reset', () => {
    const user = report.entries.find((e) => e.kind === 'users' && e.warning);
    const created = report.entries.filter((e) => e.kind === 'users' && e.outcome === 'created');

    expect(user).toMatchObject({ action: 'create', outcome: 'created' });
    expect(report.passwordResets.length).toBe(created.length);
    expect(report.passwordResets).toContainEqual({ userId: user?.targetId, username: user?.name });
  });

  it('is not assumed when the first attempt is answered DuplicateResourceException: that create fails', async () => {
    const source = instanceNamed(emulator, 'demo-source');
    const target = instanceNamed(emulator, 'demo-target');
    const hours = (await snapshotDocuments(folder.store, PREFIX, source.id, report.source.snapshotId))
      .documents['hours-of-operation'][0];
    await emulatorClient(emulator, source).client.send(
      new CreateQueueCommand({ InstanceId: source.id, Name: 'Overflow', HoursOfOperationId: hours?.id }),
    );
    emulator.propagation.settle();
    await backupOf(emulator, source, folder.store, PREFIX);
    const targetHours = report.entries.find((e) => e.kind === 'hours-of-operation' && e.name === hours?.name);
    const client = emulatorClient(emulator, target);
    // Someone creates the queue between the plan and the apply: just before restore's CreateQueue.
    let interfered = false;
    client.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateQueueCommand' && !interfered) {
          interfered = true;
          await emulatorClient(emulator, target).client.send(
            new CreateQueueCommand({
              InstanceId: target.id,
              Name: 'Overflow',
              HoursOfOperationId: targetHours?.targetId,
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'interfere' },
    );

    const conflict = await runRestore(
      {
        source: { folder: folder.root, prefix: PREFIX, instanceId: source.id },
        target: { instanceId: target.id },
        filters: { kinds: ['queues'], names: ['Overflow'] },
        mappings: CROSS_ACCOUNT_MAPPING,
      },
      { source: folder.store, targetConnect: client.client },
    );

    expect(interfered).toBe(true);
    expect(conflict.status).toBe('failed');
    expect(conflict.entries).toHaveLength(1);
    expect(conflict.entries[0]).toMatchObject({ name: 'Overflow', action: 'create', outcome: 'failed' });
    expect(conflict.entries[0]?.warning).toBeUndefined();
    expect(conflict.entries[0]?.error).toMatch(/^DuplicateResourceException: /);
  });
});
