import {
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DescribeUserCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { phoneConfigBesideChannels } from '../../shared/kinds/users.js';
import { addRoutingProfile, startWithInstance } from '../emulator/testing.js';

describe('the users restore payload: PhoneConfig beside the per-channel lists', () => {
  it('leaves out every PhoneConfig member whose per-channel twin is given, and keeps the rest', () => {
    expect(
      phoneConfigBesideChannels({
        PhoneConfig: {
          PhoneType: 'DESK_PHONE',
          DeskPhoneNumber: '+12065550111',
          AutoAccept: true,
          AfterContactWorkTimeLimit: 30,
          PersistentConnection: false,
        },
        PhoneNumberConfigs: [{ Channel: 'VOICE', PhoneType: 'DESK_PHONE', PhoneNumber: '+12065550111' }],
        AutoAcceptConfigs: [{ Channel: 'VOICE', AutoAccept: true }],
      }),
    ).toEqual({ AfterContactWorkTimeLimit: 30, PersistentConnection: false });
    expect(
      phoneConfigBesideChannels({
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
        PhoneNumberConfigs: [],
        AutoAcceptConfigs: [],
        AfterContactWorkConfigs: [],
      }),
    ).toBeUndefined();
    expect(phoneConfigBesideChannels({ PhoneConfig: { PhoneType: 'SOFT_PHONE' } })).toEqual({
      PhoneType: 'SOFT_PHONE',
    });
  });

  it('makes a CreateUser the emulator accepts from what DescribeUser returned', async () => {
    const h = await startWithInstance({
      alias: 'users',
      arrange: (main, env) => {
        addRoutingProfile(main, env.world.newId(), 'Basic Routing Profile');
      },
    });
    const sp = await h.connect.send(
      new CreateSecurityProfileCommand({ InstanceId: h.InstanceId, SecurityProfileName: 'Agent' }),
    );
    const base = {
      InstanceId: h.InstanceId,
      Password: 'Sup3rSecret-Pa55',
      IdentityInfo: { FirstName: 'Test', LastName: 'Agent' },
      RoutingProfileId: h.instance.routingProfiles.all()[0]!.id,
      SecurityProfileIds: [sp.SecurityProfileId!],
    };
    const { UserId } = await h.connect.send(
      new CreateUserCommand({
        ...base,
        Username: 'source',
        AutoAcceptConfigs: [{ Channel: 'VOICE', AutoAccept: true }],
        PhoneNumberConfigs: [{ Channel: 'VOICE', PhoneType: 'SOFT_PHONE' }],
      }),
    );
    const user = (await h.connect.send(new DescribeUserCommand({ InstanceId: h.InstanceId, UserId }))).User!;
    const desired = { ...user } as unknown as Record<string, unknown>;
    expect(user.PhoneConfig).toEqual({
      PhoneType: 'SOFT_PHONE',
      AutoAccept: true,
      AfterContactWorkTimeLimit: 0,
    });

    await h.connect.send(
      new CreateUserCommand({
        ...base,
        Username: 'copy',
        PhoneConfig: phoneConfigBesideChannels(desired),
        AutoAcceptConfigs: user.AutoAcceptConfigs,
        PhoneNumberConfigs: user.PhoneNumberConfigs,
      }),
    );
    expect(h.instance.users.size).toBe(2);
  });
});
