/**
 * Explicit mappings: a queue's outbound caller-id phone number (a reference outside the snapshot)
 * blocks a restore into another instance until `mappings.ids` maps it; `mappings.names` restores a
 * resource under another name, and what references it follows.
 */
import {
  CreateContactFlowCommand,
  CreateQueueCommand,
  DescribeQueueCommand,
  paginateListQueues,
  UpdateQueueMaxContactsCommand,
  UpdateRoutingProfileNameCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

const SOURCE_PHONE = '5e1d9f0a-1111-4b2c-9d3e-000000000001';
const TARGET_PHONE = '7a2b3c4d-2222-4e5f-8a9b-000000000002';
let emulator: ConnectEmulator;
let folder: TempFolder;
let blocked: RestoreReport;
let mapped: RestoreReport;
let again: RestoreReport;
let defaults: RestoreReport;
let typeConflict: RestoreReport;

function restore(request: Omit<RestoreRequestInput, 'source' | 'target'>): Promise<RestoreReport> {
  return restoreIntoDemoTarget(emulator, folder, request);
}

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const source = instanceNamed(emulator, 'demo-source');
  const snapshotId = await backupOf(emulator, source, folder.store, PREFIX);
  const hours = (await snapshotDocuments(folder.store, PREFIX, source.id, snapshotId)).documents[
    'hours-of-operation'
  ].find((d) => d.name === 'Sales Hours');
  await emulatorClient(emulator, source).client.send(
    new CreateQueueCommand({
      InstanceId: source.id,
      Name: 'Outbound Sales',
      Description: 'Outbound campaigns with their own caller id',
      HoursOfOperationId: hours?.id,
      OutboundCallerConfig: { OutboundCallerIdName: 'Example Corp', OutboundCallerIdNumberId: SOURCE_PHONE },
    }),
  );
  const sourceClient = emulatorClient(emulator, source).client;
  const documents = (await snapshotDocuments(folder.store, PREFIX, source.id, snapshotId)).documents;
  await sourceClient.send(
    new UpdateQueueMaxContactsCommand({
      InstanceId: source.id,
      QueueId: documents.queues.find((d) => d.name === 'BasicQueue')?.id,
      MaxContacts: 42,
    }),
  );
  await sourceClient.send(
    new UpdateRoutingProfileNameCommand({
      InstanceId: source.id,
      RoutingProfileId: documents['routing-profiles'].find((d) => d.name === 'Basic Routing Profile')?.id,
      Description: 'The default profile, tuned',
    }),
  );
  // Each step reads what the one before wrote: let it propagate first (Search lags behind writes).
  emulator.propagation.settle();
  await backupOf(emulator, source, folder.store, PREFIX);
  defaults = await restore({
    mode: 'overwrite',
    filters: { kinds: ['queues', 'routing-profiles'], names: ['Basic*'] },
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  const target = instanceNamed(emulator, 'demo-target');
  await emulatorClient(emulator, target).client.send(
    new CreateContactFlowCommand({
      InstanceId: target.id,
      Name: 'Support Queue Music',
      Type: 'CONTACT_FLOW',
      Status: 'SAVED',
      Content: '{"Version":"2019-10-30","StartAction":"x","Actions":[]}',
    }),
  );
  emulator.propagation.settle();
  typeConflict = await restore({
    dryRun: true,
    filters: { kinds: ['flows'], names: ['Support Queue Music'] },
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  const filters = {
    kinds: ['hours-of-operation', 'queues'] as const,
    names: ['Sales Hours', 'Outbound Sales'],
  };
  blocked = await restore({
    filters: { ...filters, kinds: [...filters.kinds] },
    mappings: CROSS_ACCOUNT_MAPPING,
  });
  const mappings = {
    ...CROSS_ACCOUNT_MAPPING,
    ids: { [SOURCE_PHONE]: TARGET_PHONE },
    names: {
      queues: { 'Outbound Sales': 'Outbound Sales EU' },
      'hours-of-operation': { 'Sales Hours': 'EU Sales Hours' },
    },
  };
  mapped = await restore({ filters: { ...filters, kinds: [...filters.kinds] }, mappings });
  emulator.propagation.settle();
  again = await restore({ filters: { ...filters, kinds: [...filters.kinds] }, mappings, dryRun: true });
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('mappings', () => {
  it('block a queue whose caller-id phone number belongs to the source instance, naming the member', () => {
    const queue = blocked.entries.find((e) => e.name === 'Outbound Sales');

    expect(queue).toMatchObject({ action: 'skip', blocked: true });
    expect(blocked.unresolved).toEqual([
      {
        kind: 'queues',
        name: 'Outbound Sales',
        sourceId: queue?.sourceId,
        path: 'OutboundCallerConfig.OutboundCallerIdNumberId',
        reference: SOURCE_PHONE,
        reason: 'is a phone number of the source instance: map it to one of the target with mappings.ids',
        cause: 'unresolved',
      },
    ]);
  });

  it('restore under mapped names, with the mapped phone number, and plan nothing the second time', async () => {
    const target = instanceNamed(emulator, 'demo-target');
    const queueId = mapped.entries.find((e) => e.name === 'Outbound Sales EU')?.targetId;
    const hoursId = mapped.entries.find((e) => e.name === 'EU Sales Hours')?.targetId;

    const { Queue } = await emulatorClient(emulator, target).client.send(
      new DescribeQueueCommand({ InstanceId: target.id, QueueId: queueId }),
    );

    expect(mapped.status).toBe('succeeded');
    expect(mapped.entries.map((e) => [e.kind, e.name, e.outcome])).toEqual([
      ['hours-of-operation', 'EU Sales Hours', 'created'],
      ['queues', 'Outbound Sales EU', 'created'],
    ]);
    expect(Queue?.Name).toBe('Outbound Sales EU');
    expect(Queue?.HoursOfOperationId).toBe(hoursId);
    expect(Queue?.OutboundCallerConfig).toEqual({
      OutboundCallerIdName: 'Example Corp',
      OutboundCallerIdNumberId: TARGET_PHONE,
    });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 2, skip: 0 });
  });
});

describe('default resources', () => {
  it('are matched by name and updated, never duplicated', async () => {
    const target = instanceNamed(emulator, 'demo-target');
    const names: string[] = [];
    for await (const page of paginateListQueues(
      { client: emulatorClient(emulator, target).client },
      { InstanceId: target.id, QueueTypes: ['STANDARD'] },
    ))
      names.push(...(page.QueueSummaryList ?? []).map((q) => q.Name ?? ''));

    expect(defaults.entries.map((e) => [e.kind, e.name, e.action, e.changes, e.outcome])).toEqual([
      ['queues', 'BasicQueue', 'update', ['MaxContacts'], 'updated'],
      ['routing-profiles', 'Basic Routing Profile', 'update', ['Description'], 'updated'],
    ]);
    expect(names.filter((n) => n === 'BasicQueue')).toEqual(['BasicQueue']);
  });
});

describe('flows', () => {
  it('match by name and type: a same-named flow of another type blocks the restore of the flow', () => {
    const flows = typeConflict.entries.filter((e) => e.kind === 'flows');

    expect(flows.map((e) => [e.name, e.action, e.blocked, e.reason])).toEqual([
      [
        'Support Queue Music',
        'skip',
        true,
        `the target's flow "Support Queue Music" is a CONTACT_FLOW flow, the snapshot's a CUSTOMER_QUEUE flow (flows match by name and type; names are unique per instance)`,
      ],
    ]);
  });
});
