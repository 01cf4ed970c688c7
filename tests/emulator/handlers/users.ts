/**
 * Users: ListUsers, DescribeUser, SearchUsers, CreateUser, UpdateUserIdentityInfo,
 * UpdateUserPhoneConfig, UpdateUserRoutingProfile, UpdateUserSecurityProfiles, UpdateUserHierarchy,
 * UpdateUserConfig, DeleteUser.
 *
 * The entity is the SDK's `User`. Passwords are checked and then forgotten: never stored, never returned.
 * Creating a user also creates its AGENT queue in `instance.queues`; that queue has no Name, so its
 * record is filed under the internal name `agent-queue/<userId>` (see `agentQueueName`) to satisfy the
 * collection's unique-name index. DeleteUser removes it again.
 */
import type {
  CreateUserRequest,
  CreateUserResponse,
  DeleteUserRequest,
  DescribeUserRequest,
  DescribeUserResponse,
  HierarchyGroupCondition,
  ListUsersRequest,
  ListUsersResponse,
  Queue,
  SearchUsersRequest,
  SearchUsersResponse,
  UpdateUserConfigRequest,
  UpdateUserHierarchyRequest,
  UpdateUserIdentityInfoRequest,
  UpdateUserPhoneConfigRequest,
  UpdateUserRoutingProfileRequest,
  UpdateUserSecurityProfilesRequest,
  User,
  UserIdentityInfo,
  UserPhoneConfig,
  UserSearchCriteria,
  UserSearchSummary,
  UserSummary,
} from '@aws-sdk/client-connect';
import { invalidParameter, invalidRequest } from '../errors.js';
import type { InstanceState, UserRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { type AttributeFilter, groupIsWithin, matchesAttributeFilter, tagsMatch } from './hierarchy.js';
import {
  assertSearchFields,
  matchesCriteria,
  matchesFilter,
  type SearchCriteria,
  type SearchFilter,
} from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 500;
/** The StringCondition fields SearchUsers supports (API reference). */
const SEARCH_FIELDS = [
  'Username',
  'FirstName',
  'LastName',
  'RoutingProfileId',
  'SecurityProfileId',
  'resourceId',
];
/** The documented maximum of `AfterContactWorkTimeLimit`, in seconds (24 days); the model sets none. */
const ACW_MAX_SECONDS = 2_000_000;
/** The longest username the service accepts (SAML; the model allows 100). */
const USERNAME_MAX = 64;
const USERNAME_PATTERN = /^[a-zA-Z0-9_.@-]+$/;
const EMAIL_FORM = /^[^@]+@[^@]+\.[^@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

/** The per-channel configuration lists of a user (CreateUser, UpdateUserConfig, DescribeUser). */
const CHANNEL_CONFIGS = [
  'AutoAcceptConfigs',
  'AfterContactWorkConfigs',
  'PhoneNumberConfigs',
  'PersistentConnectionConfigs',
  'VoiceEnhancementConfigs',
] as const;
type ChannelConfigKey = (typeof CHANNEL_CONFIGS)[number];

/** The internal collection name of a user's AGENT queue (AGENT queues have no Name in the API). */
export function agentQueueName(userId: string): string {
  return `agent-queue/${userId}`;
}

/**
 * @throws ConnectError InvalidParameterException (400) for a username the service rejects: characters
 *   outside `[a-zA-Z0-9_.@-]`, more than 64 characters, or an `@` not in an e-mail form.
 */
function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username) || username.length > USERNAME_MAX) {
    throw invalidParameter(
      `Username must have 1 to ${USERNAME_MAX} characters from [a-zA-Z0-9_.@-]: ${username}`,
    );
  }
  if (username.includes('@') && !EMAIL_FORM.test(username)) {
    throw invalidParameter(`Username may contain @ only in an e-mail form: ${username}`);
  }
}

/** @throws ConnectError InvalidParameterException (400) for a Mobile number that is not E.164. */
function checkIdentityInfo(info: UserIdentityInfo | undefined): void {
  if (info?.Mobile !== undefined && !E164.test(info.Mobile)) {
    throw invalidParameter(`IdentityInfo.Mobile must be an E.164 phone number: ${info.Mobile}`);
  }
}

/**
 * @throws ConnectError InvalidParameterException (400) for a DESK_PHONE without DeskPhoneNumber or an
 *   after-contact-work limit above 2,000,000 seconds.
 */
function checkPhoneConfig(config: UserPhoneConfig): void {
  if (config.PhoneType === 'DESK_PHONE' && !config.DeskPhoneNumber) {
    throw invalidParameter('PhoneConfig.DeskPhoneNumber is required when PhoneType is DESK_PHONE.');
  }
  if ((config.AfterContactWorkTimeLimit ?? 0) > ACW_MAX_SECONDS) {
    throw invalidParameter(
      `PhoneConfig.AfterContactWorkTimeLimit must be at most ${ACW_MAX_SECONDS} seconds.`,
    );
  }
}

/** @throws ConnectError InvalidParameterException (400) for per-channel settings the service rejects. */
function checkChannelConfigs(input: Partial<Pick<User, ChannelConfigKey>>): void {
  for (const key of CHANNEL_CONFIGS) {
    const channels = (input[key] ?? []).map((c) => c.Channel);
    if (new Set(channels).size !== channels.length) {
      throw invalidParameter(`${key} lists a channel more than once.`);
    }
  }
  for (const config of input.PhoneNumberConfigs ?? []) {
    if (config.PhoneType === 'DESK_PHONE' && !config.PhoneNumber) {
      throw invalidParameter('PhoneNumberConfigs: PhoneNumber is required when PhoneType is DESK_PHONE.');
    }
  }
  for (const config of input.AfterContactWorkConfigs ?? []) {
    for (const acw of [config.AfterContactWorkConfig, config.AgentFirstCallbackAfterContactWorkConfig]) {
      if ((acw?.AfterContactWorkTimeLimit ?? 0) > ACW_MAX_SECONDS) {
        throw invalidParameter(`AfterContactWorkTimeLimit must be at most ${ACW_MAX_SECONDS} seconds.`);
      }
    }
  }
}

/** Resolves security profile ids or ARNs to ids, in order, without repeats. @throws 404 for a missing one. */
function securityProfileIdsOf(instance: InstanceState, idsOrArns: readonly string[]): string[] {
  return [...new Set(idsOrArns.map((id) => instance.securityProfiles.require(id).id))];
}

function touch(ctx: RequestContext, instance: InstanceState, user: UserRecord): void {
  user.entity.LastModifiedTime = ctx.world.tick();
  user.entity.LastModifiedRegion = instance.region;
}

function summary(record: UserRecord): UserSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Username: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/**
 * The SearchUsers form of a user: `UserIdentityInfoLite` (first and last name only, no e-mail or
 * mobile), no LastModified*, and — as the API reference documents — `PhoneConfig.AfterContactWorkTimeLimit`
 * in milliseconds rather than seconds.
 */
function searchSummary(record: UserRecord): UserSearchSummary {
  const e = structuredClone(record.entity);
  const phone = e.PhoneConfig;
  if (phone?.AfterContactWorkTimeLimit !== undefined) {
    phone.AfterContactWorkTimeLimit = phone.AfterContactWorkTimeLimit * 1000;
  }
  return {
    Arn: e.Arn,
    DirectoryUserId: e.DirectoryUserId,
    HierarchyGroupId: e.HierarchyGroupId,
    Id: e.Id,
    IdentityInfo: { FirstName: e.IdentityInfo?.FirstName, LastName: e.IdentityInfo?.LastName },
    PhoneConfig: phone,
    RoutingProfileId: e.RoutingProfileId,
    SecurityProfileIds: e.SecurityProfileIds,
    Tags: e.Tags,
    Username: e.Username,
    AutoAcceptConfigs: e.AutoAcceptConfigs,
    AfterContactWorkConfigs: e.AfterContactWorkConfigs,
    PhoneNumberConfigs: e.PhoneNumberConfigs,
    PersistentConnectionConfigs: e.PersistentConnectionConfigs,
    VoiceEnhancementConfigs: e.VoiceEnhancementConfigs,
  };
}

function compare(actual: string, value: string, comparison: string | undefined): boolean {
  switch (comparison ?? 'EXACT') {
    case 'STARTS_WITH':
      return actual.toLowerCase().startsWith(value.toLowerCase());
    case 'CONTAINS':
      return actual.toLowerCase().includes(value.toLowerCase());
    default:
      return actual === value;
  }
}

function matchesHierarchyCondition(
  instance: InstanceState,
  record: UserRecord,
  condition: HierarchyGroupCondition,
): boolean {
  if (!condition.Value) throw invalidParameter('HierarchyGroupCondition needs a Value.');
  const groupId = record.entity.HierarchyGroupId;
  if (condition.HierarchyGroupMatchType === 'WITH_CHILD_GROUPS') {
    return groupIsWithin(instance, groupId, condition.Value);
  }
  return groupId !== undefined && groupId === instance.hierarchyGroups.find(condition.Value)?.id;
}

/**
 * SearchUsers criteria: StringCondition (Username, FirstName, LastName, ResourceId, RoutingProfileId,
 * HierarchyGroupId, SecurityProfileId), HierarchyGroupCondition, And/Or. A proficiency `ListCondition`
 * matches no user, as the emulator models no proficiencies.
 */
function matchesUserCriteria(
  instance: InstanceState,
  record: UserRecord,
  criteria: UserSearchCriteria | undefined,
): boolean {
  return matchesCriteria(record, criteria, {
    field: (condition) => {
      if (condition.FieldName?.toLowerCase() !== 'securityprofileid') return undefined;
      if (condition.Value === undefined) throw invalidParameter('StringCondition needs FieldName and Value.');
      const value = condition.Value;
      return (record.entity.SecurityProfileIds ?? []).some((id) =>
        compare(id, value, condition.ComparisonType),
      );
    },
    // ListCondition (proficiencies) matches no user: proficiencies are not modelled.
    own: (c) =>
      !c.ListCondition &&
      (!c.HierarchyGroupCondition || matchesHierarchyCondition(instance, record, c.HierarchyGroupCondition)),
  });
}

interface UserAttributeCondition {
  TagConditions?: Array<{ TagKey?: string; TagValue?: string }>;
  HierarchyGroupCondition?: HierarchyGroupCondition;
}

/** SearchUsers' `UserAttributeFilter`: tag conditions and hierarchy-group conditions. */
function matchesUserAttributeFilter(
  instance: InstanceState,
  record: UserRecord,
  filter: (AttributeFilter & UserAttributeCondition & { AndCondition?: UserAttributeCondition }) | undefined,
): boolean {
  if (!filter) return true;
  const tags = record.entity.Tags;
  const matchesAnd = (c: UserAttributeCondition): boolean =>
    tagsMatch(tags, c.TagConditions ?? []) &&
    (!c.HierarchyGroupCondition || matchesHierarchyCondition(instance, record, c.HierarchyGroupCondition));
  if (!matchesAttributeFilter(tags, { TagCondition: filter.TagCondition })) return false;
  if (
    filter.HierarchyGroupCondition &&
    !matchesHierarchyCondition(instance, record, filter.HierarchyGroupCondition)
  ) {
    return false;
  }
  if (filter.AndCondition && !matchesAnd(filter.AndCondition)) return false;
  const or = filter.OrConditions as UserAttributeCondition[] | undefined;
  if (or?.length && !or.some(matchesAnd)) return false;
  return true;
}

/** Replaces the entries of each given per-channel list channel by channel, keeping the other channels. */
function mergeChannelConfigs(entity: User, input: Partial<Pick<User, ChannelConfigKey>>): void {
  for (const key of CHANNEL_CONFIGS) {
    const given = input[key] as Array<{ Channel?: string }> | undefined;
    if (!given) continue;
    const current = (entity[key] ?? []) as Array<{ Channel?: string }>;
    const channels = new Set(given.map((c) => c.Channel));
    (entity as Record<string, unknown>)[key] = [...current.filter((c) => !channels.has(c.Channel)), ...given];
  }
}

/** Handlers of the user operations, by operation name. */
export const userHandlers: HandlerTable = {
  /** ListUsers: summaries in creation order, pages of ≤1000. */
  ListUsers(ctx: RequestContext, input: ListUsersRequest): ListUsersResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.users.all().map(summary),
      input,
      `ListUsers/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { UserSummaryList: page, NextToken };
  },

  /** DescribeUser: the whole user, never a password. */
  DescribeUser(ctx: RequestContext, input: DescribeUserRequest): DescribeUserResponse {
    const record = ctx.instance(input.InstanceId!).users.require(input.UserId!);
    return { User: structuredClone(record.entity) };
  },

  /** SearchUsers: criteria and filters as `matchesUserCriteria` describes; the search summary form, pages of ≤500. */
  SearchUsers(ctx: RequestContext, input: SearchUsersRequest): SearchUsersResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria as SearchCriteria | undefined, SEARCH_FIELDS);
    const filter = input.SearchFilter;
    const matches = instance.users
      .all()
      .filter(
        (record) =>
          matchesUserCriteria(instance, record, input.SearchCriteria) &&
          matchesFilter(record.entity.Tags, filter as SearchFilter | undefined) &&
          matchesUserAttributeFilter(instance, record, filter?.UserAttributeFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchUsers',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { Users: page.map(searchSummary), NextToken, ApproximateTotalCount };
  },

  /**
   * CreateUser: Username unique (409) and well-formed; Password required on CONNECT_MANAGED instances
   * and rejected otherwise (never stored); RoutingProfileId, every SecurityProfileIds entry and
   * HierarchyGroupId must exist (404). Creates the user's AGENT queue.
   */
  CreateUser(ctx: RequestContext, input: CreateUserRequest): CreateUserResponse {
    const instance = ctx.instance(input.InstanceId!);
    const username = input.Username!;
    checkUsername(username);
    if (instance.identityManagementType === 'CONNECT_MANAGED') {
      if (input.Password === undefined) {
        throw invalidParameter(
          'Password is required for an instance with CONNECT_MANAGED identity management.',
        );
      }
    } else if (input.Password !== undefined) {
      throw invalidRequest(
        `Password must not be given for an instance with ${instance.identityManagementType} identity management.`,
      );
    }
    checkIdentityInfo(input.IdentityInfo);
    if (input.PhoneConfig) checkPhoneConfig(input.PhoneConfig);
    checkChannelConfigs(input);
    instance.users.assertNameFree(username);
    const routingProfileId = instance.routingProfiles.require(input.RoutingProfileId!).id;
    const securityProfileIds = securityProfileIdsOf(instance, input.SecurityProfileIds!);
    const hierarchyGroupId = input.HierarchyGroupId
      ? instance.hierarchyGroups.require(input.HierarchyGroupId).id
      : undefined;

    const id = ctx.world.newId();
    const arn = instance.arnFor('agent', id);
    const entity: User = {
      Id: id,
      Arn: arn,
      Username: username,
      IdentityInfo: input.IdentityInfo ?? {},
      PhoneConfig: input.PhoneConfig ?? {
        PhoneType: 'SOFT_PHONE',
        AutoAccept: false,
        AfterContactWorkTimeLimit: 0,
      },
      DirectoryUserId: input.DirectoryUserId,
      SecurityProfileIds: securityProfileIds,
      RoutingProfileId: routingProfileId,
      HierarchyGroupId: hierarchyGroupId,
      Tags: tagsOf(input.Tags),
      AutoAcceptConfigs: input.AutoAcceptConfigs,
      AfterContactWorkConfigs: input.AfterContactWorkConfigs,
      PhoneNumberConfigs: input.PhoneNumberConfigs,
      PersistentConnectionConfigs: input.PersistentConnectionConfigs,
      VoiceEnhancementConfigs: input.VoiceEnhancementConfigs,
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.users.add({ id, arn, name: username, entity });

    const queueId = ctx.world.newId();
    const queueArn = instance.arnFor('queue', queueId);
    // The SDK's Queue type has no QueueType member; ListQueues reads it from here.
    const queue = {
      QueueId: queueId,
      QueueArn: queueArn,
      QueueType: 'AGENT',
      Status: 'ENABLED',
      Tags: {},
      LastModifiedTime: entity.LastModifiedTime,
      LastModifiedRegion: instance.region,
    } as Queue;
    instance.queues.add({
      id: queueId,
      arn: queueArn,
      name: agentQueueName(id),
      entity: queue,
      quickConnectIds: [],
    });
    return { UserId: id, UserArn: arn };
  },

  /** UpdateUserIdentityInfo: replaces the whole IdentityInfo. */
  UpdateUserIdentityInfo(ctx: RequestContext, input: UpdateUserIdentityInfoRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    checkIdentityInfo(input.IdentityInfo);
    record.entity.IdentityInfo = input.IdentityInfo!;
    touch(ctx, instance, record);
    return {};
  },

  /** UpdateUserPhoneConfig: the given members replace the stored ones; DESK_PHONE needs DeskPhoneNumber. */
  UpdateUserPhoneConfig(ctx: RequestContext, input: UpdateUserPhoneConfigRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const merged: UserPhoneConfig = { ...record.entity.PhoneConfig, ...input.PhoneConfig };
    if (merged.PhoneType === 'SOFT_PHONE' && input.PhoneConfig?.DeskPhoneNumber === undefined) {
      delete merged.DeskPhoneNumber;
    }
    checkPhoneConfig(merged);
    record.entity.PhoneConfig = merged;
    touch(ctx, instance, record);
    return {};
  },

  /** UpdateUserRoutingProfile: the routing profile must exist (404). */
  UpdateUserRoutingProfile(
    ctx: RequestContext,
    input: UpdateUserRoutingProfileRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    record.entity.RoutingProfileId = instance.routingProfiles.require(input.RoutingProfileId!).id;
    touch(ctx, instance, record);
    return {};
  },

  /** UpdateUserSecurityProfiles: replaces the list; every profile must exist (404). */
  UpdateUserSecurityProfiles(
    ctx: RequestContext,
    input: UpdateUserSecurityProfilesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    record.entity.SecurityProfileIds = securityProfileIdsOf(instance, input.SecurityProfileIds!);
    touch(ctx, instance, record);
    return {};
  },

  /** UpdateUserHierarchy: puts the user in a group (404 when missing), or in none without HierarchyGroupId. */
  UpdateUserHierarchy(ctx: RequestContext, input: UpdateUserHierarchyRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    if (input.HierarchyGroupId) {
      record.entity.HierarchyGroupId = instance.hierarchyGroups.require(input.HierarchyGroupId).id;
    } else {
      delete record.entity.HierarchyGroupId;
    }
    touch(ctx, instance, record);
    return {};
  },

  /** UpdateUserConfig: per-channel settings; each given list replaces the entries of the channels it names. */
  UpdateUserConfig(ctx: RequestContext, input: UpdateUserConfigRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    checkChannelConfigs(input);
    mergeChannelConfigs(record.entity, input);
    touch(ctx, instance, record);
    return {};
  },

  /** DeleteUser: removes the user and its AGENT queue. */
  DeleteUser(ctx: RequestContext, input: DeleteUserRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const queue = instance.queues.findByName(agentQueueName(record.id));
    if (queue) instance.queues.remove(queue);
    instance.users.remove(record);
    return {};
  },
};
