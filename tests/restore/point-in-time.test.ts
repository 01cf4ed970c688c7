/**
 * Point in time: back up demo-source, then delete a flow, change a queue, change a user and remove
 * a routing-profile queue; a dry run plans exactly those repairs without writing; `overwrite`
 * restores the instance to the snapshot; running it again changes nothing.
 */
import {
  type ConnectClient,
  DeleteContactFlowCommand,
  DisassociateRoutingProfileQueuesCommand,
  TagResourceCommand,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_NAMES, type StoredDocument } from '#shared/kinds/index.js';
import { formatSummary, type RestoreReport } from '#shared/restore/report.js';
import type { ConnectEmulator, StatsSnapshot } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import {
  backupOf,
  emulatorClient,
  instanceNamed,
  normalizedSnapshot,
  PREFIX,
  runRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let connect: ConnectClient;
let instanceId: string;
let snapshotId: string;
let before: Awaited<ReturnType<typeof snapshotDocuments>>;

function documentNamed(kind: (typeof KIND_NAMES)[number], name: string): StoredDocument {
  const found = before.documents[kind].find((d) => d.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

function mutatingCalls(stats: StatsSnapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.operations)
      .filter(([op, s]) => isMutating(op) && s.calls > 0)
      .map(([op, s]) => [op, s.calls]),
  );
}

function restore(options: { mode: 'overwrite' | 'create-missing'; dryRun: boolean }): Promise<RestoreReport> {
  const client = emulatorClient(emulator, instanceNamed(emulator, 'demo-source'));
  return runRestore(
    { source: { folder: folder.root, prefix: PREFIX, instanceId }, ...options },
    {
      source: folder.store,
      targetConnect: client.client,
      targetStats: client.stats,
      sourceConnect: client.client,
    },
  );
}

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const instance = instanceNamed(emulator, 'demo-source');
  instanceId = instance.id;
  connect = emulatorClient(emulator, instance).client;
  snapshotId = await backupOf(emulator, instance, folder.store, PREFIX);
  before = await snapshotDocuments(folder.store, PREFIX, instanceId, snapshotId);

  const InstanceId = instanceId;
  const queue = documentNamed('queues', 'Technical Support');
  const user = documentNamed('users', 'maya.patel');
  await connect.send(
    new DeleteContactFlowCommand({
      InstanceId,
      ContactFlowId: documentNamed('flows', 'Support Queue Flow').id,
    }),
  );
  await connect.send(new UpdateQueueMaxContactsCommand({ InstanceId, QueueId: queue.id, MaxContacts: 75 }));
  await connect.send(
    new UpdateQueueHoursOfOperationCommand({
      InstanceId,
      QueueId: queue.id,
      HoursOfOperationId: documentNamed('hours-of-operation', '24x7').id,
    }),
  );
  await connect.send(new TagResourceCommand({ resourceArn: queue.arn, tags: { Temporary: 'yes' } }));
  await connect.send(
    new UpdateUserRoutingProfileCommand({
      InstanceId,
      UserId: user.id,
      RoutingProfileId: documentNamed('routing-profiles', 'Basic Routing Profile').id,
    }),
  );
  await connect.send(
    new UpdateUserIdentityInfoCommand({
      InstanceId,
      UserId: user.id,
      IdentityInfo: { FirstName: 'Maya', LastName: 'Patel-Renamed', Email: 'maya@example.net' },
    }),
  );
  await connect.send(
    new UpdateUserSecurityProfilesCommand({
      InstanceId,
      UserId: user.id,
      SecurityProfileIds: [documentNamed('security-profiles', 'Admin').id],
    }),
  );
  await connect.send(new UpdateUserHierarchyCommand({ InstanceId, UserId: user.id }));
  await connect.send(
    new UpdateUserPhoneConfigCommand({
      InstanceId,
      UserId: user.id,
      PhoneConfig: {
        PhoneType: 'DESK_PHONE',
        DeskPhoneNumber: '+12065550199',
        AutoAccept: true,
        AfterContactWorkTimeLimit: 600,
      },
    }),
  );
  await connect.send(
    new DisassociateRoutingProfileQueuesCommand({
      InstanceId,
      RoutingProfileId: documentNamed('routing-profiles', 'Support Agents').id,
      QueueReferences: [{ QueueId: queue.id, Channel: 'VOICE' }],
    }),
  );
  // The plans below read these changes: let them propagate (Search lags behind writes).
  emulator.propagation.settle();
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('a point-in-time restore into the same instance', () => {
  it('plans exactly the repairs in a dry run, with zero mutating calls, and prints the plan', async () => {
    emulator.resetStats();

    const plan = await restore({ mode: 'overwrite', dryRun: true });

    expect(mutatingCalls(emulator.stats())).toEqual({});
    expect(plan.status).toBe('planned');
    const changes = plan.entries
      .filter((e) => e.action !== 'unchanged')
      .map((e) => ({ kind: e.kind, name: e.name, action: e.action, changes: e.changes }));
    expect(changes).toEqual([
      { kind: 'flows', name: 'Chat Entry Flow', action: 'update', changes: ['Published'] },
      { kind: 'flows', name: 'Main Inbound IVR', action: 'update', changes: ['Published'] },
      { kind: 'flows', name: 'Support Queue Flow', action: 'create', changes: undefined },
      {
        kind: 'queues',
        name: 'Technical Support',
        action: 'update',
        changes: ['HoursOfOperationId', 'MaxContacts', 'Tags'],
      },
      { kind: 'routing-profiles', name: 'Support Agents', action: 'update', changes: ['QueueConfigs'] },
      {
        kind: 'users',
        name: 'maya.patel',
        action: 'update',
        changes: [
          'HierarchyGroupId',
          'IdentityInfo',
          'PhoneConfig',
          'RoutingProfileId',
          'SecurityProfileIds',
        ],
      },
      // The task template and the rule that named the deleted flow are pointed at the recreated one.
      { kind: 'task-templates', name: 'Callback Request', action: 'update', changes: ['ContactFlowId'] },
      { kind: 'rules', name: 'Escalate-Negative-Sentiment', action: 'update', changes: ['Actions'] },
      // The number that rang the deleted flow rings nothing now: it is pointed at the recreated flow.
      { kind: 'phone-numbers', name: '+12065550177', action: 'create', changes: ['ContactFlowId'] },
    ]);
    const summary = formatSummary(plan);
    expect(summary).toContain('Restore plan (dry run)');
    expect(summary).toContain('create  flows "Support Queue Flow"');
    expect(summary).toContain(
      'update  users "maya.patel" (HierarchyGroupId, IdentityInfo, PhoneConfig, RoutingProfileId, SecurityProfileIds)',
    );
    expect(summary).toContain('Plan: 2 to create, 7 to update');
  });

  it('in create-missing mode only recreates the deleted flow (and points its number at it)', async () => {
    const plan = await restore({ mode: 'create-missing', dryRun: true });

    expect(plan.entries.filter((e) => e.action === 'create').map((e) => e.name)).toEqual([
      'Support Queue Flow',
      '+12065550177',
    ]);
    expect(plan.counts.update).toBe(0);
    expect(plan.entries.filter((e) => e.action === 'skip').map((e) => e.name)).toEqual([
      'Chat Entry Flow',
      'Main Inbound IVR',
      'Technical Support',
      'Support Agents',
      'maya.patel',
      'Callback Request',
      'Escalate-Negative-Sentiment',
    ]);
    expect(plan.entries.filter((e) => e.blocked)).toEqual([]);
  });

  it('brings the instance back to the snapshot with overwrite, and then plans nothing more', async () => {
    const report = await restore({ mode: 'overwrite', dryRun: false });
    emulator.propagation.settle();
    const again = await restore({ mode: 'overwrite', dryRun: true });
    const after = await snapshotDocuments(
      folder.store,
      PREFIX,
      instanceId,
      await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX),
    );

    expect(report.status).toBe('succeeded');
    // The number pointed at the recreated flow counts as updated (it was claimed, not created).
    expect(report.outcomes).toEqual({ created: 1, updated: 8, unchanged: report.entries.length - 9 });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: report.entries.length, skip: 0 });
    const instance = instanceNamed(emulator, 'demo-source');
    const expected = normalizedSnapshot(before.documents, instance);
    const actual = normalizedSnapshot(after.documents, instance);
    for (const kind of KIND_NAMES) expect(actual[kind], kind).toEqual(expected[kind]);
    expect(after.documents.flows.length).toBe(before.documents.flows.length);
  });
});
