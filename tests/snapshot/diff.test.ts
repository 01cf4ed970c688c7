import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ActivateEvaluationFormCommand,
  AssociateUserProficienciesCommand,
  CreateEmailAddressCommand,
  CreateEvaluationFormCommand,
  CreatePredefinedAttributeCommand,
  CreateRuleCommand,
  CreateTaskTemplateCommand,
  CreateViewCommand,
  UpdateEmailAddressMetadataCommand,
  UpdateRuleCommand,
  UpdateTaskTemplateCommand,
  UpdateViewContentCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '#shared/snapshot/diff.js';
import { SnapshotIntegrityError } from '#shared/snapshot/verify.js';
import { emulatorClient, runBackup, tempFolderStore } from '../backup/support.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { seedNewInstanceDefaults } from '../emulator/seeds/new-instance.js';
import { createInstance, describeSeeded } from '../emulator/seeds/support.js';
import { rejectionOf } from '../support/errors.js';

let emulator: ConnectEmulator;
let folder: Awaited<ReturnType<typeof tempFolderStore>>;
const snapshots: string[] = [];

beforeAll(async () => {
  emulator = await startConnectEmulator({
    throttle: { enabled: false },
    seed: async (env) => {
      const one = createInstance(env, {
        alias: 'one',
        accountId: '111122223333',
        region: 'us-east-1',
        accessKeyId: 'AKIAONE0000000000001',
      });
      const two = createInstance(env, {
        alias: 'two',
        accountId: '444455556666',
        region: 'eu-west-2',
        accessKeyId: 'AKIATWO0000000000002',
      });
      await seedNewInstanceDefaults(env, one);
      await seedNewInstanceDefaults(env, two);
      return [describeSeeded(one, 'AKIAONE0000000000001'), describeSeeded(two, 'AKIATWO0000000000002')];
    },
  });
  folder = await tempFolderStore();
  for (const instance of emulator.instances) {
    snapshots.push(
      (await runBackup(emulatorClient(emulator, instance), folder.store, instance.id)).snapshotId,
    );
  }
});

afterAll(async () => {
  await emulator?.close();
  await folder?.remove();
});

const side = (index: number, snapshotId = 'latest') => ({
  store: folder.store,
  prefix: 'vault',
  instanceId: emulator.instances[index]!.id,
  snapshotId,
});

describe('diffSnapshots', () => {
  it('finds two new instances in other accounts and Regions identical once normalised', async () => {
    const normalized = await diffSnapshots(side(0), side(1), { normalize: true });
    const plain = await diffSnapshots(side(0), side(1));

    expect(normalized.identical).toBe(true);
    expect(normalized.kinds.flows).toEqual({ added: [], removed: [], changed: [], unchanged: 20 });
    expect(normalized.kinds.users).toEqual({ added: [], removed: [], changed: [], unchanged: 1 });
    expect(plain.identical).toBe(false);
    expect(plain.kinds.queues?.changed.map((c) => c.name)).toEqual(['BasicQueue']);
  });

  it('shows a predefined attribute added and a user whose proficiencies changed', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const user = emulator.world.instances.get(instance.id)!.users.all()[0]!;
    await client.client.send(
      new CreatePredefinedAttributeCommand({
        InstanceId: instance.id,
        Name: 'Language',
        Values: { StringList: ['English'] },
      }),
    );
    await client.client.send(
      new AssociateUserProficienciesCommand({
        InstanceId: instance.id,
        UserId: user.id,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'English', Level: 4 }],
      }),
    );
    const after = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const diff = await diffSnapshots(side(0, snapshots[0]), side(0, after));

    expect(diff.kinds['predefined-attributes']).toEqual({
      added: ['Language'],
      removed: [],
      changed: [],
      unchanged: 0,
    });
    expect(diff.kinds.users?.changed.map((c) => c.name)).toEqual([user.name]);
  });

  it('shows an evaluation form added, then changed when its version is activated', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const before = (await runBackup(client, folder.store, instance.id)).snapshotId;
    const created = await client.client.send(
      new CreateEvaluationFormCommand({
        InstanceId: instance.id,
        Title: 'Quality',
        Items: [
          {
            Section: {
              RefId: 's',
              Title: 'Call',
              Items: [{ Question: { RefId: 'q', Title: 'Greeting?', QuestionType: 'TEXT' } }],
            },
          },
        ],
      }),
    );
    const added = (await runBackup(client, folder.store, instance.id)).snapshotId;
    await client.client.send(
      new ActivateEvaluationFormCommand({
        InstanceId: instance.id,
        EvaluationFormId: created.EvaluationFormId,
        EvaluationFormVersion: 1,
      }),
    );
    const activated = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const first = await diffSnapshots(side(0, before), side(0, added));
    const second = await diffSnapshots(side(0, added), side(0, activated));

    expect(first.kinds['evaluation-forms']).toEqual({
      added: ['Quality'],
      removed: [],
      changed: [],
      unchanged: 0,
    });
    expect(second.kinds['evaluation-forms']?.changed.map((c) => c.name)).toEqual(['Quality']);
  });

  it('shows an e-mail address added, then changed when its display name is', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const before = (await runBackup(client, folder.store, instance.id)).snapshotId;
    const address = `diff@${instance.alias}.email.connect.aws`;
    const created = await client.client.send(
      new CreateEmailAddressCommand({ InstanceId: instance.id, EmailAddress: address, DisplayName: 'Diff' }),
    );
    const added = (await runBackup(client, folder.store, instance.id)).snapshotId;
    await client.client.send(
      new UpdateEmailAddressMetadataCommand({
        InstanceId: instance.id,
        EmailAddressId: created.EmailAddressId,
        DisplayName: 'Diff, renamed',
      }),
    );
    const changed = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const first = await diffSnapshots(side(0, before), side(0, added));
    const second = await diffSnapshots(side(0, added), side(0, changed));

    expect(first.kinds['email-addresses']).toEqual({
      added: [address],
      removed: [],
      changed: [],
      unchanged: 0,
    });
    expect(second.kinds['email-addresses']?.changed.map((c) => c.name)).toEqual([address]);
  });

  it('shows a task template added, then changed when it is made INACTIVE', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const flow = emulator.world.instances.get(instance.id)!.flows.findByName('Default outbound')!;
    const before = (await runBackup(client, folder.store, instance.id)).snapshotId;
    const content = {
      InstanceId: instance.id,
      ContactFlowId: flow.id,
      Fields: [{ Id: { Name: 'Name' }, Type: 'NAME' as const }],
      Constraints: { RequiredFields: [{ Id: { Name: 'Name' } }] },
    };
    const created = await client.client.send(
      new CreateTaskTemplateCommand({ Name: 'Follow-up', ...content }),
    );
    const added = (await runBackup(client, folder.store, instance.id)).snapshotId;
    await client.client.send(
      new UpdateTaskTemplateCommand({ TaskTemplateId: created.Id, ...content, Status: 'INACTIVE' }),
    );
    const inactive = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const first = await diffSnapshots(side(0, before), side(0, added));
    const second = await diffSnapshots(side(0, added), side(0, inactive));

    expect(first.kinds['task-templates']).toEqual({
      added: ['Follow-up'],
      removed: [],
      changed: [],
      unchanged: 0,
    });
    expect(second.kinds['task-templates']?.changed.map((c) => c.name)).toEqual(['Follow-up']);
  });

  it('shows a view added, then changed when its saved content is published', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const before = (await runBackup(client, folder.store, instance.id)).snapshotId;
    const { View } = await client.client.send(
      new CreateViewCommand({
        InstanceId: instance.id,
        Name: 'Intake',
        Status: 'SAVED',
        Content: { Template: '{"Head":{"Title":"Intake"}}', Actions: ['Submit'] },
      }),
    );
    const added = (await runBackup(client, folder.store, instance.id)).snapshotId;
    await client.client.send(
      new UpdateViewContentCommand({
        InstanceId: instance.id,
        ViewId: View?.Id,
        Status: 'PUBLISHED',
        Content: { Template: '{"Head":{"Title":"Intake"}}', Actions: ['Submit'] },
      }),
    );
    const published = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const first = await diffSnapshots(side(0, before), side(0, added));
    const second = await diffSnapshots(side(0, added), side(0, published));

    expect(first.kinds.views).toEqual({ added: ['Intake'], removed: [], changed: [], unchanged: 0 });
    expect(second.kinds.views?.changed.map((c) => c.name)).toEqual(['Intake']);
  });

  it('shows a rule added, then changed when it is published', async () => {
    const instance = emulator.instances[0]!;
    const client = emulatorClient(emulator, instance);
    const before = (await runBackup(client, folder.store, instance.id)).snapshotId;
    const rule = {
      InstanceId: instance.id,
      Name: 'Tag-Refunds',
      Function: 'opaque',
      Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY' as const, AssignContactCategoryAction: {} }],
    };
    const created = await client.client.send(
      new CreateRuleCommand({
        ...rule,
        TriggerEventSource: { EventSourceName: 'OnPostCallAnalysisAvailable' },
        PublishStatus: 'DRAFT',
      }),
    );
    const added = (await runBackup(client, folder.store, instance.id)).snapshotId;
    await client.client.send(
      new UpdateRuleCommand({ ...rule, RuleId: created.RuleId, PublishStatus: 'PUBLISHED' }),
    );
    const published = (await runBackup(client, folder.store, instance.id)).snapshotId;

    const first = await diffSnapshots(side(0, before), side(0, added));
    const second = await diffSnapshots(side(0, added), side(0, published));

    expect(first.kinds.rules).toEqual({ added: ['Tag-Refunds'], removed: [], changed: [], unchanged: 0 });
    expect(second.kinds.rules?.changed.map((c) => c.name)).toEqual(['Tag-Refunds']);
  });

  it('refuses a snapshot whose object was changed after the backup', async () => {
    const instanceId = emulator.instances[1]!.id;
    const dir = join(folder.root, 'vault', instanceId, 'snapshots', snapshots[1]!, 'agent-statuses');
    const { readdir } = await import('node:fs/promises');
    const file = join(dir, (await readdir(dir))[0] ?? '');
    await writeFile(file, '{"tampered":true}\n');

    const error = await rejectionOf(diffSnapshots(side(0), side(1)));

    expect(error).toBeInstanceOf(SnapshotIntegrityError);
    expect((error as unknown as SnapshotIntegrityError).problem).toBe('checksum-mismatch');
    expect(error.message).toContain('no longer matches its SHA-256');
  });

  it('compares the instance attributes and approved origins as kind instance, unless kinds are given', async () => {
    const two = emulator.instances[1]!;
    const live = emulator.world.instances.get(two.id)!;
    live.attributes.set('CONTACTFLOW_LOGS', 'true');
    live.approvedOrigins.push('https://www.example.com');
    await runBackup(emulatorClient(emulator, two), folder.store, two.id);

    const diff = await diffSnapshots(side(0), side(1), { normalize: true });
    const queuesOnly = await diffSnapshots(side(0), side(1), { normalize: true, kinds: ['queues'] });

    expect(diff.identical).toBe(false);
    expect(diff.kinds.instance).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          name: 'approved origins',
          paths: ['approvedOrigins.0'],
          changes: [{ path: 'approvedOrigins.0', after: 'https://www.example.com' }],
        },
        {
          name: 'attributes',
          paths: ['attributes.CONTACTFLOW_LOGS'],
          changes: [{ path: 'attributes.CONTACTFLOW_LOGS', before: 'false', after: 'true' }],
        },
      ],
      unchanged: 0,
    });
    expect(queuesOnly.kinds).not.toHaveProperty('instance');
    expect(queuesOnly.identical).toBe(true);
  });
});
