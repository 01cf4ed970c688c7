/**
 * Security profiles: read with ListSecurityProfiles, then DescribeSecurityProfile,
 * ListSecurityProfilePermissions, ListSecurityProfileApplications and ListSecurityProfileFlowModules
 * per profile (`related.permissions`, `related.applications`, `related.allowedFlowModules`);
 * incremental backups describe again only those whose LastModifiedTime or tags moved. Restored with
 * CreateSecurityProfile and UpdateSecurityProfile: permissions, applications, hierarchy
 * restrictions (the hierarchy group remapped) and, after every kind's main phase, the allowed flow
 * modules (remapped; a module that will not exist in the target is left out and reported).
 */
import {
  type Application,
  CreateSecurityProfileCommand,
  DeleteSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  type FlowModule,
  paginateListSecurityProfileApplications,
  paginateListSecurityProfileFlowModules,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateSearchSecurityProfiles,
  type SecurityProfile,
  UpdateSecurityProfileCommand,
} from '@aws-sdk/client-connect';
import {
  CONCURRENCY,
  describeChanged,
  LIST_PAGE,
  notStored,
  opts,
  tagsById,
  tagsPart,
  timePart,
} from './support/describe.js';
import { collect, documentOf, itemsOf, mapUnordered } from './support/read.js';
import { deletion, INSTANCE_DEFAULT_SECURITY_PROFILES, instanceDefault } from './support/removal.js';
import { entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support/restore.js';
import type { KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

function listSecurityProfiles(ctx: ReadContext) {
  return itemsOf(
    paginateListSecurityProfiles(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId },
      opts(ctx),
    ),
    (page) => page.SecurityProfileSummaryList,
  );
}

async function describeSecurityProfile(ctx: ReadContext, securityProfileId: string): Promise<StoredDocument> {
  const ofProfile = { InstanceId: ctx.instanceId, SecurityProfileId: securityProfileId };
  const [{ SecurityProfile }, permissions, applications, allowedFlowModules] = await Promise.all([
    ctx.connect.send(
      new DescribeSecurityProfileCommand({
        InstanceId: ctx.instanceId,
        SecurityProfileId: securityProfileId,
      }),
      opts(ctx),
    ),
    collect(
      itemsOf(
        paginateListSecurityProfilePermissions(
          { client: ctx.connect, pageSize: LIST_PAGE },
          { InstanceId: ctx.instanceId, SecurityProfileId: securityProfileId },
          opts(ctx),
        ),
        (page) => page.Permissions,
      ),
    ),
    collect(
      itemsOf(
        paginateListSecurityProfileApplications(
          { client: ctx.connect, pageSize: LIST_PAGE },
          ofProfile,
          opts(ctx),
        ),
        (page) => page.Applications,
      ),
    ),
    collect(
      itemsOf(
        paginateListSecurityProfileFlowModules(
          { client: ctx.connect, pageSize: LIST_PAGE },
          ofProfile,
          opts(ctx),
        ),
        (page) => page.AllowedFlowModules,
      ),
    ),
  ]);
  if (!SecurityProfile) throw new Error(`DescribeSecurityProfile returned nothing for ${securityProfileId}`);
  return documentOf(
    'security-profiles',
    SecurityProfile,
    { id: SecurityProfile.Id, arn: SecurityProfile.Arn, name: SecurityProfile.SecurityProfileName },
    { permissions, applications, allowedFlowModules },
  );
}

const securityProfileSignal = (modified: unknown, tags: unknown) =>
  `modified=${timePart(modified)};tags=${tagsPart(tags)}`;

/** SearchSecurityProfiles pages hold 100 profiles. */
const SEARCH_SECURITY_PROFILES_PAGE = 100;

const SECURITY_PROFILE_MEMBERS = [
  'Description',
  'Permissions',
  'AllowedAccessControlTags',
  'TagRestrictedResources',
  'HierarchyRestrictedResources',
  'AllowedAccessControlHierarchyGroupId',
  'GranularAccessControlConfiguration',
  'Applications',
  'AllowedFlowModules',
] as const;

const securityProfilesRestore: KindRestore = {
  // Connect refuses (ResourceInUseException) while a user has the profile: users are removed first.
  remove: deletion(
    'DeleteSecurityProfile',
    (ctx, target) =>
      ctx.connect.send(
        new DeleteSecurityProfileCommand({ InstanceId: ctx.instanceId, SecurityProfileId: target.id }),
        sendOptions(ctx),
      ),
    (target) => instanceDefault('security profile', INSTANCE_DEFAULT_SECURITY_PROFILES, target.name),
  ),
  writeOperations: ['CreateSecurityProfile', 'UpdateSecurityProfile', 'TagResource', 'UntagResource'],
  nameMember: 'SecurityProfileName',
  unordered: [
    'Permissions',
    'TagRestrictedResources',
    'HierarchyRestrictedResources',
    'Applications',
    'AllowedFlowModules',
  ],
  // Flow modules are restored after security profiles (users need the profiles first): the allowed
  // modules are written once every kind's main phase has created them, and a module that will not
  // exist in the target is left out (and reported) rather than blocking the profile.
  phases: { AllowedFlowModules: 'links' },
  links: ['AllowedFlowModules'],
  state(document) {
    const profile = entityOf<SecurityProfile>(document);
    return {
      SecurityProfileName: profile.SecurityProfileName,
      Description: profile.Description,
      Permissions: document.related?.permissions,
      AllowedAccessControlTags: profile.AllowedAccessControlTags,
      TagRestrictedResources: profile.TagRestrictedResources,
      HierarchyRestrictedResources: profile.HierarchyRestrictedResources,
      AllowedAccessControlHierarchyGroupId: profile.AllowedAccessControlHierarchyGroupId,
      GranularAccessControlConfiguration: profile.GranularAccessControlConfiguration,
      Applications: document.related?.applications,
      AllowedFlowModules: document.related?.allowedFlowModules,
      Tags: userTags(profile.Tags),
    };
  },
  references(state) {
    const group = text(state, 'AllowedAccessControlHierarchyGroupId');
    const modules = ((state.AllowedFlowModules as FlowModule[] | undefined) ?? []).flatMap((m, i) =>
      m.FlowModuleId
        ? [
            {
              member: `AllowedFlowModules[${i}].FlowModuleId`,
              kind: 'flow-modules' as const,
              value: m.FlowModuleId,
            },
          ]
        : [],
    );
    return [
      ...(group
        ? [
            {
              member: 'AllowedAccessControlHierarchyGroupId',
              kind: 'user-hierarchy-groups' as const,
              value: group,
            },
          ]
        : []),
      ...modules,
    ];
  },
  cannotUpdate(changed) {
    return changed.includes('SecurityProfileName')
      ? 'security profiles cannot be renamed through the Connect API'
      : undefined;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateSecurityProfileCommand({
        InstanceId: ctx.instanceId,
        SecurityProfileName: text(desired, 'SecurityProfileName'),
        Description: text(desired, 'Description'),
        Permissions: (desired.Permissions as string[] | undefined) ?? [],
        AllowedAccessControlTags: desired.AllowedAccessControlTags as Record<string, string> | undefined,
        TagRestrictedResources: desired.TagRestrictedResources as string[] | undefined,
        HierarchyRestrictedResources: desired.HierarchyRestrictedResources as string[] | undefined,
        AllowedAccessControlHierarchyGroupId: text(desired, 'AllowedAccessControlHierarchyGroupId'),
        GranularAccessControlConfiguration:
          desired.GranularAccessControlConfiguration as SecurityProfile['GranularAccessControlConfiguration'],
        Applications: desired.Applications as Application[] | undefined,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.SecurityProfileId || !created.SecurityProfileArn)
      throw new Error('CreateSecurityProfile returned no id');
    return { id: created.SecurityProfileId, arn: created.SecurityProfileArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const members = SECURITY_PROFILE_MEMBERS.filter((member) => changed.has(member));
    if (members.length) {
      // Each given member replaces the stored one; an emptied member is sent empty to clear it.
      const cleared = (member: string): unknown =>
        member === 'Description' || member === 'AllowedAccessControlHierarchyGroupId'
          ? ''
          : member === 'AllowedAccessControlTags'
            ? {}
            : member === 'GranularAccessControlConfiguration'
              ? {}
              : [];
      await ctx.connect.send(
        new UpdateSecurityProfileCommand({
          InstanceId: ctx.instanceId,
          SecurityProfileId: target.id,
          ...Object.fromEntries(members.map((member) => [member, desired[member] ?? cleared(member)])),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const securityProfiles: ResourceKind<'security-profiles'> = {
  name: 'security-profiles',
  label: 'security profile',
  readOperations: [
    'ListSecurityProfiles',
    'DescribeSecurityProfile',
    'ListSecurityProfilePermissions',
    'ListSecurityProfileApplications',
    'ListSecurityProfileFlowModules',
    'SearchSecurityProfiles',
  ],
  read(ctx) {
    const summaries = notStored(ctx, listSecurityProfiles(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeSecurityProfile(ctx, summary.Id ?? ''));
  },
  changes: {
    // UpdateSecurityProfile sets the permissions, applications and allowed flow modules and moves
    // LastModifiedTime (ListSecurityProfilePermissions, ListSecurityProfileApplications and
    // ListSecurityProfileFlowModules return the same LastModifiedTime).
    signal: 'ListSecurityProfiles LastModifiedTime, and the tags SearchSecurityProfiles returns',
    notCovered: [],
    signalOf: (document) => securityProfileSignal(document.resource.LastModifiedTime, document.resource.Tags),
    readChanged(ctx, previous) {
      const tags = tagsById(
        itemsOf(
          paginateSearchSecurityProfiles(
            { client: ctx.connect, pageSize: SEARCH_SECURITY_PROFILES_PAGE },
            { InstanceId: ctx.instanceId, MaxResults: SEARCH_SECURITY_PROFILES_PAGE },
            opts(ctx),
          ),
          (page) => page.SecurityProfiles,
        ),
      );
      return describeChanged(
        ctx,
        previous,
        listSecurityProfiles(ctx),
        (s) => s.Id,
        async (s) => securityProfileSignal(s.LastModifiedTime, (await tags.value()).get(s.Id ?? '')),
        (id) => describeSecurityProfile(ctx, id),
      );
    },
  },
  restore: securityProfilesRestore,
};
