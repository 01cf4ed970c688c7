/**
 * Hours-of-operation overrides, parent hours and routing-profile manual-assignment queues, end to
 * end: demo-source's snapshot holds them, a restore creates them in demo-target with target ids, an
 * overwrite brings changed ones back (and a second run writes nothing), and a parent link changed
 * in the target is reported rather than written (no IAM action relinks parent hours).
 */
import {
  CreateHoursOfOperationCommand,
  CreateHoursOfOperationOverrideCommand,
  ListHoursOfOperationOverridesCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursOfOperation } from '#shared/kinds/hours-of-operation.js';
import type { StoredDocument, WriteContext } from '#shared/kinds/types.js';
import { diffSnapshots } from '#shared/snapshot/diff.js';
import { connectCall } from '../backup/incremental-support.js';
import type { ConnectEmulator, SeededInstance } from '../emulator/index.js';
import type { InstanceState } from '../emulator/state.js';
import { startWithInstance } from '../emulator/testing.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: SeededInstance;
let target: SeededInstance;
let documents: Record<string, StoredDocument[]>;
let sourceSnapshot: string;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  source = instanceNamed(emulator, 'demo-source');
  target = instanceNamed(emulator, 'demo-target');
  sourceSnapshot = await backupOf(emulator, source, folder.store, PREFIX);
  ({ documents } = await snapshotDocuments(folder.store, PREFIX, source.id, sourceSnapshot));
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const live = (instance: SeededInstance): InstanceState => {
  const found = emulator.world.instances.get(instance.id);
  if (!found) throw new Error('instance gone');
  return found;
};
const hours = (instance: SeededInstance, name: string) => {
  const found = live(instance).hoursOfOperations.findByName(name);
  if (!found) throw new Error(`no hours ${name}`);
  return found;
};
const profile = (instance: SeededInstance, name: string) => {
  const found = live(instance).routingProfiles.findByName(name);
  if (!found) throw new Error(`no routing profile ${name}`);
  return found;
};
const queueId = (instance: SeededInstance, name: string) => {
  const found = live(instance).queues.findByName(name);
  if (!found) throw new Error(`no queue ${name}`);
  return found.id;
};
const doc = (kind: string, name: string) => {
  const found = documents[kind]?.find((d) => d.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the snapshot`);
  return found;
};
const targetCall = (operation: string, input: Record<string, unknown>) =>
  connectCall(emulator, target, operation, input);
const CHRISTMAS = {
  Name: 'Christmas Day',
  Description: 'Closed all day',
  Config: [],
  EffectiveFrom: '2026-12-25',
  EffectiveTill: '2026-12-25',
  RecurrenceConfig: {
    RecurrencePattern: { Frequency: 'YEARLY', Interval: 1, ByMonth: [12], ByMonthDay: [25] },
  },
  OverrideType: 'CLOSED',
};

describe('the backup of demo-source', () => {
  it('holds the override without ids, the parent link and the manual-assignment queue', () => {
    expect(doc('hours-of-operation', 'Sales Hours').related?.overrides).toEqual([CHRISTMAS]);
    expect(doc('hours-of-operation', 'Support Hours').resource.ParentHoursOfOperations).toEqual([
      {
        Id: hours(source, 'Sales Hours').id,
        Arn: hours(source, 'Sales Hours').arn,
        Name: 'Sales Hours',
      },
    ]);
    expect(doc('hours-of-operation', '24x7').related).toBeUndefined();
    expect(doc('routing-profiles', 'Support Agents').related?.manualAssignmentQueueConfigs).toEqual([
      expect.objectContaining({
        QueueId: queueId(source, 'Technical Support'),
        QueueName: 'Technical Support',
        Channel: 'TASK',
      }),
    ]);
    expect(doc('routing-profiles', 'Sales Agents').related).not.toHaveProperty(
      'manualAssignmentQueueConfigs',
    );
  });
});

describe('restoring into demo-target', () => {
  it('creates the override, the parent link and the manual-assignment queue with target ids', async () => {
    const report = await restoreIntoDemoTarget(
      emulator,
      folder,
      { mappings: CROSS_ACCOUNT_MAPPING },
      { targetStats: true },
    );
    expect(report.status).toBe('succeeded');

    expect(hours(target, 'Sales Hours').overrides).toEqual([
      { ...CHRISTMAS, HoursOfOperationOverrideId: expect.any(String) },
    ]);
    expect(hours(target, 'Support Hours').parentIds).toEqual([hours(target, 'Sales Hours').id]);
    expect(profile(target, 'Support Agents').manualAssignmentQueueConfigs).toEqual([
      expect.objectContaining({ QueueId: queueId(target, 'Technical Support'), Channel: 'TASK' }),
    ]);
    // A diff across the two instances finds these kinds identical: overrides are stored without ids.
    emulator.propagation.settle();
    const targetSnapshot = await backupOf(emulator, target, folder.store, PREFIX);
    const side = (instance: SeededInstance, snapshotId: string) => ({
      store: folder.store,
      prefix: PREFIX,
      instanceId: instance.id,
      snapshotId,
    });
    const diff = await diffSnapshots(side(source, sourceSnapshot), side(target, targetSnapshot), {
      normalize: true,
      kinds: ['hours-of-operation', 'routing-profiles'],
    });
    expect(diff.kinds['hours-of-operation']?.changed).toEqual([]);
    expect(diff.kinds['routing-profiles']?.changed).toEqual([]);
    // apiCalls counts every attempt: an override of hours created moments ago is retried while the
    // hours propagate; the state above shows one override was made.
    expect(report.apiCalls.CreateHoursOfOperationOverride).toBeGreaterThanOrEqual(1);
  });

  it('in overwrite mode brings back changed, extra and missing overrides and manual queues, then writes nothing', async () => {
    emulator.propagation.settle();
    const sales = hours(target, 'Sales Hours');
    const christmas = sales.overrides?.[0]?.HoursOfOperationOverrideId;
    await targetCall('UpdateHoursOfOperationOverride', {
      HoursOfOperationId: sales.id,
      HoursOfOperationOverrideId: christmas,
      EffectiveTill: '2026-12-27',
      OverrideType: 'OPEN',
    });
    await targetCall('CreateHoursOfOperationOverride', {
      HoursOfOperationId: sales.id,
      Name: 'Not in the snapshot',
      Config: [],
      EffectiveFrom: '2027-05-01',
      EffectiveTill: '2027-05-01',
    });
    const agents = profile(target, 'Support Agents');
    await targetCall('DisassociateRoutingProfileQueues', {
      RoutingProfileId: agents.id,
      ManualAssignmentQueueReferences: [{ QueueId: queueId(target, 'Technical Support'), Channel: 'TASK' }],
    });
    await targetCall('AssociateRoutingProfileQueues', {
      RoutingProfileId: agents.id,
      ManualAssignmentQueueConfigs: [
        { QueueReference: { QueueId: queueId(target, 'Sales'), Channel: 'CHAT' } },
      ],
    });

    const report = await restoreIntoDemoTarget(
      emulator,
      folder,
      { mode: 'overwrite', mappings: CROSS_ACCOUNT_MAPPING },
      { targetStats: true },
    );

    expect(report.status).toBe('succeeded');
    // Instance attributes left by the first (create-missing) restore are overwritten too: not ours.
    const updates = report.entries.filter(
      (e) => e.action === 'update' && ['hours-of-operation', 'routing-profiles'].includes(e.kind),
    );
    expect(updates.map((e) => [e.kind, e.name, e.changes])).toEqual([
      ['hours-of-operation', 'Sales Hours', ['Overrides']],
      ['routing-profiles', 'Support Agents', ['ManualAssignmentQueueConfigs']],
    ]);
    expect(hours(target, 'Sales Hours').overrides).toEqual([
      { ...CHRISTMAS, HoursOfOperationOverrideId: christmas },
    ]);
    expect(profile(target, 'Support Agents').manualAssignmentQueueConfigs).toEqual([
      expect.objectContaining({ QueueId: queueId(target, 'Technical Support'), Channel: 'TASK' }),
    ]);
    expect(report.apiCalls).toMatchObject({
      UpdateHoursOfOperationOverride: 1,
      DeleteHoursOfOperationOverride: 1,
      DisassociateRoutingProfileQueues: 1,
      AssociateRoutingProfileQueues: 1,
    });
    expect(report.apiCalls).not.toHaveProperty('CreateHoursOfOperationOverride');

    emulator.propagation.settle();
    const again = await restoreIntoDemoTarget(
      emulator,
      folder,
      { mode: 'overwrite', mappings: CROSS_ACCOUNT_MAPPING },
      { targetStats: true },
    );
    expect(again.counts).toMatchObject({ create: 0, update: 0 });
    // Only the phone numbers, which are claimed and not mapped here, are skipped.
    expect(again.entries.filter((e) => e.action === 'skip' && e.kind !== 'phone-numbers')).toEqual([]);
    expect(Object.keys(again.apiCalls).filter((op) => !/^(Describe|List|Search|Get)/.test(op))).toEqual([]);
  });

  it('reports a parent link changed in the target instead of writing it', async () => {
    emulator.propagation.settle();
    await targetCall('DisassociateHoursOfOperations', {
      HoursOfOperationId: hours(target, 'Support Hours').id,
      ParentHoursOfOperationIds: [hours(target, 'Sales Hours').id],
    });
    emulator.propagation.settle(); // the hours are read with Search, which shows the change once indexed

    const report = await restoreIntoDemoTarget(emulator, folder, {
      mode: 'overwrite',
      mappings: CROSS_ACCOUNT_MAPPING,
    });

    const child = report.entries.find((e) => e.kind === 'hours-of-operation' && e.name === 'Support Hours');
    expect(child).toMatchObject({ blocked: true, changes: ['ParentHoursOfOperationIds'] });
    expect(child?.reason).toContain('AssociateHoursOfOperations');
    expect(hours(target, 'Support Hours').parentIds).toBeUndefined();
  });
});

describe('a diff of two snapshots of demo-source', () => {
  it('names the override, the parent link and the manual-assignment queue that changed', async () => {
    const sales = hours(source, 'Sales Hours');
    await connectCall(emulator, source, 'UpdateHoursOfOperationOverride', {
      HoursOfOperationId: sales.id,
      HoursOfOperationOverrideId: sales.overrides?.[0]?.HoursOfOperationOverrideId,
      EffectiveTill: '2026-12-26',
    });
    await connectCall(emulator, source, 'DisassociateHoursOfOperations', {
      HoursOfOperationId: hours(source, 'Support Hours').id,
      ParentHoursOfOperationIds: [sales.id],
    });
    await connectCall(emulator, source, 'DisassociateRoutingProfileQueues', {
      RoutingProfileId: profile(source, 'Support Agents').id,
      ManualAssignmentQueueReferences: [{ QueueId: queueId(source, 'Technical Support'), Channel: 'TASK' }],
    });
    emulator.propagation.settle(); // hours are read with Search, which shows a change once indexed
    const later = await backupOf(emulator, source, folder.store, PREFIX);
    const side = (snapshotId: string) => ({
      store: folder.store,
      prefix: PREFIX,
      instanceId: source.id,
      snapshotId,
    });

    const diff = await diffSnapshots(side(sourceSnapshot), side(later), {
      kinds: ['hours-of-operation', 'routing-profiles'],
    });

    const paths = (kind: string) =>
      Object.fromEntries((diff.kinds[kind]?.changed ?? []).map((c) => [c.name, c.paths]));
    expect(paths('hours-of-operation')).toEqual({
      'Sales Hours': ['related.overrides.0.EffectiveTill'],
      'Support Hours': ['resource.ParentHoursOfOperations'],
    });
    expect(paths('routing-profiles')).toEqual({
      'Support Agents': [
        'related.manualAssignmentQueueConfigs',
        'resource.NumberOfAssociatedManualAssignmentQueues',
      ],
    });
  });
});

describe('the hours-of-operation update of overrides', () => {
  it('deletes and creates again an override that loses its description or recurrence, which an update cannot clear', async () => {
    const h = await startWithInstance();
    const { HoursOfOperationId, HoursOfOperationArn } = await h.connect.send(
      new CreateHoursOfOperationCommand({
        InstanceId: h.InstanceId,
        Name: 'Office',
        TimeZone: 'UTC',
        Config: [],
      }),
    );
    const sent: string[] = [];
    h.connect.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push((context.commandName ?? '').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'recordSent' },
    );
    await h.connect.send(
      new CreateHoursOfOperationOverrideCommand({
        InstanceId: h.InstanceId,
        HoursOfOperationId,
        ...CHRISTMAS,
      } as never),
    );
    const { Description: _d, RecurrenceConfig: _r, ...plain } = CHRISTMAS;
    const ctx = { connect: h.connect, instanceId: h.InstanceId } as unknown as WriteContext;

    await hoursOfOperation.restore?.update(
      ctx,
      'main',
      { id: HoursOfOperationId!, arn: HoursOfOperationArn! },
      {
        current: { Overrides: [CHRISTMAS] },
        desired: { Overrides: [plain] },
        changed: new Set(['Overrides']),
        source: { kind: 'hours-of-operation', id: 'source', arn: 'source', name: 'Office', resource: {} },
      },
    );

    const listed = await h.connect.send(
      new ListHoursOfOperationOverridesCommand({ InstanceId: h.InstanceId, HoursOfOperationId }),
    );
    expect(
      listed.HoursOfOperationOverrideList?.map(
        ({ HoursOfOperationOverrideId: _o, HoursOfOperationId: _h, HoursOfOperationArn: _a, ...o }) => o,
      ),
    ).toEqual([plain]);
    expect(sent).toEqual([
      'CreateHoursOfOperationOverride',
      'ListHoursOfOperationOverrides',
      'DeleteHoursOfOperationOverride',
      'CreateHoursOfOperationOverride',
      'ListHoursOfOperationOverrides',
    ]);
  });
});
