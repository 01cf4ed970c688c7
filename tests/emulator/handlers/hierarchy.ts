/**
 * The user hierarchy: DescribeUserHierarchyStructure, UpdateUserHierarchyStructure,
 * ListUserHierarchyGroups, DescribeUserHierarchyGroup, SearchUserHierarchyGroups,
 * CreateUserHierarchyGroup, UpdateUserHierarchyGroupName, DeleteUserHierarchyGroup.
 *
 * The structure holds up to five named levels. Levels get the stable ids "1".."5" and ARNs
 * `<instance ARN>/agent-group-level/<n>` (the form in the AWS CLI's example output). A group sits one
 * level below its parent (level one without a parent), and its `HierarchyPath` names every ancestor
 * and the group itself; renaming a group rewrites that entry in its descendants' paths.
 */
import type {
  CreateUserHierarchyGroupRequest,
  CreateUserHierarchyGroupResponse,
  DeleteUserHierarchyGroupRequest,
  DescribeUserHierarchyGroupRequest,
  DescribeUserHierarchyGroupResponse,
  DescribeUserHierarchyStructureRequest,
  DescribeUserHierarchyStructureResponse,
  HierarchyGroup,
  HierarchyGroupSummary,
  HierarchyStructure,
  ListUserHierarchyGroupsRequest,
  ListUserHierarchyGroupsResponse,
  SearchUserHierarchyGroupsRequest,
  SearchUserHierarchyGroupsResponse,
  UpdateUserHierarchyGroupNameRequest,
  UpdateUserHierarchyStructureRequest,
  UserHierarchyGroupSearchCriteria,
} from '@aws-sdk/client-connect';
import { inUse, invalidParameter, invalidRequest } from '../errors.js';
import type { HierarchyGroupRecord, InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, type SearchCriteria } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** The StringCondition fields SearchUserHierarchyGroups supports (API reference). */
const SEARCH_FIELDS = ['name', 'parentId', 'levelId', 'resourceId'];
/** The documented maximum length of a hierarchy group name (the model sets none). */
const GROUP_NAME_MAX = 100;

/** The structure's level members, level one first. */
export const HIERARCHY_LEVELS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;
type LevelKey = (typeof HIERARCHY_LEVELS)[number];

function levelKey(levelId: string | undefined): LevelKey | undefined {
  return HIERARCHY_LEVELS[Number(levelId) - 1];
}

/** The parent group's id, from the group's own path (undefined at level one). */
function parentIdOf(group: HierarchyGroup): string | undefined {
  const parentKey = HIERARCHY_LEVELS[Number(group.LevelId) - 2];
  return parentKey ? group.HierarchyPath?.[parentKey]?.Id : undefined;
}

/**
 * True when the group `groupId` is `ancestorId` or lies below it (SearchUsers'
 * `HierarchyGroupCondition` with `WITH_CHILD_GROUPS`).
 */
export function groupIsWithin(
  instance: InstanceState,
  groupId: string | undefined,
  ancestorId: string,
): boolean {
  if (!groupId) return false;
  const group = instance.hierarchyGroups.find(groupId);
  const ancestor = instance.hierarchyGroups.find(ancestorId);
  if (!group || !ancestor) return false;
  return HIERARCHY_LEVELS.some((key) => group.entity.HierarchyPath?.[key]?.Id === ancestor.id);
}

/** A tag condition of Connect's attribute filters. */
interface TagCondition {
  TagKey?: string;
  TagValue?: string;
}

/** The common `ControlPlaneAttributeFilter` (tag part) of SearchUserHierarchyGroups and SearchUsers. */
export interface AttributeFilter {
  OrConditions?: Array<{ TagConditions?: TagCondition[] }>;
  AndCondition?: { TagConditions?: TagCondition[] };
  TagCondition?: TagCondition;
}

/** True when the tags satisfy every tag condition given (a missing TagValue matches any value). */
export function tagsMatch(
  tags: Record<string, string> | undefined,
  conditions: readonly TagCondition[],
): boolean {
  return conditions.every((c) => {
    if (c.TagKey === undefined) return true;
    const value = tags?.[c.TagKey];
    return value !== undefined && (c.TagValue === undefined || value === c.TagValue);
  });
}

/** True when the tags satisfy the attribute filter's tag conditions (no filter matches everything). */
export function matchesAttributeFilter(
  tags: Record<string, string> | undefined,
  filter: AttributeFilter | undefined,
): boolean {
  if (!filter) return true;
  if (filter.TagCondition && !tagsMatch(tags, [filter.TagCondition])) return false;
  if (filter.AndCondition && !tagsMatch(tags, filter.AndCondition.TagConditions ?? [])) return false;
  if (
    filter.OrConditions?.length &&
    !filter.OrConditions.some((c) => tagsMatch(tags, c.TagConditions ?? []))
  ) {
    return false;
  }
  return true;
}

/** SearchUserHierarchyGroups criteria: the common StringCondition fields plus `parentId`. */
function matchesGroupCriteria(
  record: HierarchyGroupRecord,
  criteria: UserHierarchyGroupSearchCriteria | undefined,
): boolean {
  return matchesCriteria(record, criteria, {
    field: (condition) => {
      if (condition.FieldName?.toLowerCase() !== 'parentid') return undefined;
      const parent = parentIdOf(record.entity) ?? '';
      const value = condition.Value ?? '';
      return condition.ComparisonType === 'STARTS_WITH'
        ? parent.startsWith(value)
        : condition.ComparisonType === 'CONTAINS'
          ? parent.includes(value)
          : parent === value;
    },
  });
}

function summary(record: HierarchyGroupRecord): HierarchyGroupSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** @throws ConnectError InvalidParameterException (400) for an empty or over-long group name. */
function checkGroupName(name: string): void {
  if (name.trim() === '' || [...name].length > GROUP_NAME_MAX) {
    throw invalidParameter(`A hierarchy group name must have 1 to ${GROUP_NAME_MAX} characters.`);
  }
}

/** Handlers of the user-hierarchy operations, by operation name. */
export const hierarchyHandlers: HandlerTable = {
  /** DescribeUserHierarchyStructure: the defined levels (none in a new instance). */
  DescribeUserHierarchyStructure(
    ctx: RequestContext,
    input: DescribeUserHierarchyStructureRequest,
  ): DescribeUserHierarchyStructureResponse {
    const instance = ctx.instance(input.InstanceId!);
    return { HierarchyStructure: structuredClone(instance.hierarchyStructure) };
  },

  /**
   * UpdateUserHierarchyStructure: the request is the whole structure. Levels must be contiguous from
   * level one (InvalidRequestException); a level left out is removed, which fails with
   * ResourceInUseException (409) while groups sit on it. A renamed or new level moves its LastModifiedTime.
   */
  UpdateUserHierarchyStructure(
    ctx: RequestContext,
    input: UpdateUserHierarchyStructureRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const update = input.HierarchyStructure!;
    let gap = false;
    for (const key of HIERARCHY_LEVELS) {
      const level = update[key];
      if (!level) {
        gap = true;
        continue;
      }
      if (gap)
        throw invalidRequest(`Hierarchy levels must be contiguous from LevelOne: ${key} follows a gap.`);
      if (level.Name!.trim() === '') throw invalidParameter(`${key}.Name must not be empty.`);
    }
    HIERARCHY_LEVELS.forEach((key, index) => {
      if (update[key] || !instance.hierarchyStructure[key]) return;
      const levelId = String(index + 1);
      const group = instance.hierarchyGroups.all().find((g) => g.entity.LevelId === levelId);
      if (group) throw inUse('Hierarchy level', levelId, `hierarchy group ${group.name}`);
    });
    const next: HierarchyStructure = {};
    HIERARCHY_LEVELS.forEach((key, index) => {
      const wanted = update[key];
      if (!wanted) return;
      const current = instance.hierarchyStructure[key];
      if (current && current.Name === wanted.Name) {
        next[key] = current;
        return;
      }
      const levelId = String(index + 1);
      next[key] = {
        Id: levelId,
        Arn: `${instance.arn}/agent-group-level/${levelId}`,
        Name: wanted.Name,
        LastModifiedTime: ctx.world.tick(),
        LastModifiedRegion: instance.region,
      };
    });
    instance.hierarchyStructure = next;
    return {};
  },

  /** ListUserHierarchyGroups: summaries in creation order, pages of ≤1000. */
  ListUserHierarchyGroups(
    ctx: RequestContext,
    input: ListUserHierarchyGroupsRequest,
  ): ListUserHierarchyGroupsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.hierarchyGroups.all().map(summary),
      input,
      `ListUserHierarchyGroups/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { UserHierarchyGroupSummaryList: page, NextToken };
  },

  /** DescribeUserHierarchyGroup: the group with its level and full path. */
  DescribeUserHierarchyGroup(
    ctx: RequestContext,
    input: DescribeUserHierarchyGroupRequest,
  ): DescribeUserHierarchyGroupResponse {
    const record = ctx.instance(input.InstanceId!).hierarchyGroups.require(input.HierarchyGroupId!);
    return { HierarchyGroup: structuredClone(record.entity) };
  },

  /**
   * SearchUserHierarchyGroups: StringCondition on name, resourceId, levelId or parentId; the
   * AttributeFilter's tag conditions; pages of ≤100.
   */
  SearchUserHierarchyGroups(
    ctx: RequestContext,
    input: SearchUserHierarchyGroupsRequest,
  ): SearchUserHierarchyGroupsResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria as SearchCriteria | undefined, SEARCH_FIELDS);
    const matches = instance.hierarchyGroups
      .searchable()
      .filter(
        (record) =>
          matchesGroupCriteria(record, input.SearchCriteria) &&
          matchesAttributeFilter(record.entity.Tags, input.SearchFilter?.AttributeFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchUserHierarchyGroups',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return {
      UserHierarchyGroups: page.map((record) => structuredClone(record.entity)),
      NextToken,
      ApproximateTotalCount,
    };
  },

  /**
   * CreateUserHierarchyGroup: at level one without `ParentGroupId`, else one level below the parent
   * (404 when the parent does not exist). The level must be defined in the structure
   * (InvalidRequestException); the name is unique per instance (409).
   */
  CreateUserHierarchyGroup(
    ctx: RequestContext,
    input: CreateUserHierarchyGroupRequest,
  ): CreateUserHierarchyGroupResponse {
    const instance = ctx.instance(input.InstanceId!);
    const name = input.Name!;
    checkGroupName(name);
    const parent = input.ParentGroupId ? instance.hierarchyGroups.require(input.ParentGroupId) : undefined;
    const levelNumber = parent ? Number(parent.entity.LevelId) + 1 : 1;
    const key = HIERARCHY_LEVELS[levelNumber - 1];
    if (!key || !instance.hierarchyStructure[key]) {
      throw invalidRequest(
        `The user hierarchy structure defines no level ${levelNumber}; define it with UpdateUserHierarchyStructure first.`,
      );
    }
    instance.hierarchyGroups.assertNameFree(name);
    const id = ctx.world.newId();
    const arn = instance.arnFor('agent-group', id);
    const entity: HierarchyGroup = {
      Id: id,
      Arn: arn,
      Name: name,
      LevelId: String(levelNumber),
      HierarchyPath: {
        ...structuredClone(parent?.entity.HierarchyPath ?? {}),
        [key]: { Id: id, Arn: arn, Name: name },
      },
      Tags: tagsOf(input.Tags),
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.hierarchyGroups.add({ id, arn, name, entity });
    return { HierarchyGroupId: id, HierarchyGroupArn: arn };
  },

  /** UpdateUserHierarchyGroupName: unique per instance (409); descendants' paths show the new name. */
  UpdateUserHierarchyGroupName(
    ctx: RequestContext,
    input: UpdateUserHierarchyGroupNameRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hierarchyGroups.require(input.HierarchyGroupId!);
    const name = input.Name!;
    checkGroupName(name);
    instance.hierarchyGroups.rename(record, name);
    record.entity.Name = name;
    record.entity.LastModifiedTime = ctx.world.tick();
    record.entity.LastModifiedRegion = instance.region;
    const key = levelKey(record.entity.LevelId);
    for (const group of instance.hierarchyGroups.all()) {
      const entry = key ? group.entity.HierarchyPath?.[key] : undefined;
      if (entry?.Id === record.id) entry.Name = name;
    }
    return {};
  },

  /**
   * DeleteUserHierarchyGroup: ResourceInUseException (409) while the group has child groups, users,
   * or is a security profile's `AllowedAccessControlHierarchyGroupId`.
   */
  DeleteUserHierarchyGroup(
    ctx: RequestContext,
    input: DeleteUserHierarchyGroupRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hierarchyGroups.require(input.HierarchyGroupId!);
    const child = instance.hierarchyGroups.all().find((g) => parentIdOf(g.entity) === record.id);
    if (child) throw inUse('User hierarchy group', record.id, `child group ${child.name}`);
    const user = instance.users.all().find((u) => u.entity.HierarchyGroupId === record.id);
    if (user) throw inUse('User hierarchy group', record.id, `user ${user.name}`);
    const profile = instance.securityProfiles
      .all()
      .find((p) => p.entity.AllowedAccessControlHierarchyGroupId === record.id);
    if (profile) throw inUse('User hierarchy group', record.id, `security profile ${profile.name}`);
    instance.hierarchyGroups.remove(record);
    return {};
  },
};
