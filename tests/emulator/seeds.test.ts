/**
 * The emulator's seeds, read back through the real SDK over HTTP: `new-instance` holds exactly the
 * documented defaults, `demo` builds a small contact center and a target in another account and
 * Region, `large` produces exactly the requested counts.
 */
import {
  ConnectClient,
  type ContactFlow,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeHoursOfOperationCommand,
  DescribeInstanceCommand,
  DescribeQueueCommand,
  DescribeRoutingProfileCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListInstanceAttributesCommand,
  ListTagsForResourceCommand,
  paginateListAgentStatuses,
  paginateListBots,
  paginateListContactFlowModules,
  paginateListContactFlows,
  paginateListHoursOfOperations,
  paginateListInstances,
  paginateListLambdaFunctions,
  paginateListPredefinedAttributes,
  paginateListPrompts,
  paginateListQueueQuickConnects,
  paginateListQueues,
  paginateListQuickConnects,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateListUserHierarchyGroups,
  paginateListUserProficiencies,
  paginateListUsers,
  UpdateContactFlowContentCommand,
  UpdateContactFlowModuleContentCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueTypeOf } from './handlers/queues.js';
import { type ConnectEmulator, startConnectEmulator } from './index.js';
import { runSeed, type SeedName } from './seeds/index.js';
import { DEFAULT_LARGE_COUNTS } from './seeds/large.js';
import { World } from './state.js';

const SECRET = 'emulator-secret';

function client(emulator: ConnectEmulator, accessKeyId: string, region: string): ConnectClient {
  return new ConnectClient({
    endpoint: emulator.endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: SECRET },
    maxAttempts: 1,
  });
}

/** Starts the emulator with `seed` and connects to its instance `alias` with that instance's own key. */
async function startSeed(
  seed: SeedName,
  alias: string,
): Promise<{ emulator: ConnectEmulator; connect: ConnectClient; InstanceId: string }> {
  const emulator = await startConnectEmulator({ seed, throttle: { enabled: false } });
  const instance = emulator.instances.find((i) => i.alias === alias)!;
  return {
    emulator,
    connect: client(emulator, instance.accessKeyId, instance.region),
    InstanceId: instance.id,
  };
}

/** Each seeded instance's alias, account, Region and access key. */
function placesOf(emulator: ConnectEmulator) {
  return emulator.instances.map(({ alias, accountId, region, accessKeyId }) => ({
    alias,
    accountId,
    region,
    accessKeyId,
  }));
}

/** Every item of a paginated listing. */
async function all<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

/** Every resource count of one instance, as a client sees it. */
async function countsOf(connect: ConnectClient, InstanceId: string): Promise<Record<string, number>> {
  const c = { client: connect };
  const lengths = await Promise.all([
    all(paginateListContactFlows(c, { InstanceId }), (p) => p.ContactFlowSummaryList),
    all(paginateListContactFlowModules(c, { InstanceId }), (p) => p.ContactFlowModulesSummaryList),
    all(paginateListPrompts(c, { InstanceId }), (p) => p.PromptSummaryList),
    all(paginateListHoursOfOperations(c, { InstanceId }), (p) => p.HoursOfOperationSummaryList),
    all(paginateListQueues(c, { InstanceId, QueueTypes: ['STANDARD'] }), (p) => p.QueueSummaryList),
    all(paginateListQueues(c, { InstanceId, QueueTypes: ['AGENT'] }), (p) => p.QueueSummaryList),
    all(paginateListRoutingProfiles(c, { InstanceId }), (p) => p.RoutingProfileSummaryList),
    all(paginateListSecurityProfiles(c, { InstanceId }), (p) => p.SecurityProfileSummaryList),
    all(paginateListUsers(c, { InstanceId }), (p) => p.UserSummaryList),
    all(paginateListUserHierarchyGroups(c, { InstanceId }), (p) => p.UserHierarchyGroupSummaryList),
    all(paginateListQuickConnects(c, { InstanceId }), (p) => p.QuickConnectSummaryList),
    all(paginateListAgentStatuses(c, { InstanceId }), (p) => p.AgentStatusSummaryList),
    all(paginateListLambdaFunctions(c, { InstanceId }), (p) => p.LambdaFunctions),
    all(paginateListBots(c, { InstanceId, LexVersion: 'V2' }), (p) => p.LexBots),
  ]);
  const names = [
    'flows',
    'flowModules',
    'prompts',
    'hoursOfOperations',
    'standardQueues',
    'agentQueues',
    'routingProfiles',
    'securityProfiles',
    'users',
    'hierarchyGroups',
    'quickConnects',
    'agentStatuses',
    'lambdaFunctions',
    'lexV2Bots',
  ];
  return Object.fromEntries(names.map((name, i) => [name, lengths[i]!.length]));
}

/** The documented flows of a new instance: name → [type, description] (new-instance-defaults.md §2). */
const DEFAULT_FLOWS: Record<string, [string, string]> = {
  'Default agent hold': ['AGENT_HOLD', 'Audio played for the agent when on hold'],
  'Default agent transfer': ['AGENT_TRANSFER', 'Default flow to transfer to an agent.'],
  'Default agent whisper': ['AGENT_WHISPER', 'Default whisper played to the agent.'],
  'Default customer hold': ['CUSTOMER_HOLD', 'Default audio the customer hears while on hold.'],
  'Default customer queue': ['CUSTOMER_QUEUE', 'Default audio played when a customer is waiting in queue.'],
  'Default customer whisper': ['CUSTOMER_WHISPER', 'Default whisper played to the customer'],
  'Default outbound': ['OUTBOUND_WHISPER', 'Default flow for outbound calls.'],
  'Default queue transfer': ['QUEUE_TRANSFER', 'Default flow used to transfer to a queue.'],
  'Sample inbound flow (first contact experience)': ['CONTACT_FLOW', 'First contact experience'],
  'Sample AB test': ['CONTACT_FLOW', 'Performs A/B call distribution'],
  'Sample disconnect flow': [
    'CONTACT_FLOW',
    'Enables customer to transfer to another flow after the agent has disconnected.',
  ],
  'Sample interruptible queue flow with callback': [
    'CUSTOMER_QUEUE',
    'Plays looping audio and offers a callback to the customer every thirty seconds',
  ],
  'Sample Lambda integration': [
    'CONTACT_FLOW',
    'Invokes a lambda function to determine information about the user.',
  ],
  'Sample note for screenpop': [
    'CONTACT_FLOW',
    'Screenpop is a Contact control pannel feature that allows loading a web page optionally with parameters based on attributes. Refer to the screenpop documentation for more information.',
  ],
  'Sample queue configurations flow': [
    'CONTACT_FLOW',
    'Puts a customer in queue and gives them the option to be first in queue, last in queue or to be called back.',
  ],
  'Sample queue customer': ['CONTACT_FLOW', 'Places the customer in a queue.'],
  'Sample recording behavior': ['CONTACT_FLOW', 'Sample flow to enable recording behavior'],
  'Sample secure input with agent': [
    'QUEUE_TRANSFER',
    'Puts agent on hold, enabling the customer to enter digits in private. In a real world implementation, enabling encryption is likely preferred.',
  ],
  'Sample secure input with no agent': [
    'CONTACT_FLOW',
    'Enables the customer to enter digits in private. In a real world implementation, enabling encryption is likely preferred.',
  ],
  'Sample after contact work flow': ['CONTACT_FLOW', 'Sample flow to show guides in after contact work.'],
};

const DEFAULT_PROMPTS = [
  'Beep.wav',
  'CustomerHold.wav',
  'CustomerQueue.wav',
  'Music_Jazz_MyTimetoFly_Inst.wav',
  'Music_Pop_ThisAndThatIsLife_Inst.wav',
  'Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav',
  'Music_Rock_EverywhereTheSunShines_Inst.wav',
];

const NEW_INSTANCE_COUNTS = {
  flows: 20,
  flowModules: 0,
  prompts: 7,
  hoursOfOperations: 1,
  standardQueues: 1,
  agentQueues: 1,
  routingProfiles: 1,
  securityProfiles: 4,
  users: 1,
  hierarchyGroups: 0,
  quickConnects: 0,
  agentStatuses: 2,
  lambdaFunctions: 0,
  lexV2Bots: 0,
};

const byName = <T extends { Name?: string }>(items: T[]) =>
  [...items].sort((a, b) => a.Name!.localeCompare(b.Name!));

async function describeAllFlows(connect: ConnectClient, InstanceId: string): Promise<ContactFlow[]> {
  const summaries = await all(
    paginateListContactFlows({ client: connect }, { InstanceId }),
    (p) => p.ContactFlowSummaryList,
  );
  return Promise.all(
    summaries.map(
      async (s) =>
        (await connect.send(new DescribeContactFlowCommand({ InstanceId, ContactFlowId: s.Id! })))
          .ContactFlow!,
    ),
  );
}

describe('seed new-instance', () => {
  let emulator: ConnectEmulator;
  let connect: ConnectClient;
  let InstanceId: string;

  beforeAll(async () => {
    ({ emulator, connect, InstanceId } = await startSeed('new-instance', 'new-instance'));
  });
  afterAll(() => emulator.close());

  it('creates one instance, alias new-instance, in the default account and Region', () => {
    expect(placesOf(emulator)).toEqual([
      {
        alias: 'new-instance',
        accountId: '111122223333',
        region: 'us-east-1',
        accessKeyId: 'AKIAEMULATORDEFAULT1',
      },
    ]);
  });

  it('holds exactly the documented resource counts', async () => {
    expect(await countsOf(connect, InstanceId)).toEqual(NEW_INSTANCE_COUNTS);
  });

  it('holds the 20 default and sample flows with their exact names, types and descriptions, all published', async () => {
    const flows = await describeAllFlows(connect, InstanceId);

    const seen = Object.fromEntries(flows.map((f) => [f.Name!, [f.Type!, f.Description!]]));
    expect(seen).toEqual(DEFAULT_FLOWS);
    expect(new Set(flows.map((f) => `${f.Status}/${f.State}`))).toEqual(new Set(['PUBLISHED/ACTIVE']));
    expect(flows.filter((f) => Object.keys(f.Tags ?? {}).length > 0)).toEqual([]);
  });

  it('writes flow content that references the instance’s own prompts, queue and flows', async () => {
    const flows = await describeAllFlows(connect, InstanceId);
    const prompts = await all(
      paginateListPrompts({ client: connect }, { InstanceId }),
      (p) => p.PromptSummaryList,
    );
    const queues = await all(
      paginateListQueues({ client: connect }, { InstanceId, QueueTypes: ['STANDARD'] }),
      (p) => p.QueueSummaryList,
    );
    const flow = (name: string) => flows.find((f) => f.Name === name)!;
    const prompt = (name: string) => prompts.find((p) => p.Name === name)!.Arn!;
    const version = new Set(flows.map((f) => JSON.parse(f.Content!).Version));

    expect(version).toEqual(new Set(['2019-10-30']));
    expect(flow('Default customer hold').Content).toContain(prompt('Music_Jazz_MyTimetoFly_Inst.wav'));
    expect(flow('Default customer queue').Content).toContain(prompt('Music_Pop_ThisAndThatIsLife_Inst.wav'));
    expect(flow('Sample queue customer').Content).toContain(queues[0]!.Arn!);
    expect(flow('Sample queue configurations flow').Content).toContain(flow('Default customer queue').Arn!);
    const inbound = flow('Sample inbound flow (first contact experience)');
    expect(inbound.Content).toContain(inbound.Arn!);
    expect(inbound.Content).toContain(flow('Sample disconnect flow').Arn!);
  });

  it('holds the 7 default prompts by exact name', async () => {
    const prompts = await all(
      paginateListPrompts({ client: connect }, { InstanceId }),
      (p) => p.PromptSummaryList,
    );

    expect(prompts.map((p) => p.Name).sort()).toEqual(DEFAULT_PROMPTS);
  });

  it('holds BasicQueue on Basic Hours, open all week in America/New_York', async () => {
    const [summary] = await all(
      paginateListQueues({ client: connect }, { InstanceId, QueueTypes: ['STANDARD'] }),
      (p) => p.QueueSummaryList,
    );
    const { Queue } = await connect.send(new DescribeQueueCommand({ InstanceId, QueueId: summary!.Id! }));
    const { HoursOfOperation } = await connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId, HoursOfOperationId: Queue!.HoursOfOperationId! }),
    );

    expect({ Name: Queue!.Name, Description: Queue!.Description, Status: Queue!.Status }).toEqual({
      Name: 'BasicQueue',
      Description: 'A simple, basic voice queue.',
      Status: 'ENABLED',
    });
    expect(Queue!.OutboundCallerConfig ?? {}).toEqual({});
    expect({
      Name: HoursOfOperation!.Name,
      Description: HoursOfOperation!.Description,
      TimeZone: HoursOfOperation!.TimeZone,
    }).toEqual({ Name: 'Basic Hours', Description: 'Always open hours', TimeZone: 'America/New_York' });
    expect(
      HoursOfOperation!
        .Config!.map(
          (c) =>
            `${c.Day} ${c.StartTime!.Hours}:${c.StartTime!.Minutes}-${c.EndTime!.Hours}:${c.EndTime!.Minutes}`,
        )
        .sort(),
    ).toEqual(
      ['FRIDAY', 'MONDAY', 'SATURDAY', 'SUNDAY', 'THURSDAY', 'TUESDAY', 'WEDNESDAY'].map(
        (d) => `${d} 0:0-0:0`,
      ),
    );
  });

  it('holds Basic Routing Profile as the default, with BasicQueue on voice, chat and task', async () => {
    const [summary] = await all(
      paginateListRoutingProfiles({ client: connect }, { InstanceId }),
      (p) => p.RoutingProfileSummaryList,
    );
    const { RoutingProfile } = await connect.send(
      new DescribeRoutingProfileCommand({ InstanceId, RoutingProfileId: summary!.Id! }),
    );
    const configs = await all(
      paginateListRoutingProfileQueues({ client: connect }, { InstanceId, RoutingProfileId: summary!.Id! }),
      (p) => p.RoutingProfileQueueConfigSummaryList,
    );

    expect({
      Name: RoutingProfile!.Name,
      Description: RoutingProfile!.Description,
      IsDefault: RoutingProfile!.IsDefault,
      MediaConcurrencies: RoutingProfile!.MediaConcurrencies,
    }).toEqual({
      Name: 'Basic Routing Profile',
      Description: 'A simple routing profile.',
      IsDefault: true,
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
    });
    expect(configs.map((c) => [c.QueueName, c.Channel, c.Priority, c.Delay])).toEqual([
      ['BasicQueue', 'VOICE', 1, 0],
      ['BasicQueue', 'CHAT', 1, 0],
      ['BasicQueue', 'TASK', 1, 0],
    ]);
    expect(RoutingProfile!.DefaultOutboundQueueId).toBe(configs[0]!.QueueId);
  });

  it('holds the four security profiles with their exact descriptions and permissions', async () => {
    const profiles = await all(
      paginateListSecurityProfiles({ client: connect }, { InstanceId }),
      (p) => p.SecurityProfileSummaryList,
    );
    const described = await Promise.all(
      byName(profiles).map(async (p) => {
        const { SecurityProfile } = await connect.send(
          new DescribeSecurityProfileCommand({ InstanceId, SecurityProfileId: p.Id! }),
        );
        const permissions = await all(
          paginateListSecurityProfilePermissions(
            { client: connect },
            { InstanceId, SecurityProfileId: p.Id! },
          ),
          (page) => page.Permissions,
        );
        return [SecurityProfile!.SecurityProfileName, SecurityProfile!.Description, permissions.length];
      }),
    );

    expect(described).toEqual([
      ['Admin', 'An administrator can perform all actions available.', 72],
      [
        'Agent',
        'An agent is a user of the system that is focused on customer care and/or sales.  Their role is unlikely to be technical.',
        6,
      ],
      [
        'CallCenterManager',
        'A call center manager (or call center admin) manages the day-to-day aspects of the call center.',
        37,
      ],
      [
        'QualityAnalyst',
        'A quality analyst works to improve the customer experience and keeps track of live service metrics.',
        4,
      ],
    ]);
  });

  it('holds the system agent statuses Available and Offline', async () => {
    const statuses = await all(
      paginateListAgentStatuses({ client: connect }, { InstanceId }),
      (p) => p.AgentStatusSummaryList,
    );

    expect(statuses.map((s) => [s.Name, s.Type])).toEqual([
      ['Available', 'ROUTABLE'],
      ['Offline', 'OFFLINE'],
    ]);
  });

  it('holds the admin user with the Admin security profile and Basic Routing Profile', async () => {
    const [summary] = await all(
      paginateListUsers({ client: connect }, { InstanceId }),
      (p) => p.UserSummaryList,
    );
    const { User } = await connect.send(new DescribeUserCommand({ InstanceId, UserId: summary!.Id! }));
    const profiles = await all(
      paginateListSecurityProfiles({ client: connect }, { InstanceId }),
      (p) => p.SecurityProfileSummaryList,
    );
    const routing = await all(
      paginateListRoutingProfiles({ client: connect }, { InstanceId }),
      (p) => p.RoutingProfileSummaryList,
    );

    expect(User!.Username).toBe('admin');
    expect(User!.SecurityProfileIds).toEqual([profiles.find((p) => p.Name === 'Admin')!.Id]);
    expect(User!.RoutingProfileId).toBe(routing[0]!.Id);
    expect(JSON.stringify(User)).not.toContain('Emulator-Admin-2025');
  });

  it('sets the documented instance attributes', async () => {
    const pages = await all(
      (async function* () {
        let NextToken: string | undefined;
        do {
          const page = await connect.send(new ListInstanceAttributesCommand({ InstanceId, NextToken }));
          yield page;
          NextToken = page.NextToken;
        } while (NextToken);
      })(),
      (p) => p.Attributes,
    );
    const attributes = Object.fromEntries(pages.map((a) => [a.AttributeType, a.Value]));

    expect(attributes).toMatchObject({
      INBOUND_CALLS: 'true',
      OUTBOUND_CALLS: 'true',
      CONTACTFLOW_LOGS: 'false',
      CONTACT_LENS: 'true',
      AUTO_RESOLVE_BEST_VOICES: 'true',
      EARLY_MEDIA: 'true',
      MULTI_PARTY_CONFERENCE: 'false',
      USE_CUSTOM_TTS_VOICES: 'false',
    });
  });
});

const SOURCE_KEY = 'AKIAEMULATORSOURCE01';
const TARGET_KEY = 'AKIAEMULATORTARGET01';

describe('seed demo', () => {
  let emulator: ConnectEmulator;
  let source: ConnectClient;
  let InstanceId: string;

  beforeAll(async () => {
    ({ emulator, connect: source, InstanceId } = await startSeed('demo', 'demo-source'));
  });
  afterAll(() => emulator.close());

  it('creates demo-source and demo-target with their own accounts, Regions and access keys', () => {
    expect(placesOf(emulator)).toEqual([
      { alias: 'demo-source', accountId: '111122223333', region: 'us-east-1', accessKeyId: SOURCE_KEY },
      { alias: 'demo-target', accountId: '444455556666', region: 'eu-west-2', accessKeyId: TARGET_KEY },
    ]);
  });

  it('gives demo-source the stated counts: the defaults plus the contact center', async () => {
    expect(await countsOf(source, InstanceId)).toEqual({
      flows: 32,
      flowModules: 2,
      prompts: 9,
      hoursOfOperations: 4,
      standardQueues: 7,
      agentQueues: 41,
      routingProfiles: 5,
      securityProfiles: 6,
      users: 41,
      hierarchyGroups: 11,
      quickConnects: 9,
      agentStatuses: 6,
      lambdaFunctions: 3,
      lexV2Bots: 1,
    });
  });

  it('closes a flow ↔ queue cycle: Customer Support’s outbound flow is a whisper that names the queue', async () => {
    const queues = await all(
      paginateListQueues({ client: source }, { InstanceId, QueueTypes: ['STANDARD'] }),
      (p) => p.QueueSummaryList,
    );
    const queue = queues.find((q) => q.Name === 'Customer Support')!;
    const { Queue } = await source.send(new DescribeQueueCommand({ InstanceId, QueueId: queue.Id! }));
    const { ContactFlow } = await source.send(
      new DescribeContactFlowCommand({
        InstanceId,
        ContactFlowId: Queue!.OutboundCallerConfig!.OutboundFlowId!,
      }),
    );

    expect([ContactFlow!.Name, ContactFlow!.Type, ContactFlow!.Status]).toEqual([
      'Outbound Support Whisper',
      'OUTBOUND_WHISPER',
      'PUBLISHED',
    ]);
    expect(ContactFlow!.Content).toContain(queue.Arn!);
  });

  it('keeps unpublished changes saved over the published Post Call Survey', async () => {
    const flows = await all(
      paginateListContactFlows({ client: source }, { InstanceId }),
      (p) => p.ContactFlowSummaryList,
    );
    const id = flows.find((f) => f.Name === 'Post Call Survey')!.Id!;
    const published = (await source.send(new DescribeContactFlowCommand({ InstanceId, ContactFlowId: id })))
      .ContactFlow!;
    const saved = (
      await source.send(new DescribeContactFlowCommand({ InstanceId, ContactFlowId: `${id}:$SAVED` }))
    ).ContactFlow!;

    expect(published.Status).toBe('PUBLISHED');
    expect(saved.FlowContentSha256).not.toBe(published.FlowContentSha256);
    expect(saved.Content).toContain('FollowUpRequested');
    expect(published.Content).not.toContain('FollowUpRequested');
  });

  it('references queues, prompts, hours, modules, flows, associated Lambda functions and the Lex bot from flow content', async () => {
    const flows = await describeAllFlows(source, InstanceId);
    const lambdas = await all(
      paginateListLambdaFunctions({ client: source }, { InstanceId }),
      (p) => p.LambdaFunctions,
    );
    const bots = await all(
      paginateListBots({ client: source }, { InstanceId, LexVersion: 'V2' }),
      (p) => p.LexBots,
    );
    const modules = await all(
      paginateListContactFlowModules({ client: source }, { InstanceId }),
      (p) => p.ContactFlowModulesSummaryList,
    );
    const ivr = flows.find((f) => f.Name === 'Main Inbound IVR')!.Content!;
    const every = flows.map((f) => f.Content!).join('\n');
    const referencedLambdas = new Set(every.match(/arn:aws:lambda:[^"]+/g));
    const referencedBots = new Set(every.match(/arn:aws:lex:[^"]+/g));

    for (const m of modules) expect(ivr).toContain(m.Id!);
    expect(ivr).toContain(flows.find((f) => f.Name === 'Support Queue Flow')!.Arn!);
    expect(every).toMatch(
      /"CheckHoursOfOperation","Parameters":\{"HoursOfOperationId":"arn:aws:connect:us-east-1:111122223333:instance\/[^"]+\/operating-hours\//,
    );
    expect(referencedLambdas).toEqual(
      new Set([...lambdas, 'arn:aws:lambda:us-east-1:613787477748:function:state-lookup']),
    );
    expect(referencedBots).toEqual(new Set(bots.map((b) => b.LexV2Bot!.AliasArn!)));
  });

  it('builds a Region / Site / Team hierarchy with groups at each level', async () => {
    const { HierarchyStructure } = await source.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId }),
    );
    const groups = await all(
      paginateListUserHierarchyGroups({ client: source }, { InstanceId }),
      (p) => p.UserHierarchyGroupSummaryList,
    );
    const levels = await Promise.all(
      groups.map(
        async (g) =>
          (await source.send(new DescribeUserHierarchyGroupCommand({ InstanceId, HierarchyGroupId: g.Id! })))
            .HierarchyGroup!.LevelId,
      ),
    );

    expect([
      HierarchyStructure!.LevelOne?.Name,
      HierarchyStructure!.LevelTwo?.Name,
      HierarchyStructure!.LevelThree?.Name,
    ]).toEqual(['Region', 'Site', 'Team']);
    expect(levels.filter((l) => l === '1').length).toBe(2);
    expect(levels.filter((l) => l === '2').length).toBe(3);
    expect(levels.filter((l) => l === '3').length).toBe(6);
  });

  it('links quick connects of every type to queues', async () => {
    const quickConnects = await all(
      paginateListQuickConnects({ client: source }, { InstanceId }),
      (p) => p.QuickConnectSummaryList,
    );
    const queues = await all(
      paginateListQueues({ client: source }, { InstanceId, QueueTypes: ['STANDARD'] }),
      (p) => p.QueueSummaryList,
    );
    const linked = await Promise.all(
      queues.map((q) =>
        all(
          paginateListQueueQuickConnects({ client: source }, { InstanceId, QueueId: q.Id! }),
          (p) => p.QuickConnectSummaryList,
        ),
      ),
    );
    const linkedIds = new Set(linked.flat().map((q) => q.Id));

    expect(new Set(quickConnects.map((q) => q.QuickConnectType))).toEqual(
      new Set(['USER', 'QUEUE', 'PHONE_NUMBER', 'FLOW']),
    );
    expect(quickConnects.every((q) => linkedIds.has(q.Id))).toBe(true);
  });

  it('holds two predefined attributes and gives three users proficiencies in them', async () => {
    const attributes = await all(
      paginateListPredefinedAttributes({ client: source }, { InstanceId }),
      (p) => p.PredefinedAttributeSummaryList,
    );
    const users = await all(paginateListUsers({ client: source }, { InstanceId }), (p) => p.UserSummaryList);
    const withProficiencies: Record<string, string[]> = {};
    for (const user of users) {
      const list = await all(
        paginateListUserProficiencies({ client: source }, { InstanceId, UserId: user.Id! }),
        (p) => p.UserProficiencyList,
      );
      if (list.length)
        withProficiencies[user.Username!] = list.map(
          (p) => `${p.AttributeName}=${p.AttributeValue}@${p.Level}`,
        );
    }

    expect(attributes.map((a) => a.Name)).toEqual(['Language', 'Certification']);
    expect(withProficiencies).toEqual({
      'maya.patel': ['Language=English@5', 'Language=Spanish@3', 'Certification=Billing Tier 2@4'],
      'carlos.mendoza': ['Language=Spanish@5'],
      'siobhan.murphy': ['Language=English@4', 'Certification=Technical Support@2'],
    });
  });

  it('gives Supervisors more queue configs than one CreateRoutingProfile takes', async () => {
    const profiles = await all(
      paginateListRoutingProfiles({ client: source }, { InstanceId }),
      (p) => p.RoutingProfileSummaryList,
    );
    const supervisors = profiles.find((p) => p.Name === 'Supervisors')!;
    const configs = await all(
      paginateListRoutingProfileQueues({ client: source }, { InstanceId, RoutingProfileId: supervisors.Id! }),
      (p) => p.RoutingProfileQueueConfigSummaryList,
    );

    expect(configs.length).toBe(12);
    expect(new Set(configs.map((c) => c.Channel))).toEqual(new Set(['VOICE', 'CHAT']));
  });

  it('tags the custom resources', async () => {
    const queues = await all(
      paginateListQueues({ client: source }, { InstanceId, QueueTypes: ['STANDARD'] }),
      (p) => p.QueueSummaryList,
    );
    const tags = await Promise.all(
      queues.map(async (q) => [
        q.Name,
        (await source.send(new ListTagsForResourceCommand({ resourceArn: q.Arn! }))).tags,
      ]),
    );

    expect(Object.fromEntries(tags)).toEqual({
      BasicQueue: {},
      'Customer Support': { Department: 'Support' },
      'Technical Support': { Department: 'Support' },
      'Billing Enquiries': { Department: 'Billing' },
      Sales: { Department: 'Sales' },
      'Customer Retention': { Department: 'Sales' },
      'Priority Escalations': { Department: 'Support' },
    });
  });

  it('hides demo-target from the source credentials in us-east-1 (SigV4 scoping)', async () => {
    const target = emulator.instances.find((i) => i.alias === 'demo-target')!;
    const instances = await all(paginateListInstances({ client: source }, {}), (p) => p.InstanceSummaryList);
    const error = await source
      .send(new DescribeInstanceCommand({ InstanceId: target.id }))
      .catch((e: unknown) => e);

    expect(instances.map((i) => i.InstanceAlias)).toEqual(['demo-source']);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('shows demo-target, a new instance, to AKIAEMULATORTARGET01 in eu-west-2', async () => {
    const target = client(emulator, TARGET_KEY, 'eu-west-2');
    const instances = await all(paginateListInstances({ client: target }, {}), (p) => p.InstanceSummaryList);
    const [instance] = instances;

    expect(instances.map((i) => [i.InstanceAlias, i.Arn!.split(':').slice(3, 5).join(':')])).toEqual([
      ['demo-target', 'eu-west-2:444455556666'],
    ]);
    expect(await countsOf(target, instance!.Id!)).toEqual(NEW_INSTANCE_COUNTS);
  });
});

describe('seed demo: every flow and module', () => {
  let emulator: ConnectEmulator;
  let source: ConnectClient;
  let InstanceId: string;

  beforeAll(async () => {
    ({ emulator, connect: source, InstanceId } = await startSeed('demo', 'demo-source'));
  });
  afterAll(() => emulator.close());

  it('is published, with content that passes publish validation', async () => {
    const flows = await describeAllFlows(source, InstanceId);
    const modules = await all(
      paginateListContactFlowModules({ client: source }, { InstanceId }),
      (p) => p.ContactFlowModulesSummaryList,
    );

    expect(flows.filter((f) => f.Status !== 'PUBLISHED').map((f) => f.Name)).toEqual([]);
    // Publishing the same content again runs the service's validation on it.
    for (const flow of flows) {
      await source.send(
        new UpdateContactFlowContentCommand({ InstanceId, ContactFlowId: flow.Id!, Content: flow.Content! }),
      );
    }
    for (const summary of modules) {
      const { ContactFlowModule } = await source.send(
        new DescribeContactFlowModuleCommand({ InstanceId, ContactFlowModuleId: summary.Id! }),
      );
      expect(ContactFlowModule!.Status).toBe('PUBLISHED');
      await source.send(
        new UpdateContactFlowModuleContentCommand({
          InstanceId,
          ContactFlowModuleId: summary.Id!,
          Content: ContactFlowModule!.Content!,
        }),
      );
    }
  });
});

describe('seed large', () => {
  it('produces exactly the requested counts, defaults included', async () => {
    const emulator = await startConnectEmulator({
      seed: 'large',
      seedOptions: {
        large: {
          users: 50,
          flows: 26,
          flowModules: 3,
          queues: 4,
          routingProfiles: 3,
          hoursOfOperations: 2,
          quickConnects: 8,
          prompts: 10,
          securityProfiles: 5,
          hierarchyGroups: 12,
        },
      },
      throttle: { enabled: false },
    });
    try {
      const [instance] = emulator.instances;
      const connect = client(emulator, instance!.accessKeyId, 'us-east-1');

      expect(instance!.alias).toBe('large');
      expect(await countsOf(connect, instance!.id)).toEqual({
        users: 50,
        flows: 26,
        flowModules: 3,
        standardQueues: 4,
        agentQueues: 50,
        routingProfiles: 3,
        hoursOfOperations: 2,
        quickConnects: 8,
        prompts: 10,
        securityProfiles: 5,
        hierarchyGroups: 12,
        agentStatuses: 2,
        lambdaFunctions: 0,
        lexV2Bots: 0,
      });
    } finally {
      await emulator.close();
    }
  });

  it('rejects a count below what a new instance already holds', async () => {
    const started = startConnectEmulator({ seed: 'large', seedOptions: { large: { flows: 5 } } });

    await expect(started).rejects.toThrow(/flows must be an integer of at least 20/);
  });
});

/** A world whose ids and clock are counters, so two runs of a seed can be compared byte for byte. */
class CountingWorld extends World {
  private next = 0;

  constructor() {
    super({ now: () => new Date(Date.UTC(2025, 0, 1)) });
  }

  override newId(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}

/** Everything a seed put in the world, serialised. */
async function seededState(seed: SeedName): Promise<string> {
  const world = new CountingWorld();
  await runSeed(seed, { world, accounts: {} });
  return JSON.stringify(
    [...world.instances.values()].map((instance) => ({
      alias: instance.alias,
      attributes: [...instance.attributes],
      hierarchy: instance.hierarchyStructure,
      lambdas: instance.lambdaFunctions,
      bots: instance.lexV2Bots,
      collections: instance.collections().map((c) => c.all()),
    })),
  );
}

describe('seed demo', () => {
  it('gives every prompt of both instances its own seeded audio, the same bytes for the same prompt name', async () => {
    const world = new World();
    await runSeed('demo', { world, accounts: {} });
    const prompts = [...world.instances.values()].flatMap((i) => i.prompts.all());
    const byName = new Map<string, Set<string>>();
    for (const p of prompts) {
      const set = byName.get(p.name) ?? new Set<string>();
      byName.set(p.name, set.add(Buffer.from(p.audio.bytes).toString('base64')));
    }

    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.filter((p) => p.audio.placeholder)).toEqual([]);
    expect([...byName.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set([...byName.values()].map((set) => [...set][0])).size).toBe(byName.size);
  });
});

describe('seeds are deterministic apart from ids', () => {
  it.each(['new-instance', 'demo'] as const)(
    '%s builds the same state twice when ids are the same',
    async (seed) => {
      const first = await seededState(seed);
      const second = await seededState(seed);

      expect(first.length).toBeGreaterThan(10_000);
      expect(second).toBe(first);
    },
  );
});

describe('seed large at its default counts', () => {
  it('creates 5,000 users and every other default count in-process', async () => {
    const world = new World();
    const started = performance.now();
    const [seeded] = await runSeed('large', { world, accounts: {} });
    const elapsed = performance.now() - started;
    const instance = world.instances.get(seeded!.id)!;
    const standardQueues = instance.queues.all().filter((q) => queueTypeOf(q) === 'STANDARD').length;

    expect({
      users: instance.users.size,
      flows: instance.flows.size,
      flowModules: instance.flowModules.size,
      queues: standardQueues,
      routingProfiles: instance.routingProfiles.size,
      hoursOfOperations: instance.hoursOfOperations.size,
      quickConnects: instance.quickConnects.size,
      prompts: instance.prompts.size,
      securityProfiles: instance.securityProfiles.size,
      hierarchyGroups: instance.hierarchyGroups.size,
    }).toEqual(DEFAULT_LARGE_COUNTS);
    // Every prompt holds small audio of its own (a 444-byte µ-law WAV made from its name).
    const audio = instance.prompts.all().map((p) => p.audio);
    expect(audio.filter((a) => a.placeholder || a.bytes.byteLength !== 444)).toEqual([]);
    expect(new Set(audio.map((a) => Buffer.from(a.bytes).toString('base64'))).size).toBe(audio.length);
    expect(audio.every((a) => Buffer.from(a.bytes).subarray(0, 4).toString('ascii') === 'RIFF')).toBe(true);
    // Generous bound (about 1 s on a laptop): the seed must stay usable for benchmarks.
    expect(elapsed).toBeLessThan(8_000);
  });
});
