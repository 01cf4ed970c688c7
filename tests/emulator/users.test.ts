import {
  CreateSecurityProfileCommand,
  CreateUserCommand,
  type CreateUserCommandInput,
  CreateUserHierarchyGroupCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
  SearchUsersCommand,
  TagResourceCommand,
  UpdateUserConfigCommand,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyStructureCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './seeds/support.js';
import { InstanceState } from './state.js';
import { addRoutingProfile, expectError, type Harness, startWithInstance } from './testing.js';

const PASSWORD = 'Sup3rSecret-Pa55';
/** The names every user on a CONNECT_MANAGED instance needs (UserIdentityInfo docs). */
const NAMES = { FirstName: 'Test', LastName: 'Agent' };

interface Fixture extends Harness {
  samlInstanceId: string;
  routingProfileId: string;
  otherRoutingProfileId: string;
  /** Two security profiles, `Agent` and `Admin`. */
  profiles: [string, string];
}

/** An instance with two routing profiles and two security profiles, plus an empty SAML instance. */
async function setup(): Promise<Fixture> {
  let saml: InstanceState | undefined;
  const h = await startWithInstance({
    alias: 'users',
    arrange: (main, env) => {
      addRoutingProfile(main, env.world.newId(), 'Basic Routing Profile');
      addRoutingProfile(main, env.world.newId(), 'Sales Routing Profile');
      saml = env.world.addInstance(
        new InstanceState(
          env.world.newId(),
          'saml',
          DEFAULT_ACCOUNT_ID,
          DEFAULT_REGION,
          env.world.tick(),
          'SAML',
        ),
      );
      addRoutingProfile(saml, env.world.newId(), 'Basic Routing Profile');
    },
  });
  const [routingProfileId, otherRoutingProfileId] = h.instance.routingProfiles.all().map((r) => r.id);
  const profiles: string[] = [];
  for (const name of ['Agent', 'Admin']) {
    const created = await h.connect.send(
      new CreateSecurityProfileCommand({
        InstanceId: h.InstanceId,
        SecurityProfileName: name,
        Permissions: ['Users.View'],
      }),
    );
    profiles.push(created.SecurityProfileId!);
  }
  return {
    ...h,
    samlInstanceId: saml!.id,
    routingProfileId: routingProfileId!,
    otherRoutingProfileId: otherRoutingProfileId!,
    profiles: profiles as [string, string],
  };
}

async function createUser(
  f: Fixture,
  username: string,
  extra: Partial<CreateUserCommandInput> = {},
): Promise<{ UserId: string; UserArn: string }> {
  const out = await f.connect.send(
    new CreateUserCommand({
      InstanceId: f.InstanceId,
      Username: username,
      Password: PASSWORD,
      IdentityInfo: NAMES,
      RoutingProfileId: f.routingProfileId,
      SecurityProfileIds: [f.profiles[0]],
      ...extra,
    }),
  );
  return { UserId: out.UserId!, UserArn: out.UserArn! };
}

async function describeUser(f: Fixture, UserId: string): Promise<User> {
  return (await f.connect.send(new DescribeUserCommand({ InstanceId: f.InstanceId, UserId }))).User!;
}

describe('CreateUser', () => {
  it('round-trips every member through DescribeUser', async () => {
    const f = await setup();
    const members: Partial<CreateUserCommandInput> = {
      IdentityInfo: {
        FirstName: 'Jane',
        LastName: 'Doe',
        Email: 'jane@example.com',
        SecondaryEmail: 'jd@example.org',
        Mobile: '+12065550100',
      },
      PhoneConfig: {
        PhoneType: 'DESK_PHONE',
        AfterContactWorkTimeLimit: 30,
        DeskPhoneNumber: '+12065550111',
      },
      DirectoryUserId: 'dir-123',
      SecurityProfileIds: [f.profiles[0], f.profiles[1]],
      AutoAcceptConfigs: [{ Channel: 'CHAT', AutoAccept: true }],
      Tags: { team: 'blue' },
    };

    const { UserId, UserArn } = await createUser(f, 'jane.doe@example.com', members);
    const user = await describeUser(f, UserId);

    expect(UserArn).toBe(`${f.instance.arn}/agent/${UserId}`);
    expect(user).toEqual({
      Id: UserId,
      Arn: UserArn,
      Username: 'jane.doe@example.com',
      ...members,
      RoutingProfileId: f.routingProfileId,
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
  });

  it('never stores or returns the password', async () => {
    const f = await setup();

    const { UserId } = await createUser(f, 'agent1');
    const user = await describeUser(f, UserId);
    const search = await f.connect.send(new SearchUsersCommand({ InstanceId: f.InstanceId }));

    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    expect(JSON.stringify(search)).not.toContain(PASSWORD);
    expect(JSON.stringify([f.instance.users.all(), f.instance.queues.all()])).not.toContain(PASSWORD);
  });

  it('gives a user without PhoneConfig a soft phone and no hierarchy group', async () => {
    const f = await setup();

    const { UserId } = await createUser(f, 'agent1');
    const user = await describeUser(f, UserId);

    expect(user.PhoneConfig).toEqual({
      PhoneType: 'SOFT_PHONE',
      AutoAccept: false,
      AfterContactWorkTimeLimit: 0,
    });
    expect(user.IdentityInfo).toEqual(NAMES);
    expect(user.Tags).toEqual({});
    expect(user.HierarchyGroupId).toBeUndefined();
  });

  it('creates the AGENT queue of the user', async () => {
    const f = await setup();

    const { UserId } = await createUser(f, 'agent1');

    const queues = f.instance.queues.all();
    expect(queues).toHaveLength(1);
    const queue = queues[0]!;
    expect(queue.name).toBe(`agent-queue/${UserId}`);
    expect(queue.arn).toBe(`${f.instance.arn}/queue/agent/${queue.id}`);
    expect(queue.quickConnectIds).toEqual([]);
    expect(queue.entity).toEqual({
      QueueId: queue.id,
      QueueArn: queue.arn,
      QueueType: 'AGENT',
      Status: 'ENABLED',
      Tags: {},
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(queue.entity.Name).toBeUndefined();
  });

  it('accepts routing and security profiles by ARN and stores their ids', async () => {
    const f = await setup();
    const rp = f.instance.routingProfiles.find(f.routingProfileId)!;
    const sp = f.instance.securityProfiles.find(f.profiles[1])!;

    const { UserId } = await createUser(f, 'agent1', {
      RoutingProfileId: rp.arn,
      SecurityProfileIds: [sp.arn],
    });
    const user = await describeUser(f, UserId);

    expect([user.RoutingProfileId, user.SecurityProfileIds]).toEqual([rp.id, [sp.id]]);
  });

  it('rejects a missing required member with 400', async () => {
    const f = await setup();

    const error = await expectError(
      f.connect.send(
        new CreateUserCommand({
          InstanceId: f.InstanceId,
          Username: 'agent1',
          Password: PASSWORD,
          IdentityInfo: NAMES,
          SecurityProfileIds: [f.profiles[0]],
        } as CreateUserCommandInput),
      ),
      'InvalidParameterException',
      400,
    );
    expect(error.message).toContain('RoutingProfileId');
    expect(f.instance.users.size).toBe(0);
  });

  it('rejects an empty SecurityProfileIds list with 400', async () => {
    const f = await setup();

    await expectError(createUser(f, 'agent1', { SecurityProfileIds: [] }), 'InvalidParameterException', 400);
  });

  it('rejects a duplicate username with 409', async () => {
    const f = await setup();
    await createUser(f, 'agent1');

    await expectError(createUser(f, 'agent1'), 'DuplicateResourceException', 409);
    expect(f.instance.users.size).toBe(1);
    expect(f.instance.queues.size).toBe(1);
  });

  it('rejects an unknown routing profile with 404 naming it', async () => {
    const f = await setup();

    const error = await expectError(
      createUser(f, 'agent1', { RoutingProfileId: 'no-such-profile' }),
      'ResourceNotFoundException',
      404,
    );
    expect(error.message).toContain('Routing profile');
    expect(error.message).toContain('no-such-profile');
    expect([f.instance.users.size, f.instance.queues.size]).toEqual([0, 0]);
  });

  it('rejects an unknown security profile with 404 naming it', async () => {
    const f = await setup();

    const error = await expectError(
      createUser(f, 'agent1', { SecurityProfileIds: [f.profiles[0], 'missing-sp'] }),
      'ResourceNotFoundException',
      404,
    );
    expect(error.message).toContain('Security profile');
    expect(error.message).toContain('missing-sp');
  });

  it('rejects an unknown hierarchy group with 404 naming it', async () => {
    const f = await setup();

    const error = await expectError(
      createUser(f, 'agent1', { HierarchyGroupId: 'missing-group' }),
      'ResourceNotFoundException',
      404,
    );
    expect(error.message).toContain('missing-group');
  });

  it('requires a password on a CONNECT_MANAGED instance', async () => {
    const f = await setup();

    await expectError(createUser(f, 'agent1', { Password: undefined }), 'InvalidParameterException', 400);
    expect(f.instance.users.size).toBe(0);
  });

  it('rejects a password that does not meet the pattern', async () => {
    const f = await setup();

    await expectError(
      createUser(f, 'agent1', { Password: 'alllowercase1' }),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects a password on a SAML instance and accepts the user without one', async () => {
    const f = await setup();
    const saml = f.emulator.world.instances.get(f.samlInstanceId)!;
    const base = {
      InstanceId: f.samlInstanceId,
      Username: 'saml.user@example.com',
      IdentityInfo: NAMES,
      RoutingProfileId: saml.routingProfiles.all()[0]!.id,
    };
    const sp = await f.connect.send(
      new CreateSecurityProfileCommand({ InstanceId: f.samlInstanceId, SecurityProfileName: 'Agent' }),
    );

    await expectError(
      f.connect.send(
        new CreateUserCommand({ ...base, SecurityProfileIds: [sp.SecurityProfileId!], Password: PASSWORD }),
      ),
      'InvalidRequestException',
      400,
    );
    const created = await f.connect.send(
      new CreateUserCommand({ ...base, SecurityProfileIds: [sp.SecurityProfileId!] }),
    );

    expect(created.UserId).toBe(saml.users.all()[0]!.id);
    expect(saml.users.size).toBe(1);
  });

  it('rejects a desk phone without a number', async () => {
    const f = await setup();

    await expectError(
      createUser(f, 'agent1', { PhoneConfig: { PhoneType: 'DESK_PHONE', AutoAccept: false } }),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects an after-contact-work limit above 2,000,000 seconds', async () => {
    const f = await setup();

    await expectError(
      createUser(f, 'agent1', {
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 2_000_001 },
      }),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects a username with characters the service does not allow', async () => {
    const f = await setup();

    await expectError(createUser(f, 'jane doe'), 'InvalidParameterException', 400);
    await expectError(createUser(f, 'testuser@example'), 'InvalidParameterException', 400);
  });

  it('rejects a mobile number that is not E.164', async () => {
    const f = await setup();

    await expectError(
      createUser(f, 'agent1', { IdentityInfo: { ...NAMES, Mobile: '555-0100' } }),
      'InvalidParameterException',
      400,
    );
  });
});

describe('CreateUser: PhoneConfig against the per-channel lists', () => {
  // CreateUser: "Fields in PhoneConfig cannot be set simultaneously with their corresponding
  // channel-specific configuration parameters", pair by pair.
  const cases: ReadonlyArray<[string, Partial<CreateUserCommandInput>]> = [
    [
      'AutoAccept with AutoAcceptConfigs',
      {
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: true },
        AutoAcceptConfigs: [{ Channel: 'CHAT', AutoAccept: true }],
      },
    ],
    [
      'AfterContactWorkTimeLimit with AfterContactWorkConfigs',
      {
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 30 },
        AfterContactWorkConfigs: [
          { Channel: 'CHAT', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30 } },
        ],
      },
    ],
    [
      'PhoneType with PhoneNumberConfigs',
      {
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        PhoneNumberConfigs: [{ Channel: 'VOICE', PhoneType: 'SOFT_PHONE' }],
      },
    ],
    [
      'PersistentConnection with PersistentConnectionConfigs',
      {
        PhoneConfig: { PersistentConnection: true },
        PersistentConnectionConfigs: [{ Channel: 'VOICE', PersistentConnection: true }],
      },
    ],
  ];
  for (const [name, extra] of cases) {
    it(`rejects PhoneConfig.${name} with 400 and creates nothing`, async () => {
      const f = await setup();

      await expectError(createUser(f, 'agent1', extra), 'InvalidParameterException', 400);
      expect(f.instance.users.size).toBe(0);
    });
  }

  it('accepts PhoneConfig members whose twin list is absent, and shows the VOICE lists in PhoneConfig', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1', {
      PhoneConfig: { AfterContactWorkTimeLimit: 45 },
      AutoAcceptConfigs: [{ Channel: 'VOICE', AutoAccept: true }],
      PhoneNumberConfigs: [{ Channel: 'VOICE', PhoneType: 'DESK_PHONE', PhoneNumber: '+12065550111' }],
    });
    const user = await describeUser(f, UserId);

    expect(user.PhoneConfig).toEqual({
      PhoneType: 'DESK_PHONE',
      AutoAccept: true,
      AfterContactWorkTimeLimit: 45,
      DeskPhoneNumber: '+12065550111',
    });
  });
});

describe('CreateUser and UpdateUserIdentityInfo: identity rules by identity management', () => {
  it('limits usernames to 20 characters on a CONNECT_MANAGED instance', async () => {
    const f = await setup();

    await expectError(createUser(f, 'a'.repeat(21)), 'InvalidParameterException', 400);
    await createUser(f, 'a'.repeat(20));
    expect(f.instance.users.all().map((u) => u.name)).toEqual(['a'.repeat(20)]);
  });

  it('requires FirstName and LastName on CONNECT_MANAGED and SAML instances', async () => {
    const f = await setup();
    const saml = f.emulator.world.instances.get(f.samlInstanceId)!;
    const sp = await f.connect.send(
      new CreateSecurityProfileCommand({ InstanceId: f.samlInstanceId, SecurityProfileName: 'Agent' }),
    );
    const onSaml = (IdentityInfo: object) =>
      f.connect.send(
        new CreateUserCommand({
          InstanceId: f.samlInstanceId,
          Username: `${'s'.repeat(30)}@example.com`,
          IdentityInfo,
          RoutingProfileId: saml.routingProfiles.all()[0]!.id,
          SecurityProfileIds: [sp.SecurityProfileId!],
        }),
      );

    await expectError(
      createUser(f, 'agent1', { IdentityInfo: { FirstName: 'A' } }),
      'InvalidParameterException',
      400,
    );
    await expectError(
      createUser(f, 'agent2', { IdentityInfo: { LastName: 'Z' } }),
      'InvalidParameterException',
      400,
    );
    await expectError(onSaml({ FirstName: 'A' }), 'InvalidParameterException', 400);
    await expectError(onSaml({ ...NAMES, Email: 'a@example.com' }), 'InvalidParameterException', 400);
    await onSaml(NAMES);
    expect([f.instance.users.size, saml.users.size]).toEqual([0, 1]);
  });

  it('keeps FirstName, LastName and Email as the directory has them on an EXISTING_DIRECTORY instance', async () => {
    const f = await setup();
    const directory = f.emulator.world.addInstance(
      new InstanceState(
        f.emulator.world.newId(),
        'directory',
        DEFAULT_ACCOUNT_ID,
        DEFAULT_REGION,
        f.emulator.world.tick(),
        'EXISTING_DIRECTORY',
      ),
    );
    addRoutingProfile(directory, f.emulator.world.newId(), 'Basic Routing Profile');
    const sp = await f.connect.send(
      new CreateSecurityProfileCommand({ InstanceId: directory.id, SecurityProfileName: 'Agent' }),
    );
    const identity = { FirstName: 'Dir', LastName: 'User', Email: 'dir@example.com' };
    const { UserId } = await f.connect.send(
      new CreateUserCommand({
        InstanceId: directory.id,
        Username: 'dir.user',
        IdentityInfo: identity,
        RoutingProfileId: directory.routingProfiles.all()[0]!.id,
        SecurityProfileIds: [sp.SecurityProfileId!],
      }),
    );
    const update = (IdentityInfo: object) =>
      f.connect.send(new UpdateUserIdentityInfoCommand({ InstanceId: directory.id, UserId, IdentityInfo }));

    await expectError(update({ ...identity, LastName: 'Other' }), 'InvalidRequestException', 400);
    await expectError(update({ ...identity, Email: 'other@example.com' }), 'InvalidRequestException', 400);
    await update({ ...identity, Mobile: '+12065550100' });
    const user = (await f.connect.send(new DescribeUserCommand({ InstanceId: directory.id, UserId }))).User!;
    expect(user.IdentityInfo).toEqual({ ...identity, Mobile: '+12065550100' });
  });
});

describe('ListUsers', () => {
  it('pages through every user in creation order with the summary members only', async () => {
    const f = await setup();
    const created = [];
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) created.push(await createUser(f, name));

    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await f.connect.send(
        new ListUsersCommand({ InstanceId: f.InstanceId, MaxResults: 2, NextToken }),
      );
      pages.push(page.UserSummaryList!);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const all = pages.flat();
    expect(all).toEqual(
      created.map((c, i) => ({
        Id: c.UserId,
        Arn: c.UserArn,
        Username: `u${i + 1}`,
        LastModifiedTime: f.instance.users.find(c.UserId)!.entity.LastModifiedTime,
        LastModifiedRegion: DEFAULT_REGION,
      })),
    );
  });

  it('rejects a MaxResults above 1000 with 400', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(new ListUsersCommand({ InstanceId: f.InstanceId, MaxResults: 1001 })),
      'InvalidParameterException',
      400,
    );
  });
});

describe('SearchUsers', () => {
  it('returns the search summary: lite identity, no LastModified*, after-contact work in milliseconds', async () => {
    const f = await setup();
    const { UserId, UserArn } = await createUser(f, 'agent1', {
      IdentityInfo: { FirstName: 'Ann', LastName: 'Lee', Email: 'ann@example.com', Mobile: '+12065550100' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 45 },
      Tags: { team: 'red' },
    });

    const result = await f.connect.send(new SearchUsersCommand({ InstanceId: f.InstanceId }));

    expect(result.ApproximateTotalCount).toBe(1);
    expect(result.NextToken).toBeUndefined();
    expect(result.Users).toEqual([
      {
        Id: UserId,
        Arn: UserArn,
        Username: 'agent1',
        IdentityInfo: { FirstName: 'Ann', LastName: 'Lee' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 45_000 },
        RoutingProfileId: f.routingProfileId,
        SecurityProfileIds: [f.profiles[0]],
        Tags: { team: 'red' },
      },
    ]);
    expect((await describeUser(f, UserId)).PhoneConfig?.AfterContactWorkTimeLimit).toBe(45);
  });

  it('matches StringConditions on Username, FirstName and SecurityProfileId', async () => {
    const f = await setup();
    await createUser(f, 'sales-ann', { IdentityInfo: { FirstName: 'Ann', LastName: 'Ames' } });
    await createUser(f, 'sales-bob', {
      IdentityInfo: { FirstName: 'Bob', LastName: 'Birch' },
      SecurityProfileIds: [f.profiles[1]],
    });
    await createUser(f, 'support-cy', { IdentityInfo: { FirstName: 'Cyan', LastName: 'Cole' } });
    const search = async (criteria: object) =>
      (
        await f.connect.send(new SearchUsersCommand({ InstanceId: f.InstanceId, SearchCriteria: criteria }))
      ).Users!.map((u) => u.Username);

    expect(
      await search({
        StringCondition: { FieldName: 'Username', Value: 'sales-', ComparisonType: 'STARTS_WITH' },
      }),
    ).toEqual(['sales-ann', 'sales-bob']);
    expect(
      await search({ StringCondition: { FieldName: 'FirstName', Value: 'an', ComparisonType: 'CONTAINS' } }),
    ).toEqual(['sales-ann', 'support-cy']);
    expect(
      await search({
        StringCondition: { FieldName: 'SecurityProfileId', Value: f.profiles[1], ComparisonType: 'EXACT' },
      }),
    ).toEqual(['sales-bob']);
    expect(
      await search({
        OrConditions: [
          { StringCondition: { FieldName: 'Username', Value: 'support-cy', ComparisonType: 'EXACT' } },
          { StringCondition: { FieldName: 'FirstName', Value: 'Bob', ComparisonType: 'EXACT' } },
        ],
      }),
    ).toEqual(['sales-bob', 'support-cy']);
  });

  it('rejects an unsupported FieldName with 400', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new SearchUsersCommand({
          InstanceId: f.InstanceId,
          SearchCriteria: { StringCondition: { FieldName: 'Email', Value: 'x', ComparisonType: 'EXACT' } },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('filters by tags and by hierarchy group, exactly or with child groups', async () => {
    const f = await setup();
    await f.connect.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: f.InstanceId,
        HierarchyStructure: { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Site' } },
      }),
    );
    const top = await f.connect.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: f.InstanceId, Name: 'EU' }),
    );
    const child = await f.connect.send(
      new CreateUserHierarchyGroupCommand({
        InstanceId: f.InstanceId,
        Name: 'Dublin',
        ParentGroupId: top.HierarchyGroupId,
      }),
    );
    await createUser(f, 'in-top', { HierarchyGroupId: top.HierarchyGroupId, Tags: { team: 'a' } });
    await createUser(f, 'in-child', { HierarchyGroupId: child.HierarchyGroupId, Tags: { team: 'b' } });
    await createUser(f, 'nowhere', { Tags: { team: 'a' } });
    const names = async (input: object) =>
      (await f.connect.send(new SearchUsersCommand({ InstanceId: f.InstanceId, ...input }))).Users!.map(
        (u) => u.Username,
      );

    expect(
      await names({ SearchFilter: { TagFilter: { TagCondition: { TagKey: 'team', TagValue: 'a' } } } }),
    ).toEqual(['in-top', 'nowhere']);
    expect(
      await names({
        SearchCriteria: {
          HierarchyGroupCondition: { Value: top.HierarchyGroupId, HierarchyGroupMatchType: 'EXACT' },
        },
      }),
    ).toEqual(['in-top']);
    expect(
      await names({
        SearchCriteria: {
          HierarchyGroupCondition: {
            Value: top.HierarchyGroupId,
            HierarchyGroupMatchType: 'WITH_CHILD_GROUPS',
          },
        },
      }),
    ).toEqual(['in-top', 'in-child']);
    expect(
      await names({
        SearchFilter: {
          UserAttributeFilter: {
            AndCondition: {
              TagConditions: [{ TagKey: 'team', TagValue: 'b' }],
              HierarchyGroupCondition: {
                Value: top.HierarchyGroupId,
                HierarchyGroupMatchType: 'WITH_CHILD_GROUPS',
              },
            },
          },
        },
      }),
    ).toEqual(['in-child']);
  });

  it('pages through matches with an approximate total count', async () => {
    const f = await setup();
    for (const name of ['u1', 'u2', 'u3']) await createUser(f, name);

    const first = await f.connect.send(new SearchUsersCommand({ InstanceId: f.InstanceId, MaxResults: 2 }));
    const second = await f.connect.send(
      new SearchUsersCommand({ InstanceId: f.InstanceId, MaxResults: 2, NextToken: first.NextToken }),
    );

    expect([first.ApproximateTotalCount, second.ApproximateTotalCount]).toEqual([3, 3]);
    expect([...first.Users!, ...second.Users!].map((u) => u.Username)).toEqual(['u1', 'u2', 'u3']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('UpdateUser operations', () => {
  it('UpdateUserIdentityInfo replaces the identity and moves LastModifiedTime', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1', {
      IdentityInfo: { FirstName: 'A', LastName: 'Z', Email: 'a@example.com' },
    });
    const before = await describeUser(f, UserId);

    await f.connect.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: f.InstanceId,
        UserId,
        IdentityInfo: { FirstName: 'A', LastName: 'B' },
      }),
    );
    const after = await describeUser(f, UserId);

    expect(after).toEqual({
      ...before,
      IdentityInfo: { FirstName: 'A', LastName: 'B' },
      LastModifiedTime: after.LastModifiedTime,
    });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
  });

  it('UpdateUserPhoneConfig merges the given members and drops the desk number for a soft phone', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1', {
      PhoneConfig: {
        PhoneType: 'DESK_PHONE',
        AutoAccept: true,
        AfterContactWorkTimeLimit: 10,
        DeskPhoneNumber: '+15550100',
      },
    });
    const before = await describeUser(f, UserId);

    await f.connect.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: f.InstanceId,
        UserId,
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 20 },
      }),
    );
    const after = await describeUser(f, UserId);

    expect(after.PhoneConfig).toEqual({
      PhoneType: 'SOFT_PHONE',
      AutoAccept: true,
      AfterContactWorkTimeLimit: 20,
    });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
  });

  it('UpdateUserPhoneConfig rejects a desk phone without a number', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1');

    await expectError(
      f.connect.send(
        new UpdateUserPhoneConfigCommand({
          InstanceId: f.InstanceId,
          UserId,
          PhoneConfig: { PhoneType: 'DESK_PHONE' },
        }),
      ),
      'InvalidParameterException',
      400,
    );
    expect((await describeUser(f, UserId)).PhoneConfig?.PhoneType).toBe('SOFT_PHONE');
  });

  it('UpdateUserRoutingProfile changes the profile and rejects an unknown one with 404', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1');
    const before = await describeUser(f, UserId);

    await f.connect.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: f.InstanceId,
        UserId,
        RoutingProfileId: f.otherRoutingProfileId,
      }),
    );
    const after = await describeUser(f, UserId);
    await expectError(
      f.connect.send(
        new UpdateUserRoutingProfileCommand({ InstanceId: f.InstanceId, UserId, RoutingProfileId: 'gone' }),
      ),
      'ResourceNotFoundException',
      404,
    );

    expect(after.RoutingProfileId).toBe(f.otherRoutingProfileId);
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    expect((await describeUser(f, UserId)).RoutingProfileId).toBe(f.otherRoutingProfileId);
  });

  it('UpdateUserSecurityProfiles replaces the list and rejects an unknown profile with 404', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1');

    await f.connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: f.InstanceId,
        UserId,
        SecurityProfileIds: [f.profiles[1]],
      }),
    );
    await expectError(
      f.connect.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: f.InstanceId,
          UserId,
          SecurityProfileIds: ['nope'],
        }),
      ),
      'ResourceNotFoundException',
      404,
    );

    expect((await describeUser(f, UserId)).SecurityProfileIds).toEqual([f.profiles[1]]);
  });

  it('UpdateUserHierarchy sets and clears the group and rejects an unknown one with 404', async () => {
    const f = await setup();
    await f.connect.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: f.InstanceId,
        HierarchyStructure: { LevelOne: { Name: 'L1' } },
      }),
    );
    const group = await f.connect.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: f.InstanceId, Name: 'G' }),
    );
    const { UserId } = await createUser(f, 'agent1');

    await f.connect.send(
      new UpdateUserHierarchyCommand({
        InstanceId: f.InstanceId,
        UserId,
        HierarchyGroupId: group.HierarchyGroupArn,
      }),
    );
    const placed = await describeUser(f, UserId);
    await f.connect.send(new UpdateUserHierarchyCommand({ InstanceId: f.InstanceId, UserId }));
    const cleared = await describeUser(f, UserId);
    await expectError(
      f.connect.send(
        new UpdateUserHierarchyCommand({ InstanceId: f.InstanceId, UserId, HierarchyGroupId: 'nope' }),
      ),
      'ResourceNotFoundException',
      404,
    );

    expect(placed.HierarchyGroupId).toBe(group.HierarchyGroupId);
    expect(cleared.HierarchyGroupId).toBeUndefined();
    expect(cleared.LastModifiedTime!.getTime()).toBeGreaterThan(placed.LastModifiedTime!.getTime());
  });

  it('UpdateUserConfig replaces per-channel entries channel by channel', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1', {
      AutoAcceptConfigs: [
        { Channel: 'VOICE', AutoAccept: false },
        { Channel: 'CHAT', AutoAccept: false },
      ],
    });

    await f.connect.send(
      new UpdateUserConfigCommand({
        InstanceId: f.InstanceId,
        UserId,
        AutoAcceptConfigs: [{ Channel: 'CHAT', AutoAccept: true }],
        AfterContactWorkConfigs: [
          { Channel: 'TASK', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 60 } },
        ],
      }),
    );
    const user = await describeUser(f, UserId);

    expect([user.AutoAcceptConfigs, user.AfterContactWorkConfigs]).toEqual([
      [
        { Channel: 'VOICE', AutoAccept: false },
        { Channel: 'CHAT', AutoAccept: true },
      ],
      [{ Channel: 'TASK', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 60 } }],
    ]);
  });

  it('update operations on an unknown user answer 404', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: f.InstanceId,
          UserId: 'nobody',
          IdentityInfo: NAMES,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('TagResource does not move LastModifiedTime', async () => {
    const f = await setup();
    const { UserId, UserArn } = await createUser(f, 'agent1');
    const before = await describeUser(f, UserId);

    await f.connect.send(new TagResourceCommand({ resourceArn: UserArn, tags: { cost: 'x' } }));
    const after = await describeUser(f, UserId);

    expect(after).toEqual({ ...before, Tags: { cost: 'x' } });
  });
});

describe('DeleteUser', () => {
  it('removes the user and its AGENT queue', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1');
    const kept = await createUser(f, 'agent2');

    await f.connect.send(new DeleteUserCommand({ InstanceId: f.InstanceId, UserId }));

    await expectError(describeUser(f, UserId), 'ResourceNotFoundException', 404);
    expect(f.instance.users.all().map((u) => u.id)).toEqual([kept.UserId]);
    expect(f.instance.queues.all().map((q) => q.name)).toEqual([`agent-queue/${kept.UserId}`]);
  });

  it('frees the username for reuse', async () => {
    const f = await setup();
    const { UserId } = await createUser(f, 'agent1');
    await f.connect.send(new DeleteUserCommand({ InstanceId: f.InstanceId, UserId }));

    const again = await createUser(f, 'agent1');

    expect((await describeUser(f, again.UserId)).Username).toBe('agent1');
  });

  it('answers 404 for an unknown user', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(new DeleteUserCommand({ InstanceId: f.InstanceId, UserId: 'nobody' })),
      'ResourceNotFoundException',
      404,
    );
  });
});
