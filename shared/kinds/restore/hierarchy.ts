/**
 * Restoring the user hierarchy: the structure (a singleton: level names, UpdateUserHierarchyStructure)
 * and the groups, top-down (CreateUserHierarchyGroup with ParentGroupId, UpdateUserHierarchyGroupName,
 * tags). A group cannot move to another parent through the API, so a changed parent is reported.
 */
import {
  CreateUserHierarchyGroupCommand,
  type HierarchyGroup,
  type HierarchyStructure,
  UpdateUserHierarchyGroupNameCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support.js';
import type { KindRestore, ResourceState } from './types.js';

const LEVELS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;

export const userHierarchyStructureRestore: KindRestore = {
  writeOperations: ['UpdateUserHierarchyStructure'],
  singleton: true,
  state(document) {
    const structure = entityOf<HierarchyStructure>(document);
    const state: ResourceState = {};
    for (const level of LEVELS) {
      const name = structure[level]?.Name;
      if (name) state[level] = name;
    }
    return state;
  },
  isBlank: (current) => LEVELS.every((level) => current[level] === undefined),
  create() {
    throw new Error('the user hierarchy structure is a singleton: it is updated, never created');
  },
  async update(ctx, _phase, _target, { desired }) {
    const HierarchyStructure: Record<string, { Name: string }> = {};
    for (const level of LEVELS) {
      const name = text(desired, level);
      if (name) HierarchyStructure[level] = { Name: name };
    }
    await ctx.connect.send(
      new UpdateUserHierarchyStructureCommand({ InstanceId: ctx.instanceId, HierarchyStructure }),
      sendOptions(ctx),
    );
  },
};

/** The parent group's id, from the group's own path (none at level one). */
function parentIdOf(group: HierarchyGroup): string | undefined {
  const parentLevel = LEVELS[Number(group.LevelId) - 2];
  return parentLevel ? group.HierarchyPath?.[parentLevel]?.Id : undefined;
}

export const userHierarchyGroupsRestore: KindRestore = {
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
