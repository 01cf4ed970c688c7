/**
 * User hierarchy groups: read with SearchUserHierarchyGroups (without the hidden root group), and
 * restored top-down (CreateUserHierarchyGroup with ParentGroupId, UpdateUserHierarchyGroupName,
 * tags). A group cannot move to another parent through the API, so a changed parent is reported.
 */
import {
  CreateUserHierarchyGroupCommand,
  DeleteUserHierarchyGroupCommand,
  type HierarchyGroup,
  paginateSearchUserHierarchyGroups,
  UpdateUserHierarchyGroupNameCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import { deletion } from './support/removal.js';
import { entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support/restore.js';
import { config, request, searchKind } from './support/search.js';
import type { KindRestore, ResourceKind } from './types.js';
import { LEVELS } from './user-hierarchy-structure.js';

/** The parent group's id, from the group's own path (none at level one). */
function parentIdOf(group: HierarchyGroup): string | undefined {
  const parentLevel = LEVELS[Number(group.LevelId) - 2];
  return parentLevel ? group.HierarchyPath?.[parentLevel]?.Id : undefined;
}

const userHierarchyGroupsRestore: KindRestore = {
  // Connect refuses (ResourceInUseException) while the group has users or child groups: users are
  // removed first, and groups deepest level first (the reverse of `order`).
  remove: deletion('DeleteUserHierarchyGroup', (ctx, target) =>
    ctx.connect.send(
      new DeleteUserHierarchyGroupCommand({ InstanceId: ctx.instanceId, HierarchyGroupId: target.id }),
      sendOptions(ctx),
    ),
  ),
  writeOperations: [
    'CreateUserHierarchyGroup',
    'UpdateUserHierarchyGroupName',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  order: (document) => Number(entityOf<HierarchyGroup>(document).LevelId ?? 1),
  state(document) {
    const group = entityOf<HierarchyGroup>(document);
    return { Name: group.Name, ParentGroupId: parentIdOf(group), Tags: userTags(group.Tags) };
  },
  references(state) {
    const parent = text(state, 'ParentGroupId');
    return parent ? [{ member: 'ParentGroupId', kind: 'user-hierarchy-groups', value: parent }] : [];
  },
  cannotUpdate(changed) {
    return changed.includes('ParentGroupId')
      ? 'the group sits under another parent in the target, and the Connect API cannot move a hierarchy group; move it in the console, or delete it there and restore again'
      : undefined;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateUserHierarchyGroupCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        ParentGroupId: text(desired, 'ParentGroupId'),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.HierarchyGroupId || !created.HierarchyGroupArn)
      throw new Error('CreateUserHierarchyGroup returned no id');
    return { id: created.HierarchyGroupId, arn: created.HierarchyGroupArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (changed.has('Name')) {
      await ctx.connect.send(
        new UpdateUserHierarchyGroupNameCommand({
          InstanceId: ctx.instanceId,
          HierarchyGroupId: target.id,
          Name: text(desired, 'Name'),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const userHierarchyGroups: ResourceKind<'user-hierarchy-groups'> = searchKind({
  name: 'user-hierarchy-groups',
  label: 'user hierarchy group',
  operation: 'SearchUserHierarchyGroups',
  search: (ctx) =>
    itemsOf(paginateSearchUserHierarchyGroups(config(ctx), request(ctx)), (p) => p.UserHierarchyGroups),
  identity: (e) => ({ id: e.Id, arn: e.Arn, name: e.Name }),
  searchOnly: {
    why: 'SearchUserHierarchyGroups returns the whole HierarchyGroup with its path, as DescribeUserHierarchyGroup does (connect-api-facts.md §5): 100 per call',
    requires: ['Name', 'LevelId', 'HierarchyPath'],
  },
  // Search also returns the hidden root group (LevelId "0"), which no API can create.
  keep: (e) => e.LevelId !== '0',
  restore: userHierarchyGroupsRestore,
});
