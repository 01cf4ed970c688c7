/**
 * Security profiles: ListSecurityProfiles, DescribeSecurityProfile, ListSecurityProfilePermissions,
 * ListSecurityProfileApplications, ListSecurityProfileFlowModules, SearchSecurityProfiles,
 * CreateSecurityProfile, UpdateSecurityProfile, DeleteSecurityProfile.
 *
 * The entity is the SDK's `SecurityProfile`; the permission strings, the applications and the allowed
 * flow modules live beside it in `SecurityProfileRecord`, because the service never returns them from
 * Describe or Search (only ListSecurityProfilePermissions, ListSecurityProfileApplications and
 * ListSecurityProfileFlowModules do, each with the profile's LastModifiedTime). Profiles cannot be
 * renamed: UpdateSecurityProfile has no name member.
 */
import type {
  CreateSecurityProfileRequest,
  CreateSecurityProfileResponse,
  DeleteSecurityProfileRequest,
  DescribeSecurityProfileRequest,
  DescribeSecurityProfileResponse,
  FlowModule,
  ListSecurityProfileApplicationsRequest,
  ListSecurityProfileApplicationsResponse,
  ListSecurityProfileFlowModulesRequest,
  ListSecurityProfileFlowModulesResponse,
  ListSecurityProfilePermissionsRequest,
  ListSecurityProfilePermissionsResponse,
  ListSecurityProfilesRequest,
  ListSecurityProfilesResponse,
  SearchSecurityProfilesRequest,
  SearchSecurityProfilesResponse,
  SecurityProfile,
  SecurityProfileSearchSummary,
  SecurityProfileSummary,
  UpdateSecurityProfileRequest,
} from '@aws-sdk/client-connect';
import { inUse, invalidParameter } from '../errors.js';
import type { InstanceState, SecurityProfileRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import {
  assertSearchFields,
  matchesCriteria,
  matchesFilter,
  type SearchCriteria,
  type SearchFilter,
} from './search.js';

const LIST_PAGE_MAX = 1000;
const PERMISSIONS_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** The StringCondition fields SearchSecurityProfiles supports (API reference). */
const SEARCH_FIELDS = ['name', 'description', 'resourceId'];

/** Permission strings in first-given order, without repeats (a profile holds each permission once). */
function uniquePermissions(permissions: readonly string[] | undefined): string[] {
  return [...new Set(permissions ?? [])];
}

/**
 * Resolves `AllowedAccessControlHierarchyGroupId` to a group id. An empty string clears it on update.
 * @throws ConnectError ResourceNotFoundException (404) for a group that does not exist.
 */
function hierarchyGroupIdOf(instance: InstanceState, idOrArn: string): string | undefined {
  return idOrArn === '' ? undefined : instance.hierarchyGroups.require(idOrArn).id;
}

/** The resource names HierarchyRestrictedResources accepts (API reference: "acceptable ResourceNames: User"). */
const HIERARCHY_RESTRICTABLE = ['User'];

/**
 * Checks `HierarchyRestrictedResources`.
 * @throws ConnectError InvalidParameterException (400) naming a resource other than `User`.
 */
function hierarchyRestricted(resources: string[] | undefined): string[] | undefined {
  const wrong = (resources ?? []).filter((r) => !HIERARCHY_RESTRICTABLE.includes(r));
  if (wrong.length)
    throw invalidParameter(
      `HierarchyRestrictedResources accepts ${HIERARCHY_RESTRICTABLE.join(', ')} only, not ${wrong.join(', ')}`,
    );
  return resources;
}

/**
 * Resolves `AllowedFlowModules` to modules of the instance, by id.
 * @throws ConnectError ResourceNotFoundException (404) for a module the instance does not have.
 */
function allowedFlowModulesOf(instance: InstanceState, modules: FlowModule[] | undefined): FlowModule[] {
  return (modules ?? []).map((m) => ({
    ...m,
    FlowModuleId: instance.flowModules.require(m.FlowModuleId!).id,
  }));
}

function summary(record: SecurityProfileRecord): SecurityProfileSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

function searchSummary(record: SecurityProfileRecord): SecurityProfileSearchSummary {
  const e = record.entity;
  return structuredClone({
    Id: e.Id,
    OrganizationResourceId: e.OrganizationResourceId,
    Arn: e.Arn,
    SecurityProfileName: e.SecurityProfileName,
    Description: e.Description,
    Tags: e.Tags,
  });
}

/** Handlers of the security-profile operations, by operation name. */
export const securityProfileHandlers: HandlerTable = {
  /** ListSecurityProfiles: summaries in creation order, pages of ≤1000. */
  ListSecurityProfiles(
    ctx: RequestContext,
    input: ListSecurityProfilesRequest,
  ): ListSecurityProfilesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.securityProfiles.all().map(summary),
      input,
      `ListSecurityProfiles/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { SecurityProfileSummaryList: page, NextToken };
  },

  /** DescribeSecurityProfile: the entity, without permissions. */
  DescribeSecurityProfile(
    ctx: RequestContext,
    input: DescribeSecurityProfileRequest,
  ): DescribeSecurityProfileResponse {
    const record = ctx.instance(input.InstanceId!).securityProfiles.require(input.SecurityProfileId!);
    return { SecurityProfile: structuredClone(record.entity) };
  },

  /** ListSecurityProfilePermissions: the permission strings, pages of ≤1000, with the profile's LastModified*. */
  ListSecurityProfilePermissions(
    ctx: RequestContext,
    input: ListSecurityProfilePermissionsRequest,
  ): ListSecurityProfilePermissionsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.securityProfiles.require(input.SecurityProfileId!);
    const { page, NextToken } = paginate(
      record.permissions,
      input,
      `ListSecurityProfilePermissions/${instance.id}/${record.id}`,
      PERMISSIONS_PAGE_MAX,
    );
    return {
      Permissions: [...page],
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  /** ListSecurityProfileApplications: the applications, pages of ≤1000, with the profile's LastModified*. */
  ListSecurityProfileApplications(
    ctx: RequestContext,
    input: ListSecurityProfileApplicationsRequest,
  ): ListSecurityProfileApplicationsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.securityProfiles.require(input.SecurityProfileId!);
    const { page, NextToken } = paginate(
      record.applications ?? [],
      input,
      `ListSecurityProfileApplications/${instance.id}/${record.id}`,
      PERMISSIONS_PAGE_MAX,
    );
    return {
      Applications: structuredClone(page),
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  /** ListSecurityProfileFlowModules: the allowed flow modules, pages of ≤1000, with the profile's LastModified*. */
  ListSecurityProfileFlowModules(
    ctx: RequestContext,
    input: ListSecurityProfileFlowModulesRequest,
  ): ListSecurityProfileFlowModulesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.securityProfiles.require(input.SecurityProfileId!);
    const { page, NextToken } = paginate(
      record.allowedFlowModules ?? [],
      input,
      `ListSecurityProfileFlowModules/${instance.id}/${record.id}`,
      PERMISSIONS_PAGE_MAX,
    );
    return {
      AllowedFlowModules: structuredClone(page),
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  /** SearchSecurityProfiles: StringCondition criteria and TagFilter; the search summary form, pages of ≤100. */
  SearchSecurityProfiles(
    ctx: RequestContext,
    input: SearchSecurityProfilesRequest,
  ): SearchSecurityProfilesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria as SearchCriteria | undefined, SEARCH_FIELDS);
    const matches = instance.securityProfiles
      .searchable()
      .filter(
        (record) =>
          matchesCriteria(record, input.SearchCriteria as SearchCriteria | undefined) &&
          matchesFilter(record.entity.Tags, input.SearchFilter as SearchFilter | undefined),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchSecurityProfiles',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { SecurityProfiles: page.map(searchSummary), NextToken, ApproximateTotalCount };
  },

  /**
   * CreateSecurityProfile: name unique per instance (409); `AllowedAccessControlHierarchyGroupId` must
   * name an existing hierarchy group (404), every `AllowedFlowModules` id a module of the instance
   * (404); `HierarchyRestrictedResources` accepts `User` only (400). The model's limits (≤10
   * applications, ≤10 modules, the `Type` enums) are checked before any handler runs.
   */
  CreateSecurityProfile(
    ctx: RequestContext,
    input: CreateSecurityProfileRequest,
  ): CreateSecurityProfileResponse {
    const instance = ctx.instance(input.InstanceId!);
    const name = input.SecurityProfileName!;
    instance.securityProfiles.assertNameFree(name);
    const groupId =
      input.AllowedAccessControlHierarchyGroupId === undefined
        ? undefined
        : hierarchyGroupIdOf(instance, input.AllowedAccessControlHierarchyGroupId);
    const allowedFlowModules = allowedFlowModulesOf(instance, input.AllowedFlowModules);
    hierarchyRestricted(input.HierarchyRestrictedResources);
    const id = ctx.world.newId();
    const arn = instance.arnFor('security-profile', id);
    const entity: SecurityProfile = {
      Id: id,
      OrganizationResourceId: instance.id,
      Arn: arn,
      SecurityProfileName: name,
      Description: input.Description,
      Tags: tagsOf(input.Tags),
      AllowedAccessControlTags: input.AllowedAccessControlTags,
      TagRestrictedResources: input.TagRestrictedResources,
      HierarchyRestrictedResources: input.HierarchyRestrictedResources,
      AllowedAccessControlHierarchyGroupId: groupId,
      GranularAccessControlConfiguration: input.GranularAccessControlConfiguration,
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.securityProfiles.add({
      id,
      arn,
      name,
      entity,
      permissions: uniquePermissions(input.Permissions),
      applications: structuredClone(input.Applications ?? []),
      allowedFlowModules,
    });
    return { SecurityProfileId: id, SecurityProfileArn: arn };
  },

  /**
   * UpdateSecurityProfile: replaces each member that is given (`Permissions`, `Applications` and
   * `AllowedFlowModules` replace the whole list); members not given stay. There is no name member.
   * Checks as CreateSecurityProfile, before anything changes. Any update moves LastModifiedTime.
   */
  UpdateSecurityProfile(ctx: RequestContext, input: UpdateSecurityProfileRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.securityProfiles.require(input.SecurityProfileId!);
    const entity = record.entity;
    const allowedFlowModules =
      input.AllowedFlowModules === undefined
        ? undefined
        : allowedFlowModulesOf(instance, input.AllowedFlowModules);
    hierarchyRestricted(input.HierarchyRestrictedResources);
    if (input.AllowedAccessControlHierarchyGroupId !== undefined) {
      entity.AllowedAccessControlHierarchyGroupId = hierarchyGroupIdOf(
        instance,
        input.AllowedAccessControlHierarchyGroupId,
      );
    }
    if (input.Description !== undefined) entity.Description = input.Description;
    if (input.AllowedAccessControlTags !== undefined)
      entity.AllowedAccessControlTags = input.AllowedAccessControlTags;
    if (input.TagRestrictedResources !== undefined)
      entity.TagRestrictedResources = input.TagRestrictedResources;
    if (input.HierarchyRestrictedResources !== undefined) {
      entity.HierarchyRestrictedResources = input.HierarchyRestrictedResources;
    }
    if (input.GranularAccessControlConfiguration !== undefined) {
      entity.GranularAccessControlConfiguration = input.GranularAccessControlConfiguration;
    }
    if (input.Permissions !== undefined) record.permissions = uniquePermissions(input.Permissions);
    if (input.Applications !== undefined) record.applications = structuredClone(input.Applications);
    if (allowedFlowModules !== undefined) record.allowedFlowModules = allowedFlowModules;
    entity.LastModifiedTime = ctx.world.tick();
    entity.LastModifiedRegion = instance.region;
    return {};
  },

  /** DeleteSecurityProfile: ResourceInUseException (409) while any user has the profile. */
  DeleteSecurityProfile(ctx: RequestContext, input: DeleteSecurityProfileRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.securityProfiles.require(input.SecurityProfileId!);
    const user = instance.users.all().find((u) => u.entity.SecurityProfileIds?.includes(record.id));
    if (user) throw inUse('Security profile', record.id, `user ${user.name}`);
    instance.securityProfiles.remove(record);
    return {};
  },
};
