/**
 * Restoring security profiles (with permissions), queues (with their quick-connect links, written
 * after the quick connects exist), routing profiles (queue configs 10 per call) and users (a random
 * password for CONNECT_MANAGED instances, never stored or logged).
 */
import {
  AssociateQueueQuickConnectsCommand,
  AssociateRoutingProfileQueuesCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DisassociateQueueQuickConnectsCommand,
  DisassociateRoutingProfileQueuesCommand,
  type MediaConcurrency,
  type OutboundCallerConfig,
  type OutboundEmailConfig,
  type Queue,
  type RoutingProfile,
  type RoutingProfileQueueConfig,
  type SecurityProfile,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateQueueNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
  UpdateQueueOutboundEmailConfigCommand,
  UpdateQueueStatusCommand,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateRoutingProfileQueuesCommand,
  UpdateSecurityProfileCommand,
  UpdateUserConfigCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
  type UserIdentityInfo,
  type UserPhoneConfig,
} from '@aws-sdk/client-connect';
import {
  anyChanged,
  batches,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support.js';
import type { DeclaredReference, KindRestore, ResourceState, TargetResource, WriteContext } from './types.js';

/** Queue configs per CreateRoutingProfile / (Dis)AssociateRoutingProfileQueues / UpdateRoutingProfileQueues call. */
const QUEUE_CONFIGS_PER_CALL = 10;
/** Quick connects per (Dis)AssociateQueueQuickConnects call. */
const QUICK_CONNECTS_PER_CALL = 50;

// ---------------------------------------------------------------------------------------------
// Security profiles
// ---------------------------------------------------------------------------------------------

const SECURITY_PROFILE_MEMBERS = [
  'Description',
  'Permissions',
  'AllowedAccessControlTags',
  'TagRestrictedResources',
  'HierarchyRestrictedResources',
  'AllowedAccessControlHierarchyGroupId',
  'GranularAccessControlConfiguration',
] as const;

export const securityProfilesRestore: KindRestore = {
  writeOperations: ['CreateSecurityProfile', 'UpdateSecurityProfile', 'TagResource', 'UntagResource'],
  nameMember: 'SecurityProfileName',
  unordered: ['Permissions', 'TagRestrictedResources', 'HierarchyRestrictedResources'],
  state(document) {
    const profile = entityOf<SecurityProfile>(document);
    return {
      SecurityProfileName: profile.SecurityProfileName,
      Description: profile.Description,
      Permissions: document.related?.permissions,
      AllowedAccessControlTags: profile.AllowedAccessControlTags,
      TagRestrictedResources: profile.TagRestrictedResources,
      HierarchyRestrictedResources: profile.HierarchyRestrictedResources,
      AllowedAccessControlHierarchyGroupId: profile.AllowedAccessControlHierarchyGroupId,
      GranularAccessControlConfiguration: profile.GranularAccessControlConfiguration,
      Tags: userTags(profile.Tags),
    };
  },
  references(state) {
    const group = text(state, 'AllowedAccessControlHierarchyGroupId');
    return group
      ? [{ member: 'AllowedAccessControlHierarchyGroupId', kind: 'user-hierarchy-groups', value: group }]
      : [];
  },
  cannotUpdate(changed) {
    return changed.includes('SecurityProfileName')
      ? 'security profiles cannot be renamed through the Connect API'
      : undefined;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateSecurityProfileCommand({
        InstanceId: ctx.instanceId,
        SecurityProfileName: text(desired, 'SecurityProfileName'),
        Description: text(desired, 'Description'),
        Permissions: (desired.Permissions as string[] | undefined) ?? [],
        AllowedAccessControlTags: desired.AllowedAccessControlTags as Record<string, string> | undefined,
        TagRestrictedResources: desired.TagRestrictedResources as string[] | undefined,
        HierarchyRestrictedResources: desired.HierarchyRestrictedResources as string[] | undefined,
        AllowedAccessControlHierarchyGroupId: text(desired, 'AllowedAccessControlHierarchyGroupId'),
        GranularAccessControlConfiguration:
          desired.GranularAccessControlConfiguration as SecurityProfile['GranularAccessControlConfiguration'],
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.SecurityProfileId || !created.SecurityProfileArn)
      throw new Error('CreateSecurityProfile returned no id');
    return { id: created.SecurityProfileId, arn: created.SecurityProfileArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const members = SECURITY_PROFILE_MEMBERS.filter((member) => changed.has(member));
    if (members.length) {
      // Each given member replaces the stored one; an emptied member is sent empty to clear it.
      const cleared = (member: string): unknown =>
        member === 'Description' || member === 'AllowedAccessControlHierarchyGroupId'
          ? ''
          : member === 'AllowedAccessControlTags'
            ? {}
            : member === 'GranularAccessControlConfiguration'
              ? {}
              : [];
      await ctx.connect.send(
        new UpdateSecurityProfileCommand({
          InstanceId: ctx.instanceId,
          SecurityProfileId: target.id,
          ...Object.fromEntries(members.map((member) => [member, desired[member] ?? cleared(member)])),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

// ---------------------------------------------------------------------------------------------
// Queues
// ---------------------------------------------------------------------------------------------

export const queuesRestore: KindRestore = {
  writeOperations: [
    'CreateQueue',
    'UpdateQueueName',
    'UpdateQueueHoursOfOperation',
    'UpdateQueueMaxContacts',
    'UpdateQueueOutboundCallerConfig',
    'UpdateQueueOutboundEmailConfig',
    'UpdateQueueStatus',
    'AssociateQueueQuickConnects',
    'DisassociateQueueQuickConnects',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  phases: { QuickConnectIds: 'links' },
  unordered: ['QuickConnectIds'],
  links: ['QuickConnectIds'],
  state(document) {
    const queue = entityOf<Queue>(document);
    return {
      Name: queue.Name,
      Description: queue.Description,
      HoursOfOperationId: queue.HoursOfOperationId,
      MaxContacts: queue.MaxContacts,
      OutboundCallerConfig: queue.OutboundCallerConfig,
      OutboundEmailConfig: queue.OutboundEmailConfig,
      Status: queue.Status,
      Tags: userTags(queue.Tags),
      QuickConnectIds: document.related?.quickConnectIds,
    };
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const add = (member: string, kind: DeclaredReference['kind'], value: string | undefined) => {
      if (value) refs.push({ member, kind, value });
    };
    const caller = state.OutboundCallerConfig as OutboundCallerConfig | undefined;
    const email = state.OutboundEmailConfig as OutboundEmailConfig | undefined;
    add('HoursOfOperationId', 'hours-of-operation', text(state, 'HoursOfOperationId'));
    add('OutboundCallerConfig.OutboundFlowId', 'flows', caller?.OutboundFlowId);
    add('OutboundCallerConfig.OutboundCallerIdNumberId', 'phone-number', caller?.OutboundCallerIdNumberId);
    add('OutboundEmailConfig.OutboundEmailAddressId', 'email-address', email?.OutboundEmailAddressId);
    for (const id of (state.QuickConnectIds as string[] | undefined) ?? [])
      add('QuickConnectIds', 'quick-connects', id);
    return refs;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateQueueCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        HoursOfOperationId: text(desired, 'HoursOfOperationId'),
        MaxContacts: desired.MaxContacts as number | undefined,
        OutboundCallerConfig: desired.OutboundCallerConfig as OutboundCallerConfig | undefined,
        OutboundEmailConfig: desired.OutboundEmailConfig as OutboundEmailConfig | undefined,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.QueueId || !created.QueueArn) throw new Error('CreateQueue returned no id');
    const queue = { id: created.QueueId, arn: created.QueueArn };
    if (desired.Status === 'DISABLED') {
      await ctx.connect.send(
        new UpdateQueueStatusCommand({ InstanceId: ctx.instanceId, QueueId: queue.id, Status: 'DISABLED' }),
        sendOptions(ctx),
      );
    }
    return queue;
  },
  async update(ctx, phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, QueueId: target.id };
    if (phase === 'links') {
      if (changed.has('QuickConnectIds')) await updateQuickConnectLinks(ctx, target, current, desired);
      return;
    }
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdateQueueNameCommand({
          ...base,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('HoursOfOperationId')) {
      await ctx.connect.send(
        new UpdateQueueHoursOfOperationCommand({
          ...base,
          HoursOfOperationId: text(desired, 'HoursOfOperationId'),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('MaxContacts')) {
      await ctx.connect.send(
        new UpdateQueueMaxContactsCommand({
          ...base,
          MaxContacts: desired.MaxContacts as number | undefined,
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('OutboundCallerConfig')) {
      await ctx.connect.send(
        new UpdateQueueOutboundCallerConfigCommand({
          ...base,
          OutboundCallerConfig: (desired.OutboundCallerConfig as OutboundCallerConfig | undefined) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('OutboundEmailConfig')) {
      await ctx.connect.send(
        new UpdateQueueOutboundEmailConfigCommand({
          ...base,
          OutboundEmailConfig: (desired.OutboundEmailConfig as OutboundEmailConfig | undefined) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Status')) {
      await ctx.connect.send(
        new UpdateQueueStatusCommand({ ...base, Status: (desired.Status as Queue['Status']) ?? 'ENABLED' }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

/** Links the wanted quick connects to a queue and unlinks the others, 50 per call. */
async function updateQuickConnectLinks(
  ctx: WriteContext,
  target: TargetResource,
  current: ResourceState | undefined,
  desired: ResourceState,
): Promise<void> {
  const have = new Set((current?.QuickConnectIds as string[] | undefined) ?? []);
  const want = new Set((desired.QuickConnectIds as string[] | undefined) ?? []);
  const base = { InstanceId: ctx.instanceId, QueueId: target.id };
  for (const QuickConnectIds of batches(
    [...want].filter((id) => !have.has(id)),
    QUICK_CONNECTS_PER_CALL,
  )) {
    await ctx.connect.send(
      new AssociateQueueQuickConnectsCommand({ ...base, QuickConnectIds }),
      sendOptions(ctx),
    );
  }
  for (const QuickConnectIds of batches(
    [...have].filter((id) => !want.has(id)),
    QUICK_CONNECTS_PER_CALL,
  )) {
    await ctx.connect.send(
      new DisassociateQueueQuickConnectsCommand({ ...base, QuickConnectIds }),
      sendOptions(ctx),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Routing profiles
// ---------------------------------------------------------------------------------------------

/** One queue config as restore compares and writes it. */
interface QueueConfig {
  QueueId: string;
  Channel: string;
  Priority: number;
  Delay: number;
}

function queueConfigsOf(state: ResourceState | undefined): QueueConfig[] {
  return (state?.QueueConfigs as QueueConfig[] | undefined) ?? [];
}

const configKey = (config: { QueueId: string; Channel: string }) =>
  `${config.QueueId}\u0000${config.Channel}`;

function toRequestConfig(config: QueueConfig): RoutingProfileQueueConfig {
  return {
    QueueReference: { QueueId: config.QueueId, Channel: config.Channel as 'VOICE' },
    Priority: config.Priority,
    Delay: config.Delay,
  };
}

export const routingProfilesRestore: KindRestore = {
  writeOperations: [
    'CreateRoutingProfile',
    'UpdateRoutingProfileName',
    'UpdateRoutingProfileConcurrency',
    'UpdateRoutingProfileDefaultOutboundQueue',
    'UpdateRoutingProfileAgentAvailabilityTimer',
    'UpdateRoutingProfileQueues',
    'AssociateRoutingProfileQueues',
    'DisassociateRoutingProfileQueues',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  unordered: ['MediaConcurrencies', 'QueueConfigs'],
  state(document) {
    const profile = entityOf<RoutingProfile>(document);
    const configs = (document.related?.queueConfigs as Array<Record<string, unknown>> | undefined) ?? [];
    return {
      Name: profile.Name,
      Description: profile.Description,
      DefaultOutboundQueueId: profile.DefaultOutboundQueueId,
      MediaConcurrencies: profile.MediaConcurrencies,
      AgentAvailabilityTimer: profile.AgentAvailabilityTimer,
      QueueConfigs: configs.map((c) => ({
        QueueId: c.QueueId,
        Channel: c.Channel,
        Priority: c.Priority,
        Delay: c.Delay,
      })),
      Tags: userTags(profile.Tags),
    };
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const outbound = text(state, 'DefaultOutboundQueueId');
    if (outbound) refs.push({ member: 'DefaultOutboundQueueId', kind: 'queues', value: outbound });
    for (const config of queueConfigsOf(state))
      refs.push({ member: 'QueueConfigs.QueueId', kind: 'queues', value: config.QueueId });
    return refs;
  },
  async create(ctx, desired) {
    const configs = queueConfigsOf(desired).map(toRequestConfig);
    const [first = [], ...rest] = batches(configs, QUEUE_CONFIGS_PER_CALL);
    const created = await ctx.connect.send(
      new CreateRoutingProfileCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        DefaultOutboundQueueId: text(desired, 'DefaultOutboundQueueId'),
        MediaConcurrencies: desired.MediaConcurrencies as MediaConcurrency[],
        AgentAvailabilityTimer: desired.AgentAvailabilityTimer as RoutingProfile['AgentAvailabilityTimer'],
        ...(first.length ? { QueueConfigs: first } : {}),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.RoutingProfileId || !created.RoutingProfileArn)
      throw new Error('CreateRoutingProfile returned no id');
    for (const QueueConfigs of rest) {
      await ctx.connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: ctx.instanceId,
          RoutingProfileId: created.RoutingProfileId,
          QueueConfigs,
        }),
        sendOptions(ctx),
      );
    }
    return { id: created.RoutingProfileId, arn: created.RoutingProfileArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, RoutingProfileId: target.id };
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdateRoutingProfileNameCommand({
          ...base,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('MediaConcurrencies')) {
      await ctx.connect.send(
        new UpdateRoutingProfileConcurrencyCommand({
          ...base,
          MediaConcurrencies: desired.MediaConcurrencies as MediaConcurrency[],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('DefaultOutboundQueueId')) {
      await ctx.connect.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({
          ...base,
          DefaultOutboundQueueId: text(desired, 'DefaultOutboundQueueId'),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('AgentAvailabilityTimer')) {
      await ctx.connect.send(
        new UpdateRoutingProfileAgentAvailabilityTimerCommand({
          ...base,
          AgentAvailabilityTimer: desired.AgentAvailabilityTimer as RoutingProfile['AgentAvailabilityTimer'],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('QueueConfigs')) {
      const have = new Map(queueConfigsOf(current).map((c) => [configKey(c), c]));
      const want = new Map(queueConfigsOf(desired).map((c) => [configKey(c), c]));
      const removed = [...have.values()].filter((c) => !want.has(configKey(c)));
      const added = [...want.values()].filter((c) => !have.has(configKey(c)));
      const reprioritised = [...want.values()].filter((c) => {
        const old = have.get(configKey(c));
        return old !== undefined && (old.Priority !== c.Priority || old.Delay !== c.Delay);
      });
      for (const chunk of batches(removed, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new DisassociateRoutingProfileQueuesCommand({
            ...base,
            QueueReferences: chunk.map((c) => ({ QueueId: c.QueueId, Channel: c.Channel as 'VOICE' })),
          }),
          sendOptions(ctx),
        );
      }
      for (const chunk of batches(added, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new AssociateRoutingProfileQueuesCommand({ ...base, QueueConfigs: chunk.map(toRequestConfig) }),
          sendOptions(ctx),
        );
      }
      for (const chunk of batches(reprioritised, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new UpdateRoutingProfileQueuesCommand({ ...base, QueueConfigs: chunk.map(toRequestConfig) }),
          sendOptions(ctx),
        );
      }
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

const CHANNEL_CONFIGS = [
  'AutoAcceptConfigs',
  'AfterContactWorkConfigs',
  'PhoneNumberConfigs',
  'PersistentConnectionConfigs',
  'VoiceEnhancementConfigs',
] as const;

export const usersRestore: KindRestore = {
  writeOperations: [
    'CreateUser',
    'UpdateUserIdentityInfo',
    'UpdateUserPhoneConfig',
    'UpdateUserRoutingProfile',
    'UpdateUserSecurityProfiles',
    'UpdateUserHierarchy',
    'UpdateUserConfig',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Username',
  unordered: ['SecurityProfileIds', ...CHANNEL_CONFIGS],
  state(document) {
    const user = entityOf<User>(document);
    return {
      Username: user.Username,
      IdentityInfo: user.IdentityInfo,
      PhoneConfig: user.PhoneConfig,
      SecurityProfileIds: user.SecurityProfileIds,
      RoutingProfileId: user.RoutingProfileId,
      HierarchyGroupId: user.HierarchyGroupId,
      ...Object.fromEntries(CHANNEL_CONFIGS.map((member) => [member, user[member]])),
      Tags: userTags(user.Tags),
    };
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const routing = text(state, 'RoutingProfileId');
    const group = text(state, 'HierarchyGroupId');
    if (routing) refs.push({ member: 'RoutingProfileId', kind: 'routing-profiles', value: routing });
    if (group) refs.push({ member: 'HierarchyGroupId', kind: 'user-hierarchy-groups', value: group });
    for (const id of (state.SecurityProfileIds as string[] | undefined) ?? [])
      refs.push({ member: 'SecurityProfileIds', kind: 'security-profiles', value: id });
    return refs;
  },
  cannotUpdate(changed) {
    return changed.includes('Username') ? 'users cannot be renamed through the Connect API' : undefined;
  },
  async create(ctx, desired, source) {
    const managed = ctx.identityManagementType === 'CONNECT_MANAGED';
    const directoryUserId = entityOf<User>(source).DirectoryUserId;
    const username = text(desired, 'Username') ?? source.name;
    const created = await ctx.connect.send(
      new CreateUserCommand({
        InstanceId: ctx.instanceId,
        Username: username,
        // Write-only: generated here, sent once, never kept, logged or returned.
        ...(managed ? { Password: ctx.newPassword() } : {}),
        ...(ctx.identityManagementType === 'EXISTING_DIRECTORY' && directoryUserId
          ? { DirectoryUserId: directoryUserId }
          : {}),
        IdentityInfo: desired.IdentityInfo as UserIdentityInfo | undefined,
        PhoneConfig: desired.PhoneConfig as UserPhoneConfig | undefined,
        SecurityProfileIds: (desired.SecurityProfileIds as string[] | undefined) ?? [],
        RoutingProfileId: text(desired, 'RoutingProfileId'),
        HierarchyGroupId: text(desired, 'HierarchyGroupId'),
        ...Object.fromEntries(
          CHANNEL_CONFIGS.filter((member) => desired[member] !== undefined).map((member) => [
            member,
            desired[member],
          ]),
        ),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.UserId || !created.UserArn) throw new Error('CreateUser returned no id');
    if (managed) ctx.passwordReset({ userId: created.UserId, username });
    return { id: created.UserId, arn: created.UserArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, UserId: target.id };
    if (changed.has('IdentityInfo')) {
      await ctx.connect.send(
        new UpdateUserIdentityInfoCommand({
          ...base,
          IdentityInfo: (desired.IdentityInfo as UserIdentityInfo | undefined) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('PhoneConfig') && desired.PhoneConfig) {
      await ctx.connect.send(
        new UpdateUserPhoneConfigCommand({ ...base, PhoneConfig: desired.PhoneConfig as UserPhoneConfig }),
        sendOptions(ctx),
      );
    }
    if (changed.has('RoutingProfileId')) {
      await ctx.connect.send(
        new UpdateUserRoutingProfileCommand({ ...base, RoutingProfileId: text(desired, 'RoutingProfileId') }),
        sendOptions(ctx),
      );
    }
    if (changed.has('SecurityProfileIds')) {
      await ctx.connect.send(
        new UpdateUserSecurityProfilesCommand({
          ...base,
          SecurityProfileIds: (desired.SecurityProfileIds as string[] | undefined) ?? [],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('HierarchyGroupId')) {
      await ctx.connect.send(
        new UpdateUserHierarchyCommand({ ...base, HierarchyGroupId: text(desired, 'HierarchyGroupId') }),
        sendOptions(ctx),
      );
    }
    const channels = CHANNEL_CONFIGS.filter((member) => changed.has(member) && desired[member] !== undefined);
    if (channels.length) {
      await ctx.connect.send(
        new UpdateUserConfigCommand({
          ...base,
          ...Object.fromEntries(channels.map((member) => [member, desired[member]])),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};
