/**
 * The user hierarchy structure, a singleton: its level names, read with
 * DescribeUserHierarchyStructure and restored with UpdateUserHierarchyStructure (never created).
 */
import {
  DescribeUserHierarchyStructureCommand,
  type HierarchyStructure,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { opts } from './support/describe.js';
import { toPlain } from './support/read.js';
import { entityOf, sendOptions, text } from './support/restore.js';
import type { KindRestore, ResourceKind, ResourceState } from './types.js';

/** The levels of the hierarchy, top first, as the structure and a group's path name them. */
export const LEVELS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;

const userHierarchyStructureRestore: KindRestore = {
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

export const userHierarchyStructure: ResourceKind<'user-hierarchy-structure'> = {
  name: 'user-hierarchy-structure',
  label: 'user hierarchy structure',
  readOperations: ['DescribeUserHierarchyStructure'],
  async *read(ctx) {
    const { HierarchyStructure } = await ctx.connect.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: ctx.instanceId }),
      opts(ctx),
    );
    yield {
      kind: 'user-hierarchy-structure',
      id: 'user-hierarchy-structure',
      arn: `${ctx.instanceArn}/user-hierarchy-structure`,
      name: 'user hierarchy structure',
      resource: toPlain(HierarchyStructure ?? {}),
    };
  },
  restore: userHierarchyStructureRestore,
};
