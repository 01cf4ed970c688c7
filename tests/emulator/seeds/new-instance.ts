/**
 * Seed `new-instance`: what a freshly created Connect instance holds (new-instance-defaults.md),
 * created through the Connect API so it passes the same validation as clients' requests.
 *
 * Era: a current (2025) instance created in the console with an administrator: 20 flows (8 default,
 * 12 sample, including "Sample after contact work flow"), 7 prompts, BasicQueue, Basic Hours, Basic
 * Routing Profile, 4 security profiles (2022 permission sets), the 2 system agent statuses, the
 * instance attributes of an API-created instance with inbound and outbound calls enabled, and an
 * `admin` user. The six AWS-managed views every instance lists are answered by handlers/views.ts.
 */
import type { HoursOfOperationConfig } from '@aws-sdk/client-connect';
import { addSystemAgentStatuses } from '../handlers/agent-statuses.js';
import { wavBytes } from '../prompt-files.js';
import type { InstanceState, World } from '../state.js';
import { SeedClient } from './api.js';
import { DEFAULT_PROMPT_NAMES, defaultFlowSpecs } from './default-flows.js';
import { DEFAULT_SECURITY_PROFILES, type DefaultSecurityProfileName } from './default-security-profiles.js';
import { createFlows } from './flows.js';
import { type Ref, Refs } from './refs.js';
import type { SeedEnv, SeededInstance } from './support.js';
import {
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
} from './support.js';

/** The default resources of one instance, for seeds that build on them. */
export interface NewInstanceDefaults {
  basicQueue: Ref;
  basicHours: Ref;
  basicRoutingProfile: Ref;
  adminUser: Ref;
  securityProfiles: Record<DefaultSecurityProfileName, Ref>;
  /** Every default resource by type and name (flows, prompts, queues, …). */
  refs: Refs;
}

/** The administrator the console creates (its password is sent on create, never stored). */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'Emulator-Admin-2025';

/**
 * Instance attributes after creation with inbound and outbound calls enabled (§10), for every
 * `InstanceAttributeType` of the model (AUTO_MUTE_AGENT_ON_HOLD is newer than the SDK's enum).
 */
export const DEFAULT_INSTANCE_ATTRIBUTES: Readonly<Record<string, 'true' | 'false'>> = {
  INBOUND_CALLS: 'true',
  OUTBOUND_CALLS: 'true',
  CONTACTFLOW_LOGS: 'false',
  CONTACT_LENS: 'true',
  AUTO_RESOLVE_BEST_VOICES: 'true',
  USE_CUSTOM_TTS_VOICES: 'false',
  EARLY_MEDIA: 'true',
  MULTI_PARTY_CONFERENCE: 'false',
  AUTO_MUTE_AGENT_ON_HOLD: 'false',
  HIGH_VOLUME_OUTBOUND: 'false',
  ENHANCED_CONTACT_MONITORING: 'false',
  ENHANCED_CHAT_MONITORING: 'false',
  MULTI_PARTY_CHAT_CONFERENCE: 'false',
  MESSAGE_STREAMING: 'false',
};

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** Open all day every day: each day 00:00–00:00 (how Basic Hours is exported). */
export function openAllWeek(): HoursOfOperationConfig[] {
  return DAYS.map((Day) => ({ Day, StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } }));
}

/** The S3 location the seeds give prompt audio (its bytes are seeded, see {@link seededPromptAudio}). */
export function promptS3Uri(name: string): string {
  return `s3://amazon-connect-emulator-prompts/en-US/${encodeURIComponent(name)}`;
}

/**
 * Seeds a prompt's audio: a small µ-law WAV made from the prompt's name (444 bytes), found by
 * CreatePrompt at {@link promptS3Uri}. Returns that URI.
 */
export function seededPromptAudio(world: World, name: string): string {
  return world.promptFiles.seed(promptS3Uri(name), wavBytes(name));
}

/**
 * Creates the default resources of a new instance in `instance`: instance attributes and system
 * agent statuses (set directly: the API cannot create them), then CreatePrompt,
 * CreateHoursOfOperation, CreateQueue, CreateContactFlow (+ UpdateContactFlowContent for the
 * self-referencing inbound sample), CreateSecurityProfile, CreateRoutingProfile and CreateUser.
 */
export async function seedNewInstanceDefaults(
  env: SeedEnv,
  instance: InstanceState,
): Promise<NewInstanceDefaults> {
  const client = new SeedClient(env, instance);
  const refs = new Refs();

  for (const [type, value] of Object.entries(DEFAULT_INSTANCE_ATTRIBUTES))
    instance.attributes.set(type, value);
  addSystemAgentStatuses(env.world, instance);

  for (const name of DEFAULT_PROMPT_NAMES) {
    const prompt = await client.send('CreatePrompt', {
      Name: name,
      S3Uri: seededPromptAudio(env.world, name),
    });
    refs.prompts.set(name, { id: prompt.PromptId!, arn: prompt.PromptARN! });
  }

  const hours = await client.send('CreateHoursOfOperation', {
    Name: 'Basic Hours',
    Description: 'Always open hours',
    TimeZone: 'America/New_York',
    Config: openAllWeek(),
  });
  const basicHours = refs.hours.set('Basic Hours', {
    id: hours.HoursOfOperationId!,
    arn: hours.HoursOfOperationArn!,
  });

  const queue = await client.send('CreateQueue', {
    Name: 'BasicQueue',
    Description: 'A simple, basic voice queue.',
    HoursOfOperationId: basicHours.id,
  });
  const basicQueue = refs.queues.set('BasicQueue', { id: queue.QueueId!, arn: queue.QueueArn! });

  await createFlows(client, refs, defaultFlowSpecs(instance.region));

  for (const profile of DEFAULT_SECURITY_PROFILES) {
    const created = await client.send('CreateSecurityProfile', {
      SecurityProfileName: profile.name,
      Description: profile.description,
      Permissions: profile.permissions,
    });
    refs.securityProfiles.set(profile.name, {
      id: created.SecurityProfileId!,
      arn: created.SecurityProfileArn!,
    });
  }

  const routing = await client.send('CreateRoutingProfile', {
    Name: 'Basic Routing Profile',
    Description: 'A simple routing profile.',
    DefaultOutboundQueueId: basicQueue.id,
    AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
    MediaConcurrencies: [
      {
        Channel: 'VOICE',
        Concurrency: 1,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
      {
        Channel: 'CHAT',
        Concurrency: 2,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
      {
        Channel: 'TASK',
        Concurrency: 1,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
    ],
    QueueConfigs: (['VOICE', 'CHAT', 'TASK'] as const).map((Channel) => ({
      QueueReference: { QueueId: basicQueue.id, Channel },
      Priority: 1,
      Delay: 0,
    })),
  });
  const basicRoutingProfile = refs.routingProfiles.set('Basic Routing Profile', {
    id: routing.RoutingProfileId!,
    arn: routing.RoutingProfileArn!,
  });
  // The instance's default routing profile: no operation sets IsDefault.
  const routingRecord = instance.routingProfiles.find(basicRoutingProfile.id);
  if (routingRecord) routingRecord.entity.IsDefault = true;

  const admin = await client.send('CreateUser', {
    Username: ADMIN_USERNAME,
    // SAML and directory instances take no password: the service rejects one.
    ...(instance.identityManagementType === 'CONNECT_MANAGED' ? { Password: ADMIN_PASSWORD } : {}),
    // SAML instances reject an Email (UserIdentityInfo docs).
    IdentityInfo: {
      FirstName: 'Admin',
      LastName: 'User',
      ...(instance.identityManagementType === 'SAML' ? {} : { Email: 'admin@example.com' }),
    },
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
    SecurityProfileIds: [refs.securityProfiles.get('Admin').id],
    RoutingProfileId: basicRoutingProfile.id,
  });
  const adminUser = refs.users.set(ADMIN_USERNAME, { id: admin.UserId!, arn: admin.UserArn! });

  return {
    basicQueue,
    basicHours,
    basicRoutingProfile,
    adminUser,
    securityProfiles: {
      Admin: refs.securityProfiles.get('Admin'),
      Agent: refs.securityProfiles.get('Agent'),
      CallCenterManager: refs.securityProfiles.get('CallCenterManager'),
      QualityAnalyst: refs.securityProfiles.get('QualityAnalyst'),
    },
    refs,
  };
}

/** Seed `new-instance`: one instance (alias `new-instance`, default account and Region) with the defaults. */
export async function seedNewInstance(env: SeedEnv): Promise<SeededInstance> {
  const instance = createInstance(env, {
    alias: 'new-instance',
    accountId: DEFAULT_ACCOUNT_ID,
    region: DEFAULT_REGION,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
  });
  await seedNewInstanceDefaults(env, instance);
  return describeSeeded(instance, DEFAULT_ACCESS_KEY_ID);
}
