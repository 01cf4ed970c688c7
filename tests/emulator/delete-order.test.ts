/**
 * The delete rules a mirror's removal order rests on (API Reference: the Delete operations listing
 * ResourceInUseException; connect-api-facts.md §7 "Deletion"). One chain of resources that reference
 * each other, deleted in restore order (dependencies first), is refused at each step with 409
 * ResourceInUseException naming what uses it; deleted in reverse restore order (dependents first)
 * every delete succeeds. Agent statuses have no delete operation: they are disabled.
 */
import {
  AssociateUserProficienciesCommand,
  CreateAgentStatusCommand,
  CreateHoursOfOperationCommand,
  CreatePredefinedAttributeCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  CreateUserHierarchyGroupCommand,
  DeleteHoursOfOperationCommand,
  DeletePredefinedAttributeCommand,
  DeleteQueueCommand,
  DeleteRoutingProfileCommand,
  DeleteSecurityProfileCommand,
  DeleteUserCommand,
  DeleteUserHierarchyGroupCommand,
  DescribeAgentStatusCommand,
  UpdateAgentStatusCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { expectError, type Harness, startWithInstance } from './testing.js';

interface Chain {
  groupId: string;
  hoursId: string;
  securityProfileId: string;
  queueId: string;
  routingProfileId: string;
  attribute: string;
  userId: string;
}

/** Hours ← queue ← routing profile ← user, who also has a security profile, a group and a proficiency. */
async function chain(h: Harness): Promise<Chain> {
  const InstanceId = h.InstanceId;
  const send = h.connect.send.bind(h.connect) as Harness['connect']['send'];
  await send(
    new UpdateUserHierarchyStructureCommand({
      InstanceId,
      HierarchyStructure: { LevelOne: { Name: 'Region' } },
    }),
  );
  const group = await send(new CreateUserHierarchyGroupCommand({ InstanceId, Name: 'EMEA' }));
  const hours = await send(
    new CreateHoursOfOperationCommand({ InstanceId, Name: 'Pop-up hours', TimeZone: 'UTC', Config: [] }),
  );
  const security = await send(
    new CreateSecurityProfileCommand({ InstanceId, SecurityProfileName: 'PopUp', Permissions: [] }),
  );
  const queue = await send(
    new CreateQueueCommand({
      InstanceId,
      Name: 'Pop-up queue',
      HoursOfOperationId: hours.HoursOfOperationId,
    }),
  );
  const profile = await send(
    new CreateRoutingProfileCommand({
      InstanceId,
      Name: 'Pop-up profile',
      Description: 'Uses the pop-up queue',
      DefaultOutboundQueueId: queue.QueueId,
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
    }),
  );
  await send(
    new CreatePredefinedAttributeCommand({ InstanceId, Name: 'Language', Values: { StringList: ['Irish'] } }),
  );
  const user = await send(
    new CreateUserCommand({
      InstanceId,
      Username: 'popup',
      Password: 'Sup3rSecret-Pa55',
      IdentityInfo: { FirstName: 'Pop', LastName: 'Up' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      RoutingProfileId: profile.RoutingProfileId,
      SecurityProfileIds: [security.SecurityProfileId ?? ''],
      HierarchyGroupId: group.HierarchyGroupId,
    }),
  );
  await send(
    new AssociateUserProficienciesCommand({
      InstanceId,
      UserId: user.UserId,
      UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'Irish', Level: 3 }],
    }),
  );
  return {
    groupId: group.HierarchyGroupId ?? '',
    hoursId: hours.HoursOfOperationId ?? '',
    securityProfileId: security.SecurityProfileId ?? '',
    queueId: queue.QueueId ?? '',
    routingProfileId: profile.RoutingProfileId ?? '',
    attribute: 'Language',
    userId: user.UserId ?? '',
  };
}

/** The deletes of the chain, in restore order (hierarchy, hours, security profiles, queues, …). */
function deletes(h: Harness, c: Chain) {
  const InstanceId = h.InstanceId;
  return [
    [
      'group',
      () => h.connect.send(new DeleteUserHierarchyGroupCommand({ InstanceId, HierarchyGroupId: c.groupId })),
    ],
    [
      'hours',
      () => h.connect.send(new DeleteHoursOfOperationCommand({ InstanceId, HoursOfOperationId: c.hoursId })),
    ],
    [
      'security profile',
      () =>
        h.connect.send(
          new DeleteSecurityProfileCommand({ InstanceId, SecurityProfileId: c.securityProfileId }),
        ),
    ],
    ['queue', () => h.connect.send(new DeleteQueueCommand({ InstanceId, QueueId: c.queueId }))],
    [
      'routing profile',
      () =>
        h.connect.send(new DeleteRoutingProfileCommand({ InstanceId, RoutingProfileId: c.routingProfileId })),
    ],
    [
      'attribute',
      () => h.connect.send(new DeletePredefinedAttributeCommand({ InstanceId, Name: c.attribute })),
    ],
    ['user', () => h.connect.send(new DeleteUserCommand({ InstanceId, UserId: c.userId }))],
  ] as const;
}

describe('deleting resources that reference each other', () => {
  it('refuses every delete in restore order with 409 ResourceInUseException while something uses the resource', async () => {
    const h = await startWithInstance();
    const c = await chain(h);

    const refused: string[] = [];
    for (const [what, remove] of deletes(h, c).slice(0, -1)) {
      const error = await expectError(remove(), 'ResourceInUseException', 409);
      refused.push(what);
      expect(error.message).toMatch(/user|queue|routing profile|proficiencies/);
    }

    expect(refused).toEqual(['group', 'hours', 'security profile', 'queue', 'routing profile', 'attribute']);
    expect(h.instance.queues.all().some((q) => q.id === c.queueId)).toBe(true);
  });

  it('deletes every one in reverse restore order (dependents first), as a mirror removes them', async () => {
    const h = await startWithInstance();
    const c = await chain(h);

    for (const [, remove] of [...deletes(h, c)].reverse()) await remove();

    expect(h.instance.users.size).toBe(0);
    expect(h.instance.routingProfiles.all().some((p) => p.id === c.routingProfileId)).toBe(false);
    expect(h.instance.queues.all().some((q) => q.id === c.queueId)).toBe(false);
    expect(h.instance.hoursOfOperations.all().some((o) => o.id === c.hoursId)).toBe(false);
    expect(h.instance.hierarchyGroups.all().some((g) => g.id === c.groupId)).toBe(false);
  });

  it('has no DeleteAgentStatus: an agent status is disabled with UpdateAgentStatus instead', async () => {
    const h = await startWithInstance();
    const InstanceId = h.InstanceId;
    const created = await h.connect.send(
      new CreateAgentStatusCommand({ InstanceId, Name: 'Offsite', State: 'ENABLED' }),
    );

    await h.connect.send(
      new UpdateAgentStatusCommand({ InstanceId, AgentStatusId: created.AgentStatusId, State: 'DISABLED' }),
    );

    const { AgentStatus } = await h.connect.send(
      new DescribeAgentStatusCommand({ InstanceId, AgentStatusId: created.AgentStatusId }),
    );
    expect(AgentStatus?.State).toBe('DISABLED');
    const response = await fetch(
      `${h.emulator.endpoint}/agent-status/${InstanceId}/${created.AgentStatusId}`,
      {
        method: 'DELETE',
      },
    );
    expect(response.ok).toBe(false);
  });
});
