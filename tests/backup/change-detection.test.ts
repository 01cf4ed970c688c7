/**
 * Every change to every kind, one at a time, against the demo instance: the next incremental
 * backup must store exactly what a full read of the same state stores: every change moves a
 * change signal (no kind lists anything in `changes.notCovered`), so none waits for the weekly
 * full read, which stays as a safety net.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import { KIND_NAMES, KINDS } from '#shared/kinds/index.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { wavBytes } from '../emulator/prompt-files.js';
import type { InstanceState } from '../emulator/state.js';
import { backup, connectCall, DAY_MS, objectsOf, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient } from './support.js';

const FLOW_CONTENT = JSON.stringify({
  Version: '2019-10-30',
  StartAction: 'bye',
  Actions: [{ Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }],
});

const MODULE_CONTENT = JSON.stringify({
  Version: '2019-10-30',
  StartAction: 'end',
  Actions: [{ Identifier: 'end', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} }],
});

let emulator: ConnectEmulator;
let instance: SeededInstance;
let client: InstrumentedConnectClient;
const chain = { store: new MemorySnapshotStore() };
const reference = { store: new MemorySnapshotStore() };
const clock = new TestClock();
/** The newest snapshot of the chain of incremental backups. */
let latest = '';

beforeAll(async () => {
  // Vocabularies build (and are deleted) at once here: the incremental and the full read of one
  // state must see the same vocabulary state.
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false }, vocabularyBuildMs: 0 });
  const source = emulator.instances.find((i) => i.alias === 'demo-source');
  if (!source) throw new Error('no demo-source instance');
  instance = source;
  client = emulatorClient(emulator, instance);
  latest = (await backup(client, chain.store, instance.id, clock)).snapshotId;
});

afterAll(async () => {
  await emulator?.close();
});

/** The demo instance's live state. */
function state(): InstanceState {
  const found = emulator.world.instances.get(instance.id);
  if (!found) throw new Error('instance gone');
  return found;
}

const call = (operation: string, input: Record<string, unknown>) =>
  connectCall(emulator, instance, operation, input);

const users = () => state().users.all();
const standardQueues = () =>
  state()
    .queues.all()
    .filter((q) => !q.name.startsWith('agent-queue/'));
/** A routing profile with at least two queue configs. */
const profile = () => {
  const found = state()
    .routingProfiles.all()
    .find((r) => r.queueConfigs.length >= 2);
  if (!found) throw new Error('no routing profile with two queue configs');
  return found;
};
const profileNamed = (name: string) =>
  state().routingProfiles.findByName(name) ?? fail(`routing profile ${name}`);
const hoursNamed = (name: string) => state().hoursOfOperations.findByName(name) ?? fail(`hours ${name}`);
/** A standard queue the profile does not use. */
const queueOutside = () => {
  const used = new Set(profile().queueConfigs.map((c) => c.QueueId));
  const found = standardQueues().find((q) => !used.has(q.id));
  if (!found) throw new Error('every queue is in the profile');
  return found;
};
/** A queue with a quick connect linked, and one quick connect it does not link. */
const linkedQueue = () => {
  const found = standardQueues().find((q) => q.quickConnectIds.length > 0);
  if (!found) throw new Error('no queue with quick connects');
  return found;
};
const unlinkedQuickConnect = () => {
  const linked = new Set(linkedQueue().quickConnectIds);
  const found = state()
    .quickConnects.all()
    .find((q) => !linked.has(q.id));
  if (!found) throw new Error('every quick connect is linked');
  return found;
};
const securityProfile = () => state().securityProfiles.all().at(-1) ?? fail('security profile');
const contactFlow = () =>
  state()
    .flows.all()
    .find((f) => f.entity.Type === 'CONTACT_FLOW' && f.entity.Status === 'PUBLISHED') ?? fail('flow');
const firstOf = <T>(items: T[], what: string): T => items[0] ?? fail(what);
function fail(what: string): never {
  throw new Error(`the demo seed has no ${what}`);
}

interface Change {
  kind: string;
  change: string;
  apply: () => Promise<unknown>;
  pickedUpBy: 'the next incremental backup' | 'the next scheduled full backup';
}

const NEXT = 'the next incremental backup' as const;
const SCHEDULED = 'the next scheduled full backup' as const;
let created: Record<string, string> = {};

const CHANGES: Change[] = [
  // Users: ListUsers LastModifiedTime, SearchUsers tags.
  ...(['FirstName', 'LastName', 'Email', 'SecondaryEmail', 'Mobile'] as const).map(
    (field, i): Change => ({
      kind: 'users',
      change: `IdentityInfo.${field}`,
      pickedUpBy: NEXT,
      apply: () => {
        const user = users()[i + 1] ?? fail('user');
        const value =
          field === 'Mobile' ? '+14155550199' : field.endsWith('Email') ? 'changed@example.com' : 'Changed';
        return call('UpdateUserIdentityInfo', {
          UserId: user.id,
          IdentityInfo: { ...user.entity.IdentityInfo, [field]: value },
        });
      },
    }),
  ),
  {
    kind: 'users',
    change: 'PhoneConfig',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateUserPhoneConfig', {
        UserId: (users()[6] ?? fail('user')).id,
        PhoneConfig: {
          PhoneType: 'DESK_PHONE',
          DeskPhoneNumber: '+14155550123',
          AutoAccept: true,
          AfterContactWorkTimeLimit: 45,
        },
      }),
  },
  {
    kind: 'users',
    change: 'RoutingProfileId (and both profiles’ NumberOfAssociatedUsers)',
    pickedUpBy: NEXT,
    apply: () => {
      const user = users()[7] ?? fail('user');
      const other =
        state()
          .routingProfiles.all()
          .find((r) => r.id !== user.entity.RoutingProfileId) ?? fail('profile');
      return call('UpdateUserRoutingProfile', { UserId: user.id, RoutingProfileId: other.id });
    },
  },
  {
    kind: 'users',
    change: 'SecurityProfileIds',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateUserSecurityProfiles', {
        UserId: (users()[8] ?? fail('user')).id,
        SecurityProfileIds: [securityProfile().id],
      }),
  },
  {
    kind: 'users',
    change: 'HierarchyGroupId',
    pickedUpBy: NEXT,
    apply: () => {
      const user = users()[9] ?? fail('user');
      const group =
        state()
          .hierarchyGroups.all()
          .find((g) => g.id !== user.entity.HierarchyGroupId) ?? fail('group');
      return call('UpdateUserHierarchy', { UserId: user.id, HierarchyGroupId: group.id });
    },
  },
  {
    kind: 'users',
    change: 'per-channel configuration (UpdateUserConfig)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateUserConfig', {
        UserId: (users()[10] ?? fail('user')).id,
        AutoAcceptConfigs: [{ Channel: 'CHAT', AutoAccept: true }],
      }),
  },
  {
    kind: 'users',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', { resourceArn: (users()[11] ?? fail('user')).arn, tags: { team: 'blue' } }),
  },
  {
    kind: 'users',
    change: 'a tag removed',
    pickedUpBy: NEXT,
    apply: () => call('UntagResource', { resourceArn: (users()[11] ?? fail('user')).arn, tagKeys: ['team'] }),
  },
  {
    kind: 'users',
    change: 'a user created',
    pickedUpBy: NEXT,
    apply: async () => {
      const { UserId } = await call('CreateUser', {
        Username: 'new.agent',
        Password: 'New-Agent-Passw0rd',
        IdentityInfo: { FirstName: 'New', LastName: 'Agent' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [securityProfile().id],
        RoutingProfileId: profile().id,
      });
      created = { ...created, user: String(UserId) };
    },
  },
  {
    kind: 'users',
    change: 'a user deleted',
    pickedUpBy: NEXT,
    apply: () => call('DeleteUser', { UserId: created.user }),
  },
  // Proficiencies: ListUserProficiencies per user (the user's LastModifiedTime does not move).
  {
    kind: 'users',
    change: 'a proficiency associated',
    pickedUpBy: NEXT,
    apply: () =>
      call('AssociateUserProficiencies', {
        UserId: (users()[12] ?? fail('user')).id,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'French', Level: 3 }],
      }),
  },
  {
    kind: 'users',
    change: 'a proficiency level changed',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateUserProficiencies', {
        UserId: (users()[12] ?? fail('user')).id,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'French', Level: 5 }],
      }),
  },
  {
    kind: 'users',
    change: 'a proficiency removed',
    pickedUpBy: NEXT,
    apply: () =>
      call('DisassociateUserProficiencies', {
        UserId: (users()[12] ?? fail('user')).id,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'French' }],
      }),
  },

  // Predefined attributes: read in full on every run (one SearchPredefinedAttributes call).
  {
    kind: 'predefined-attributes',
    change: 'an attribute created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreatePredefinedAttribute', { Name: 'Shift', Values: { StringList: ['Day', 'Night'] } }),
  },
  {
    kind: 'predefined-attributes',
    change: 'values changed',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdatePredefinedAttribute', {
        Name: 'Shift',
        Values: { StringList: ['Day', 'Night', 'Weekend'] },
        Purposes: ['Scheduling'],
      }),
  },
  {
    kind: 'predefined-attributes',
    change: 'an attribute deleted',
    pickedUpBy: NEXT,
    apply: () => call('DeletePredefinedAttribute', { Name: 'Shift' }),
  },

  // Evaluation forms: read in full on every run (ListEvaluationForms, DescribeEvaluationForm).
  {
    kind: 'evaluation-forms',
    change: 'a new version, activated',
    pickedUpBy: NEXT,
    apply: async () => {
      const form = state().evaluationForms.findByName('Sales Call Review') ?? fail('form');
      await call('UpdateEvaluationForm', {
        EvaluationFormId: form.id,
        EvaluationFormVersion: form.versions.length,
        Title: 'Sales Call Review',
        Items: [{ Section: { RefId: 's', Title: 'S', Items: [] } }],
      });
      await call('ActivateEvaluationForm', { EvaluationFormId: form.id, EvaluationFormVersion: 1 });
    },
  },
  {
    kind: 'evaluation-forms',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: (state().evaluationForms.findByName('Sales Call Review') ?? fail('form')).arn,
        tags: { Reviewed: 'yes' },
      }),
  },

  // E-mail addresses: read in full on every run (SearchEmailAddresses, DescribeEmailAddress).
  {
    kind: 'email-addresses',
    change: 'an address created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateEmailAddress', {
        EmailAddress: `help@${state().alias}.email.connect.aws`,
        DisplayName: 'Help',
      }),
  },
  {
    kind: 'email-addresses',
    change: 'display name changed',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateEmailAddressMetadata', {
        EmailAddressId: (state().emailAddresses.all()[0] ?? fail('address')).id,
        DisplayName: 'Help Desk',
      }),
  },
  {
    kind: 'email-addresses',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: (state().emailAddresses.all()[0] ?? fail('address')).arn,
        tags: { Team: 'Care' },
      }),
  },
  {
    kind: 'queues',
    change: 'outbound e-mail address',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateQueueOutboundEmailConfig', {
        QueueId: (standardQueues()[0] ?? fail('queue')).id,
        OutboundEmailConfig: {
          OutboundEmailAddressId: (state().emailAddresses.all()[0] ?? fail('address')).id,
        },
      }),
  },

  // Vocabularies: read in full on every run (SearchVocabularies, DescribeVocabulary).
  {
    kind: 'vocabularies',
    change: 'a vocabulary created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateVocabulary', {
        VocabularyName: 'Team-Names',
        LanguageCode: 'en-US',
        Content: 'Phrase\nTigerTeam\n',
      }),
  },
  {
    kind: 'vocabularies',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: (state().vocabularies.findByName('Product-Names') ?? fail('vocabulary')).arn,
        tags: { Reviewed: 'yes' },
      }),
  },
  {
    kind: 'vocabularies',
    change: 'a vocabulary deleted',
    pickedUpBy: NEXT,
    apply: () =>
      call('DeleteVocabulary', {
        VocabularyId: (state().vocabularies.findByName('Billing-Terms') ?? fail('vocabulary')).id,
      }),
  },

  // Task templates: read in full on every run (ListTaskTemplates, GetTaskTemplate).
  {
    kind: 'task-templates',
    change: 'Status and fields (a full replacement)',
    pickedUpBy: NEXT,
    apply: () => {
      const template = state().taskTemplates.findByName('Callback Request') ?? fail('task template');
      return call('UpdateTaskTemplate', {
        TaskTemplateId: template.id,
        ContactFlowId: template.entity.ContactFlowId,
        Fields: [{ Id: { Name: 'Name' }, Type: 'NAME' }],
        Constraints: { RequiredFields: [{ Id: { Name: 'Name' } }] },
        Status: 'INACTIVE',
      });
    },
  },
  {
    kind: 'task-templates',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: (state().taskTemplates.findByName('Billing Follow-up') ?? fail('task template')).arn,
        tags: { Reviewed: 'yes' },
      }),
  },

  // Views: read in full on every run (ListViews, DescribeView $SAVED and $LATEST).
  {
    kind: 'views',
    change: 'saved changes, not published',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateViewContent', {
        ViewId: (state().views.findByName('Refund Approval') ?? fail('view')).id,
        Status: 'SAVED',
        Content: { Template: '{"Head":{"Title":"Changed"}}', Actions: ['Approve'] },
      }),
  },
  {
    kind: 'views',
    change: 'published',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateViewContent', {
        ViewId: (state().views.findByName('Refund Approval') ?? fail('view')).id,
        Status: 'PUBLISHED',
        Content: { Template: '{"Head":{"Title":"Changed"}}', Actions: ['Approve'] },
      }),
  },
  {
    kind: 'views',
    change: 'description (UpdateViewMetadata) and a tag',
    pickedUpBy: NEXT,
    apply: async () => {
      const view = state().views.findByName('Callback Details') ?? fail('view');
      await call('UpdateViewMetadata', { ViewId: view.id, Description: 'Changed' });
      await call('TagResource', { resourceArn: view.arn, tags: { Reviewed: 'yes' } });
    },
  },

  // Rules: read in full on every run (ListRules, DescribeRule).
  {
    kind: 'rules',
    change: 'published, with other actions (a full replacement)',
    pickedUpBy: NEXT,
    apply: () => {
      const rule = state().rules.findByName('Auto-Evaluate-Support') ?? fail('rule');
      return call('UpdateRule', {
        RuleId: rule.id,
        Name: rule.name,
        Function: rule.entity.Function,
        Actions: [{ ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} }],
        PublishStatus: 'PUBLISHED',
      });
    },
  },
  {
    kind: 'rules',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: (state().rules.findByName('Escalate-Negative-Sentiment') ?? fail('rule')).arn,
        tags: { Reviewed: 'yes' },
      }),
  },

  // Routing profiles: ListRoutingProfiles LastModifiedTime; SearchRoutingProfiles tags, queue ids, counts.
  {
    kind: 'routing-profiles',
    change: 'Name',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateRoutingProfileName', { RoutingProfileId: profile().id, Name: 'Renamed Profile' }),
  },
  {
    kind: 'routing-profiles',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateRoutingProfileName', {
        RoutingProfileId: profile().id,
        Description: 'Changed description',
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'MediaConcurrencies',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateRoutingProfileConcurrency', {
        RoutingProfileId: profile().id,
        MediaConcurrencies: [
          { Channel: 'VOICE', Concurrency: 1 },
          { Channel: 'CHAT', Concurrency: 7 },
        ],
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'DefaultOutboundQueueId',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateRoutingProfileDefaultOutboundQueue', {
        RoutingProfileId: profile().id,
        DefaultOutboundQueueId: queueOutside().id,
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'AgentAvailabilityTimer',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateRoutingProfileAgentAvailabilityTimer', {
        RoutingProfileId: profile().id,
        AgentAvailabilityTimer:
          profile().entity.AgentAvailabilityTimer === 'TIME_SINCE_LAST_INBOUND'
            ? 'TIME_SINCE_LAST_ACTIVITY'
            : 'TIME_SINCE_LAST_INBOUND',
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'a queue associated (AssociateRoutingProfileQueues)',
    pickedUpBy: NEXT,
    apply: () =>
      call('AssociateRoutingProfileQueues', {
        RoutingProfileId: profile().id,
        QueueConfigs: [
          { QueueReference: { QueueId: queueOutside().id, Channel: 'VOICE' }, Priority: 4, Delay: 0 },
        ],
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'a queue disassociated',
    pickedUpBy: NEXT,
    apply: () => {
      const config = firstOf(profile().queueConfigs, 'queue config');
      return call('DisassociateRoutingProfileQueues', {
        RoutingProfileId: profile().id,
        QueueReferences: [{ QueueId: config.QueueId, Channel: config.Channel }],
      });
    },
  },
  {
    kind: 'routing-profiles',
    change: 'the priority and delay of a queue config (UpdateRoutingProfileQueues)',
    pickedUpBy: NEXT,
    apply: () => {
      const config = firstOf(profile().queueConfigs, 'queue config');
      return call('UpdateRoutingProfileQueues', {
        RoutingProfileId: profile().id,
        QueueConfigs: [
          {
            QueueReference: { QueueId: config.QueueId, Channel: config.Channel },
            Priority: (config.Priority ?? 1) + 1,
            Delay: (config.Delay ?? 0) + 5,
          },
        ],
      });
    },
  },
  {
    kind: 'routing-profiles',
    change: 'a manual-assignment queue associated on a profile that had none',
    pickedUpBy: NEXT,
    apply: () =>
      call('AssociateRoutingProfileQueues', {
        RoutingProfileId: profileNamed('Sales Agents').id,
        ManualAssignmentQueueConfigs: [{ QueueReference: { QueueId: queueOutside().id, Channel: 'CHAT' } }],
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'a manual-assignment queue moved to another channel (same count, same queue ids)',
    pickedUpBy: NEXT,
    apply: async () => {
      const manual = firstOf(
        profileNamed('Support Agents').manualAssignmentQueueConfigs ?? [],
        'manual-assignment queue',
      );
      await call('DisassociateRoutingProfileQueues', {
        RoutingProfileId: profileNamed('Support Agents').id,
        ManualAssignmentQueueReferences: [{ QueueId: manual.QueueId, Channel: manual.Channel }],
      });
      return call('AssociateRoutingProfileQueues', {
        RoutingProfileId: profileNamed('Support Agents').id,
        ManualAssignmentQueueConfigs: [
          {
            QueueReference: {
              QueueId: manual.QueueId,
              Channel: manual.Channel === 'TASK' ? 'EMAIL' : 'TASK',
            },
          },
        ],
      });
    },
  },
  {
    kind: 'routing-profiles',
    change: 'a manual-assignment queue disassociated (the last one)',
    pickedUpBy: NEXT,
    apply: () => {
      const manual = firstOf(
        profileNamed('Sales Agents').manualAssignmentQueueConfigs ?? [],
        'manual-assignment queue',
      );
      return call('DisassociateRoutingProfileQueues', {
        RoutingProfileId: profileNamed('Sales Agents').id,
        ManualAssignmentQueueReferences: [{ QueueId: manual.QueueId, Channel: manual.Channel }],
      });
    },
  },
  {
    kind: 'routing-profiles',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () => call('TagResource', { resourceArn: profile().arn, tags: { site: 'lisbon' } }),
  },
  {
    kind: 'routing-profiles',
    change: 'a routing profile created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateRoutingProfile', {
        Name: 'Night Shift',
        Description: 'Created between two backups',
        DefaultOutboundQueueId: queueOutside().id,
        MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
      }),
  },
  {
    kind: 'routing-profiles',
    change: 'the delay alone of a queue config (UpdateRoutingProfileQueues)',
    pickedUpBy: NEXT,
    apply: () => {
      const config = firstOf(profile().queueConfigs, 'queue config');
      return call('UpdateRoutingProfileQueues', {
        RoutingProfileId: profile().id,
        QueueConfigs: [
          {
            QueueReference: { QueueId: config.QueueId, Channel: config.Channel },
            Priority: config.Priority ?? 1,
            Delay: (config.Delay ?? 0) + 7,
          },
        ],
      });
    },
  },
  {
    kind: 'routing-profiles',
    change: 'a routing profile deleted',
    pickedUpBy: NEXT,
    apply: () => {
      const night = state()
        .routingProfiles.all()
        .find((r) => r.entity.Name === 'Night Shift');
      return call('DeleteRoutingProfile', { RoutingProfileId: (night ?? fail('Night Shift')).id });
    },
  },

  // Security profiles: ListSecurityProfiles LastModifiedTime, SearchSecurityProfiles tags.
  {
    kind: 'security-profiles',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', { SecurityProfileId: securityProfile().id, Description: 'Changed' }),
  },
  {
    kind: 'security-profiles',
    change: 'Permissions',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', {
        SecurityProfileId: securityProfile().id,
        Permissions: [...securityProfile().permissions, 'Users.View', 'Queues.View'],
      }),
  },
  {
    kind: 'security-profiles',
    change: 'AllowedAccessControlTags',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', {
        SecurityProfileId: securityProfile().id,
        AllowedAccessControlTags: { department: 'sales' },
      }),
  },
  {
    kind: 'security-profiles',
    change: 'Applications',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', {
        SecurityProfileId: securityProfile().id,
        Applications: [
          {
            Namespace: 'com.example.wallboard',
            ApplicationPermissions: ['View'],
            Type: 'THIRD_PARTY_APPLICATION',
          },
        ],
      }),
  },
  {
    kind: 'security-profiles',
    change: 'AllowedFlowModules',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', {
        SecurityProfileId: securityProfile().id,
        AllowedFlowModules: [
          { Type: 'MCP', FlowModuleId: firstOf(state().flowModules.all(), 'flow module').id },
        ],
      }),
  },
  {
    kind: 'security-profiles',
    change: 'HierarchyRestrictedResources and AllowedAccessControlHierarchyGroupId',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateSecurityProfile', {
        SecurityProfileId: securityProfile().id,
        HierarchyRestrictedResources: ['User'],
        AllowedAccessControlHierarchyGroupId: firstOf(state().hierarchyGroups.all(), 'hierarchy group').id,
      }),
  },
  {
    kind: 'security-profiles',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () => call('TagResource', { resourceArn: securityProfile().arn, tags: { owner: 'it' } }),
  },
  {
    kind: 'security-profiles',
    change: 'a security profile created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateSecurityProfile', { SecurityProfileName: 'Auditors', Permissions: ['Users.View'] }),
  },

  // Queues: the whole SearchQueues entity and ListQueueQuickConnects per queue.
  {
    kind: 'queues',
    change: 'Name (and the QueueName routing profiles show)',
    pickedUpBy: NEXT,
    apply: () => {
      const queue = firstOf(profile().queueConfigs, 'queue config');
      return call('UpdateQueueName', { QueueId: queue.QueueId, Name: 'Renamed Queue' });
    },
  },
  {
    kind: 'queues',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () => call('UpdateQueueName', { QueueId: queueOutside().id, Description: 'Changed description' }),
  },
  {
    kind: 'queues',
    change: 'HoursOfOperationId',
    pickedUpBy: NEXT,
    apply: () => {
      const queue = queueOutside();
      const hours =
        state()
          .hoursOfOperations.all()
          .find((h) => h.id !== queue.entity.HoursOfOperationId) ?? fail('hours');
      return call('UpdateQueueHoursOfOperation', { QueueId: queue.id, HoursOfOperationId: hours.id });
    },
  },
  {
    kind: 'queues',
    change: 'MaxContacts',
    pickedUpBy: NEXT,
    apply: () => call('UpdateQueueMaxContacts', { QueueId: queueOutside().id, MaxContacts: 42 }),
  },
  {
    kind: 'queues',
    change: 'OutboundCallerConfig',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateQueueOutboundCallerConfig', {
        QueueId: queueOutside().id,
        OutboundCallerConfig: { OutboundCallerIdName: 'Changed Caller' },
      }),
  },
  {
    kind: 'queues',
    change: 'Status',
    pickedUpBy: NEXT,
    apply: () => call('UpdateQueueStatus', { QueueId: queueOutside().id, Status: 'DISABLED' }),
  },
  {
    kind: 'queues',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () => call('TagResource', { resourceArn: queueOutside().arn, tags: { tier: 'gold' } }),
  },
  {
    kind: 'queues',
    change: 'a tag removed',
    pickedUpBy: NEXT,
    apply: () => call('UntagResource', { resourceArn: queueOutside().arn, tagKeys: ['tier'] }),
  },
  {
    kind: 'queues',
    change: 'a quick connect linked (AssociateQueueQuickConnects)',
    pickedUpBy: NEXT,
    apply: () =>
      call('AssociateQueueQuickConnects', {
        QueueId: linkedQueue().id,
        QuickConnectIds: [unlinkedQuickConnect().id],
      }),
  },
  {
    kind: 'queues',
    change: 'a quick connect unlinked (DisassociateQueueQuickConnects)',
    pickedUpBy: NEXT,
    apply: () =>
      call('DisassociateQueueQuickConnects', {
        QueueId: linkedQueue().id,
        QuickConnectIds: [firstOf(linkedQueue().quickConnectIds, 'link')],
      }),
  },
  {
    kind: 'queues',
    change: 'a queue created',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateQueue', {
        Name: 'Overflow',
        HoursOfOperationId: firstOf(state().hoursOfOperations.all(), 'hours').id,
      }),
  },

  // Kinds read in full on every run (one Search call per 100): every change is picked up.
  {
    kind: 'quick-connects',
    change: 'a linked quick connect deleted (and the queue links to it)',
    pickedUpBy: NEXT,
    apply: () =>
      call('DeleteQuickConnect', { QuickConnectId: firstOf(linkedQueue().quickConnectIds, 'link') }),
  },
  {
    kind: 'quick-connects',
    change: 'Name',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateQuickConnectName', { QuickConnectId: unlinkedQuickConnect().id, Name: 'Renamed QC' }),
  },
  {
    kind: 'flows',
    change: 'Content',
    pickedUpBy: NEXT,
    apply: () => call('UpdateContactFlowContent', { ContactFlowId: contactFlow().id, Content: FLOW_CONTENT }),
  },
  {
    kind: 'flows',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowMetadata', { ContactFlowId: contactFlow().id, Description: 'Changed' }),
  },
  {
    kind: 'flows',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () => call('TagResource', { resourceArn: contactFlow().arn, tags: { release: '42' } }),
  },
  {
    kind: 'flows',
    change: 'a draft saved over a published flow (UpdateContactFlowContent <id>:$SAVED)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowContent', {
        ContactFlowId: `${contactFlow().id}:$SAVED`,
        Content: FLOW_CONTENT.replace('bye', 'draft'),
      }),
  },
  {
    kind: 'flows',
    change: 'the draft saved again',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowContent', {
        ContactFlowId: `${contactFlow().id}:$SAVED`,
        Content: FLOW_CONTENT.replace('bye', 'second-draft'),
      }),
  },
  {
    kind: 'flows',
    change: 'the draft published (the draft goes)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowContent', {
        ContactFlowId: contactFlow().id,
        Content: FLOW_CONTENT.replace(/bye/g, 'published'),
      }),
  },
  {
    kind: 'flows',
    change: 'archived (ContactFlowState)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowMetadata', { ContactFlowId: contactFlow().id, ContactFlowState: 'ARCHIVED' }),
  },
  {
    kind: 'flows',
    change: 'a flow created and never published (Status SAVED)',
    pickedUpBy: NEXT,
    apply: async () => {
      const { ContactFlowId } = (await call('CreateContactFlow', {
        Name: 'Draft only',
        Type: 'CONTACT_FLOW',
        Status: 'SAVED',
        Content: FLOW_CONTENT,
      })) as { ContactFlowId: string };
      created = { ...created, flow: ContactFlowId };
    },
  },
  {
    kind: 'flows',
    change: 'the never-published flow saved again',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowContent', {
        ContactFlowId: `${created.flow}:$SAVED`,
        Content: FLOW_CONTENT.replace(/bye/g, 'resaved'),
      }),
  },
  {
    kind: 'flows',
    change: 'a flow deleted',
    pickedUpBy: NEXT,
    apply: () => call('DeleteContactFlow', { ContactFlowId: created.flow }),
  },
  {
    kind: 'flow-modules',
    change: 'Content (UpdateContactFlowModuleContent)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowModuleContent', {
        ContactFlowModuleId: firstOf(state().flowModules.all(), 'module').id,
        Content: MODULE_CONTENT,
      }),
  },
  {
    kind: 'flow-modules',
    change: 'a draft saved over the published module (<id>:$SAVED)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowModuleContent', {
        ContactFlowModuleId: `${firstOf(state().flowModules.all(), 'module').id}:$SAVED`,
        Content: MODULE_CONTENT.replace(/end/g, 'draft'),
      }),
  },
  {
    kind: 'flow-modules',
    change: 'a tag added',
    pickedUpBy: NEXT,
    apply: () =>
      call('TagResource', {
        resourceArn: firstOf(state().flowModules.all(), 'module').arn,
        tags: { release: '7' },
      }),
  },
  {
    kind: 'flow-modules',
    change: 'a module created',
    pickedUpBy: NEXT,
    apply: () => call('CreateContactFlowModule', { Name: 'New module', Content: MODULE_CONTENT }),
  },
  {
    kind: 'flow-modules',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateContactFlowModuleMetadata', {
        ContactFlowModuleId: firstOf(state().flowModules.all(), 'module').id,
        Description: 'Changed',
      }),
  },
  {
    kind: 'hours-of-operation',
    change: 'TimeZone',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateHoursOfOperation', {
        HoursOfOperationId: firstOf(state().hoursOfOperations.all(), 'hours').id,
        TimeZone: 'Europe/Lisbon',
      }),
  },
  {
    kind: 'hours-of-operation',
    change: 'an override added (CreateHoursOfOperationOverride)',
    pickedUpBy: NEXT,
    apply: () =>
      call('CreateHoursOfOperationOverride', {
        HoursOfOperationId: hoursNamed('Support Hours').id,
        Name: 'Stocktake',
        Config: [{ Day: 'MONDAY', StartTime: { Hours: 12, Minutes: 0 }, EndTime: { Hours: 14, Minutes: 0 } }],
        EffectiveFrom: '2027-01-04',
        EffectiveTill: '2027-01-04',
        OverrideType: 'STANDARD',
      }),
  },
  {
    kind: 'hours-of-operation',
    change: 'an override changed (UpdateHoursOfOperationOverride)',
    pickedUpBy: NEXT,
    apply: () => {
      const hours = hoursNamed('Sales Hours');
      const override = firstOf(hours.overrides ?? [], 'override');
      return call('UpdateHoursOfOperationOverride', {
        HoursOfOperationId: hours.id,
        HoursOfOperationOverrideId: override.HoursOfOperationOverrideId,
        EffectiveTill: '2026-12-26',
      });
    },
  },
  {
    kind: 'hours-of-operation',
    change: 'an override deleted',
    pickedUpBy: NEXT,
    apply: () => {
      const hours = hoursNamed('Support Hours');
      const override = firstOf(hours.overrides ?? [], 'override');
      return call('DeleteHoursOfOperationOverride', {
        HoursOfOperationId: hours.id,
        HoursOfOperationOverrideId: override.HoursOfOperationOverrideId,
      });
    },
  },
  {
    kind: 'hours-of-operation',
    change: 'a parent hours linked (AssociateHoursOfOperations)',
    pickedUpBy: NEXT,
    apply: () =>
      call('AssociateHoursOfOperations', {
        HoursOfOperationId: hoursNamed('24x7').id,
        ParentHoursOfOperationConfigs: [{ HoursOfOperationId: hoursNamed('Sales Hours').id }],
      }),
  },
  {
    kind: 'hours-of-operation',
    change: 'a parent hours unlinked (DisassociateHoursOfOperations)',
    pickedUpBy: NEXT,
    apply: () =>
      call('DisassociateHoursOfOperations', {
        HoursOfOperationId: hoursNamed('Support Hours').id,
        ParentHoursOfOperationIds: [hoursNamed('Sales Hours').id],
      }),
  },
  {
    kind: 'prompts',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdatePrompt', { PromptId: firstOf(state().prompts.all(), 'prompt').id, Description: 'Changed' }),
  },
  {
    kind: 'prompts',
    change: 'its audio replaced (UpdatePrompt S3Uri)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdatePrompt', {
        PromptId: firstOf(state().prompts.all(), 'prompt').id,
        S3Uri: emulator.world.promptFiles.seed('s3://new-audio/replaced.wav', wavBytes('replaced')),
      }),
  },
  {
    kind: 'agent-statuses',
    change: 'Description',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateAgentStatus', {
        AgentStatusId: firstOf(state().agentStatuses.all(), 'agent status').id,
        Description: 'Changed',
      }),
  },
  {
    kind: 'user-hierarchy-groups',
    change: 'Name (and the paths below it)',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateUserHierarchyGroupName', {
        HierarchyGroupId: firstOf(state().hierarchyGroups.all(), 'group').id,
        Name: 'Renamed Group',
      }),
  },
  {
    kind: 'user-hierarchy-structure',
    change: 'a level renamed',
    pickedUpBy: NEXT,
    apply: () => {
      const structure = state().hierarchyStructure;
      const levels = Object.fromEntries(
        Object.entries(structure).map(([level, value]) => [
          level,
          { Name: (value as { Name?: string }).Name },
        ]),
      );
      return call('UpdateUserHierarchyStructure', {
        HierarchyStructure: { ...levels, LevelOne: { Name: 'Renamed Level' } },
      });
    },
  },
  {
    kind: 'phone-numbers',
    change: 'the flow a number rings (no signal: numbers are read in full on every run)',
    pickedUpBy: NEXT,
    apply: () => {
      const spare = [...state().phoneNumbers.values()].find((p) => p.contactFlowId === undefined);
      const inbound = state()
        .flows.all()
        .find((f) => f.entity.Type === 'CONTACT_FLOW');
      if (!spare || !inbound) throw new Error('no spare number or inbound flow');
      return call('AssociatePhoneNumberContactFlow', { PhoneNumberId: spare.id, ContactFlowId: inbound.id });
    },
  },
  {
    kind: 'instance',
    change: 'an approved origin',
    pickedUpBy: NEXT,
    apply: () => call('AssociateApprovedOrigin', { Origin: 'https://changed.example.com' }),
  },
  {
    kind: 'instance',
    change: 'an attribute',
    pickedUpBy: NEXT,
    apply: () =>
      call('UpdateInstanceAttribute', {
        AttributeType: 'CONTACTFLOW_LOGS',
        Value: state().attributes.get('CONTACTFLOW_LOGS') === 'true' ? 'false' : 'true',
      }),
  },
];

describe('incremental backups of the demo instance', () => {
  it('cover every kind in the registry, and every change moves a signal', () => {
    expect([...new Set(CHANGES.map((c) => c.kind))].sort()).toEqual([...KIND_NAMES, 'instance'].sort());
    const scheduled = CHANGES.filter((c) => c.pickedUpBy === SCHEDULED).map((c) => c.kind);
    expect(scheduled).toEqual([]);
    expect(KINDS.filter((k) => k.changes?.notCovered.length).map((k) => k.name)).toEqual([]);
  });

  it.each(CHANGES)('$kind: $change is picked up by $pickedUpBy', async ({ apply, pickedUpBy }) => {
    const before = await objectsOf(chain.store, instance.id, latest);
    await apply();
    const full = await backup(client, reference.store, instance.id, clock, { full: true });
    const truth = await objectsOf(reference.store, instance.id, full.snapshotId);

    const next = await backup(client, chain.store, instance.id, clock);
    const incremental = await objectsOf(chain.store, instance.id, next.snapshotId);

    expect(truth).not.toEqual(before);
    expect(next.kinds.carriedForward).toEqual([
      'prompts',
      'security-profiles',
      'flows',
      'flow-modules',
      'queues',
      'routing-profiles',
      'users',
    ]);
    if (pickedUpBy === NEXT) {
      expect(incremental).toEqual(truth);
      latest = next.snapshotId;
      return;
    }
    expect(incremental).not.toEqual(truth);
    clock.advance(7 * DAY_MS);
    const scheduled = await backup(client, chain.store, instance.id, clock);
    expect(scheduled.kinds.read).toEqual([...KIND_NAMES]);
    expect(scheduled.kinds.carriedForward).toEqual([]);
    expect(await objectsOf(chain.store, instance.id, scheduled.snapshotId)).toEqual(truth);
    latest = scheduled.snapshotId;
  });
});
