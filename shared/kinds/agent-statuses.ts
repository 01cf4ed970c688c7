/**
 * Agent statuses: read with SearchAgentStatuses, restored with CreateAgentStatus (CUSTOM statuses
 * only: a missing system status is reported) and UpdateAgentStatus.
 */
import {
  type AgentStatus,
  CreateAgentStatusCommand,
  paginateSearchAgentStatuses,
  UpdateAgentStatusCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import { config, request, searchKind } from './support/search.js';
import type { KindRestore, ResourceKind } from './types.js';

const agentStatusesRestore: KindRestore = {
  // Connect has no DeleteAgentStatus: a mirror disables a CUSTOM status the snapshot lacks. The
  // system statuses (Available, Offline) stay enabled.
  remove: {
    operation: 'disable',
    writeOperations: ['UpdateAgentStatus'],
    protect(target) {
      const type = entityOf<AgentStatus>(target).Type;
      return type && type !== 'CUSTOM'
        ? `kept: "${target.name}" is a ${type} agent status, a system status; mirror never disables one`
        : undefined;
    },
    isRemoved: (target) => entityOf<AgentStatus>(target).State === 'DISABLED',
    async remove(ctx, target) {
      await ctx.connect.send(
        new UpdateAgentStatusCommand({
          InstanceId: ctx.instanceId,
          AgentStatusId: target.id,
          State: 'DISABLED',
        }),
        sendOptions(ctx),
      );
    },
  },
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

export const agentStatuses: ResourceKind<'agent-statuses'> = searchKind({
  name: 'agent-statuses',
  label: 'agent status',
  operation: 'SearchAgentStatuses',
  search: (ctx) => itemsOf(paginateSearchAgentStatuses(config(ctx), request(ctx)), (p) => p.AgentStatuses),
  identity: (e) => ({ id: e.AgentStatusId, arn: e.AgentStatusARN, name: e.Name }),
  searchOnly: {
    why: 'SearchAgentStatuses returns the whole AgentStatus, as DescribeAgentStatus does (connect-api-facts.md §5): 100 per call',
    requires: ['Name', 'State', 'Type'],
  },
  restore: agentStatusesRestore,
});
