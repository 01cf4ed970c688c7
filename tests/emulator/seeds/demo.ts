/**
 * Seed `demo`: two instances.
 *
 * - `demo-source` (account 111122223333, us-east-1, access key AKIAEMULATORSOURCE01): the defaults of
 *   a new instance plus a small, realistic contact center — a Region / Site / Team hierarchy, 40 staff,
 *   6 queues on 3 extra hours of operation (Support Hours inherit the Christmas override of Sales
 *   Hours), 4 routing profiles (Support Agents with a manual-assignment queue), quick connects of
 *   every type, custom agent statuses and security profiles, 12 flows and 2 flow modules whose content references
 *   queues, prompts, hours, Lambda functions, a Lex V2 bot, other flows and modules; a flow ↔ queue
 *   cycle; a flow with unpublished saved changes; tags on most resources; 4 claimed phone numbers,
 *   3 of them ringing a flow.
 * - `demo-target` (account 444455556666, eu-west-2, access key AKIAEMULATORTARGET01): a new instance
 *   with 3 claimed phone numbers that ring nothing.
 *
 * Everything is created through the Connect API (`SeedClient`), so it passes the same validation as
 * clients' requests. Only ids (and the ARNs and content that hold them) differ between runs.
 */
import type {
  CreateHoursOfOperationOverrideRequest,
  EvaluationFormItem,
  HoursOfOperationConfig,
  InstanceAttributeType,
  MediaConcurrency,
  QuickConnectConfig,
  RoutingProfileQueueConfig,
} from '@aws-sdk/client-connect';
import type { InstanceState } from '../state.js';
import { SeedClient } from './api.js';
import {
  CYCLE_FLOW,
  DEMO_LAMBDAS,
  DEMO_LEX_BOT_ALIAS,
  DRAFT_FLOW,
  demoEarlyFlowSpecs,
  demoFlowSpecs,
  demoModuleSpecs,
  surveyContent,
} from './demo-flows.js';
import { DEMO_GROUPS, DEMO_LEVELS, DEMO_TEAMS, demoPeople, usernameOf } from './demo-people.js';
import { createFlow, createFlows, publishFlow } from './flows.js';
import { openAllWeek, seededPromptAudio, seedNewInstanceDefaults } from './new-instance.js';
import { claimAndAssociate, type PhoneNumberSpec } from './phone-numbers.js';
import type { Refs } from './refs.js';
import { createInstance, describeSeeded, type SeedEnv, type SeededInstance } from './support.js';

/**
 * The demo instances have fixed ids, so the sample events in events/ (and `serverless invoke
 * local` with them) name instances the emulator has.
 */
export const DEMO_SOURCE = {
  id: 'a3272d07-cc52-45bf-82bb-7e6c62364219',
  alias: 'demo-source',
  accountId: '111122223333',
  region: 'us-east-1',
  accessKeyId: 'AKIAEMULATORSOURCE01',
} as const;
export const DEMO_TARGET = {
  id: '6f1e0c55-3b0e-4a0e-9f43-51d2f1c7d8aa',
  alias: 'demo-target',
  accountId: '444455556666',
  region: 'eu-west-2',
  accessKeyId: 'AKIAEMULATORTARGET01',
} as const;

const weekdays = (from: number, to: number): HoursOfOperationConfig[] =>
  (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((Day) => ({
    Day,
    StartTime: { Hours: from, Minutes: 0 },
    EndTime: { Hours: to, Minutes: 0 },
  }));

const HOURS: ReadonlyArray<{
  name: string;
  description: string;
  timeZone: string;
  config: HoursOfOperationConfig[];
  department: string;
}> = [
  {
    name: 'Support Hours',
    description: 'Weekdays 8am-8pm and Saturdays 9am-5pm, Central time',
    timeZone: 'America/Chicago',
    config: [
      ...weekdays(8, 20),
      { Day: 'SATURDAY', StartTime: { Hours: 9, Minutes: 0 }, EndTime: { Hours: 17, Minutes: 0 } },
    ],
    department: 'Support',
  },
  {
    name: 'Sales Hours',
    description: 'Weekdays 9am-6pm, Eastern time',
    timeZone: 'America/New_York',
    config: weekdays(9, 18),
    department: 'Sales',
  },
  {
    name: '24x7',
    description: 'Always open, for escalations',
    timeZone: 'UTC',
    config: openAllWeek(),
    department: 'Support',
  },
];

/**
 * Overrides: sales close on Christmas Day, every year; Support Hours inherit it (a parent link,
 * made with AssociateHoursOfOperations once both exist).
 */
const HOURS_OVERRIDES: ReadonlyArray<{
  hours: string;
  override: Omit<CreateHoursOfOperationOverrideRequest, 'InstanceId' | 'HoursOfOperationId'>;
}> = [
  {
    hours: 'Sales Hours',
    override: {
      Name: 'Christmas Day',
      Description: 'Closed all day',
      Config: [],
      EffectiveFrom: '2026-12-25',
      EffectiveTill: '2026-12-25',
      RecurrenceConfig: {
        RecurrencePattern: { Frequency: 'YEARLY', Interval: 1, ByMonth: [12], ByMonthDay: [25] },
      },
      OverrideType: 'CLOSED',
    },
  },
];

const PROMPTS = [
  { name: 'Welcome Greeting.wav', description: 'Main IVR welcome message' },
  { name: 'Holiday Closure.wav', description: 'Played on public holidays' },
];

const AGENT_STATUSES = [
  { name: 'Break', description: 'Short break', order: 3, state: 'ENABLED' },
  { name: 'Lunch', description: 'Lunch break', order: 4, state: 'ENABLED' },
  { name: 'Training', description: 'Scheduled training or coaching', order: 5, state: 'ENABLED' },
  { name: 'Team Meeting', description: 'Replaced by the Training status', order: 6, state: 'DISABLED' },
] as const;

/** The six queues, with their hours and outbound caller configuration. */
const QUEUES: ReadonlyArray<{
  name: string;
  description: string;
  hours: string;
  maxContacts?: number;
  callerIdName?: string;
  outboundFlow?: string;
  department: string;
  disabled?: boolean;
}> = [
  {
    name: 'Customer Support',
    description: 'General customer support for all channels',
    hours: 'Support Hours',
    maxContacts: 100,
    callerIdName: 'Example Corp Support',
    outboundFlow: CYCLE_FLOW,
    department: 'Support',
  },
  {
    name: 'Technical Support',
    description: 'Product troubleshooting and technical issues',
    hours: 'Support Hours',
    maxContacts: 50,
    department: 'Support',
  },
  {
    name: 'Billing Enquiries',
    description: 'Invoices, payments and refunds',
    hours: 'Support Hours',
    callerIdName: 'Example Corp Billing',
    department: 'Billing',
  },
  {
    name: 'Sales',
    description: 'New business and upgrades',
    hours: 'Sales Hours',
    callerIdName: 'Example Corp Sales',
    outboundFlow: 'Default outbound',
    department: 'Sales',
  },
  {
    name: 'Customer Retention',
    description: 'Cancellation requests and win-back offers',
    hours: 'Sales Hours',
    department: 'Sales',
    disabled: true,
  },
  {
    name: 'Priority Escalations',
    description: 'Escalated and VIP contacts, around the clock',
    hours: '24x7',
    maxContacts: 20,
    department: 'Support',
  },
];

/** Origins the demo's agent desktop and chat widget are embedded in (AssociateApprovedOrigin). */
export const DEMO_APPROVED_ORIGINS = ['https://support.example.com', 'https://www.example.com'];

/** Instance attributes demo-source sets beyond a new instance's (UpdateInstanceAttribute). */
export const DEMO_INSTANCE_ATTRIBUTES: Readonly<Partial<Record<InstanceAttributeType, string>>> = {
  CONTACTFLOW_LOGS: 'true',
  MULTI_PARTY_CONFERENCE: 'true',
};

interface CustomSecurityProfile {
  name: string;
  description: string;
  permissions: string[];
  /** Third-party applications (Applications). */
  applications?: Array<{
    Namespace: string;
    ApplicationPermissions: string[];
    Type: 'THIRD_PARTY_APPLICATION';
  }>;
  /** Flow modules by name, allowed as MCP tools (AllowedFlowModules). */
  allowedFlowModules?: string[];
  /** The hierarchy group users of the profile see (AllowedAccessControlHierarchyGroupId), by name. */
  hierarchyGroup?: string;
}

const CUSTOM_SECURITY_PROFILES: CustomSecurityProfile[] = [
  {
    name: 'Team Lead',
    description: 'Agents who coach a team and monitor its queues.',
    applications: [
      {
        Namespace: 'com.example.coaching-notes',
        ApplicationPermissions: ['ReadNotes', 'WriteNotes'],
        Type: 'THIRD_PARTY_APPLICATION',
      },
    ],
    allowedFlowModules: ['Customer Authentication'],
    hierarchyGroup: 'North America',
    permissions: [
      'AccessMetrics',
      'AgentStates.View',
      'BasicAgentAccess',
      'ContactSearch.View',
      'ListenCallRecordings',
      'ManagerListenIn',
      'OutboundCallAccess',
      'Queues.View',
      'RoutingPolicies.View',
      'TransferDestinations.View',
      'Users.View',
    ],
  },
  {
    name: 'Workforce Analyst',
    description: 'Read-only access to routing configuration and reports.',
    permissions: [
      'AccessMetrics',
      'AgentGrouping.View',
      'AgentTimeCard.View',
      'HoursOfOperation.View',
      'MetricsReports.Create',
      'MetricsReports.View',
      'Queues.View',
      'RoutingPolicies.View',
      'Users.View',
    ],
  },
];

type Channel = 'VOICE' | 'CHAT' | 'TASK';
const concurrency = (
  voice: number,
  chat: number,
  task: number,
  behavior: 'ROUTE_CURRENT_CHANNEL_ONLY' | 'ROUTE_ANY_CHANNEL' = 'ROUTE_CURRENT_CHANNEL_ONLY',
): MediaConcurrency[] =>
  (
    [
      ['VOICE', voice],
      ['CHAT', chat],
      ['TASK', task],
    ] as const
  ).map(([Channel, Concurrency]) => ({
    Channel,
    Concurrency,
    CrossChannelBehavior: { BehaviorType: behavior },
  }));

/** Routing profiles: queue configs as [queue, channel, priority, delay]. */
const ROUTING_PROFILES: ReadonlyArray<{
  name: string;
  description: string;
  defaultOutboundQueue: string;
  concurrencies: MediaConcurrency[];
  timer: 'TIME_SINCE_LAST_ACTIVITY' | 'TIME_SINCE_LAST_INBOUND';
  queues: Array<[string, Channel, number, number]>;
  /** Manual-assignment queues (agents pick contacts from them in the Worklist app): [queue, channel]. */
  manualQueues?: Array<[string, Channel]>;
}> = [
  {
    name: 'Support Agents',
    description: 'Voice, chat and tasks for general and technical support',
    defaultOutboundQueue: 'Customer Support',
    concurrencies: concurrency(1, 3, 2),
    timer: 'TIME_SINCE_LAST_ACTIVITY',
    queues: [
      ['Customer Support', 'VOICE', 1, 0],
      ['Customer Support', 'CHAT', 1, 0],
      ['Customer Support', 'TASK', 1, 0],
      ['Technical Support', 'VOICE', 2, 0],
      ['Technical Support', 'CHAT', 2, 0],
      ['Billing Enquiries', 'VOICE', 3, 30],
    ],
    manualQueues: [['Technical Support', 'TASK']],
  },
  {
    name: 'Sales Agents',
    description: 'New business and retention, voice and chat',
    defaultOutboundQueue: 'Sales',
    concurrencies: concurrency(1, 2, 1),
    timer: 'TIME_SINCE_LAST_INBOUND',
    queues: [
      ['Sales', 'VOICE', 1, 0],
      ['Sales', 'CHAT', 1, 0],
      ['Customer Retention', 'VOICE', 2, 15],
      ['Customer Retention', 'CHAT', 2, 15],
    ],
  },
  {
    name: 'Billing Specialists',
    description: 'Billing enquiries on every channel, overflow from Customer Support',
    defaultOutboundQueue: 'Billing Enquiries',
    concurrencies: concurrency(1, 2, 3),
    timer: 'TIME_SINCE_LAST_ACTIVITY',
    queues: [
      ['Billing Enquiries', 'VOICE', 1, 0],
      ['Billing Enquiries', 'CHAT', 1, 0],
      ['Billing Enquiries', 'TASK', 1, 0],
      ['Customer Support', 'VOICE', 5, 60],
    ],
  },
  {
    // 12 queue configs: more than CreateRoutingProfile takes (10); the rest are associated after.
    name: 'Supervisors',
    description: 'Supervisors and managers: every queue, escalations first',
    defaultOutboundQueue: 'Priority Escalations',
    concurrencies: concurrency(1, 5, 5, 'ROUTE_ANY_CHANNEL'),
    timer: 'TIME_SINCE_LAST_ACTIVITY',
    queues: QUEUES.flatMap((queue) =>
      (['VOICE', 'CHAT'] as const).map((channel): [string, Channel, number, number] => [
        queue.name,
        channel,
        queue.name === 'Priority Escalations' ? 1 : 10,
        queue.name === 'Priority Escalations' ? 0 : 120,
      ]),
    ),
  },
];

/** Quick connects of every type, and the queues each is linked to. */
function quickConnects(refs: Refs): Array<{
  name: string;
  description: string;
  config: QuickConnectConfig;
  queues: string[];
}> {
  const queueConnect = (queue: string, flow: string): QuickConnectConfig => ({
    QuickConnectType: 'QUEUE',
    QueueConfig: { QueueId: refs.queues.get(queue).id, ContactFlowId: refs.flows.get(flow).id },
  });
  const userConnect = (username: string, flow: string): QuickConnectConfig => ({
    QuickConnectType: 'USER',
    UserConfig: { UserId: refs.users.get(username).id, ContactFlowId: refs.flows.get(flow).id },
  });
  return [
    {
      name: 'Transfer to Billing',
      description: 'Warm transfer to the billing team',
      config: queueConnect('Billing Enquiries', 'Default queue transfer'),
      queues: ['Customer Support', 'Sales'],
    },
    {
      name: 'Transfer to Technical Support',
      description: 'Hand over technical issues',
      config: queueConnect('Technical Support', 'Default queue transfer'),
      queues: ['Customer Support'],
    },
    {
      name: 'Transfer to Sales',
      description: 'Upgrade and new business opportunities',
      config: queueConnect('Sales', 'Default queue transfer'),
      queues: ['Billing Enquiries', 'Customer Retention'],
    },
    {
      name: 'Escalate to Priority',
      description: 'Escalate to a senior specialist',
      config: queueConnect('Priority Escalations', 'Escalation Transfer'),
      queues: ['Customer Support', 'Technical Support', 'Billing Enquiries'],
    },
    {
      name: 'Seattle Site Manager',
      description: 'Direct transfer to the Seattle site manager',
      config: userConnect('maya.patel', 'Supervisor Transfer'),
      queues: ['Customer Support', 'Technical Support', 'Priority Escalations'],
    },
    {
      name: 'Dublin Site Manager',
      description: 'Direct transfer to the Dublin site manager',
      config: userConnect('siobhan.murphy', 'Default agent transfer'),
      queues: ['Priority Escalations'],
    },
    {
      name: 'Head Office Reception',
      description: 'Front desk at head office',
      config: { QuickConnectType: 'PHONE_NUMBER', PhoneConfig: { PhoneNumber: '+12065550100' } },
      queues: ['Customer Support', 'Priority Escalations'],
    },
    {
      name: 'Field Engineering Hotline',
      description: 'On-call field engineers',
      config: { QuickConnectType: 'PHONE_NUMBER', PhoneConfig: { PhoneNumber: '+442079460123' } },
      queues: ['Technical Support'],
    },
    {
      name: 'Customer Satisfaction Survey',
      description: 'Send the customer to the post call survey',
      config: { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: refs.flows.get(DRAFT_FLOW).id } },
      queues: ['Customer Support', 'Customer Retention'],
    },
  ];
}

const ACW_LIMITS = [0, 30, 60, 120];

/** The predefined attributes of demo-source: routing proficiencies. */
export const DEMO_PREDEFINED_ATTRIBUTES = [
  { name: 'Language', values: ['English', 'Spanish', 'French'], purposes: ['Routing'] },
  {
    name: 'Certification',
    values: ['Billing Tier 2', 'Technical Support'],
    purposes: ['Routing', 'Training'],
  },
] as const;

/** Proficiencies of a few demo-source users: attribute, value, level. */
export const DEMO_PROFICIENCIES: Readonly<Record<string, ReadonlyArray<readonly [string, string, number]>>> =
  {
    'maya.patel': [
      ['Language', 'English', 5],
      ['Language', 'Spanish', 3],
      ['Certification', 'Billing Tier 2', 4],
    ],
    'siobhan.murphy': [
      ['Language', 'English', 4],
      ['Certification', 'Technical Support', 2],
    ],
    'carlos.mendoza': [['Language', 'Spanish', 5]],
  };

/** A single-select question of an evaluation form, Yes/No. */
function yesNo(refId: string, title: string): EvaluationFormItem {
  return {
    Question: {
      RefId: refId,
      Title: title,
      QuestionType: 'SINGLESELECT' as const,
      Weight: 50,
      QuestionTypeProperties: {
        SingleSelect: {
          Options: [
            { RefId: `${refId}-yes`, Text: 'Yes', Score: 10 },
            { RefId: `${refId}-no`, Text: 'No', Score: 0 },
          ],
        },
      },
    },
  };
}

/**
 * The evaluation forms of demo-source: "Customer Service Quality" (active version 1, a draft
 * version 2; review notifications go to maya.patel) and "Sales Call Review" (a draft, never active).
 */
export function demoEvaluationForms() {
  const greeting = yesNo('q-greeting', 'Did the agent greet the customer by name?');
  const resolution = yesNo('q-resolution', 'Was the issue resolved on the first contact?');
  const section = (items: EvaluationFormItem[]): EvaluationFormItem[] => [
    { Section: { RefId: 's-call', Title: 'Call handling', Weight: 100, Items: items } },
  ];
  return [
    {
      title: 'Customer Service Quality',
      description: 'Monthly quality review of support calls',
      items: section([greeting, resolution]),
      active: true,
      reviewer: 'maya.patel',
      draft: section([greeting, resolution, yesNo('q-closing', 'Did the agent offer further help?')]),
    },
    {
      title: 'Sales Call Review',
      description: 'Coaching form for outbound sales calls',
      items: section([yesNo('q-needs', 'Did the agent ask about the customer needs?')]),
      active: false,
      reviewer: undefined,
      draft: undefined,
    },
  ];
}

/**
 * The custom vocabularies of demo-source (Contact Lens): product names in US English, billing terms
 * in British English; TAB-separated tables as CreateVocabulary takes them.
 */
export const DEMO_VOCABULARIES = [
  {
    VocabularyName: 'Product-Names',
    LanguageCode: 'en-US',
    Content:
      'Phrase\tIPA\tSoundsLike\tDisplayAs\nAnyCompany\t\t\tAnyCompany\nConnect-Vault\t\tconnect-vault\tconnect-vault\n',
    Tags: { Owner: 'Contact Center Operations' },
  },
  {
    VocabularyName: 'Billing-Terms',
    LanguageCode: 'en-GB',
    Content: 'Phrase\tDisplayAs\nDirect-Debit\tDirect Debit\nVAT\tVAT\n',
  },
] as const;

/**
 * The task templates of demo-source: "Callback Request" (ACTIVE, runs Support Queue Flow) and
 * "Billing Follow-up" (INACTIVE, no flow: a QUICK_CONNECT field whose default is the "Transfer to
 * Billing" quick connect's id, and Billing Queue Flow for self-assigned tasks).
 */
export const DEMO_TASK_TEMPLATES = [
  {
    name: 'Callback Request',
    description: 'A customer asked to be called back',
    flow: 'Support Queue Flow',
    selfAssignFlow: undefined,
    quickConnect: undefined,
    status: 'ACTIVE',
  },
  {
    name: 'Billing Follow-up',
    description: 'Check a disputed invoice and reply to the customer',
    flow: undefined,
    selfAssignFlow: 'Billing Queue Flow',
    quickConnect: 'Transfer to Billing',
    status: 'INACTIVE',
  },
] as const;

/** A view template: a form with a heading and the given fields (the Views template language). */
const viewTemplate = (heading: string, fields: readonly string[]) =>
  JSON.stringify({
    Head: { Title: heading },
    Body: [
      {
        _id: 'Form',
        Type: 'Form',
        Props: {},
        Content: fields.map((f) => ({ _id: f, Type: 'FormInput', Props: { Label: f } })),
      },
    ],
  });

/**
 * The customer-managed views of demo-source: "Callback Details" (published, with saved changes not
 * published yet) and "Refund Approval" (saved, never published).
 */
export const DEMO_VIEWS = [
  {
    name: 'Callback Details',
    description: 'Agent form for a callback task',
    published: { Template: viewTemplate('Callback', ['Name', 'Number']), Actions: ['Submit', 'Cancel'] },
    saved: {
      Template: viewTemplate('Callback', ['Name', 'Number', 'Best time']),
      Actions: ['Submit', 'Cancel'],
    },
  },
  {
    name: 'Refund Approval',
    description: 'Supervisor approval of a refund',
    published: undefined,
    saved: { Template: viewTemplate('Refund', ['Order', 'Amount']), Actions: ['Approve', 'Reject'] },
  },
] as const;

/**
 * The rules of demo-source: "Escalate-Negative-Sentiment" (PUBLISHED: a task that runs Support
 * Queue Flow, and an e-mail to maya.patel) and "Auto-Evaluate-Support" (DRAFT: an automated
 * evaluation with "Customer Service Quality", and a contact category).
 */
export const DEMO_RULES = [
  {
    name: 'Escalate-Negative-Sentiment',
    status: 'PUBLISHED',
    function: '$.ContactLens.PostCall.Customer.Sentiment.Overall < -1',
  },
  {
    name: 'Auto-Evaluate-Support',
    status: 'DRAFT',
    function: "$.ContactLens.PostCall.Keyword.Match('refund')",
  },
] as const;

/** The `demo-source` contact center, on top of a new instance's defaults. */
async function seedDemoSource(env: SeedEnv, instance: InstanceState): Promise<void> {
  const client = new SeedClient(env, instance);
  const { refs } = await seedNewInstanceDefaults(env, instance);

  for (const FunctionArn of Object.values(DEMO_LAMBDAS)) {
    await client.send('AssociateLambdaFunction', { FunctionArn });
  }
  await client.send('AssociateBot', { LexV2Bot: { AliasArn: DEMO_LEX_BOT_ALIAS } });
  for (const Origin of DEMO_APPROVED_ORIGINS) await client.send('AssociateApprovedOrigin', { Origin });
  for (const [AttributeType, Value] of Object.entries(DEMO_INSTANCE_ATTRIBUTES))
    await client.send('UpdateInstanceAttribute', {
      AttributeType: AttributeType as InstanceAttributeType,
      Value,
    });

  const [levelOne, levelTwo, levelThree] = DEMO_LEVELS;
  await client.send('UpdateUserHierarchyStructure', {
    HierarchyStructure: {
      LevelOne: { Name: levelOne },
      LevelTwo: { Name: levelTwo },
      LevelThree: { Name: levelThree },
    },
  });
  for (const group of DEMO_GROUPS) {
    const created = await client.send('CreateUserHierarchyGroup', {
      Name: group.name,
      ...(group.parent ? { ParentGroupId: refs.hierarchyGroups.get(group.parent).id } : {}),
      Tags: { Organisation: 'Example Corp' },
    });
    refs.hierarchyGroups.set(group.name, { id: created.HierarchyGroupId!, arn: created.HierarchyGroupArn! });
  }

  for (const hours of HOURS) {
    const created = await client.send('CreateHoursOfOperation', {
      Name: hours.name,
      Description: hours.description,
      TimeZone: hours.timeZone,
      Config: hours.config,
      Tags: { Department: hours.department },
    });
    refs.hours.set(hours.name, { id: created.HoursOfOperationId!, arn: created.HoursOfOperationArn! });
  }
  await client.send('AssociateHoursOfOperations', {
    HoursOfOperationId: refs.hours.get('Support Hours').id,
    ParentHoursOfOperationConfigs: [{ HoursOfOperationId: refs.hours.get('Sales Hours').id }],
  });
  for (const { hours, override } of HOURS_OVERRIDES) {
    await client.send('CreateHoursOfOperationOverride', {
      HoursOfOperationId: refs.hours.get(hours).id,
      ...override,
    });
  }

  for (const prompt of PROMPTS) {
    const created = await client.send('CreatePrompt', {
      Name: prompt.name,
      Description: prompt.description,
      S3Uri: seededPromptAudio(env.world, prompt.name),
      Tags: { Owner: 'Marketing' },
    });
    refs.prompts.set(prompt.name, { id: created.PromptId!, arn: created.PromptARN! });
  }

  for (const status of AGENT_STATUSES) {
    const created = await client.send('CreateAgentStatus', {
      Name: status.name,
      Description: status.description,
      State: status.state,
      DisplayOrder: status.order,
      Tags: { Owner: 'Workforce Management' },
    });
    refs.agentStatuses.set(status.name, { id: created.AgentStatusId!, arn: created.AgentStatusARN! });
  }

  for (const module of demoModuleSpecs()) {
    const created = await client.send('CreateContactFlowModule', {
      Name: module.name,
      Description: module.description,
      Content: module.content(refs),
      ...(module.tags ? { Tags: module.tags } : {}),
    });
    refs.flowModules.set(module.name, { id: created.Id!, arn: created.Arn! });
  }

  // The cycle: the OUTBOUND_WHISPER flow is created SAVED, the queue names it as its outbound flow,
  // then the flow's content (which names the queue) is published.
  const earlyFlows = demoEarlyFlowSpecs();
  for (const spec of earlyFlows)
    await createFlow(client, refs, spec, { deferPublish: spec.name === CYCLE_FLOW });

  for (const queue of QUEUES) {
    const outbound =
      queue.callerIdName || queue.outboundFlow
        ? {
            OutboundCallerConfig: {
              ...(queue.callerIdName ? { OutboundCallerIdName: queue.callerIdName } : {}),
              ...(queue.outboundFlow ? { OutboundFlowId: refs.flows.get(queue.outboundFlow).id } : {}),
            },
          }
        : {};
    const created = await client.send('CreateQueue', {
      Name: queue.name,
      Description: queue.description,
      HoursOfOperationId: refs.hours.get(queue.hours).id,
      ...(queue.maxContacts !== undefined ? { MaxContacts: queue.maxContacts } : {}),
      ...outbound,
      Tags: { Department: queue.department },
    });
    refs.queues.set(queue.name, { id: created.QueueId!, arn: created.QueueArn! });
    if (queue.disabled) {
      await client.send('UpdateQueueStatus', { QueueId: created.QueueId!, Status: 'DISABLED' });
    }
  }
  const cycleSpec = earlyFlows.find((spec) => spec.name === CYCLE_FLOW)!;
  await publishFlow(client, refs, cycleSpec);

  await createFlows(client, refs, demoFlowSpecs());
  // Unpublished changes saved over the published survey.
  await client.send('UpdateContactFlowContent', {
    ContactFlowId: `${refs.flows.get(DRAFT_FLOW).id}:$SAVED`,
    Content: surveyContent(true),
  });

  for (const profile of CUSTOM_SECURITY_PROFILES) {
    const created = await client.send('CreateSecurityProfile', {
      SecurityProfileName: profile.name,
      Description: profile.description,
      Permissions: profile.permissions,
      ...(profile.applications ? { Applications: profile.applications } : {}),
      ...(profile.allowedFlowModules
        ? {
            AllowedFlowModules: profile.allowedFlowModules.map((name) => ({
              Type: 'MCP' as const,
              FlowModuleId: refs.flowModules.get(name).id,
            })),
          }
        : {}),
      ...(profile.hierarchyGroup
        ? {
            HierarchyRestrictedResources: ['User'],
            AllowedAccessControlHierarchyGroupId: refs.hierarchyGroups.get(profile.hierarchyGroup).id,
          }
        : {}),
      Tags: { Owner: 'Contact Center Operations' },
    });
    refs.securityProfiles.set(profile.name, {
      id: created.SecurityProfileId!,
      arn: created.SecurityProfileArn!,
    });
  }

  for (const profile of ROUTING_PROFILES) {
    const configs: RoutingProfileQueueConfig[] = profile.queues.map(([queue, Channel, Priority, Delay]) => ({
      QueueReference: { QueueId: refs.queues.get(queue).id, Channel },
      Priority,
      Delay,
    }));
    const created = await client.send('CreateRoutingProfile', {
      Name: profile.name,
      Description: profile.description,
      DefaultOutboundQueueId: refs.queues.get(profile.defaultOutboundQueue).id,
      MediaConcurrencies: profile.concurrencies,
      AgentAvailabilityTimer: profile.timer,
      QueueConfigs: configs.slice(0, 10),
      ...(profile.manualQueues
        ? {
            ManualAssignmentQueueConfigs: profile.manualQueues.map(([queue, Channel]) => ({
              QueueReference: { QueueId: refs.queues.get(queue).id, Channel },
            })),
          }
        : {}),
      Tags: { Owner: 'Workforce Management' },
    });
    refs.routingProfiles.set(profile.name, {
      id: created.RoutingProfileId!,
      arn: created.RoutingProfileArn!,
    });
    for (let start = 10; start < configs.length; start += 10) {
      await client.send('AssociateRoutingProfileQueues', {
        RoutingProfileId: created.RoutingProfileId!,
        QueueConfigs: configs.slice(start, start + 10),
      });
    }
  }

  for (const attribute of DEMO_PREDEFINED_ATTRIBUTES) {
    await client.send('CreatePredefinedAttribute', {
      Name: attribute.name,
      Values: { StringList: [...attribute.values] },
      Purposes: [...attribute.purposes],
      AttributeConfiguration: { EnableValueValidationOnAssociation: true },
    });
  }

  const people = demoPeople();
  for (const [index, person] of people.entries()) {
    const username = usernameOf(person);
    const team = DEMO_TEAMS.find((t) => t.group === person.group);
    const deskPhone = index % 4 === 0 ? team : undefined;
    const created = await client.send('CreateUser', {
      Username: username,
      Password: `Demo-Passw0rd-${String(index + 1).padStart(2, '0')}`,
      IdentityInfo: {
        FirstName: person.firstName,
        LastName: person.lastName,
        Email: `${username}@example.com`,
        ...(index % 3 === 0 ? { SecondaryEmail: `${username}@corp.example.net` } : {}),
        ...(index % 5 === 0 ? { Mobile: `+1425555${String(1000 + index)}` } : {}),
      },
      PhoneConfig: deskPhone
        ? {
            PhoneType: 'DESK_PHONE',
            DeskPhoneNumber: `${deskPhone.phonePrefix}${String(2000 + index)}`,
            AutoAccept: false,
            AfterContactWorkTimeLimit: ACW_LIMITS[index % ACW_LIMITS.length]!,
          }
        : {
            PhoneType: 'SOFT_PHONE',
            AutoAccept: index % 2 === 0,
            AfterContactWorkTimeLimit: ACW_LIMITS[index % ACW_LIMITS.length]!,
          },
      SecurityProfileIds: person.securityProfiles.map((name) => refs.securityProfiles.get(name).id),
      RoutingProfileId: refs.routingProfiles.get(person.routingProfile).id,
      ...(person.group ? { HierarchyGroupId: refs.hierarchyGroups.get(person.group).id } : {}),
      ...(person.tags ? { Tags: person.tags } : {}),
    });
    refs.users.set(username, { id: created.UserId!, arn: created.UserArn! });
    const proficiencies = DEMO_PROFICIENCIES[username];
    if (proficiencies) {
      await client.send('AssociateUserProficiencies', {
        UserId: created.UserId!,
        UserProficiencies: proficiencies.map(([AttributeName, AttributeValue, Level]) => ({
          AttributeName,
          AttributeValue,
          Level,
        })),
      });
    }
  }

  const links = new Map<string, string[]>();
  for (const quickConnect of quickConnects(refs)) {
    const created = await client.send('CreateQuickConnect', {
      Name: quickConnect.name,
      Description: quickConnect.description,
      QuickConnectConfig: quickConnect.config,
      Tags: { Owner: 'Contact Center Operations' },
    });
    refs.quickConnects.set(quickConnect.name, { id: created.QuickConnectId!, arn: created.QuickConnectARN! });
    for (const queue of quickConnect.queues)
      links.set(queue, [...(links.get(queue) ?? []), created.QuickConnectId!]);
  }
  for (const [queue, QuickConnectIds] of links) {
    await client.send('AssociateQueueQuickConnects', { QueueId: refs.queues.get(queue).id, QuickConnectIds });
  }

  // Evaluation forms: one active (version 1) with a later draft (version 2), one never activated.
  for (const form of demoEvaluationForms()) {
    const created = await client.send('CreateEvaluationForm', {
      Title: form.title,
      Description: form.description,
      Items: form.items,
      ScoringStrategy: { Mode: 'QUESTION_ONLY', Status: 'ENABLED' },
      ...(form.reviewer
        ? {
            ReviewConfiguration: {
              ReviewNotificationRecipients: [
                { Type: 'USER_ID', Value: { UserId: refs.users.get(form.reviewer).id } },
              ],
              EligibilityDays: 7,
            },
          }
        : {}),
      Tags: { Owner: 'Quality Management' },
    });
    if (!form.active) continue;
    await client.send('ActivateEvaluationForm', {
      EvaluationFormId: created.EvaluationFormId!,
      EvaluationFormVersion: 1,
    });
    if (form.draft) {
      await client.send('UpdateEvaluationForm', {
        EvaluationFormId: created.EvaluationFormId!,
        EvaluationFormVersion: 1,
        CreateNewVersion: true,
        Title: form.title,
        Description: `${form.description} (draft: adds a closing question)`,
        Items: form.draft,
        ScoringStrategy: { Mode: 'QUESTION_ONLY', Status: 'ENABLED' },
      });
    }
  }

  for (const vocabulary of DEMO_VOCABULARIES) await client.send('CreateVocabulary', { ...vocabulary });

  for (const template of DEMO_TASK_TEMPLATES) {
    const created = await client.send('CreateTaskTemplate', {
      Name: template.name,
      Description: template.description,
      ...(template.flow ? { ContactFlowId: refs.flows.get(template.flow).id } : {}),
      ...(template.selfAssignFlow ? { SelfAssignFlowId: refs.flows.get(template.selfAssignFlow).id } : {}),
      Fields: [
        { Id: { Name: 'Name' }, Type: 'NAME' },
        { Id: { Name: 'Description' }, Type: 'DESCRIPTION' },
        { Id: { Name: 'Customer number' }, Type: 'TEXT', Description: 'The number to call back' },
        {
          Id: { Name: 'Priority' },
          Type: 'SINGLE_SELECT',
          SingleSelectOptions: ['Normal', 'Urgent'],
        },
        ...(template.quickConnect ? [{ Id: { Name: 'Assign to' }, Type: 'QUICK_CONNECT' as const }] : []),
      ],
      Constraints: {
        RequiredFields: [{ Id: { Name: 'Name' } }, { Id: { Name: 'Customer number' } }],
        ReadOnlyFields: [{ Id: { Name: 'Priority' } }],
      },
      Defaults: {
        DefaultFieldValues: [
          { Id: { Name: 'Priority' }, DefaultValue: 'Normal' },
          ...(template.quickConnect
            ? [{ Id: { Name: 'Assign to' }, DefaultValue: refs.quickConnects.get(template.quickConnect).id }]
            : []),
        ],
      },
      Status: template.status,
    });
    await client.send('TagResource', {
      resourceArn: created.Arn!,
      tags: { Owner: 'Contact Center Operations' },
    });
  }

  for (const view of DEMO_VIEWS) {
    const created = await client.send('CreateView', {
      Name: view.name,
      Description: view.description,
      Status: view.published ? 'PUBLISHED' : 'SAVED',
      Content: { ...(view.published ?? view.saved), Actions: [...(view.published ?? view.saved).Actions] },
      Tags: { Owner: 'Contact Center Operations' },
    });
    if (view.published) {
      await client.send('UpdateViewContent', {
        ViewId: created.View!.Id!,
        Status: 'SAVED',
        Content: { ...view.saved, Actions: [...view.saved.Actions] },
      });
    }
  }

  const [escalate, evaluate] = DEMO_RULES;
  await client.send('CreateRule', {
    Name: escalate.name,
    TriggerEventSource: { EventSourceName: 'OnPostCallAnalysisAvailable' },
    Function: escalate.function,
    Actions: [
      {
        ActionType: 'CREATE_TASK',
        TaskAction: {
          Name: 'Call back an unhappy customer',
          Description: 'Negative sentiment on a support call',
          ContactFlowId: refs.flows.get('Support Queue Flow').id,
        },
      },
      {
        ActionType: 'SEND_NOTIFICATION',
        SendNotificationAction: {
          DeliveryMethod: 'EMAIL',
          Subject: 'Negative sentiment',
          Content: 'A support call ended with negative customer sentiment.',
          ContentType: 'PLAIN_TEXT',
          Recipient: { UserIds: [refs.users.get('maya.patel').id] },
        },
      },
    ],
    PublishStatus: escalate.status,
    Tags: { Owner: 'Quality Management' },
  });
  const quality = instance.evaluationForms.findByName('Customer Service Quality');
  await client.send('CreateRule', {
    Name: evaluate.name,
    TriggerEventSource: { EventSourceName: 'OnPostCallAnalysisAvailable' },
    Function: evaluate.function,
    Actions: [
      { ActionType: 'SUBMIT_AUTO_EVALUATION', SubmitAutoEvaluationAction: { EvaluationFormId: quality!.id } },
      { ActionType: 'ASSIGN_CONTACT_CATEGORY', AssignContactCategoryAction: {} },
    ],
    PublishStatus: evaluate.status,
  });

  await claimAndAssociate(
    client,
    DEMO_SOURCE_NUMBERS.map(({ flow, ...spec }) => ({
      ...spec,
      ...(flow ? { flowId: refs.flows.get(flow).id } : {}),
    })),
  );
}

/**
 * The numbers demo-source has claimed (fictional: 555-01xx in North America, 020 7946 0xxx in
 * London), and the flow each rings; the last rings nothing yet.
 */
export const DEMO_SOURCE_NUMBERS: ReadonlyArray<PhoneNumberSpec & { flow?: string }> = [
  {
    number: '+18005550142',
    type: 'TOLL_FREE',
    country: 'US',
    description: 'Main customer line',
    tags: { Department: 'Support' },
    flow: 'Main Inbound IVR',
  },
  {
    number: '+12065550177',
    type: 'DID',
    country: 'US',
    description: 'Support direct line',
    tags: { Department: 'Support' },
    flow: 'Support Queue Flow',
  },
  {
    number: '+442079460155',
    type: 'DID',
    country: 'GB',
    description: 'UK sales line',
    tags: { Department: 'Sales' },
    flow: 'Sales Queue Flow',
  },
  { number: '+12065550199', type: 'DID', country: 'US', description: 'Spare line' },
];

/** The numbers demo-target has claimed, ringing nothing (a fresh instance in London). */
export const DEMO_TARGET_NUMBERS: readonly PhoneNumberSpec[] = [
  { number: '+442079460201', type: 'DID', country: 'GB' },
  { number: '+442079460202', type: 'DID', country: 'GB' },
  { number: '+442079460203', type: 'DID', country: 'GB' },
];

/**
 * Seed `demo`: `demo-source` (a small contact center) and `demo-target` (a new instance elsewhere).
 * Beyond the defaults (see `seedNewInstanceDefaults`), demo-source is built with
 * AssociateLambdaFunction, AssociateBot, AssociateApprovedOrigin, UpdateInstanceAttribute,
 * UpdateUserHierarchyStructure, CreateUserHierarchyGroup,
 * CreateHoursOfOperation, CreatePrompt, CreateAgentStatus, CreateContactFlowModule,
 * CreateContactFlow, CreateQueue, UpdateQueueStatus, UpdateContactFlowContent (publish, and
 * `:$SAVED`), CreateSecurityProfile, CreateRoutingProfile, AssociateRoutingProfileQueues,
 * CreateUser, CreateQuickConnect, AssociateQueueQuickConnects and AssociatePhoneNumberContactFlow.
 * Both instances have claimed phone numbers (`DEMO_SOURCE_NUMBERS`, `DEMO_TARGET_NUMBERS`).
 */
export async function seedDemo(env: SeedEnv): Promise<SeededInstance[]> {
  const source = createInstance(env, DEMO_SOURCE);
  await seedDemoSource(env, source);
  const target = createInstance(env, DEMO_TARGET);
  await seedNewInstanceDefaults(env, target);
  await claimAndAssociate(new SeedClient(env, target), DEMO_TARGET_NUMBERS);
  return [describeSeeded(source, DEMO_SOURCE.accessKeyId), describeSeeded(target, DEMO_TARGET.accessKeyId)];
}
