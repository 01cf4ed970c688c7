/**
 * Task templates through backup and restore, demo-source into demo-target (another account and
 * Region): the snapshot holds each template as GetTaskTemplate returns it; a restore creates them
 * with the flows and the quick connect they name remapped to the target's, and tags them; overwrite
 * brings changed content, status and tags back; and every second run writes nothing.
 */
import {
  type ConnectClient,
  GetTaskTemplateCommand,
  type GetTaskTemplateResponse,
  ListTaskTemplatesCommand,
  UntagResourceCommand,
  UpdateTaskTemplateCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_TASK_TEMPLATES } from '../emulator/seeds/demo.js';
import {
  demoKindFixture,
  instanceNamed,
  settledCrossAccountRestore,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: ConnectClient;
let target: ConnectClient;
let documents: StoredDocument[];

beforeAll(async () => {
  ({ emulator, folder, source, target, documents } = await demoKindFixture('task-templates'));
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const idOf = (alias: string) => instanceNamed(emulator, alias).id;
const state = (alias: string) => emulator.world.instances.get(idOf(alias))!;

/** Each template of an instance by name, as GetTaskTemplate returns it through the SDK. */
async function templatesOf(client: ConnectClient, alias: string) {
  const InstanceId = idOf(alias);
  const { TaskTemplates = [] } = await client.send(new ListTaskTemplatesCommand({ InstanceId }));
  const out: Record<string, GetTaskTemplateResponse> = {};
  for (const t of TaskTemplates) {
    out[t.Name ?? ''] = await client.send(new GetTaskTemplateCommand({ InstanceId, TaskTemplateId: t.Id }));
  }
  return out;
}

/** What restore brings over, with the ids it references as names of the instance's resources. */
function content(template: GetTaskTemplateResponse | undefined, alias: string) {
  const instance = state(alias);
  const flowName = (id: string | undefined) => (id ? instance.flows.find(id)?.name : undefined);
  return {
    Name: template?.Name,
    Description: template?.Description,
    ContactFlow: flowName(template?.ContactFlowId),
    SelfAssignFlow: flowName(template?.SelfAssignFlowId),
    Fields: template?.Fields,
    Constraints: template?.Constraints,
    Defaults: template?.Defaults?.DefaultFieldValues?.map((d) => ({
      field: d.Id?.Name,
      value: instance.quickConnects.find(d.DefaultValue ?? '')?.name ?? d.DefaultValue,
    })),
    Status: template?.Status,
    Tags: template?.Tags,
  };
}

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

describe('backing up task templates', () => {
  it('stores each template as GetTaskTemplate returns it, ACTIVE and INACTIVE, with its tags', async () => {
    const live = await templatesOf(source, 'demo-source');

    expect(documents.map((d) => d.name).sort()).toEqual(DEMO_TASK_TEMPLATES.map((t) => t.name).sort());
    for (const document of documents) {
      const { InstanceId: _i, ...expected } = live[document.name]!;
      delete (expected as { $metadata?: unknown }).$metadata;
      expect(document.id).toBe(expected.Id);
      expect(document.arn).toBe(expected.Arn);
      expect(document.resource).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    expect(documents.find((d) => d.name === 'Billing Follow-up')?.resource).toMatchObject({
      Status: 'INACTIVE',
      Tags: { Owner: 'Contact Center Operations' },
    });
  });
});

describe('restoring task templates', () => {
  it('creates the templates with their flows and quick connect remapped, and tags them', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    // One template each, whatever the retries: a template created side by side with the flows and
    // quick connects it names may be retried while they propagate (write-retry.ts).
    expect(report.apiCalls.CreateTaskTemplate).toBeGreaterThanOrEqual(2);
    expect(report.entries.filter((e) => e.kind === 'task-templates' && e.outcome === 'created')).toHaveLength(
      2,
    );
    expect(state('demo-target').taskTemplates.all()).toHaveLength(2);
    const restored = await templatesOf(target, 'demo-target');
    const origin = await templatesOf(source, 'demo-source');
    expect(Object.keys(restored).sort()).toEqual(Object.keys(origin).sort());
    for (const name of Object.keys(origin)) {
      expect(content(restored[name], 'demo-target'), name).toEqual(content(origin[name], 'demo-source'));
    }
    const callback = restored['Callback Request']!;
    expect(callback.ContactFlowId).toBe(state('demo-target').flows.findByName('Support Queue Flow')?.id);
    const billing = restored['Billing Follow-up']!;
    expect(billing.Defaults?.DefaultFieldValues?.find((d) => d.Id?.Name === 'Assign to')?.DefaultValue).toBe(
      state('demo-target').quickConnects.findByName('Transfer to Billing')?.id,
    );
    expect(billing.Arn).toContain(`instance/${idOf('demo-target')}/task-template/`);
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings changed content, status and tags back in overwrite mode, and then writes nothing', async () => {
    const InstanceId = idOf('demo-target');
    const before = (await templatesOf(target, 'demo-target'))['Callback Request']!;
    await target.send(
      new UpdateTaskTemplateCommand({
        InstanceId,
        TaskTemplateId: before.Id,
        ContactFlowId: state('demo-target').flows.findByName('Sales Queue Flow')?.id,
        Fields: [{ Id: { Name: 'Name' }, Type: 'NAME' }],
        Constraints: { RequiredFields: [{ Id: { Name: 'Name' } }] },
        Status: 'INACTIVE',
      }),
    );
    await target.send(new UntagResourceCommand({ resourceArn: before.Arn, tagKeys: ['Owner'] }));

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(
      report.entries.filter((e) => e.action === 'update').map((e) => [`${e.kind} ${e.name}`, e.changes]),
    ).toEqual([
      [
        'task-templates Callback Request',
        ['Constraints', 'ContactFlowId', 'Defaults', 'Description', 'Fields', 'Status', 'Tags'],
      ],
    ]);
    expect(report.apiCalls.UpdateTaskTemplate).toBe(1);
    const after = (await templatesOf(target, 'demo-target'))['Callback Request'];
    const origin = (await templatesOf(source, 'demo-source'))['Callback Request'];
    expect(content(after, 'demo-target')).toEqual(content(origin, 'demo-source'));
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });
});
