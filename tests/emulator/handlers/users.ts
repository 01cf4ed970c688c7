/**
 * Users: ListUsers, DescribeUser, SearchUsers, CreateUser, UpdateUserIdentityInfo,
 * UpdateUserPhoneConfig, UpdateUserRoutingProfile, UpdateUserSecurityProfiles, UpdateUserHierarchy,
 * UpdateUserConfig, DeleteUser, and the user's proficiencies: ListUserProficiencies,
 * AssociateUserProficiencies, UpdateUserProficiencies, DisassociateUserProficiencies.
 *
 * A proficiency is a predefined attribute's name and one of its values, with a level. Rules from the
 * docs: the attribute and the value must exist in the instance (UserProficiency: "You must use name
 * of predefined attribute present in the instance", and a value of it); the level is 1, 2, 3, 4 or 5;
 * UpdateUserProficiencies changes only proficiencies already associated ("Proficiencies must first
 * be associated to the user"); at most 10 per user (the "Proficiencies per agent" quota).
 * Choices where the docs are silent: a missing attribute is ResourceNotFoundException, a value the
 * attribute does not hold or a level that is not a whole number is InvalidParameterException, and
 * associating a pair already associated, updating or disassociating one that is not, or going past
 * 10 is InvalidRequestException (the operations list no LimitExceededException). A change of the
 * list moves the list's own LastModifiedTime (ListUserProficiencies), not the user's.
 *
 * The entity is the SDK's `User`. Passwords are checked and then forgotten: never stored, never returned.
 *
 * `PhoneConfig` and the per-channel lists describe the same settings (CreateUser: "Fields in
 * PhoneConfig cannot be set simultaneously with their corresponding channel-specific configuration
 * parameters"), so CreateUser rejects a member together with its twin, and the emulator keeps the
 * two in step: `PhoneConfig` is the VOICE view of the lists (an emulator choice: the docs do not say
 * how DescribeUser derives one from the other), and UpdateUserPhoneConfig writes its members into
 * the lists' VOICE entries, its after-contact-work limit into every channel's entry (UpdateUserPhoneConfig:
 * it "will always set the same ACW timeouts to all channels the user handles"). A user created with
 * `PhoneConfig` only has no per-channel lists until UpdateUserConfig sets some.
 *
 * Identity rules by the instance's identity management (CreateUser, UserIdentityInfo docs): a
 * username of at most 20 characters (64 on SAML instances) from `[a-zA-Z0-9_.@-]`, `@` only in an
 * e-mail form; FirstName and LastName required on CONNECT_MANAGED and SAML instances; no Email and no
 * DirectoryUserId on SAML instances; FirstName, LastName and Email not changeable on
 * EXISTING_DIRECTORY instances (the directory owns them). CreateUser's note also names `Email` as
 * required on CONNECT_MANAGED and SAML instances, which UserIdentityInfo contradicts for SAML; the
 * emulator requires no e-mail anywhere (a choice).
 * Creating a user also creates its AGENT queue in `instance.queues`; that queue has no Name, so its
 * record is filed under the internal name `agent-queue/<userId>` (see `agentQueueName`) to satisfy the
 * collection's unique-name index. DeleteUser removes it again.
 */
import type {
  AssociateUserProficienciesRequest,
  CreateUserRequest,
  CreateUserResponse,
  DeleteUserRequest,
  DescribeUserRequest,
  DescribeUserResponse,
  DisassociateUserProficienciesRequest,
  HierarchyGroupCondition,
  ListUserProficienciesRequest,
  ListUserProficienciesResponse,
  ListUsersRequest,
  ListUsersResponse,
  Queue,
  SearchUsersRequest,
  SearchUsersResponse,
  UpdateUserConfigRequest,
  UpdateUserHierarchyRequest,
  UpdateUserIdentityInfoRequest,
  UpdateUserPhoneConfigRequest,
  UpdateUserProficienciesRequest,
  UpdateUserRoutingProfileRequest,
  UpdateUserSecurityProfilesRequest,
  User,
  UserIdentityInfo,
  UserPhoneConfig,
  UserProficiency,
  UserSearchCriteria,
  UserSearchSummary,
  UserSummary,
} from '@aws-sdk/client-connect';
import { invalidParameter, invalidRequest, notFound } from '../errors.js';
import type { InstanceState, UserRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { type AttributeFilter, groupIsWithin, matchesAttributeFilter, tagsMatch } from './hierarchy.js';
import { findPredefinedAttribute } from './predefined-attributes.js';
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
/** The longest username on SAML instances (CreateUser docs; the model allows 100). */
const SAML_USERNAME_MAX = 64;
/** The longest username on instances not using SAML (CreateUser docs). */
const USERNAME_MAX = 20;
/** LastName's limit on CONNECT_MANAGED instances (UserIdentityInfo: 1-256; the model's 300 is SAML's). */
const MANAGED_LAST_NAME_MAX = 256;
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

type IdentityManagement = InstanceState['identityManagementType'];

/**
 * @throws ConnectError InvalidParameterException (400) for a username the service rejects: characters
 *   outside `[a-zA-Z0-9_.@-]`, more than 20 characters (64 on SAML instances), or an `@` not in an
 *   e-mail form.
 */
function checkUsername(username: string, identity: IdentityManagement): void {
  const max = identity === 'SAML' ? SAML_USERNAME_MAX : USERNAME_MAX;
  if (!USERNAME_PATTERN.test(username) || username.length > max) {
    throw invalidParameter(
      `Username must have 1 to ${max} characters from [a-zA-Z0-9_.@-] on an instance with ${identity} identity management: ${username}`,
    );
  }
  if (username.includes('@') && !EMAIL_FORM.test(username)) {
    throw invalidParameter(`Username may contain @ only in an e-mail form: ${username}`);
  }
}

/**
 * Checks identity information against the instance's identity management, as CreateUser and
 * UpdateUserIdentityInfo receive it.
 * @throws ConnectError InvalidParameterException (400) for a Mobile number that is not E.164, a
 *   missing FirstName or LastName on CONNECT_MANAGED and SAML instances, a LastName over 256
 *   characters on CONNECT_MANAGED instances, or an Email on SAML instances.
 */
function checkIdentityInfo(info: UserIdentityInfo | undefined, identity: IdentityManagement): void {
  if (info?.Mobile !== undefined && !E164.test(info.Mobile)) {
    throw invalidParameter(`IdentityInfo.Mobile must be an E.164 phone number: ${info.Mobile}`);
  }
  if (identity === 'CONNECT_MANAGED' || identity === 'SAML') {
    for (const member of ['FirstName', 'LastName'] as const) {
      if (!info?.[member]) {
        throw invalidParameter(
          `IdentityInfo.${member} is required for an instance with ${identity} identity management.`,
        );
      }
    }
  }
  if (identity === 'CONNECT_MANAGED' && (info?.LastName?.length ?? 0) > MANAGED_LAST_NAME_MAX) {
    throw invalidParameter(
      `IdentityInfo.LastName must be at most ${MANAGED_LAST_NAME_MAX} characters on an instance with CONNECT_MANAGED identity management.`,
    );
  }
  if (identity === 'SAML' && info?.Email !== undefined) {
    throw invalidParameter(
      'IdentityInfo.Email must not be given for an instance with SAML identity management.',
    );
  }
}

/** The legacy PhoneConfig members and their per-channel twins (CreateUser docs). */
const TWINS: ReadonlyArray<{ members: ReadonlyArray<keyof UserPhoneConfig>; list: ChannelConfigKey }> = [
  { members: ['AutoAccept'], list: 'AutoAcceptConfigs' },
  { members: ['AfterContactWorkTimeLimit'], list: 'AfterContactWorkConfigs' },
  { members: ['PhoneType', 'DeskPhoneNumber'], list: 'PhoneNumberConfigs' },
  { members: ['PersistentConnection'], list: 'PersistentConnectionConfigs' },
];

/**
 * @throws ConnectError InvalidParameterException (400) for a PhoneConfig member given together with
 *   its per-channel twin (the error class is the emulator's choice; the docs say only that they
 *   "cannot be set simultaneously").
 */
function checkNoTwins(input: CreateUserRequest): void {
  for (const { members, list } of TWINS) {
    const given = members.filter((m) => input.PhoneConfig?.[m] !== undefined);
    if (given.length && input[list] !== undefined) {
      throw invalidParameter(
        `PhoneConfig.${given.join(', PhoneConfig.')} cannot be set simultaneously with ${list}.`,
      );
    }
  }
}

/** The VOICE entry of a per-channel list, if any. */
function voiceEntry<T extends { Channel?: string }>(list: readonly T[] | undefined): T | undefined {
  return list?.find((c) => c.Channel === 'VOICE');
}

/** Sets `PhoneConfig`'s members from the VOICE entries of the per-channel lists (the emulator's model). */
function phoneConfigFromChannels(entity: User): void {
  const phone: UserPhoneConfig = { ...entity.PhoneConfig };
  const autoAccept = voiceEntry(entity.AutoAcceptConfigs);
  if (autoAccept) phone.AutoAccept = autoAccept.AutoAccept;
  const acw = voiceEntry(entity.AfterContactWorkConfigs)?.AfterContactWorkConfig;
  if (acw?.AfterContactWorkTimeLimit !== undefined)
    phone.AfterContactWorkTimeLimit = acw.AfterContactWorkTimeLimit;
  const number = voiceEntry(entity.PhoneNumberConfigs);
  if (number) {
    phone.PhoneType = number.PhoneType;
    if (number.PhoneNumber) phone.DeskPhoneNumber = number.PhoneNumber;
    else delete phone.DeskPhoneNumber;
  }
  const persistent = voiceEntry(entity.PersistentConnectionConfigs);
  if (persistent) phone.PersistentConnection = persistent.PersistentConnection;
  entity.PhoneConfig = phone;
}

/**
 * Writes UpdateUserPhoneConfig's members into the per-channel lists the user has: the
 * after-contact-work limit into every channel's entry (documented), the others into the VOICE entry.
 */
function channelsFromPhoneConfig(entity: User, given: UserPhoneConfig, merged: UserPhoneConfig): void {
  const voice = <T extends { Channel?: string }>(list: T[] | undefined, set: (entry: T) => void) => {
    const entry = voiceEntry(list);
    if (entry) set(entry);
  };
  if (given.AutoAccept !== undefined)
    voice(entity.AutoAcceptConfigs, (e) => (e.AutoAccept = given.AutoAccept));
  if (given.AfterContactWorkTimeLimit !== undefined) {
    for (const entry of entity.AfterContactWorkConfigs ?? []) {
      entry.AfterContactWorkConfig = {
        ...entry.AfterContactWorkConfig,
        AfterContactWorkTimeLimit: given.AfterContactWorkTimeLimit,
      };
    }
  }
  if (given.PhoneType !== undefined || given.DeskPhoneNumber !== undefined) {
    voice(entity.PhoneNumberConfigs, (e) => {
      e.PhoneType = merged.PhoneType;
      if (merged.DeskPhoneNumber) e.PhoneNumber = merged.DeskPhoneNumber;
      else delete e.PhoneNumber;
    });
  }
  if (given.PersistentConnection !== undefined) {
    voice(entity.PersistentConnectionConfigs, (e) => (e.PersistentConnection = given.PersistentConnection));
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

/** Proficiencies per user (Connect's "Proficiencies per agent" quota). */
export const MAX_PROFICIENCIES_PER_USER = 10;
const PROFICIENCY_PAGE_MAX = 100;

const proficiencyKey = (p: { AttributeName?: string; AttributeValue?: string }) =>
  `${p.AttributeName ?? ''}\u0000${p.AttributeValue ?? ''}`;

/**
 * Checks proficiencies against the instance's predefined attributes: the attribute exists (404), the
 * value is one of its values and the level a whole number (400), no pair twice in one request (400).
 */
function checkProficiencies(
  instance: InstanceState,
  proficiencies: ReadonlyArray<{ AttributeName?: string; AttributeValue?: string; Level?: number }>,
  withLevel: boolean,
): void {
  const seen = new Set<string>();
  for (const p of proficiencies) {
    const key = proficiencyKey(p);
    if (seen.has(key)) {
      throw invalidParameter(`The proficiency ${p.AttributeName}=${p.AttributeValue} is given twice.`);
    }
    seen.add(key);
    const attribute = findPredefinedAttribute(instance, p.AttributeName ?? '');
    if (!attribute) throw notFound('Predefined attribute', p.AttributeName ?? '');
    if (!(attribute.Values?.StringList ?? []).includes(p.AttributeValue ?? '')) {
      throw invalidParameter(
        `The predefined attribute ${p.AttributeName} has no value ${JSON.stringify(p.AttributeValue)}.`,
      );
    }
    if (withLevel && !Number.isInteger(p.Level)) {
      throw invalidParameter(`The level of a proficiency must be 1, 2, 3, 4 or 5, not ${p.Level}.`);
    }
  }
}

function touchProficiencies(ctx: RequestContext, instance: InstanceState, user: UserRecord): void {
  user.proficienciesModified = { time: ctx.world.tick(), region: instance.region };
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
      .searchable()
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
   * CreateUser: Username unique (409) and well-formed for the instance's identity management;
   * Password required on CONNECT_MANAGED instances and rejected otherwise (never stored); identity
   * rules as in the module comment; no PhoneConfig member with its per-channel twin (400);
   * RoutingProfileId, every SecurityProfileIds entry and HierarchyGroupId must exist (404). Creates
   * the user's AGENT queue.
   */
  CreateUser(ctx: RequestContext, input: CreateUserRequest): CreateUserResponse {
    const instance = ctx.instance(input.InstanceId!);
    const username = input.Username!;
    const identity = instance.identityManagementType;
    checkUsername(username, identity);
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
    if (identity === 'SAML' && input.DirectoryUserId !== undefined) {
      throw invalidParameter(
        'DirectoryUserId must not be given for an instance with SAML identity management.',
      );
    }
    checkIdentityInfo(input.IdentityInfo, identity);
    checkNoTwins(input);
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
    phoneConfigFromChannels(entity);
    instance.users.add({ id, arn, name: username, entity });

    const queueId = ctx.world.newId();
    // AGENT queues have their own ARN form on the service: `…/queue/agent/<id>`.
    const queueArn = `${instance.arnFor('queue', 'agent')}/${queueId}`;
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

  /**
   * UpdateUserIdentityInfo: replaces the whole IdentityInfo, checked as on CreateUser; on
   * EXISTING_DIRECTORY instances FirstName, LastName and Email must stay as they are (400
   * InvalidRequestException: the directory owns them).
   */
  UpdateUserIdentityInfo(ctx: RequestContext, input: UpdateUserIdentityInfoRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const identity = instance.identityManagementType;
    checkIdentityInfo(input.IdentityInfo, identity);
    if (identity === 'EXISTING_DIRECTORY') {
      const changed = (['FirstName', 'LastName', 'Email'] as const).filter(
        (m) => (input.IdentityInfo?.[m] ?? undefined) !== (record.entity.IdentityInfo?.[m] ?? undefined),
      );
      if (changed.length) {
        throw invalidRequest(
          `IdentityInfo.${changed.join(', IdentityInfo.')} cannot be updated on an instance with EXISTING_DIRECTORY identity management: the directory manages them.`,
        );
      }
    }
    record.entity.IdentityInfo = input.IdentityInfo!;
    touch(ctx, instance, record);
    return {};
  },

  /**
   * UpdateUserPhoneConfig: the given members replace the stored ones (and the matching entries of
   * the per-channel lists, see the module comment); DESK_PHONE needs DeskPhoneNumber.
   */
  UpdateUserPhoneConfig(ctx: RequestContext, input: UpdateUserPhoneConfigRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const merged: UserPhoneConfig = { ...record.entity.PhoneConfig, ...input.PhoneConfig };
    if (merged.PhoneType === 'SOFT_PHONE' && input.PhoneConfig?.DeskPhoneNumber === undefined) {
      delete merged.DeskPhoneNumber;
    }
    checkPhoneConfig(merged);
    record.entity.PhoneConfig = merged;
    channelsFromPhoneConfig(record.entity, input.PhoneConfig ?? {}, merged);
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

  /**
   * UpdateUserConfig: per-channel settings; each given list replaces the entries of the channels it
   * names, and the VOICE entries show in PhoneConfig.
   */
  UpdateUserConfig(ctx: RequestContext, input: UpdateUserConfigRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    checkChannelConfigs(input);
    mergeChannelConfigs(record.entity, input);
    phoneConfigFromChannels(record.entity);
    touch(ctx, instance, record);
    return {};
  },

  /** ListUserProficiencies: the user's proficiencies in association order, and the list's LastModified*. */
  ListUserProficiencies(
    ctx: RequestContext,
    input: ListUserProficienciesRequest,
  ): ListUserProficienciesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const { page, NextToken } = paginate(
      structuredClone(record.proficiencies ?? []),
      input,
      `ListUserProficiencies/${instance.id}/${record.id}`,
      PROFICIENCY_PAGE_MAX,
    );
    return {
      UserProficiencyList: page,
      NextToken,
      ...(record.proficienciesModified && {
        LastModifiedTime: record.proficienciesModified.time,
        LastModifiedRegion: record.proficienciesModified.region,
      }),
    };
  },

  /** AssociateUserProficiencies: new pairs of existing attributes and values, at most 10 per user. */
  AssociateUserProficiencies(
    ctx: RequestContext,
    input: AssociateUserProficienciesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const given = input.UserProficiencies!;
    checkProficiencies(instance, given, true);
    const have = record.proficiencies ?? [];
    const associated = new Set(have.map(proficiencyKey));
    const again = given.find((p) => associated.has(proficiencyKey(p)));
    if (again) {
      throw invalidRequest(
        `The proficiency ${again.AttributeName}=${again.AttributeValue} is already associated with the user; update it with UpdateUserProficiencies.`,
      );
    }
    if (have.length + given.length > MAX_PROFICIENCIES_PER_USER) {
      throw invalidRequest(`A user can have at most ${MAX_PROFICIENCIES_PER_USER} proficiencies.`);
    }
    record.proficiencies = [...have, ...given.map((p): UserProficiency => ({ ...p }))];
    touchProficiencies(ctx, instance, record);
    return {};
  },

  /** UpdateUserProficiencies: new levels for pairs already associated. */
  UpdateUserProficiencies(ctx: RequestContext, input: UpdateUserProficienciesRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const given = input.UserProficiencies!;
    checkProficiencies(instance, given, true);
    const byKey = new Map((record.proficiencies ?? []).map((p) => [proficiencyKey(p), p]));
    const missing = given.find((p) => !byKey.has(proficiencyKey(p)));
    if (missing) {
      throw invalidRequest(
        `The proficiency ${missing.AttributeName}=${missing.AttributeValue} is not associated with the user; associate it first with AssociateUserProficiencies.`,
      );
    }
    for (const p of given) {
      const stored = byKey.get(proficiencyKey(p));
      if (stored) stored.Level = p.Level;
    }
    touchProficiencies(ctx, instance, record);
    return {};
  },

  /** DisassociateUserProficiencies: removes pairs that are associated. */
  DisassociateUserProficiencies(
    ctx: RequestContext,
    input: DisassociateUserProficienciesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.users.require(input.UserId!);
    const remove = new Set(input.UserProficiencies!.map(proficiencyKey));
    const associated = new Set((record.proficiencies ?? []).map(proficiencyKey));
    const missing = input.UserProficiencies!.find((p) => !associated.has(proficiencyKey(p)));
    if (missing) {
      throw invalidRequest(
        `The proficiency ${missing.AttributeName}=${missing.AttributeValue} is not associated with the user.`,
      );
    }
    record.proficiencies = (record.proficiencies ?? []).filter((p) => !remove.has(proficiencyKey(p)));
    touchProficiencies(ctx, instance, record);
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
