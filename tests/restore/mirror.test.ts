/**
 * Mode mirror: back up demo-source, then add to it what a point-in-time restore should take away (a
 * flow, a custom agent status, a queue with a routing profile that uses it, a claimed phone
 * number). Overwrite keeps them; a mirror's dry run lists every removal and what it keeps, and
 * writes nothing; a mirror without the safety snapshot is refused before anything is written; the
 * mirror deletes the flow, the routing profile and the queue (dependents first), disables the agent
 * status, keeps the phone number and verifies all of it; a second mirror changes nothing. Connect's
 * default resources are never removed.
 */
import {
  type ConnectClient,
  CreateAgentStatusCommand,
  CreateContactFlowCommand,
  CreateHoursOfOperationCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  CreateUserHierarchyGroupCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderContent } from '#shared/kinds/support/flow.js';
import {
  INSTANCE_DEFAULT_FLOWS,
  INSTANCE_DEFAULT_PROMPTS,
  INSTANCE_DEFAULT_SECURITY_PROFILES,
} from '#shared/kinds/support/removal.js';
import { DEFAULT_FLOW_NAMES } from '#shared/migrate/rename-flows.js';
import { formatSummary, type PlanEntry, type RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEFAULT_PROMPT_NAMES } from '../emulator/seeds/default-flows.js';
import { DEFAULT_SECURITY_PROFILES } from '../emulator/seeds/default-security-profiles.js';
import { claimPhoneNumber } from '../emulator/seeds/phone-numbers.js';
import type { SeedEnv } from '../emulator/seeds/support.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  runRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let connect: ConnectClient;
let instanceId: string;
let snapshotId: string;
const added = {
  flow: '',
  agentStatus: '',
  queue: '',
  routingProfile: '',
  user: '',
  groups: [] as string[],
  number: '+12065550187',
};

const state = () => {
  const found = emulator.world.instances.get(instanceId);
  if (!found) throw new Error('no demo-source');
  return found;
};

function restore(request: Omit<RestoreRequestInput, 'source'>): Promise<RestoreReport> {
  const client = emulatorClient(emulator, instanceNamed(emulator, 'demo-source'));
  emulator.propagation.settle();
  return runRestore(
    { source: { folder: folder.root, prefix: PREFIX, instanceId, snapshot: snapshotId }, ...request },
    {
      source: folder.store,
      targetConnect: client.client,
      targetStats: client.stats,
      sourceConnect: client.client,
      // The report, the lock and the safety snapshot go to the folder.
      reportStore: folder.store,
      verifyRetry: { attempts: 3, delayMs: 300 },
    },
  );
}

/** The user created since the snapshot, its security profile and its two groups. */
const POP_UP_PEOPLE = [
  { kind: 'users', name: 'popup.agent', action: 'remove', removal: 'delete' },
  { kind: 'security-profiles', name: 'PopUpSecurity', action: 'remove', removal: 'delete' },
  { kind: 'user-hierarchy-groups', name: 'Pop-up region', action: 'remove', removal: 'delete' },
  { kind: 'user-hierarchy-groups', name: 'Pop-up site', action: 'remove', removal: 'delete' },
] as const;

const removals = (report: RestoreReport): PlanEntry[] => report.entries.filter((e) => e.removal);
const brief = (entries: readonly PlanEntry[]) =>
  entries
    .map((e) => [e.kind, e.name, e.action, e.removal])
    .sort((a, b) => String(a).localeCompare(String(b)));

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const instance = instanceNamed(emulator, 'demo-source');
  instanceId = instance.id;
  connect = emulatorClient(emulator, instance).client;
  snapshotId = await backupOf(emulator, instance, folder.store, PREFIX);
  const before = await snapshotDocuments(folder.store, PREFIX, instanceId, snapshotId);
  const basicHours = before.documents['hours-of-operation'].find((d) => d.name === 'Basic Hours');
  if (!basicHours) throw new Error('no Basic Hours');

  // What was created in the instance since the snapshot.
  const InstanceId = instanceId;
  const flow = await connect.send(
    new CreateContactFlowCommand({
      InstanceId,
      Name: 'Created since the snapshot',
      Type: 'CONTACT_FLOW',
      Content: placeholderContent('Created since the snapshot', 'DisconnectParticipant'),
    }),
  );
  added.flow = flow.ContactFlowId ?? '';
  const status = await connect.send(
    new CreateAgentStatusCommand({ InstanceId, Name: 'Team offsite', State: 'ENABLED' }),
  );
  added.agentStatus = status.AgentStatusId ?? '';
  const queue = await connect.send(
    new CreateQueueCommand({ InstanceId, Name: 'Pop-up queue', HoursOfOperationId: basicHours.id }),
  );
  added.queue = queue.QueueId ?? '';
  emulator.propagation.settle();
  const profile = await connect.send(
    new CreateRoutingProfileCommand({
      InstanceId,
      Name: 'Pop-up profile',
      Description: 'Uses the pop-up queue',
      DefaultOutboundQueueId: added.queue,
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
      QueueConfigs: [{ QueueReference: { QueueId: added.queue, Channel: 'VOICE' }, Priority: 1, Delay: 0 }],
    }),
  );
  added.routingProfile = profile.RoutingProfileId ?? '';
  // A user on that profile, in a new security profile and a new group under a new parent group.
  const region = await connect.send(
    new CreateUserHierarchyGroupCommand({ InstanceId, Name: 'Pop-up region' }),
  );
  emulator.propagation.settle();
  const site = await connect.send(
    new CreateUserHierarchyGroupCommand({
      InstanceId,
      Name: 'Pop-up site',
      ParentGroupId: region.HierarchyGroupId,
    }),
  );
  added.groups = [region.HierarchyGroupId ?? '', site.HierarchyGroupId ?? ''];
  const security = await connect.send(
    new CreateSecurityProfileCommand({ InstanceId, SecurityProfileName: 'PopUpSecurity', Permissions: [] }),
  );
  emulator.propagation.settle();
  const user = await connect.send(
    new CreateUserCommand({
      InstanceId,
      Username: 'popup.agent',
      Password: 'Sup3rSecret-Pa55',
      IdentityInfo: { FirstName: 'Pop', LastName: 'Up' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      RoutingProfileId: added.routingProfile,
      SecurityProfileIds: [security.SecurityProfileId ?? ''],
      HierarchyGroupId: site.HierarchyGroupId,
    }),
  );
  added.user = user.UserId ?? '';
  claimPhoneNumber({ world: emulator.world, accounts: {} } as unknown as SeedEnv, state(), {
    number: added.number,
    type: 'DID',
    country: 'US',
  });
}, 120_000);

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
});

describe('mode mirror', () => {
  it('is refused without the safety snapshot, before anything is read or written', async () => {
    emulator.resetStats();

    const error = await rejectionOf(restore({ mode: 'mirror', safetySnapshot: false }));

    expect(error.name).toBe('RestoreInputError');
    expect(error.message).toContain('mode mirror removes resources and needs the safety snapshot');
    expect(error.message).toContain('--no-safety-snapshot');
    expect(Object.values(emulator.stats().operations).reduce((n, s) => n + s.calls, 0)).toBe(0);
  });

  it('is not overwrite: overwrite keeps what was created since the snapshot and plans no removal', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(removals(report)).toEqual([]);
    expect(report.counts.remove).toBeUndefined();
    expect(
      state()
        .flows.all()
        .some((f) => f.id === added.flow),
    ).toBe(true);
  });

  it('lists every removal and every resource it keeps in a dry run, and writes nothing', async () => {
    emulator.resetStats();

    const report = await restore({ mode: 'mirror', dryRun: true });

    expect(brief(removals(report))).toEqual(
      brief([
        { kind: 'flows', name: 'Created since the snapshot', action: 'remove', removal: 'delete' },
        { kind: 'agent-statuses', name: 'Team offsite', action: 'remove', removal: 'disable' },
        { kind: 'queues', name: 'Pop-up queue', action: 'remove', removal: 'delete' },
        { kind: 'routing-profiles', name: 'Pop-up profile', action: 'remove', removal: 'delete' },
        ...POP_UP_PEOPLE,
        { kind: 'phone-numbers', name: added.number, action: 'skip', removal: 'kept' },
      ] as PlanEntry[]),
    );
    // Dependents first: the user before its routing profile, security profile and group, the
    // routing profile before the queue it uses, the child group before its parent.
    const order = removals(report).map((e) => e.name);
    const goesBefore = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    goesBefore('popup.agent', 'Pop-up profile');
    goesBefore('popup.agent', 'PopUpSecurity');
    goesBefore('popup.agent', 'Pop-up site');
    goesBefore('Pop-up profile', 'Pop-up queue');
    goesBefore('Pop-up site', 'Pop-up region');
    const kept = report.entries.find((e) => e.removal === 'kept');
    expect(kept?.reason).toContain('never releases a claimed phone number');
    expect(report.counts.remove).toBe(8);
    expect(report.counts.create + report.counts.update).toBe(0);
    const summary = formatSummary(report);
    expect(summary).toContain('remove  flows "Created since the snapshot" (delete)');
    expect(summary).toContain('remove  agent-statuses "Team offsite" (disable)');
    expect(summary).toContain('Kept in the target although the snapshot does not have them (mirror) (1):');
    expect(summary).toContain('8 to remove');
    expect(Object.keys(emulator.stats().operations).filter(isMutating)).toEqual([]);
  });

  it("knows the new instance's defaults as the emulator's new-instance seed does", () => {
    // The flows are rename-flows' list too; tests/cli/rename-flows.test.ts checks it against the seed.
    expect(DEFAULT_FLOW_NAMES).toBe(INSTANCE_DEFAULT_FLOWS);
    expect([...INSTANCE_DEFAULT_PROMPTS].sort()).toEqual([...DEFAULT_PROMPT_NAMES].sort());
    expect([...INSTANCE_DEFAULT_SECURITY_PROFILES].sort()).toEqual(
      DEFAULT_SECURITY_PROFILES.map((p) => p.name).sort(),
    );
  });

  it('never removes a default resource of the instance', async () => {
    // Into demo-target (a new instance), renamed by the mapping: the target's own default flow and
    // Admin profile match nothing of the snapshot.
    const target = instanceNamed(emulator, 'demo-target');
    const report = await runRestore(
      {
        source: { folder: folder.root, prefix: PREFIX, instanceId, snapshot: snapshotId },
        target: { instanceId: target.id },
        mode: 'mirror',
        dryRun: true,
        filters: { kinds: ['flows', 'security-profiles'], names: ['Default agent hold', 'Admin'] },
        mappings: {
          ...CROSS_ACCOUNT_MAPPING,
          names: {
            flows: { 'Default agent hold': 'Default agent hold (restored)' },
            'security-profiles': { Admin: 'Admin (restored)' },
          },
        },
      },
      { source: folder.store, targetConnect: emulatorClient(emulator, target).client },
    );

    expect(
      removals(report)
        .map((e) => [e.name, e.action, e.reason])
        .sort(),
    ).toEqual([
      [
        'Admin',
        'skip',
        'kept: "Admin" is a security profile every Amazon Connect instance comes with; mirror never removes one',
      ],
      [
        'Default agent hold',
        'skip',
        'kept: "Default agent hold" is a flow every Amazon Connect instance comes with; mirror never removes one',
      ],
    ]);
  });

  it('removes only what the filters select', async () => {
    const report = await restore({
      mode: 'mirror',
      dryRun: true,
      filters: { kinds: ['queues', 'flows'], names: ['Pop*', 'Sales*'] },
    });

    expect(brief(removals(report))).toEqual(
      brief([{ kind: 'queues', name: 'Pop-up queue', action: 'remove', removal: 'delete' }] as PlanEntry[]),
    );
  });

  it('deletes and disables what the snapshot lacks, dependents first, keeps the phone number, and verifies it', async () => {
    const report = await restore({ mode: 'mirror', verify: true });

    expect(report.status).toBe('succeeded');
    expect(report.safetySnapshot?.rollback).toContain('--mode mirror');
    expect(brief(removals(report).filter((e) => e.outcome !== 'skipped'))).toEqual(
      brief([
        { kind: 'flows', name: 'Created since the snapshot', action: 'remove', removal: 'delete' },
        { kind: 'agent-statuses', name: 'Team offsite', action: 'remove', removal: 'disable' },
        { kind: 'queues', name: 'Pop-up queue', action: 'remove', removal: 'delete' },
        { kind: 'routing-profiles', name: 'Pop-up profile', action: 'remove', removal: 'delete' },
        ...POP_UP_PEOPLE,
      ] as PlanEntry[]),
    );
    expect(report.outcomes).toMatchObject({ removed: 7, disabled: 1 });
    expect(report.apiCalls).toMatchObject({
      DeleteContactFlow: 1,
      DeleteRoutingProfile: 1,
      DeleteQueue: 1,
      DeleteUser: 1,
      DeleteSecurityProfile: 1,
      DeleteUserHierarchyGroup: 2,
    });
    expect(
      state()
        .users.all()
        .some((u) => u.id === added.user),
    ).toBe(false);
    expect(
      state()
        .hierarchyGroups.all()
        .some((g) => added.groups.includes(g.id)),
    ).toBe(false);
    expect(report.apiCalls.ReleasePhoneNumber).toBeUndefined();
    expect(
      state()
        .flows.all()
        .some((f) => f.id === added.flow),
    ).toBe(false);
    expect(
      state()
        .queues.all()
        .some((q) => q.id === added.queue),
    ).toBe(false);
    expect(
      state()
        .routingProfiles.all()
        .some((p) => p.id === added.routingProfile),
    ).toBe(false);
    expect(
      state()
        .agentStatuses.all()
        .find((s) => s.id === added.agentStatus)?.entity.State,
    ).toBe('DISABLED');
    expect([...state().phoneNumbers.values()].some((n) => n.number === added.number)).toBe(true);
    // Verification read the target again and found the removed resources gone (or disabled).
    expect(report.verification?.differences).toEqual([]);
    expect(report.verification?.checked).toBe(
      report.entries.filter((e) =>
        ['created', 'updated', 'unchanged', 'removed', 'disabled'].includes(e.outcome ?? ''),
      ).length,
    );
  }, 120_000);

  it('changes nothing the second time: the disabled status is unchanged, the phone number still kept', async () => {
    const again = await restore({ mode: 'mirror' });

    expect(again.status).toBe('succeeded');
    expect(again.counts.create + again.counts.update + (again.counts.remove ?? 0)).toBe(0);
    expect(brief(removals(again))).toEqual(
      brief([
        { kind: 'agent-statuses', name: 'Team offsite', action: 'unchanged', removal: 'disable' },
        { kind: 'phone-numbers', name: added.number, action: 'skip', removal: 'kept' },
      ] as PlanEntry[]),
    );
    // Nothing to write, so no safety snapshot either.
    expect(again.safetySnapshot).toBeUndefined();
  }, 120_000);

  it('fails a removal Connect refuses while something the mirror keeps uses the resource, and says why', async () => {
    const InstanceId = instanceId;
    const hours = await connect.send(
      new CreateHoursOfOperationCommand({ InstanceId, Name: 'Late hours', TimeZone: 'UTC', Config: [] }),
    );
    emulator.propagation.settle();
    await connect.send(
      new CreateQueueCommand({
        InstanceId,
        Name: 'Late queue',
        HoursOfOperationId: hours.HoursOfOperationId,
      }),
    );

    // Only hours are mirrored: the queue created since stays, and it uses the hours.
    const report = await restore({ mode: 'mirror', filters: { kinds: ['hours-of-operation'] } });

    const entry = report.entries.find((e) => e.removal && e.name === 'Late hours');
    expect(entry?.outcome).toBe('failed');
    expect(entry?.error).toContain('ResourceInUseException');
    expect(entry?.error).toContain('Connect refuses to delete the hours of operation while it is in use');
    expect(report.status).toBe('failed');
    expect(
      state()
        .hoursOfOperations.all()
        .some((h) => h.id === hours.HoursOfOperationId),
    ).toBe(true);
  }, 120_000);
});
