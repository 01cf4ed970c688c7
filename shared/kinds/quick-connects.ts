/**
 * Quick connects: read with SearchQuickConnects, restored with CreateQuickConnect,
 * UpdateQuickConnectName and UpdateQuickConnectConfig. Their config references a user, a queue or
 * a flow.
 */
import {
  CreateQuickConnectCommand,
  DeleteQuickConnectCommand,
  paginateSearchQuickConnects,
  type QuickConnect,
  type QuickConnectConfig,
  UpdateQuickConnectConfigCommand,
  UpdateQuickConnectNameCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import { deletion } from './support/removal.js';
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
import type { DeclaredReference, KindRestore, ResourceKind, ResourceState } from './types.js';

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

const quickConnectsRestore: KindRestore = {
  remove: deletion('DeleteQuickConnect', (ctx, target) =>
    ctx.connect.send(
      new DeleteQuickConnectCommand({ InstanceId: ctx.instanceId, QuickConnectId: target.id }),
      sendOptions(ctx),
    ),
  ),
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

export const quickConnects: ResourceKind<'quick-connects'> = searchKind({
  name: 'quick-connects',
  label: 'quick connect',
  operation: 'SearchQuickConnects',
  search: (ctx) => itemsOf(paginateSearchQuickConnects(config(ctx), request(ctx)), (p) => p.QuickConnects),
  identity: (e) => ({ id: e.QuickConnectId, arn: e.QuickConnectARN, name: e.Name }),
  searchOnly: {
    why: 'SearchQuickConnects returns the whole QuickConnect, as DescribeQuickConnect does (connect-api-facts.md §5): 100 per call',
    requires: ['Name', 'QuickConnectConfig'],
  },
  restore: quickConnectsRestore,
});
