import {
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DescribeUserCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import {
  channelsBeyondPhoneConfig,
  phoneConfigBesideChannels,
  phoneConfigForUpdate,
  users,
} from '../../shared/kinds/users.js';
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

describe('per-channel settings of an existing user, without UpdateUserConfig', () => {
  const current = {
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 10 },
    AutoAcceptConfigs: [
      { Channel: 'VOICE', AutoAccept: false },
      { Channel: 'CHAT', AutoAccept: false },
    ],
    AfterContactWorkConfigs: [
      { Channel: 'VOICE', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 10 } },
      { Channel: 'CHAT', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 10 } },
    ],
  };

  it('lets through what UpdateUserPhoneConfig expresses, and writes it as PhoneConfig', () => {
    const desired = {
      ...current,
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: true, AfterContactWorkTimeLimit: 30 },
      AutoAcceptConfigs: [
        { Channel: 'CHAT', AutoAccept: false },
        { Channel: 'VOICE', AutoAccept: true },
      ],
      AfterContactWorkConfigs: [
        { Channel: 'VOICE', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30 } },
        { Channel: 'CHAT', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30 } },
      ],
    };
    const changed = ['AutoAcceptConfigs', 'AfterContactWorkConfigs', 'PhoneConfig'];
    expect(channelsBeyondPhoneConfig(changed, current, desired)).toEqual([]);
    expect(users.restore?.cannotUpdate?.(changed, current, desired)).toBeUndefined();
    expect(phoneConfigForUpdate(desired)).toEqual({
      PhoneType: 'SOFT_PHONE',
      AutoAccept: true,
      AfterContactWorkTimeLimit: 30,
    });
  });

  it('blocks, naming each list and channel, what only UpdateUserConfig could write', () => {
    const desired = {
      ...current,
      AutoAcceptConfigs: [
        { Channel: 'VOICE', AutoAccept: false },
        { Channel: 'CHAT', AutoAccept: true },
      ],
      AfterContactWorkConfigs: [
        { Channel: 'VOICE', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 10 } },
        { Channel: 'CHAT', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 60 } },
      ],
      VoiceEnhancementConfigs: [{ Channel: 'VOICE', VoiceEnhancementMode: 'VOICE_ISOLATION' }],
    };
    const changed = ['AfterContactWorkConfigs', 'AutoAcceptConfigs', 'VoiceEnhancementConfigs'];
    expect(channelsBeyondPhoneConfig(changed, current, desired)).toEqual([
      'AutoAcceptConfigs CHAT',
      'AfterContactWorkConfigs CHAT',
      'VoiceEnhancementConfigs VOICE',
    ]);
    expect(users.restore?.cannotUpdate?.(changed, current, desired)).toMatch(
      /^per-channel settings differ that UpdateUserPhoneConfig cannot write \(AutoAcceptConfigs CHAT, .*connect:UpdateUserConfig/,
    );
  });
});
