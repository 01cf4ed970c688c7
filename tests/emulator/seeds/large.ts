/**
 * Seed `large`: a deterministic, large instance for benchmarks (alias `large`, default account,
 * Region and access key). It is a new instance (with its defaults) filled up to the requested counts.
 *
 * The counts are TOTALS per type and include the new-instance defaults: 1 user (admin), 20 flows,
 * 1 STANDARD queue, 1 routing profile, 1 hours of operation, 7 prompts and 4 security profiles. A
 * count below the defaults is rejected. AGENT queues (one per user) are not counted in `queues`;
 * the 2 system agent statuses are always there.
 *
 * Generated flows reference queues, prompts, hours and modules; routing profiles reference queues;
 * users reference routing profiles, security profiles and hierarchy groups; quick connects of every
 * type reference users, queues and flows, and are linked to queues. Five claimed phone numbers ring
 * inbound flows.
 */
import type { ContactFlowType, QuickConnectConfig, RoutingProfileQueueConfig } from '@aws-sdk/client-connect';
import { SeedClient } from './api.js';
import { equalsEach, flowContent, openClosed } from './flow-language.js';
import { type NewInstanceDefaults, seededPromptAudio, seedNewInstanceDefaults } from './new-instance.js';
import { claimAndAssociate } from './phone-numbers.js';
import type { Ref } from './refs.js';
import type { SeedEnv, SeededInstance } from './support.js';
import {
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
} from './support.js';

/** How many resources of each type the `large` instance holds in total (defaults included). */
export interface LargeSeedCounts {
  users: number;
  flows: number;
  flowModules: number;
  /** STANDARD queues (AGENT queues come with the users). */
  queues: number;
  routingProfiles: number;
  hoursOfOperations: number;
  quickConnects: number;
  prompts: number;
  securityProfiles: number;
  hierarchyGroups: number;
}

export const DEFAULT_LARGE_COUNTS: LargeSeedCounts = {
  users: 5000,
  flows: 100,
  flowModules: 200,
  queues: 50,
  routingProfiles: 100,
  hoursOfOperations: 100,
  quickConnects: 100,
  prompts: 500,
  securityProfiles: 100,
  hierarchyGroups: 500,
};

/** Phone numbers the `large` instance has claimed (the default quota per instance), not a count. */
export const LARGE_PHONE_NUMBERS = 5;

/** What a new instance already holds, per counted type. */
export const NEW_INSTANCE_COUNTS: LargeSeedCounts = {
  users: 1,
  flows: 20,
  flowModules: 0,
  queues: 1,
  routingProfiles: 1,
  hoursOfOperations: 1,
  quickConnects: 0,
  prompts: 7,
  securityProfiles: 4,
  hierarchyGroups: 0,
};

const TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];

const PERMISSION_POOL = [
  'BasicAgentAccess',
  'OutboundCallAccess',
  'AccessMetrics',
  'ContactSearch.View',
  'Users.View',
  'Queues.View',
  'RoutingPolicies.View',
  'TransferDestinations.View',
  'HoursOfOperation.View',
  'Prompts.View',
  'ContactFlows.View',
  'AgentStates.View',
  'AgentGrouping.View',
  'ListenCallRecordings',
  'ManagerListenIn',
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const at = <T>(items: readonly T[], index: number): T => items[index % items.length]!;

/** Fills in defaults and checks every count against what a new instance already holds. */
export function resolveLargeCounts(counts: Partial<LargeSeedCounts> = {}): LargeSeedCounts {
  const resolved = { ...DEFAULT_LARGE_COUNTS, ...counts };
  for (const key of Object.keys(resolved) as Array<keyof LargeSeedCounts>) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < NEW_INSTANCE_COUNTS[key]) {
      throw new RangeError(
        `large seed: ${key} must be an integer of at least ${NEW_INSTANCE_COUNTS[key]} (the new-instance defaults are included), got ${value}`,
      );
    }
  }
  return resolved;
}

/** Hierarchy levels: about 2 % level one, 18 % level two, the rest level three. */
function levelSizes(total: number): [number, number, number] {
  if (total === 0) return [0, 0, 0];
  const one = Math.max(1, Math.round(total * 0.02));
  const two = Math.min(total - one, Math.round(total * 0.18));
  return [one, two, total - one - two];
}

/**
 * Creates the generated resources of the `large` instance through the Connect API:
 * UpdateUserHierarchyStructure, CreateUserHierarchyGroup, CreateHoursOfOperation, CreatePrompt,
 * CreateQueue, CreateSecurityProfile, CreateRoutingProfile, CreateContactFlowModule,
 * CreateContactFlow, CreateUser, CreateQuickConnect and AssociateQueueQuickConnects.
 */
async function fillLarge(
  client: SeedClient,
  defaults: NewInstanceDefaults,
  counts: LargeSeedCounts,
  phoneNumberOffset = 0,
): Promise<void> {
  const { refs } = defaults;
  const extra = (key: keyof LargeSeedCounts) => counts[key] - NEW_INSTANCE_COUNTS[key];

  // Hierarchy: Region / Site / Team.
  const [one, two, three] = levelSizes(counts.hierarchyGroups);
  if (one > 0) {
    await client.send('UpdateUserHierarchyStructure', {
      HierarchyStructure: {
        LevelOne: { Name: 'Region' },
        LevelTwo: { Name: 'Site' },
        LevelThree: { Name: 'Team' },
      },
    });
  }
  const createGroups = async (names: string[], parents: Ref[]): Promise<Ref[]> => {
    const created: Ref[] = [];
    for (const [i, name] of names.entries()) {
      const parent = parents.length > 0 ? at(parents, i) : undefined;
      const group = await client.send('CreateUserHierarchyGroup', {
        Name: name,
        ...(parent ? { ParentGroupId: parent.id } : {}),
      });
      created.push(
        refs.hierarchyGroups.set(name, { id: group.HierarchyGroupId!, arn: group.HierarchyGroupArn! }),
      );
    }
    return created;
  };
  const regions = await createGroups(
    Array.from({ length: one }, (_, i) => `Region ${pad(i + 1, 3)}`),
    [],
  );
  const sites = await createGroups(
    Array.from({ length: two }, (_, i) => `Site ${pad(i + 1, 4)}`),
    regions,
  );
  const teams = await createGroups(
    Array.from({ length: three }, (_, i) => `Team ${pad(i + 1, 5)}`),
    sites.length > 0 ? sites : regions,
  );
  const leafGroups = teams.length > 0 ? teams : sites.length > 0 ? sites : regions;

  const hours: Ref[] = [defaults.basicHours];
  for (let i = 0; i < extra('hoursOfOperations'); i++) {
    const start = 6 + (i % 4);
    const created = await client.send('CreateHoursOfOperation', {
      Name: `Hours ${pad(i + 1, 4)}`,
      Description: `Weekdays from ${start}:00, generated`,
      TimeZone: at(TIME_ZONES, i),
      Config: (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((Day) => ({
        Day,
        StartTime: { Hours: start, Minutes: (i % 2) * 30 },
        EndTime: { Hours: start + 8 + (i % 3), Minutes: 0 },
      })),
      Tags: { Generator: 'large' },
    });
    hours.push(
      refs.hours.set(`Hours ${pad(i + 1, 4)}`, {
        id: created.HoursOfOperationId!,
        arn: created.HoursOfOperationArn!,
      }),
    );
  }

  const prompts: Ref[] = refs.prompts.names().map((name) => refs.prompts.get(name));
  for (let i = 0; i < extra('prompts'); i++) {
    const name = `Prompt ${pad(i + 1, 5)}.wav`;
    const created = await client.send('CreatePrompt', {
      Name: name,
      Description: `Generated prompt ${i + 1}`,
      S3Uri: seededPromptAudio(client.env.world, name),
    });
    prompts.push(refs.prompts.set(name, { id: created.PromptId!, arn: created.PromptARN! }));
  }

  const queues: Ref[] = [defaults.basicQueue];
  for (let i = 0; i < extra('queues'); i++) {
    const name = `Queue ${pad(i + 1, 4)}`;
    const created = await client.send('CreateQueue', {
      Name: name,
      Description: `Generated queue ${i + 1}`,
      HoursOfOperationId: at(hours, i + 1).id,
      ...(i % 3 === 0 ? { MaxContacts: 10 + i } : {}),
      Tags: { Generator: 'large' },
    });
    queues.push(refs.queues.set(name, { id: created.QueueId!, arn: created.QueueArn! }));
  }

  const securityProfiles: Ref[] = [defaults.securityProfiles.Agent];
  for (let i = 0; i < extra('securityProfiles'); i++) {
    const name = `Security Profile ${pad(i + 1, 4)}`;
    const created = await client.send('CreateSecurityProfile', {
      SecurityProfileName: name,
      Description: `Generated security profile ${i + 1}`,
      Permissions: PERMISSION_POOL.slice(0, 2 + (i % (PERMISSION_POOL.length - 1))),
    });
    securityProfiles.push(
      refs.securityProfiles.set(name, { id: created.SecurityProfileId!, arn: created.SecurityProfileArn! }),
    );
  }

  const routingProfiles: Ref[] = [defaults.basicRoutingProfile];
  for (let i = 0; i < extra('routingProfiles'); i++) {
    const name = `Routing Profile ${pad(i + 1, 4)}`;
    const configs: RoutingProfileQueueConfig[] = [];
    const queueCount = Math.min(queues.length, 1 + (i % 3));
    for (let q = 0; q < queueCount; q++) {
      for (const Channel of ['VOICE', 'CHAT'] as const) {
        configs.push({
          QueueReference: { QueueId: at(queues, i + q).id, Channel },
          Priority: q + 1,
          Delay: q * 15,
        });
      }
    }
    const created = await client.send('CreateRoutingProfile', {
      Name: name,
      Description: `Generated routing profile ${i + 1}`,
      DefaultOutboundQueueId: at(queues, i).id,
      MediaConcurrencies: [
        { Channel: 'VOICE', Concurrency: 1 },
        { Channel: 'CHAT', Concurrency: 1 + (i % 5) },
        { Channel: 'TASK', Concurrency: 1 + (i % 3) },
      ],
      QueueConfigs: configs,
    });
    routingProfiles.push(
      refs.routingProfiles.set(name, { id: created.RoutingProfileId!, arn: created.RoutingProfileArn! }),
    );
  }

  const modules: Ref[] = [];
  for (let i = 0; i < extra('flowModules'); i++) {
    const name = `Module ${pad(i + 1, 4)}`;
    const prompt = at(prompts, i);
    const created = await client.send('CreateContactFlowModule', {
      Name: name,
      Description: `Generated flow module ${i + 1}`,
      Content: flowContent(name, [
        {
          key: 'prompt',
          type: 'MessageParticipant',
          parameters: { PromptId: prompt.arn },
          next: 'attributes',
          errors: { NoMatchingError: 'end' },
        },
        {
          key: 'attributes',
          type: 'UpdateContactAttributes',
          parameters: { Attributes: { Module: name }, TargetContact: 'Current' },
          next: 'end',
          errors: { NoMatchingError: 'end' },
        },
        { key: 'end', type: 'EndFlowModuleExecution' },
      ]),
    });
    modules.push(refs.flowModules.set(name, { id: created.Id!, arn: created.Arn! }));
  }

  const inboundFlows: Ref[] = [];
  for (let i = 0; i < extra('flows'); i++) {
    const name = `Flow ${pad(i + 1, 4)}`;
    const type: ContactFlowType = i % 5 === 4 ? 'CUSTOMER_QUEUE' : 'CONTACT_FLOW';
    const queue = at(queues, i);
    const prompt = at(prompts, i);
    const module = modules.length > 0 ? at(modules, i) : undefined;
    const content =
      type === 'CUSTOMER_QUEUE'
        ? flowContent(name, [
            {
              key: 'loop',
              type: 'MessageParticipantIteratively',
              parameters: { Messages: [{ Text: 'Please hold.' }, { PromptId: prompt.arn }] },
            },
          ])
        : flowContent(name, [
            {
              key: 'hours',
              type: 'CheckHoursOfOperation',
              parameters: { HoursOfOperationId: at(hours, i).arn },
              next: 'closed',
              errors: { NoMatchingError: 'closed' },
              conditions: openClosed('welcome', 'closed'),
            },
            {
              key: 'welcome',
              type: 'MessageParticipant',
              parameters: { PromptId: prompt.arn },
              next: module ? 'module' : 'menu',
              errors: { NoMatchingError: 'menu' },
            },
            ...(module
              ? [
                  {
                    key: 'module',
                    type: 'InvokeFlowModule',
                    parameters: { FlowModuleId: module.id },
                    next: 'menu',
                    errors: { NoMatchingError: 'menu' },
                  },
                ]
              : []),
            {
              key: 'menu',
              type: 'GetParticipantInput',
              parameters: {
                Text: 'Press 1 for the queue, 2 to leave.',
                StoreInput: 'False',
                InputTimeLimitSeconds: '5',
              },
              next: 'set-queue',
              errors: {
                NoMatchingCondition: 'set-queue',
                NoMatchingError: 'set-queue',
                InputTimeLimitExceeded: 'set-queue',
              },
              conditions: equalsEach({ 1: 'set-queue', 2: 'disconnect' }),
            },
            {
              key: 'set-queue',
              type: 'UpdateContactTargetQueue',
              parameters: { QueueId: queue.arn },
              next: 'transfer',
              errors: { NoMatchingError: 'closed' },
            },
            {
              key: 'transfer',
              type: 'TransferContactToQueue',
              next: 'closed',
              errors: { QueueAtCapacity: 'closed', NoMatchingError: 'closed' },
            },
            {
              key: 'closed',
              type: 'MessageParticipant',
              parameters: { Text: 'Goodbye.' },
              next: 'disconnect',
              errors: { NoMatchingError: 'disconnect' },
            },
            { key: 'disconnect', type: 'DisconnectParticipant' },
          ]);
    const created = await client.send('CreateContactFlow', {
      Name: name,
      Type: type,
      Description: `Generated flow ${i + 1}`,
      Status: 'PUBLISHED',
      Content: content,
      Tags: { Generator: 'large' },
    });
    const ref = refs.flows.set(name, { id: created.ContactFlowId!, arn: created.ContactFlowArn! });
    if (type === 'CONTACT_FLOW') inboundFlows.push(ref);
  }
  if (inboundFlows.length === 0) inboundFlows.push(refs.flows.get('Sample queue customer'));

  const users: Ref[] = [defaults.adminUser];
  for (let i = 0; i < extra('users'); i++) {
    const number = pad(i + 1, 5);
    const username = `agent${number}`;
    const created = await client.send('CreateUser', {
      Username: username,
      Password: `Large-Passw0rd-${number}`,
      IdentityInfo: { FirstName: 'Agent', LastName: number, Email: `${username}@example.com` },
      PhoneConfig: {
        PhoneType: 'SOFT_PHONE',
        AutoAccept: i % 2 === 0,
        AfterContactWorkTimeLimit: (i % 4) * 30,
      },
      SecurityProfileIds: [at(securityProfiles, i).id],
      RoutingProfileId: at(routingProfiles, i).id,
      ...(leafGroups.length > 0 ? { HierarchyGroupId: at(leafGroups, i).id } : {}),
    });
    users.push(refs.users.set(username, { id: created.UserId!, arn: created.UserArn! }));
  }

  const agentTransfer = refs.flows.get('Default agent transfer').id;
  const queueTransfer = refs.flows.get('Default queue transfer').id;
  const links = new Map<string, string[]>();
  for (let i = 0; i < counts.quickConnects; i++) {
    const name = `Quick Connect ${pad(i + 1, 4)}`;
    const kind = i % 4;
    const config: QuickConnectConfig =
      kind === 0
        ? { QuickConnectType: 'USER', UserConfig: { UserId: at(users, i).id, ContactFlowId: agentTransfer } }
        : kind === 1
          ? {
              QuickConnectType: 'QUEUE',
              QueueConfig: { QueueId: at(queues, i).id, ContactFlowId: queueTransfer },
            }
          : kind === 2
            ? {
                QuickConnectType: 'PHONE_NUMBER',
                PhoneConfig: { PhoneNumber: `+1206555${pad(i % 10000, 4)}` },
              }
            : { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: at(inboundFlows, i).id } };
    const created = await client.send('CreateQuickConnect', {
      Name: name,
      Description: `Generated quick connect ${i + 1}`,
      QuickConnectConfig: config,
    });
    refs.quickConnects.set(name, { id: created.QuickConnectId!, arn: created.QuickConnectARN! });
    const queueId = at(queues, i + 1).id;
    links.set(queueId, [...(links.get(queueId) ?? []), created.QuickConnectId!]);
  }
  for (const [QueueId, ids] of links) {
    for (let start = 0; start < ids.length; start += 50) {
      await client.send('AssociateQueueQuickConnects', {
        QueueId,
        QuickConnectIds: ids.slice(start, start + 50),
      });
    }
  }

  // The default quota of phone numbers per instance, each ringing an inbound flow.
  await claimAndAssociate(
    client,
    Array.from({ length: LARGE_PHONE_NUMBERS }, (_, i) => ({
      number: `+1425555${pad(100 + phoneNumberOffset + i, 4)}`,
      type: 'DID' as const,
      country: 'US' as const,
      description: `Generated line ${i + 1}`,
      flowId: at(inboundFlows, i).id,
    })),
  );
}

/**
 * Seed `large`: a new instance (alias `large`) filled up to `counts` (totals, defaults included;
 * see `DEFAULT_LARGE_COUNTS`), in-process through the same operations as clients (Create* for every
 * type, AssociateQueueQuickConnects). The default counts (5,000 users) take well under a second.
 * @throws RangeError when a count is below what a new instance already holds.
 */
export async function seedLarge(
  env: SeedEnv,
  counts: Partial<LargeSeedCounts> = {},
  /**
   * Where the instance is (the bench's several accounts; phone numbers are global, so each large
   * instance of one world needs its own `phoneNumberOffset`); default alias `large` in the default
   * account.
   */
  placement: {
    alias: string;
    accountId: string;
    region: string;
    accessKeyId: string;
    phoneNumberOffset?: number;
  } = {
    alias: 'large',
    accountId: DEFAULT_ACCOUNT_ID,
    region: DEFAULT_REGION,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
  },
): Promise<SeededInstance> {
  const resolved = resolveLargeCounts(counts);
  const { phoneNumberOffset, ...where } = placement;
  const instance = createInstance(env, where);
  const defaults = await seedNewInstanceDefaults(env, instance);
  await fillLarge(new SeedClient(env, instance), defaults, resolved, phoneNumberOffset);
  return describeSeeded(instance, placement.accessKeyId);
}
