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
import { RestoreInputError } from '#shared/restore/errors.js';
import type { RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
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

/** The RestoreInputError a restore into demo-target fails with, and the writes it made (none). */
async function refused(
  request: Omit<RestoreRequestInput, 'source' | 'target'>,
): Promise<{ error: RestoreInputError; writes: number }> {
  emulator.resetStats();
  const error = await rejectionOf(restore(request));
  expect(error).toBeInstanceOf(RestoreInputError);
  const writes = Object.entries(emulator.stats().operations)
    .filter(([op]) => isMutating(op))
    .reduce((n, [, s]) => n + s.calls, 0);
  return { error: error as unknown as RestoreInputError, writes };
}

describe('mappings that contradict the snapshot or the target', () => {
  const filters = { kinds: ['hours-of-operation' as const, 'queues' as const] };

  it('are refused before any write: two source queues mapped to one name', async () => {
    const { error, writes } = await refused({
      filters,
      mappings: {
        ...CROSS_ACCOUNT_MAPPING,
        names: { queues: { 'Outbound Sales': 'Sales', BasicQueue: 'Sales' } },
      },
    });

    expect(error.problem).toBe('invalid-request');
    expect(error.message).toContain(
      'mappings.names.queues.BasicQueue: "Outbound Sales" and "BasicQueue" are both mapped to "Sales": one queues name in the target can stand for one resource only',
    );
    expect(writes).toBe(0);
  });

  it('are refused before any write: a rename onto a name another queue of the snapshot keeps, a name not in the snapshot', async () => {
    const { error, writes } = await refused({
      filters,
      mappings: {
        ...CROSS_ACCOUNT_MAPPING,
        names: { queues: { 'Outbound Sales': 'BasicQueue', Salse: 'Sales EU' } },
      },
    });

    expect(error.problem).toBe('invalid-mapping');
    expect(error.message).toBe(
      'The mapping contradicts the snapshot: names.queues.Salse: the snapshot has no queue named "Salse"; names.queues: "BasicQueue" and "Outbound Sales" would all be restored as queue "BasicQueue". Nothing was written',
    );
    expect(writes).toBe(0);
  });

  it('are refused before any write: an id mapped to a target id that does not exist', async () => {
    const source = instanceNamed(emulator, 'demo-source');
    const snapshot = blocked.source.snapshotId;
    const hours = (await snapshotDocuments(folder.store, PREFIX, source.id, snapshot)).documents[
      'hours-of-operation'
    ].find((d) => d.name === 'Sales Hours');
    const missing = '00000000-0000-4000-8000-00000000dead';

    const { error, writes } = await refused({
      filters,
      mappings: {
        ...CROSS_ACCOUNT_MAPPING,
        ids: { [hours?.id ?? '']: missing, [SOURCE_PHONE]: TARGET_PHONE },
      },
    });

    expect(error.problem).toBe('invalid-mapping');
    expect(error.message).toBe(
      `The mapping contradicts the target: ids.${hours?.id}: maps a hours of operation to ${missing}, which is no hours of operation of the target instance. Nothing was written`,
    );
    expect(writes).toBe(0);
  });

  it('are accepted when the id is a resource of that kind in the target, and the queue points at it', async () => {
    const source = instanceNamed(emulator, 'demo-source');
    const documents = (await snapshotDocuments(folder.store, PREFIX, source.id, blocked.source.snapshotId))
      .documents;
    const hours = documents['hours-of-operation'].find((d) => d.name === 'Sales Hours');
    const targetHours = mapped.entries.find((e) => e.name === 'EU Sales Hours')?.targetId ?? '';

    const plan = await restore({
      dryRun: true,
      filters: { kinds: ['queues'], names: ['Outbound Sales'] },
      mappings: {
        ...CROSS_ACCOUNT_MAPPING,
        ids: { [hours?.id ?? '']: targetHours, [SOURCE_PHONE]: TARGET_PHONE },
      },
    });

    expect(plan.entries.map((e) => [e.kind, e.name, e.action, e.blocked])).toEqual([
      ['queues', 'Outbound Sales', 'create', undefined],
    ]);
  });
});

describe('integrations in a filtered restore', () => {
  it('are only the Lambda functions and Lex bots the restored resources reference; all of them unfiltered', async () => {
    const all = await restore({ dryRun: true, mappings: CROSS_ACCOUNT_MAPPING });
    const one = await restore({
      dryRun: true,
      filters: { kinds: ['flow-modules'], names: ['Customer Authentication'] },
      mappings: CROSS_ACCOUNT_MAPPING,
    });
    const integrations = (report: RestoreReport) =>
      report.entries
        .filter((e) => e.kind === 'lambda-function' || e.kind === 'lex-v2-bot')
        .map((e) => e.name);

    expect(one.entries.filter((e) => e.kind === 'flow-modules').map((e) => [e.name, e.action])).toEqual([
      ['Customer Authentication', 'create'],
    ]);
    expect(integrations(one)).toEqual(['arn:aws:lambda:eu-west-2:444455556666:function:CustomerLookup']);
    // Unfiltered, a restore associates every integration of the source instance.
    expect(integrations(all).sort()).toEqual([
      'arn:aws:lambda:eu-west-2:444455556666:function:CreateSupportTicket',
      'arn:aws:lambda:eu-west-2:444455556666:function:CustomerLookup',
      'arn:aws:lambda:eu-west-2:444455556666:function:RecordSurveyResponse',
      'arn:aws:lex:eu-west-2:444455556666:bot-alias/MAINMENU01/PRODALIAS1',
    ]);
  });
});
