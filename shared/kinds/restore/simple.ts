/**
 * Restoring hours of operation, prompts, agent statuses and quick connects: one create call each,
 * and the update calls of the parts that differ.
 */
import {
  type AgentStatus,
  CreateAgentStatusCommand,
  CreateHoursOfOperationCommand,
  CreatePromptCommand,
  CreateQuickConnectCommand,
  type HoursOfOperation,
  type HoursOfOperationConfig,
  type Prompt,
  type QuickConnect,
  type QuickConnectConfig,
  UpdateAgentStatusCommand,
  UpdateHoursOfOperationCommand,
  UpdatePromptCommand,
  UpdateQuickConnectConfigCommand,
  UpdateQuickConnectNameCommand,
} from '@aws-sdk/client-connect';
import { anyChanged, entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support.js';
import type { DeclaredReference, KindRestore, ResourceState } from './types.js';

export const hoursOfOperationRestore: KindRestore = {
  writeOperations: ['CreateHoursOfOperation', 'UpdateHoursOfOperation', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  unordered: ['Config'],
  state(document) {
    const hours = entityOf<HoursOfOperation>(document);
    return {
      Name: hours.Name,
      Description: hours.Description,
      TimeZone: hours.TimeZone,
      Config: hours.Config,
      Tags: userTags(hours.Tags),
    };
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateHoursOfOperationCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        TimeZone: text(desired, 'TimeZone'),
        Config: (desired.Config as HoursOfOperationConfig[] | undefined) ?? [],
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.HoursOfOperationId || !created.HoursOfOperationArn)
      throw new Error('CreateHoursOfOperation returned no id');
    return { id: created.HoursOfOperationId, arn: created.HoursOfOperationArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description', 'TimeZone', 'Config')) {
      await ctx.connect.send(
        new UpdateHoursOfOperationCommand({
          InstanceId: ctx.instanceId,
          HoursOfOperationId: target.id,
          Name: text(desired, 'Name'),
          Description: text(desired, 'Description') ?? '',
          TimeZone: text(desired, 'TimeZone'),
          Config: (desired.Config as HoursOfOperationConfig[] | undefined) ?? [],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const promptsRestore: KindRestore = {
  writeOperations: ['CreatePrompt', 'UpdatePrompt', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  state(document) {
    const prompt = entityOf<Prompt>(document);
    return { Name: prompt.Name, Description: prompt.Description, Tags: userTags(prompt.Tags) };
  },
  cannotCreate(source, context) {
    return context.hasPromptAudio(source)
      ? undefined
      : 'snapshots hold no prompt audio: give mappings.promptAudio for this prompt (an s3:// URI), or restore where the source instance can be read (GetPromptFile)';
  },
  async create(ctx, desired, source) {
    const created = await ctx.connect.send(
      new CreatePromptCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        S3Uri: await ctx.promptAudio(source),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.PromptId || !created.PromptARN) throw new Error('CreatePrompt returned no id');
    return { id: created.PromptId, arn: created.PromptARN };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdatePromptCommand({
          InstanceId: ctx.instanceId,
          PromptId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const agentStatusesRestore: KindRestore = {
  writeOperations: ['CreateAgentStatus', 'UpdateAgentStatus', 'TagResource', 'UntagResource'],
  nameMember: 'Name',
  state(document) {
    const status = entityOf<AgentStatus>(document);
    return {
      Name: status.Name,
      Description: status.Description,
      State: status.State,
      DisplayOrder: status.DisplayOrder,
      Tags: userTags(status.Tags),
    };
  },
  cannotCreate(source) {
    const type = entityOf<AgentStatus>(source).Type;
    return type && type !== 'CUSTOM'
      ? `a ${type} agent status is a system status: the API creates CUSTOM statuses only, and the target has none named "${source.name}"`
      : undefined;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateAgentStatusCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        State: desired.State as AgentStatus['State'],
        DisplayOrder: desired.DisplayOrder as number | undefined,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.AgentStatusId || !created.AgentStatusARN)
      throw new Error('CreateAgentStatus returned no id');
    return { id: created.AgentStatusId, arn: created.AgentStatusARN };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description', 'State', 'DisplayOrder')) {
      const order = desired.DisplayOrder as number | undefined;
      await ctx.connect.send(
        new UpdateAgentStatusCommand({
          InstanceId: ctx.instanceId,
          AgentStatusId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
          ...(changed.has('State') ? { State: desired.State as AgentStatus['State'] } : {}),
          ...(changed.has('DisplayOrder')
            ? order === undefined
              ? { ResetOrderNumber: true }
              : { DisplayOrder: order }
            : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

/** The references of a quick-connect config, by its type's sub-config. */
function quickConnectReferences(config: QuickConnectConfig | undefined): DeclaredReference[] {
  const refs: DeclaredReference[] = [];
  const add = (member: string, kind: DeclaredReference['kind'], value: string | undefined) => {
    if (value) refs.push({ member: `QuickConnectConfig.${member}`, kind, value });
  };
  add('UserConfig.UserId', 'users', config?.UserConfig?.UserId);
  add('UserConfig.ContactFlowId', 'flows', config?.UserConfig?.ContactFlowId);
  add('QueueConfig.QueueId', 'queues', config?.QueueConfig?.QueueId);
  add('QueueConfig.ContactFlowId', 'flows', config?.QueueConfig?.ContactFlowId);
  add('FlowConfig.ContactFlowId', 'flows', config?.FlowConfig?.ContactFlowId);
  return refs;
}

export const quickConnectsRestore: KindRestore = {
  writeOperations: [
    'CreateQuickConnect',
    'UpdateQuickConnectName',
    'UpdateQuickConnectConfig',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  state(document) {
    const quickConnect = entityOf<QuickConnect>(document);
    return {
      Name: quickConnect.Name,
      Description: quickConnect.Description,
      QuickConnectConfig: quickConnect.QuickConnectConfig,
      Tags: userTags(quickConnect.Tags),
    };
  },
  references: (state: ResourceState) =>
    quickConnectReferences(state.QuickConnectConfig as QuickConnectConfig | undefined),
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateQuickConnectCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        QuickConnectConfig: desired.QuickConnectConfig as QuickConnectConfig,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.QuickConnectId || !created.QuickConnectARN)
      throw new Error('CreateQuickConnect returned no id');
    return { id: created.QuickConnectId, arn: created.QuickConnectARN };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdateQuickConnectNameCommand({
          InstanceId: ctx.instanceId,
          QuickConnectId: target.id,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') ?? '' } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('QuickConnectConfig')) {
      await ctx.connect.send(
        new UpdateQuickConnectConfigCommand({
          InstanceId: ctx.instanceId,
          QuickConnectId: target.id,
          QuickConnectConfig: desired.QuickConnectConfig as QuickConnectConfig,
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};
