import {
  CreateContactFlowModuleCommand,
  CreateSecurityProfileCommand,
  type CreateSecurityProfileCommandInput,
  CreateUserCommand,
  CreateUserHierarchyGroupCommand,
  DeleteSecurityProfileCommand,
  DeleteUserCommand,
  DeleteUserHierarchyGroupCommand,
  DescribeSecurityProfileCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  type HierarchyGroup,
  type HierarchyStructureUpdate,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  SearchSecurityProfilesCommand,
  SearchUserHierarchyGroupsCommand,
  type SecurityProfile,
  TagResourceCommand,
  UpdateSecurityProfileCommand,
  type UpdateSecurityProfileCommandInput,
  UpdateUserHierarchyGroupNameCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGION } from './seeds/support.js';
import { addRoutingProfile, expectError, type Harness, startWithInstance } from './testing.js';

interface Fixture extends Harness {
  routingProfileId: string;
}

/** One empty instance plus a routing profile record (routing-profile handlers are tested elsewhere). */
async function setup(): Promise<Fixture> {
  const h = await startWithInstance({
    alias: 'hierarchy',
    arrange: (instance, env) => {
      addRoutingProfile(instance, env.world.newId(), 'Basic Routing Profile');
    },
  });
  return { ...h, routingProfileId: h.instance.routingProfiles.all()[0]!.id };
}

async function setStructure(f: Fixture, structure: HierarchyStructureUpdate): Promise<void> {
  await f.connect.send(
    new UpdateUserHierarchyStructureCommand({ InstanceId: f.InstanceId, HierarchyStructure: structure }),
  );
}

async function structureOf(f: Fixture) {
  return (await f.connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: f.InstanceId })))
    .HierarchyStructure;
}

async function createGroup(
  f: Fixture,
  Name: string,
  ParentGroupId?: string,
  Tags?: Record<string, string>,
): Promise<{ id: string; arn: string }> {
  const out = await f.connect.send(
    new CreateUserHierarchyGroupCommand({ InstanceId: f.InstanceId, Name, ParentGroupId, Tags }),
  );
  return { id: out.HierarchyGroupId!, arn: out.HierarchyGroupArn! };
}

async function describeGroup(f: Fixture, HierarchyGroupId: string): Promise<HierarchyGroup> {
  return (
    await f.connect.send(
      new DescribeUserHierarchyGroupCommand({ InstanceId: f.InstanceId, HierarchyGroupId }),
    )
  ).HierarchyGroup!;
}

async function createProfile(
  f: Fixture,
  SecurityProfileName: string,
  extra: Partial<CreateSecurityProfileCommandInput> = {},
): Promise<{ id: string; arn: string }> {
  const out = await f.connect.send(
    new CreateSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileName, ...extra }),
  );
  return { id: out.SecurityProfileId!, arn: out.SecurityProfileArn! };
}

async function describeProfile(f: Fixture, SecurityProfileId: string): Promise<SecurityProfile> {
  return (
    await f.connect.send(new DescribeSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileId }))
  ).SecurityProfile!;
}

async function createUser(
  f: Fixture,
  Username: string,
  securityProfileId: string,
  HierarchyGroupId?: string,
) {
  return f.connect.send(
    new CreateUserCommand({
      InstanceId: f.InstanceId,
      Username,
      Password: 'Passw0rdPassw0rd',
      IdentityInfo: { FirstName: 'Test', LastName: 'Agent' },
      RoutingProfileId: f.routingProfileId,
      SecurityProfileIds: [securityProfileId],
      HierarchyGroupId,
    }),
  );
}

describe('UpdateUserHierarchyStructure', () => {
  it('starts empty and round-trips levels with ids "1".."n" through DescribeUserHierarchyStructure', async () => {
    const f = await setup();
    const empty = await structureOf(f);

    await setStructure(f, {
      LevelOne: { Name: 'Region' },
      LevelTwo: { Name: 'Site' },
      LevelThree: { Name: 'Team' },
    });
    const structure = await structureOf(f);

    expect(empty).toEqual({});
    const level = (n: number, Name: string) => ({
      Id: String(n),
      Arn: `${f.instance.arn}/agent-group-level/${n}`,
      Name,
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(structure).toEqual({
      LevelOne: level(1, 'Region'),
      LevelTwo: level(2, 'Site'),
      LevelThree: level(3, 'Team'),
    });
  });

  it('renames a level in place and moves only that level’s LastModifiedTime', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });
    const before = await structureOf(f);

    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Location' } });
    const after = await structureOf(f);

    expect(after?.LevelOne).toEqual(before?.LevelOne);
    expect(after?.LevelTwo).toEqual({
      ...before?.LevelTwo,
      Name: 'Location',
      LastModifiedTime: expect.any(Date),
    });
    expect(after!.LevelTwo!.LastModifiedTime!.getTime()).toBeGreaterThan(
      before!.LevelTwo!.LastModifiedTime!.getTime(),
    );
  });

  it('rejects levels that are not contiguous from LevelOne', async () => {
    const f = await setup();

    await expectError(
      setStructure(f, { LevelOne: { Name: 'Region' }, LevelThree: { Name: 'Team' } }),
      'InvalidRequestException',
      400,
    );
    expect(await structureOf(f)).toEqual({});
  });

  it('rejects a level without Name with 400', async () => {
    const f = await setup();

    await expectError(
      setStructure(f, { LevelOne: {} as { Name: string } }),
      'InvalidParameterException',
      400,
    );
  });

  it('refuses to remove a level that groups use with 409, and removes an unused one', async () => {
    const f = await setup();
    await setStructure(f, {
      LevelOne: { Name: 'Region' },
      LevelTwo: { Name: 'Site' },
      LevelThree: { Name: 'Team' },
    });
    const eu = await createGroup(f, 'EU');
    await createGroup(f, 'Dublin', eu.id);

    await expectError(setStructure(f, { LevelOne: { Name: 'Region' } }), 'ResourceInUseException', 409);
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });

    expect(Object.keys((await structureOf(f)) ?? {})).toEqual(['LevelOne', 'LevelTwo']);
  });
});

describe('CreateUserHierarchyGroup', () => {
  it('creates level-one and child groups whose Describe carries the full path', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });

    const eu = await createGroup(f, 'EU');
    const dublin = await createGroup(f, 'Dublin', eu.arn, { site: 'dub' });
    const group = await describeGroup(f, dublin.id);

    expect(dublin.arn).toBe(`${f.instance.arn}/agent-group/${dublin.id}`);
    expect(group).toEqual({
      Id: dublin.id,
      Arn: dublin.arn,
      Name: 'Dublin',
      LevelId: '2',
      HierarchyPath: {
        LevelOne: { Id: eu.id, Arn: eu.arn, Name: 'EU' },
        LevelTwo: { Id: dublin.id, Arn: dublin.arn, Name: 'Dublin' },
      },
      Tags: { site: 'dub' },
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect((await describeGroup(f, eu.id)).HierarchyPath).toEqual({
      LevelOne: { Id: eu.id, Arn: eu.arn, Name: 'EU' },
    });
  });

  it('rejects a group whose level the structure does not define', async () => {
    const f = await setup();

    await expectError(createGroup(f, 'EU'), 'InvalidRequestException', 400);
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    const eu = await createGroup(f, 'EU');
    await expectError(createGroup(f, 'Dublin', eu.id), 'InvalidRequestException', 400);

    expect(f.instance.hierarchyGroups.all().map((g) => g.name)).toEqual(['EU']);
  });

  it('rejects an unknown parent with 404 naming it', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });

    const error = await expectError(
      createGroup(f, 'Dublin', 'no-such-group'),
      'ResourceNotFoundException',
      404,
    );
    expect(error.message).toContain('no-such-group');
  });

  it('rejects a duplicate name with 409', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    await createGroup(f, 'EU');

    await expectError(createGroup(f, 'EU'), 'DuplicateResourceException', 409);
    expect(f.instance.hierarchyGroups.size).toBe(1);
  });

  it('rejects a missing Name with 400', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });

    await expectError(
      f.connect.send(
        new CreateUserHierarchyGroupCommand({ InstanceId: f.InstanceId } as {
          InstanceId: string;
          Name: string;
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('UpdateUserHierarchyGroupName', () => {
  it('renames the group, shows the new name in its children’s paths and leaves their LastModifiedTime', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });
    const eu = await createGroup(f, 'EU');
    const dublin = await createGroup(f, 'Dublin', eu.id);
    const [euBefore, dublinBefore] = [await describeGroup(f, eu.id), await describeGroup(f, dublin.id)];

    await f.connect.send(
      new UpdateUserHierarchyGroupNameCommand({
        InstanceId: f.InstanceId,
        HierarchyGroupId: eu.id,
        Name: 'Europe',
      }),
    );
    const [euAfter, dublinAfter] = [await describeGroup(f, eu.id), await describeGroup(f, dublin.id)];

    expect(euAfter.Name).toBe('Europe');
    expect(euAfter.LastModifiedTime!.getTime()).toBeGreaterThan(euBefore.LastModifiedTime!.getTime());
    expect(dublinAfter).toEqual({
      ...dublinBefore,
      HierarchyPath: { ...dublinBefore.HierarchyPath, LevelOne: { Id: eu.id, Arn: eu.arn, Name: 'Europe' } },
    });
  });

  it('rejects a name another group has with 409', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    await createGroup(f, 'EU');
    const us = await createGroup(f, 'US');

    await expectError(
      f.connect.send(
        new UpdateUserHierarchyGroupNameCommand({
          InstanceId: f.InstanceId,
          HierarchyGroupId: us.id,
          Name: 'EU',
        }),
      ),
      'DuplicateResourceException',
      409,
    );
    expect((await describeGroup(f, us.id)).Name).toBe('US');
  });
});

describe('DeleteUserHierarchyGroup', () => {
  it('refuses while the group has child groups, users or a security profile, then deletes it', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });
    const eu = await createGroup(f, 'EU');
    const dublin = await createGroup(f, 'Dublin', eu.id);
    const profile = await createProfile(f, 'Scoped', { AllowedAccessControlHierarchyGroupId: eu.id });
    const user = await createUser(f, 'agent1', profile.id, eu.id);
    const remove = () =>
      f.connect.send(
        new DeleteUserHierarchyGroupCommand({ InstanceId: f.InstanceId, HierarchyGroupId: eu.id }),
      );

    await expectError(remove(), 'ResourceInUseException', 409);
    await f.connect.send(
      new DeleteUserHierarchyGroupCommand({ InstanceId: f.InstanceId, HierarchyGroupId: dublin.id }),
    );
    await expectError(remove(), 'ResourceInUseException', 409);
    await f.connect.send(new DeleteUserCommand({ InstanceId: f.InstanceId, UserId: user.UserId }));
    await expectError(remove(), 'ResourceInUseException', 409);
    await f.connect.send(
      new UpdateSecurityProfileCommand({
        InstanceId: f.InstanceId,
        SecurityProfileId: profile.id,
        AllowedAccessControlHierarchyGroupId: '',
      }),
    );
    await remove();

    await expectError(describeGroup(f, eu.id), 'ResourceNotFoundException', 404);
    expect(f.instance.hierarchyGroups.size).toBe(0);
  });

  it('answers 404 for an unknown group', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new DeleteUserHierarchyGroupCommand({ InstanceId: f.InstanceId, HierarchyGroupId: 'nope' }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('ListUserHierarchyGroups', () => {
  it('pages through every group in creation order with the summary members only', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    const groups = [];
    for (const name of ['A', 'B', 'C']) groups.push(await createGroup(f, name));

    const first = await f.connect.send(
      new ListUserHierarchyGroupsCommand({ InstanceId: f.InstanceId, MaxResults: 2 }),
    );
    const second = await f.connect.send(
      new ListUserHierarchyGroupsCommand({
        InstanceId: f.InstanceId,
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );

    expect(second.NextToken).toBeUndefined();
    expect([...first.UserHierarchyGroupSummaryList!, ...second.UserHierarchyGroupSummaryList!]).toEqual(
      groups.map((g, i) => ({
        Id: g.id,
        Arn: g.arn,
        Name: ['A', 'B', 'C'][i],
        LastModifiedTime: f.instance.hierarchyGroups.find(g.id)!.entity.LastModifiedTime,
        LastModifiedRegion: DEFAULT_REGION,
      })),
    );
  });
});

describe('SearchUserHierarchyGroups', () => {
  it('matches parentId, levelId and name conditions and tag attribute filters', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } });
    const eu = await createGroup(f, 'EU', undefined, { zone: 'emea' });
    await createGroup(f, 'Dublin', eu.id, { zone: 'emea' });
    await createGroup(f, 'Berlin', eu.id);
    await createGroup(f, 'US');
    const names = async (input: object) => {
      const out = await f.connect.send(
        new SearchUserHierarchyGroupsCommand({ InstanceId: f.InstanceId, ...input }),
      );
      return { names: out.UserHierarchyGroups!.map((g) => g.Name), total: out.ApproximateTotalCount };
    };

    expect(
      await names({
        SearchCriteria: { StringCondition: { FieldName: 'parentId', Value: eu.id, ComparisonType: 'EXACT' } },
      }),
    ).toEqual({ names: ['Dublin', 'Berlin'], total: 2 });
    expect(
      await names({
        SearchCriteria: { StringCondition: { FieldName: 'levelId', Value: '1', ComparisonType: 'EXACT' } },
      }),
    ).toEqual({ names: ['EU', 'US'], total: 2 });
    expect(
      await names({
        SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'li', ComparisonType: 'CONTAINS' } },
      }),
    ).toEqual({ names: ['Dublin', 'Berlin'], total: 2 });
    expect(
      await names({
        SearchFilter: { AttributeFilter: { TagCondition: { TagKey: 'zone', TagValue: 'emea' } } },
      }),
    ).toEqual({ names: ['EU', 'Dublin'], total: 2 });
  });

  it('returns whole groups as Describe does, paged', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    const a = await createGroup(f, 'A');
    await createGroup(f, 'B');

    const first = await f.connect.send(
      new SearchUserHierarchyGroupsCommand({ InstanceId: f.InstanceId, MaxResults: 1 }),
    );
    const second = await f.connect.send(
      new SearchUserHierarchyGroupsCommand({
        InstanceId: f.InstanceId,
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );

    expect(first.UserHierarchyGroups).toEqual([await describeGroup(f, a.id)]);
    expect(second.UserHierarchyGroups!.map((g) => g.Name)).toEqual(['B']);
    expect([first.ApproximateTotalCount, second.NextToken]).toEqual([2, undefined]);
  });

  it('rejects an unsupported FieldName with 400', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new SearchUserHierarchyGroupsCommand({
          InstanceId: f.InstanceId,
          SearchCriteria: {
            StringCondition: { FieldName: 'description', Value: 'x', ComparisonType: 'EXACT' },
          },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('CreateSecurityProfile', () => {
  it('round-trips through DescribeSecurityProfile without permissions, which only ListSecurityProfilePermissions returns', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    const eu = await createGroup(f, 'EU');

    const created = await createProfile(f, 'Team Lead_1@x-y', {
      Description: 'Leads',
      Permissions: ['Users.View', 'Queues.Edit', 'Users.View'],
      Tags: { dept: 'ops' },
      AllowedAccessControlTags: { dept: 'ops' },
      TagRestrictedResources: ['User'],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: eu.arn,
    });
    const profile = await describeProfile(f, created.id);
    const permissions = await f.connect.send(
      new ListSecurityProfilePermissionsCommand({ InstanceId: f.InstanceId, SecurityProfileId: created.id }),
    );

    expect(created.arn).toBe(`${f.instance.arn}/security-profile/${created.id}`);
    expect(profile).toEqual({
      Id: created.id,
      OrganizationResourceId: f.InstanceId,
      Arn: created.arn,
      SecurityProfileName: 'Team Lead_1@x-y',
      Description: 'Leads',
      Tags: { dept: 'ops' },
      AllowedAccessControlTags: { dept: 'ops' },
      TagRestrictedResources: ['User'],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: eu.id,
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(permissions).toEqual({
      $metadata: expect.anything(),
      Permissions: ['Users.View', 'Queues.Edit'],
      LastModifiedTime: profile.LastModifiedTime,
      LastModifiedRegion: DEFAULT_REGION,
    });
  });

  it('rejects a name outside the pattern, a missing name and too many permissions with 400', async () => {
    const f = await setup();

    await expectError(createProfile(f, 'Bad/Name'), 'InvalidParameterException', 400);
    await expectError(createProfile(f, 'x'.repeat(128)), 'InvalidParameterException', 400);
    await expectError(
      f.connect.send(
        new CreateSecurityProfileCommand({ InstanceId: f.InstanceId } as CreateSecurityProfileCommandInput),
      ),
      'InvalidParameterException',
      400,
    );
    await expectError(
      createProfile(f, 'Big', { Permissions: Array.from({ length: 501 }, (_, i) => `P.${i}`) }),
      'InvalidParameterException',
      400,
    );
    expect(f.instance.securityProfiles.size).toBe(0);
  });

  it('rejects a duplicate name with 409', async () => {
    const f = await setup();
    await createProfile(f, 'Agent');

    await expectError(createProfile(f, 'Agent'), 'DuplicateResourceException', 409);
    expect(f.instance.securityProfiles.size).toBe(1);
  });

  it('rejects an unknown AllowedAccessControlHierarchyGroupId with 404 naming it', async () => {
    const f = await setup();

    const error = await expectError(
      createProfile(f, 'Scoped', { AllowedAccessControlHierarchyGroupId: 'ghost-group' }),
      'ResourceNotFoundException',
      404,
    );
    expect(error.message).toContain('ghost-group');
    expect(f.instance.securityProfiles.size).toBe(0);
  });
});

describe('UpdateSecurityProfile', () => {
  it('replaces the given members and permissions, keeps the rest, and moves LastModifiedTime', async () => {
    const f = await setup();
    const { id } = await createProfile(f, 'Agent', {
      Description: 'old',
      Permissions: ['Users.View'],
      AllowedAccessControlTags: { a: '1' },
    });
    const before = await describeProfile(f, id);

    await f.connect.send(
      new UpdateSecurityProfileCommand({
        InstanceId: f.InstanceId,
        SecurityProfileId: id,
        Description: 'new',
        Permissions: ['Queues.View', 'Queues.Edit'],
      }),
    );
    const after = await describeProfile(f, id);
    const permissions = await f.connect.send(
      new ListSecurityProfilePermissionsCommand({ InstanceId: f.InstanceId, SecurityProfileId: id }),
    );

    expect(after).toEqual({ ...before, Description: 'new', LastModifiedTime: after.LastModifiedTime });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    expect(permissions.Permissions).toEqual(['Queues.View', 'Queues.Edit']);
    expect(permissions.LastModifiedTime).toEqual(after.LastModifiedTime);
  });

  it('keeps the permissions when Permissions is not given', async () => {
    const f = await setup();
    const { id } = await createProfile(f, 'Agent', { Permissions: ['Users.View'] });

    await f.connect.send(
      new UpdateSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileId: id, Description: 'd' }),
    );
    const permissions = await f.connect.send(
      new ListSecurityProfilePermissionsCommand({ InstanceId: f.InstanceId, SecurityProfileId: id }),
    );

    expect(permissions.Permissions).toEqual(['Users.View']);
  });

  it('rejects an unknown profile and an unknown hierarchy group with 404', async () => {
    const f = await setup();
    const { id } = await createProfile(f, 'Agent');

    await expectError(
      f.connect.send(
        new UpdateSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileId: 'nope' }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      f.connect.send(
        new UpdateSecurityProfileCommand({
          InstanceId: f.InstanceId,
          SecurityProfileId: id,
          AllowedAccessControlHierarchyGroupId: 'ghost',
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    expect((await describeProfile(f, id)).AllowedAccessControlHierarchyGroupId).toBeUndefined();
  });

  it('TagResource does not move LastModifiedTime', async () => {
    const f = await setup();
    const { id, arn } = await createProfile(f, 'Agent');
    const before = await describeProfile(f, id);

    await f.connect.send(new TagResourceCommand({ resourceArn: arn, tags: { k: 'v' } }));

    expect(await describeProfile(f, id)).toEqual({ ...before, Tags: { k: 'v' } });
  });
});

describe('DeleteSecurityProfile', () => {
  it('refuses while a user has the profile with 409, then deletes it', async () => {
    const f = await setup();
    const { id } = await createProfile(f, 'Agent');
    const user = await createUser(f, 'agent1', id);
    const remove = () =>
      f.connect.send(new DeleteSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileId: id }));

    await expectError(remove(), 'ResourceInUseException', 409);
    await f.connect.send(new DeleteUserCommand({ InstanceId: f.InstanceId, UserId: user.UserId }));
    await remove();

    await expectError(describeProfile(f, id), 'ResourceNotFoundException', 404);
    expect(f.instance.securityProfiles.size).toBe(0);
  });
});

describe('ListSecurityProfiles and ListSecurityProfilePermissions', () => {
  it('page through every profile in creation order with the summary members only', async () => {
    const f = await setup();
    const created = [];
    for (const name of ['A', 'B', 'C']) created.push(await createProfile(f, name));

    const first = await f.connect.send(
      new ListSecurityProfilesCommand({ InstanceId: f.InstanceId, MaxResults: 2 }),
    );
    const second = await f.connect.send(
      new ListSecurityProfilesCommand({
        InstanceId: f.InstanceId,
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );

    expect(second.NextToken).toBeUndefined();
    expect([...first.SecurityProfileSummaryList!, ...second.SecurityProfileSummaryList!]).toEqual(
      created.map((c, i) => ({
        Id: c.id,
        Arn: c.arn,
        Name: ['A', 'B', 'C'][i],
        LastModifiedTime: f.instance.securityProfiles.find(c.id)!.entity.LastModifiedTime,
        LastModifiedRegion: DEFAULT_REGION,
      })),
    );
  });

  it('page through every permission in order', async () => {
    const f = await setup();
    const all = ['P.1', 'P.2', 'P.3', 'P.4', 'P.5'];
    const { id } = await createProfile(f, 'Agent', { Permissions: all });

    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await f.connect.send(
        new ListSecurityProfilePermissionsCommand({
          InstanceId: f.InstanceId,
          SecurityProfileId: id,
          MaxResults: 2,
          NextToken,
        }),
      );
      pages.push(page.Permissions!);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages).toEqual([['P.1', 'P.2'], ['P.3', 'P.4'], ['P.5']]);
  });

  it('answers 404 for the permissions of an unknown profile', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new ListSecurityProfilePermissionsCommand({ InstanceId: f.InstanceId, SecurityProfileId: 'x' }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('SearchSecurityProfiles', () => {
  it('returns the search summary form only', async () => {
    const f = await setup();
    await setStructure(f, { LevelOne: { Name: 'Region' } });
    const eu = await createGroup(f, 'EU');
    const { id, arn } = await createProfile(f, 'Agent', {
      Description: 'Agents',
      Tags: { t: '1' },
      Permissions: ['Users.View'],
      AllowedAccessControlTags: { t: '1' },
      AllowedAccessControlHierarchyGroupId: eu.id,
    });

    const result = await f.connect.send(new SearchSecurityProfilesCommand({ InstanceId: f.InstanceId }));

    expect(result.ApproximateTotalCount).toBe(1);
    expect(result.SecurityProfiles).toEqual([
      {
        Id: id,
        OrganizationResourceId: f.InstanceId,
        Arn: arn,
        SecurityProfileName: 'Agent',
        Description: 'Agents',
        Tags: { t: '1' },
      },
    ]);
  });

  it('matches name conditions and tag filters, paged', async () => {
    const f = await setup();
    await createProfile(f, 'Agent', { Tags: { tier: '1' } });
    await createProfile(f, 'Agent Plus', { Tags: { tier: '2' } });
    await createProfile(f, 'Admin', { Tags: { tier: '1' } });

    const byName = await f.connect.send(
      new SearchSecurityProfilesCommand({
        InstanceId: f.InstanceId,
        MaxResults: 1,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'agent', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );
    const byNameNext = await f.connect.send(
      new SearchSecurityProfilesCommand({
        InstanceId: f.InstanceId,
        MaxResults: 1,
        NextToken: byName.NextToken,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'agent', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );
    const byTag = await f.connect.send(
      new SearchSecurityProfilesCommand({
        InstanceId: f.InstanceId,
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'tier', TagValue: '1' } } },
      }),
    );

    expect(
      [...byName.SecurityProfiles!, ...byNameNext.SecurityProfiles!].map((p) => p.SecurityProfileName),
    ).toEqual(['Agent', 'Agent Plus']);
    expect([byName.ApproximateTotalCount, byNameNext.NextToken]).toEqual([2, undefined]);
    expect(byTag.SecurityProfiles!.map((p) => p.SecurityProfileName)).toEqual(['Agent', 'Admin']);
  });

  it('rejects an unsupported FieldName with 400', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new SearchSecurityProfilesCommand({
          InstanceId: f.InstanceId,
          SearchCriteria: {
            StringCondition: { FieldName: 'Permissions', Value: 'x', ComparisonType: 'EXACT' },
          },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('security profile applications, allowed flow modules and hierarchy restrictions', () => {
  const MODULE_CONTENT = JSON.stringify({
    Version: '2019-10-30',
    StartAction: 'end',
    Actions: [{ Identifier: 'end', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} }],
  });
  const APP = {
    Namespace: 'com.example.notes',
    ApplicationPermissions: ['Read'],
    Type: 'THIRD_PARTY_APPLICATION' as const,
  };

  async function createModule(f: Fixture, Name: string): Promise<string> {
    const out = await f.connect.send(
      new CreateContactFlowModuleCommand({ InstanceId: f.InstanceId, Name, Content: MODULE_CONTENT }),
    );
    return out.Id!;
  }

  async function listed(f: Fixture, SecurityProfileId: string) {
    const input = { InstanceId: f.InstanceId, SecurityProfileId };
    const [applications, modules] = await Promise.all([
      f.connect.send(new ListSecurityProfileApplicationsCommand(input)),
      f.connect.send(new ListSecurityProfileFlowModulesCommand(input)),
    ]);
    return { applications, modules };
  }

  it('are returned by ListSecurityProfileApplications and ListSecurityProfileFlowModules only, with the profile’s LastModifiedTime', async () => {
    const f = await setup();
    const moduleId = await createModule(f, 'Lookup');
    const group = await (async () => {
      await setStructure(f, { LevelOne: { Name: 'Region' } });
      return createGroup(f, 'Europe');
    })();
    const { id } = await createProfile(f, 'Scoped', {
      Applications: [APP],
      AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: moduleId }],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: group.id,
    });

    const profile = await describeProfile(f, id);
    const { applications, modules } = await listed(f, id);

    expect(profile).not.toHaveProperty('Applications');
    expect(profile).not.toHaveProperty('AllowedFlowModules');
    expect(profile.HierarchyRestrictedResources).toEqual(['User']);
    expect(profile.AllowedAccessControlHierarchyGroupId).toBe(group.id);
    expect(applications.Applications).toEqual([APP]);
    expect(modules.AllowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: moduleId }]);
    expect(applications.LastModifiedTime).toEqual(profile.LastModifiedTime);
    expect(modules.LastModifiedTime).toEqual(profile.LastModifiedTime);
  });

  it('are replaced by UpdateSecurityProfile, which moves LastModifiedTime, and kept when not given', async () => {
    const f = await setup();
    const first = await createModule(f, 'First');
    const second = await createModule(f, 'Second');
    const { id } = await createProfile(f, 'Scoped', {
      Applications: [APP],
      AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: first }],
    });
    const before = await describeProfile(f, id);
    const update = (input: Partial<UpdateSecurityProfileCommandInput>) =>
      f.connect.send(
        new UpdateSecurityProfileCommand({ InstanceId: f.InstanceId, SecurityProfileId: id, ...input }),
      );

    await update({ AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: second }] });
    const moved = await describeProfile(f, id);
    expect((await listed(f, id)).modules.AllowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: second }]);
    expect((await listed(f, id)).applications.Applications).toEqual([APP]);
    expect(moved.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());

    await update({ Applications: [] });
    expect((await listed(f, id)).applications.Applications).toEqual([]);
    expect((await listed(f, id)).modules.AllowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: second }]);
  });

  it('rejects an unknown flow module with 404, on create and update, changing nothing', async () => {
    const f = await setup();

    await expectError(
      createProfile(f, 'Scoped', { AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'ghost-module' }] }),
      'ResourceNotFoundException',
      404,
    );
    expect(f.instance.securityProfiles.size).toBe(0);
    const { id } = await createProfile(f, 'Scoped', { Applications: [APP] });
    await expectError(
      f.connect.send(
        new UpdateSecurityProfileCommand({
          InstanceId: f.InstanceId,
          SecurityProfileId: id,
          Applications: [],
          AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'ghost-module' }],
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    expect((await listed(f, id)).applications.Applications).toEqual([APP]);
  });

  it('rejects hierarchy restrictions on anything but User, more than 10 applications or modules, and unknown types with 400', async () => {
    const f = await setup();
    const moduleId = await createModule(f, 'Lookup');

    await expectError(
      createProfile(f, 'Scoped', { HierarchyRestrictedResources: ['Queue'] }),
      'InvalidParameterException',
      400,
    );
    await expectError(
      createProfile(f, 'Scoped', {
        Applications: Array.from({ length: 11 }, (_, i) => ({ ...APP, Namespace: `com.example.app${i}` })),
      }),
      'InvalidParameterException',
      400,
    );
    await expectError(
      createProfile(f, 'Scoped', {
        AllowedFlowModules: Array.from({ length: 11 }, () => ({
          Type: 'MCP' as const,
          FlowModuleId: moduleId,
        })),
      }),
      'InvalidParameterException',
      400,
    );
    await expectError(
      createProfile(f, 'Scoped', {
        Applications: [{ ...APP, Type: 'WIDGET' as unknown as 'MCP' }],
      }),
      'InvalidParameterException',
      400,
    );
    expect(f.instance.securityProfiles.size).toBe(0);
  });
});
