/**
 * The emulator's predefined attributes and user proficiencies: each rule the handlers enforce,
 * through the unmodified SDK client.
 */
import {
  AssociateUserProficienciesCommand,
  CreatePredefinedAttributeCommand,
  DeletePredefinedAttributeCommand,
  DescribePredefinedAttributeCommand,
  DescribeUserCommand,
  DisassociateUserProficienciesCommand,
  ListPredefinedAttributesCommand,
  ListUserProficienciesCommand,
  ListUsersCommand,
  SearchPredefinedAttributesCommand,
  UpdatePredefinedAttributeCommand,
  UpdateUserProficienciesCommand,
  type UserProficiency,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE } from './handlers/predefined-attributes.js';
import { MAX_PROFICIENCIES_PER_USER } from './handlers/users.js';
import { addRoutingProfile, addUser, expectError, type Harness, startWithInstance } from './testing.js';

interface Fixture extends Harness {
  userId: string;
}

/** An instance with one user and the attribute Language (English, Spanish, French). */
async function setup(): Promise<Fixture> {
  let userId = '';
  const h = await startWithInstance({
    arrange: (instance, env) => {
      const profile = env.world.newId();
      addRoutingProfile(instance, profile, 'Basic Routing Profile');
      userId = env.world.newId();
      addUser(instance, userId, 'agent.one', profile);
    },
  });
  await h.connect.send(
    new CreatePredefinedAttributeCommand({
      InstanceId: h.InstanceId,
      Name: 'Language',
      Values: { StringList: ['English', 'Spanish', 'French'] },
      Purposes: ['Routing'],
      AttributeConfiguration: { EnableValueValidationOnAssociation: true },
    }),
  );
  return { ...h, userId };
}

const associate = (f: Fixture, UserProficiencies: UserProficiency[], UserId = f.userId) =>
  f.connect.send(
    new AssociateUserProficienciesCommand({ InstanceId: f.InstanceId, UserId, UserProficiencies }),
  );

const listed = async (f: Fixture) =>
  f.connect.send(new ListUserProficienciesCommand({ InstanceId: f.InstanceId, UserId: f.userId }));

describe('predefined attributes', () => {
  it('creates, describes, lists and searches an attribute by its name, with no id or ARN', async () => {
    const f = await setup();

    const { PredefinedAttribute } = await f.connect.send(
      new DescribePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Language' }),
    );
    const list = await f.connect.send(new ListPredefinedAttributesCommand({ InstanceId: f.InstanceId }));
    const search = await f.connect.send(
      new SearchPredefinedAttributesCommand({
        InstanceId: f.InstanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'Lang', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );

    expect(PredefinedAttribute).toEqual({
      Name: 'Language',
      Values: { StringList: ['English', 'Spanish', 'French'] },
      Purposes: ['Routing'],
      AttributeConfiguration: { EnableValueValidationOnAssociation: true },
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: 'us-east-1',
    });
    expect(list.PredefinedAttributeSummaryList).toEqual([
      {
        Name: 'Language',
        LastModifiedTime: PredefinedAttribute?.LastModifiedTime,
        LastModifiedRegion: 'us-east-1',
      },
    ]);
    expect(search.PredefinedAttributes).toEqual([PredefinedAttribute]);
    expect(search.ApproximateTotalCount).toBe(1);
  });

  it('hides an attribute created moments ago until it has propagated, but takes its name at once', async () => {
    const f = await setup();
    f.emulator.propagation.delayMs = 60_000;
    await f.connect.send(
      new CreatePredefinedAttributeCommand({
        InstanceId: f.InstanceId,
        Name: 'Shift',
        Values: { StringList: ['Day'] },
      }),
    );
    const search = () => f.connect.send(new SearchPredefinedAttributesCommand({ InstanceId: f.InstanceId }));

    await expectError(
      f.connect.send(new DescribePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Shift' })),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      associate(f, [{ AttributeName: 'Shift', AttributeValue: 'Day', Level: 1 }]),
      'ResourceNotFoundException',
      404,
    );
    expect((await search()).PredefinedAttributes?.map((a) => a.Name)).toEqual(['Language']);
    await expectError(
      f.connect.send(new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Shift' })),
      'DuplicateResourceException',
      409,
    );
    f.emulator.propagation.settle();
    expect((await search()).PredefinedAttributes?.map((a) => a.Name)).toEqual(['Language', 'Shift']);
    await associate(f, [{ AttributeName: 'Shift', AttributeValue: 'Day', Level: 1 }]);
  });

  it('rejects a name with the prefix aws: or connect:, reserved for the system (400)', async () => {
    const f = await setup();
    const create = (Name: string) =>
      f.connect.send(new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name }));

    await expectError(create('connect:Subtype'), 'InvalidParameterException', 400);
    await expectError(create('aws:Tier'), 'InvalidParameterException', 400);
    await create('Connect Tier');
  });

  it('rejects a second attribute of the same name (409)', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Language' })),
      'DuplicateResourceException',
      409,
    );
  });

  it(`holds at most ${MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE} attributes per instance (429)`, async () => {
    const f = await setup();
    for (let i = 1; i < MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE; i++) {
      await f.connect.send(new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: `A${i}` }));
    }

    await expectError(
      f.connect.send(
        new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'One too many' }),
      ),
      'LimitExceededException',
      429,
    );
  });

  it('rejects a name longer than 100 characters (model validation, 400)', async () => {
    const f = await setup();

    await expectError(
      f.connect.send(
        new CreatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'x'.repeat(101) }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('updates the members it is given and moves LastModifiedTime; 404 for an unknown name', async () => {
    const f = await setup();
    const describe = () =>
      f.connect.send(new DescribePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Language' }));
    const before = (await describe()).PredefinedAttribute;

    await f.connect.send(
      new UpdatePredefinedAttributeCommand({
        InstanceId: f.InstanceId,
        Name: 'Language',
        Values: { StringList: ['English', 'German'] },
      }),
    );
    const after = (await describe()).PredefinedAttribute;

    expect(after?.Values).toEqual({ StringList: ['English', 'German'] });
    expect(after?.Purposes).toEqual(['Routing']);
    expect(after?.LastModifiedTime?.getTime()).toBeGreaterThan(before?.LastModifiedTime?.getTime() ?? 0);
    await expectError(
      f.connect.send(
        new UpdatePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Nope', Purposes: [] }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('refuses to delete an attribute a proficiency uses (409), and deletes it once unused', async () => {
    const f = await setup();
    await associate(f, [{ AttributeName: 'Language', AttributeValue: 'English', Level: 3 }]);
    const remove = () =>
      f.connect.send(new DeletePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Language' }));

    await expectError(remove(), 'ResourceInUseException', 409);
    await f.connect.send(
      new DisassociateUserProficienciesCommand({
        InstanceId: f.InstanceId,
        UserId: f.userId,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'English' }],
      }),
    );
    await remove();
    await expectError(
      f.connect.send(new DescribePredefinedAttributeCommand({ InstanceId: f.InstanceId, Name: 'Language' })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('user proficiencies', () => {
  it('associates, lists, updates and disassociates, moving the list’s LastModifiedTime and not the user’s', async () => {
    const f = await setup();
    const userModified = async () =>
      (await f.connect.send(new ListUsersCommand({ InstanceId: f.InstanceId }))).UserSummaryList?.[0]
        ?.LastModifiedTime;
    const userBefore = await userModified();
    expect((await listed(f)).LastModifiedTime).toBeUndefined();

    await associate(f, [
      { AttributeName: 'Language', AttributeValue: 'English', Level: 5 },
      { AttributeName: 'Language', AttributeValue: 'Spanish', Level: 2 },
    ]);
    const first = await listed(f);
    await f.connect.send(
      new UpdateUserProficienciesCommand({
        InstanceId: f.InstanceId,
        UserId: f.userId,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'Spanish', Level: 4 }],
      }),
    );
    const second = await listed(f);
    await f.connect.send(
      new DisassociateUserProficienciesCommand({
        InstanceId: f.InstanceId,
        UserId: f.userId,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'English' }],
      }),
    );
    const third = await listed(f);

    expect(first.UserProficiencyList).toEqual([
      { AttributeName: 'Language', AttributeValue: 'English', Level: 5 },
      { AttributeName: 'Language', AttributeValue: 'Spanish', Level: 2 },
    ]);
    expect(second.UserProficiencyList?.[1]).toEqual({
      AttributeName: 'Language',
      AttributeValue: 'Spanish',
      Level: 4,
    });
    expect(third.UserProficiencyList).toEqual([
      { AttributeName: 'Language', AttributeValue: 'Spanish', Level: 4 },
    ]);
    expect(first.LastModifiedRegion).toBe('us-east-1');
    const times = [first, second, third].map((r) => r.LastModifiedTime?.getTime() ?? 0);
    expect(times[1]).toBeGreaterThan(times[0] ?? 0);
    expect(times[2]).toBeGreaterThan(times[1] ?? 0);
    expect(await userModified()).toEqual(userBefore);
    const { User } = await f.connect.send(
      new DescribeUserCommand({ InstanceId: f.InstanceId, UserId: f.userId }),
    );
    expect(User).not.toHaveProperty('UserProficiencies');
  });

  it('rejects a proficiency whose attribute does not exist (404)', async () => {
    const f = await setup();

    await expectError(
      associate(f, [{ AttributeName: 'Skill', AttributeValue: 'English', Level: 1 }]),
      'ResourceNotFoundException',
      404,
    );
    expect((await listed(f)).UserProficiencyList).toEqual([]);
  });

  it('rejects a value the attribute does not hold (400)', async () => {
    const f = await setup();

    await expectError(
      associate(f, [{ AttributeName: 'Language', AttributeValue: 'Klingon', Level: 1 }]),
      'InvalidParameterException',
      400,
    );
  });

  it('takes levels 1, 2, 3, 4 and 5 only', async () => {
    const f = await setup();
    const level = (Level: number) =>
      associate(f, [{ AttributeName: 'Language', AttributeValue: 'French', Level }]);

    await expectError(level(0), 'InvalidParameterException', 400);
    await expectError(level(6), 'InvalidParameterException', 400);
    await expectError(level(2.5), 'InvalidParameterException', 400);
    await level(5);
  });

  it('rejects associating a pair already associated, and updating or disassociating one that is not (400)', async () => {
    const f = await setup();
    await associate(f, [{ AttributeName: 'Language', AttributeValue: 'English', Level: 3 }]);

    await expectError(
      associate(f, [{ AttributeName: 'Language', AttributeValue: 'English', Level: 4 }]),
      'InvalidRequestException',
      400,
    );
    await expectError(
      f.connect.send(
        new UpdateUserProficienciesCommand({
          InstanceId: f.InstanceId,
          UserId: f.userId,
          UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'French', Level: 2 }],
        }),
      ),
      'InvalidRequestException',
      400,
    );
    await expectError(
      f.connect.send(
        new DisassociateUserProficienciesCommand({
          InstanceId: f.InstanceId,
          UserId: f.userId,
          UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'Spanish' }],
        }),
      ),
      'InvalidRequestException',
      400,
    );
    expect((await listed(f)).UserProficiencyList).toEqual([
      { AttributeName: 'Language', AttributeValue: 'English', Level: 3 },
    ]);
  });

  it(`holds at most ${MAX_PROFICIENCIES_PER_USER} proficiencies per user (400)`, async () => {
    const f = await setup();
    const values = Array.from({ length: MAX_PROFICIENCIES_PER_USER + 1 }, (_, i) => `V${i}`);
    await f.connect.send(
      new CreatePredefinedAttributeCommand({
        InstanceId: f.InstanceId,
        Name: 'Skill',
        Values: { StringList: values },
      }),
    );
    const all = values.map((AttributeValue) => ({ AttributeName: 'Skill', AttributeValue, Level: 1 }));

    await associate(f, all.slice(0, MAX_PROFICIENCIES_PER_USER));
    await expectError(associate(f, all.slice(MAX_PROFICIENCIES_PER_USER)), 'InvalidRequestException', 400);
  });

  it('answers 404 for an unknown user', async () => {
    const f = await setup();

    await expectError(
      associate(
        f,
        [{ AttributeName: 'Language', AttributeValue: 'English', Level: 1 }],
        f.emulator.world.newId(),
      ),
      'ResourceNotFoundException',
      404,
    );
  });
});
