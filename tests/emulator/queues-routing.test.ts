import {
  AssociateQueueQuickConnectsCommand,
  AssociateRoutingProfileQueuesCommand,
  type Channel,
  type ConnectClient,
  CreateQueueCommand,
  type CreateQueueRequest,
  CreateQuickConnectCommand,
  type CreateQuickConnectRequest,
  CreateRoutingProfileCommand,
  type CreateRoutingProfileRequest,
  DeleteQueueCommand,
  DeleteQuickConnectCommand,
  DeleteRoutingProfileCommand,
  DescribeQueueCommand,
  DescribeQuickConnectCommand,
  DescribeRoutingProfileCommand,
  DisassociateQueueQuickConnectsCommand,
  DisassociateRoutingProfileQueuesCommand,
  ListQueueQuickConnectsCommand,
  ListQueuesCommand,
  type ListQueuesResponse,
  ListQuickConnectsCommand,
  ListRoutingProfileManualAssignmentQueuesCommand,
  ListRoutingProfileQueuesCommand,
  ListRoutingProfilesCommand,
  type Queue,
  SearchQueuesCommand,
  SearchQuickConnectsCommand,
  SearchRoutingProfilesCommand,
  TagResourceCommand,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateQueueNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
  UpdateQueueStatusCommand,
  UpdateQuickConnectConfigCommand,
  UpdateQuickConnectNameCommand,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateRoutingProfileQueuesCommand,
} from '@aws-sdk/client-connect';
import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/errors.js';
import { DEFAULT_REGION } from './seeds/support.js';
import type { InstanceState } from './state.js';
import { addFlow, addHours, addUser, startWithInstance } from './testing.js';

/** Prerequisite records written straight into the instance (their handlers belong to other files). */
interface Fixture {
  instance: InstanceState;
  hours: string;
  otherHours: string;
  whisperFlow: string;
  whisperFlowArn: string;
  agentTransferFlow: string;
  queueTransferFlow: string;
  contactFlow: string;
  user: string;
  agentQueue: string;
}

let connect: ConnectClient;
let fx: Fixture;
let instanceId: string;

beforeEach(async () => {
  ({ connect, InstanceId: instanceId } = await startWithInstance({
    arrange: (instance, env) => {
      const id = () => env.world.newId();
      fx = {
        instance,
        hours: id(),
        otherHours: id(),
        whisperFlow: id(),
        whisperFlowArn: '',
        agentTransferFlow: id(),
        queueTransferFlow: id(),
        contactFlow: id(),
        user: id(),
        agentQueue: id(),
      };
      addHours(instance, fx.hours, 'Basic Hours');
      addHours(instance, fx.otherHours, 'Night Hours');
      fx.whisperFlowArn = addFlow(instance, fx.whisperFlow, 'Default outbound', 'OUTBOUND_WHISPER');
      addFlow(instance, fx.agentTransferFlow, 'Default agent transfer', 'AGENT_TRANSFER');
      addFlow(instance, fx.queueTransferFlow, 'Default queue transfer', 'QUEUE_TRANSFER');
      addFlow(instance, fx.contactFlow, 'Inbound', 'CONTACT_FLOW');
      addUser(instance, fx.user, 'agent1', 'no-profile-yet');
      const agentQueueArn = `${instance.arnFor('queue', 'agent')}/${fx.agentQueue}`;
      instance.queues.add({
        id: fx.agentQueue,
        arn: agentQueueArn,
        name: `agent-queue/${fx.user}`,
        entity: {
          QueueId: fx.agentQueue,
          QueueArn: agentQueueArn,
          QueueType: 'AGENT',
          Status: 'ENABLED',
          Tags: {},
          LastModifiedTime: env.world.tick(),
          LastModifiedRegion: DEFAULT_REGION,
        } as Queue,
        quickConnectIds: [],
      });
    },
  }));
});

async function createQueue(name: string, extra: Partial<CreateQueueRequest> = {}): Promise<string> {
  const out = await connect.send(
    new CreateQueueCommand({ InstanceId: instanceId, Name: name, HoursOfOperationId: fx.hours, ...extra }),
  );
  return out.QueueId!;
}

async function describeQueue(queueId: string): Promise<Queue> {
  return (await connect.send(new DescribeQueueCommand({ InstanceId: instanceId, QueueId: queueId }))).Queue!;
}

async function createProfile(
  name: string,
  queueId: string,
  extra: Partial<CreateRoutingProfileRequest> = {},
): Promise<string> {
  const out = await connect.send(
    new CreateRoutingProfileCommand({
      InstanceId: instanceId,
      Name: name,
      Description: `${name} profile`,
      DefaultOutboundQueueId: queueId,
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
      ...extra,
    }),
  );
  return out.RoutingProfileId!;
}

async function describeProfile(id: string) {
  return (
    await connect.send(new DescribeRoutingProfileCommand({ InstanceId: instanceId, RoutingProfileId: id }))
  ).RoutingProfile!;
}

async function createQuickConnect(
  name: string,
  config: CreateQuickConnectRequest['QuickConnectConfig'],
  extra: Partial<CreateQuickConnectRequest> = {},
): Promise<string> {
  const out = await connect.send(
    new CreateQuickConnectCommand({
      InstanceId: instanceId,
      Name: name,
      QuickConnectConfig: config,
      ...extra,
    }),
  );
  return out.QuickConnectId!;
}

const phoneConfig = (number = '+15550100') =>
  ({ QuickConnectType: 'PHONE_NUMBER', PhoneConfig: { PhoneNumber: number } }) as const;

const queueConfig = (queueId: string, channel: Channel, priority = 1, delay = 0) => ({
  QueueReference: { QueueId: queueId, Channel: channel },
  Priority: priority,
  Delay: delay,
});

const queueArn = (id: string) => fx.instance.arnFor('queue', id);

describe('CreateQueue and DescribeQueue', () => {
  it('round-trips every member, storing references as ids and defaulting Status to ENABLED', async () => {
    const qc = await createQuickConnect('Callback', phoneConfig());

    const queueId = await createQueue('Sales', {
      Description: 'Sales line',
      OutboundCallerConfig: {
        OutboundCallerIdName: 'Sales',
        OutboundCallerIdNumberId: 'phone-number-1',
        OutboundFlowId: fx.whisperFlowArn,
      },
      HoursOfOperationId: fx.instance.arnFor('operating-hours', fx.hours),
      MaxContacts: 7,
      QuickConnectIds: [qc],
      Tags: { team: 'sales' },
    });

    expect(await describeQueue(queueId)).toEqual({
      Name: 'Sales',
      QueueArn: queueArn(queueId),
      QueueId: queueId,
      Description: 'Sales line',
      OutboundCallerConfig: {
        OutboundCallerIdName: 'Sales',
        OutboundCallerIdNumberId: 'phone-number-1',
        OutboundFlowId: fx.whisperFlow,
      },
      HoursOfOperationId: fx.hours,
      MaxContacts: 7,
      Status: 'ENABLED',
      Tags: { team: 'sales' },
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: 'us-east-1',
    });
  });

  it('rejects a missing HoursOfOperationId with 400 InvalidParameterException', async () => {
    const error = await rejectionOf(
      connect.send(new CreateQueueCommand({ InstanceId: instanceId, Name: 'NoHours' } as never)),
    );

    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a duplicate name with 409 DuplicateResourceException', async () => {
    await createQueue('Sales');

    const error = await rejectionOf(createQueue('Sales'));

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('rejects unknown hours of operation with 404 naming them', async () => {
    const error = await rejectionOf(createQueue('Sales', { HoursOfOperationId: 'missing-hours' }));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toContain('missing-hours');
  });

  it('rejects an unknown outbound flow with 404 and a non-whisper flow with 400', async () => {
    const missing = await rejectionOf(
      createQueue('A', { OutboundCallerConfig: { OutboundFlowId: 'missing-flow' } }),
    );
    const wrongType = await rejectionOf(
      createQueue('B', { OutboundCallerConfig: { OutboundFlowId: fx.contactFlow } }),
    );

    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect([wrongType.name, wrongType.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    expect(fx.instance.queues.size).toBe(1);
  });

  it('rejects an unknown quick connect with 404 and creates nothing', async () => {
    const error = await rejectionOf(createQueue('Sales', { QuickConnectIds: ['missing-qc'] }));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect(fx.instance.queues.findByName('Sales')).toBeUndefined();
  });

  it('rejects more than 50 quick connects with 400', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `qc-${i}`);

    const error = await rejectionOf(createQueue('Sales', { QuickConnectIds: ids }));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('answers DescribeQueue for an unknown queue with 404', async () => {
    const error = await rejectionOf(describeQueue('missing-queue'));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });

  it('describes an AGENT queue without a name', async () => {
    const queue = await describeQueue(fx.agentQueue);

    expect(queue.Name).toBeUndefined();
    expect(queue.QueueId).toBe(fx.agentQueue);
  });
});

describe('ListQueues', () => {
  async function listAll(queueTypes?: Array<'STANDARD' | 'AGENT'>, maxResults = 2) {
    const pages: ListQueuesResponse[] = [];
    let token: string | undefined;
    do {
      const page = await connect.send(
        new ListQueuesCommand({
          InstanceId: instanceId,
          QueueTypes: queueTypes,
          MaxResults: maxResults,
          NextToken: token,
        }),
      );
      pages.push(page);
      token = page.NextToken;
    } while (token);
    return pages;
  }

  it('pages through every queue, AGENT queues included, in creation order', async () => {
    const ids = [await createQueue('Q1'), await createQueue('Q2'), await createQueue('Q3')];

    const pages = await listAll();

    expect(pages.map((p) => p.QueueSummaryList!.length)).toEqual([2, 2]);
    expect(pages.flatMap((p) => p.QueueSummaryList!.map((q) => q.Id))).toEqual([fx.agentQueue, ...ids]);
  });

  it('returns exactly the summary members', async () => {
    const id = await createQueue('Q1');

    const { QueueSummaryList } = await connect.send(new ListQueuesCommand({ InstanceId: instanceId }));

    expect(QueueSummaryList).toEqual([
      {
        Id: fx.agentQueue,
        Arn: `${fx.instance.arn}/queue/agent/${fx.agentQueue}`,
        QueueType: 'AGENT',
        LastModifiedTime: expect.any(Date),
        LastModifiedRegion: 'us-east-1',
      },
      {
        Id: id,
        Arn: queueArn(id),
        Name: 'Q1',
        QueueType: 'STANDARD',
        LastModifiedTime: expect.any(Date),
        LastModifiedRegion: 'us-east-1',
      },
    ]);
  });

  it('filters by queueTypes', async () => {
    const id = await createQueue('Q1');

    const standard = await listAll(['STANDARD']);
    const agent = await listAll(['AGENT']);

    expect(standard.flatMap((p) => p.QueueSummaryList!.map((q) => q.Id))).toEqual([id]);
    expect(agent.flatMap((p) => p.QueueSummaryList!.map((q) => q.Id))).toEqual([fx.agentQueue]);
  });

  it('rejects a token from another listing with 400', async () => {
    await createQueue('Q1');
    await createQueue('Q2');
    const first = await connect.send(new ListQueuesCommand({ InstanceId: instanceId, MaxResults: 1 }));

    const error = await rejectionOf(
      connect.send(
        new ListQueuesCommand({
          InstanceId: instanceId,
          QueueTypes: ['STANDARD'],
          NextToken: first.NextToken,
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });
});

describe('SearchQueues', () => {
  it('finds STANDARD queues only, with the full entity and the total count, over pages', async () => {
    const ids = [
      await createQueue('Support EN'),
      await createQueue('Support DE'),
      await createQueue('Billing'),
    ];
    await connect.send(new TagResourceCommand({ resourceArn: queueArn(ids[0]!), tags: { t: '1' } }));
    const criteria = {
      AndConditions: [
        { StringCondition: { FieldName: 'name', Value: 'support', ComparisonType: 'CONTAINS' as const } },
        { QueueTypeCondition: 'STANDARD' as const },
      ],
    };

    const first = await connect.send(
      new SearchQueuesCommand({ InstanceId: instanceId, SearchCriteria: criteria, MaxResults: 1 }),
    );
    const second = await connect.send(
      new SearchQueuesCommand({
        InstanceId: instanceId,
        SearchCriteria: criteria,
        NextToken: first.NextToken,
      }),
    );

    expect(first.ApproximateTotalCount).toBe(2);
    expect(first.Queues).toEqual([await describeQueue(ids[0]!)]);
    expect(second.Queues!.map((q) => q.QueueId)).toEqual([ids[1]]);
    expect(second.NextToken).toBeUndefined();
  });

  it('returns AGENT queues too without a QueueTypeCondition, and STANDARD ones only with it', async () => {
    const id = await createQueue('Q1');
    const all = await connect.send(new SearchQueuesCommand({ InstanceId: instanceId }));
    const standard = await connect.send(
      new SearchQueuesCommand({ InstanceId: instanceId, SearchCriteria: { QueueTypeCondition: 'STANDARD' } }),
    );

    expect(all.Queues!.map((q) => [q.QueueId, q.QueueArn])).toEqual([
      [fx.agentQueue, `${fx.instance.arn}/queue/agent/${fx.agentQueue}`],
      [id, queueArn(id)],
    ]);
    expect(standard.Queues!.map((q) => q.QueueId)).toEqual([id]);
    expect(standard.ApproximateTotalCount).toBe(1);
  });

  it('filters by tag', async () => {
    await createQueue('Q1');
    const tagged = await createQueue('Q2', { Tags: { team: 'x' } });

    const out = await connect.send(
      new SearchQueuesCommand({
        InstanceId: instanceId,
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'team', TagValue: 'x' } } },
      }),
    );

    expect(out.Queues!.map((q) => q.QueueId)).toEqual([tagged]);
  });

  it('rejects an unsupported search field with 400', async () => {
    const error = await rejectionOf(
      connect.send(
        new SearchQueuesCommand({
          InstanceId: instanceId,
          SearchCriteria: {
            StringCondition: { FieldName: 'maxContacts', Value: '1', ComparisonType: 'EXACT' },
          },
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });
});

describe('queue updates', () => {
  it('each update changes its member and moves LastModifiedTime', async () => {
    const id = await createQueue('Sales');
    const steps: Array<{ run: () => Promise<unknown>; check: (q: Queue) => unknown; expected: unknown }> = [
      {
        run: () =>
          connect.send(
            new UpdateQueueNameCommand({
              InstanceId: instanceId,
              QueueId: id,
              Name: 'Sales 2',
              Description: 'd',
            }),
          ),
        check: (q) => [q.Name, q.Description],
        expected: ['Sales 2', 'd'],
      },
      {
        run: () =>
          connect.send(
            new UpdateQueueHoursOfOperationCommand({
              InstanceId: instanceId,
              QueueId: id,
              HoursOfOperationId: fx.otherHours,
            }),
          ),
        check: (q) => q.HoursOfOperationId,
        expected: fx.otherHours,
      },
      {
        run: () =>
          connect.send(
            new UpdateQueueMaxContactsCommand({ InstanceId: instanceId, QueueId: id, MaxContacts: 3 }),
          ),
        check: (q) => q.MaxContacts,
        expected: 3,
      },
      {
        run: () =>
          connect.send(
            new UpdateQueueOutboundCallerConfigCommand({
              InstanceId: instanceId,
              QueueId: id,
              OutboundCallerConfig: { OutboundCallerIdName: 'Us', OutboundFlowId: fx.whisperFlow },
            }),
          ),
        check: (q) => q.OutboundCallerConfig,
        expected: { OutboundCallerIdName: 'Us', OutboundFlowId: fx.whisperFlow },
      },
      {
        run: () =>
          connect.send(
            new UpdateQueueStatusCommand({ InstanceId: instanceId, QueueId: id, Status: 'DISABLED' }),
          ),
        check: (q) => q.Status,
        expected: 'DISABLED',
      },
    ];

    for (const step of steps) {
      const before = (await describeQueue(id)).LastModifiedTime!;
      await step.run();
      const after = await describeQueue(id);
      expect(step.check(after)).toEqual(step.expected);
      expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.getTime());
    }
  });

  it('rejects a rename to a taken name with 409 and keeps the old name', async () => {
    await createQueue('A');
    const b = await createQueue('B');

    const error = await rejectionOf(
      connect.send(new UpdateQueueNameCommand({ InstanceId: instanceId, QueueId: b, Name: 'A' })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DuplicateResourceException', 409]);
    expect((await describeQueue(b)).Name).toBe('B');
  });

  it('rejects unknown hours and a missing Status with the right errors', async () => {
    const id = await createQueue('A');

    const hours = await rejectionOf(
      connect.send(
        new UpdateQueueHoursOfOperationCommand({
          InstanceId: instanceId,
          QueueId: id,
          HoursOfOperationId: 'nope',
        }),
      ),
    );
    const status = await rejectionOf(
      connect.send(new UpdateQueueStatusCommand({ InstanceId: instanceId, QueueId: id } as never)),
    );

    expect([hours.name, hours.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect([status.name, status.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('refuses to change an AGENT queue with 400 InvalidRequestException', async () => {
    const error = await rejectionOf(
      connect.send(
        new UpdateQueueStatusCommand({ InstanceId: instanceId, QueueId: fx.agentQueue, Status: 'DISABLED' }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRequestException', 400]);
  });

  it('does not move LastModifiedTime on TagResource', async () => {
    const id = await createQueue('A');
    const before = (await describeQueue(id)).LastModifiedTime;

    await connect.send(new TagResourceCommand({ resourceArn: queueArn(id), tags: { k: 'v' } }));

    const after = await describeQueue(id);
    expect(after.Tags).toEqual({ k: 'v' });
    expect(after.LastModifiedTime).toEqual(before);
  });
});

describe('queue quick connects', () => {
  it('associates, lists in link order over pages and disassociates without moving LastModifiedTime', async () => {
    const qcs = [
      await createQuickConnect('QC1', phoneConfig('+15550001')),
      await createQuickConnect('QC2', phoneConfig('+15550002')),
      await createQuickConnect('QC3', phoneConfig('+15550003')),
    ];
    const id = await createQueue('Sales', { QuickConnectIds: [qcs[2]!] });
    const before = (await describeQueue(id)).LastModifiedTime;

    await connect.send(
      new AssociateQueueQuickConnectsCommand({
        InstanceId: instanceId,
        QueueId: id,
        QuickConnectIds: [qcs[0]!, qcs[2]!, qcs[1]!],
      }),
    );
    const first = await connect.send(
      new ListQueueQuickConnectsCommand({ InstanceId: instanceId, QueueId: id, MaxResults: 2 }),
    );
    const second = await connect.send(
      new ListQueueQuickConnectsCommand({ InstanceId: instanceId, QueueId: id, NextToken: first.NextToken }),
    );
    await connect.send(
      new DisassociateQueueQuickConnectsCommand({
        InstanceId: instanceId,
        QueueId: id,
        QuickConnectIds: [qcs[2]!],
      }),
    );
    const afterRemove = await connect.send(
      new ListQueueQuickConnectsCommand({ InstanceId: instanceId, QueueId: id }),
    );

    expect(first.QuickConnectSummaryList).toEqual([
      {
        Id: qcs[2],
        Arn: fx.instance.arnFor('transfer-destination', qcs[2]!),
        Name: 'QC3',
        QuickConnectType: 'PHONE_NUMBER',
        LastModifiedTime: expect.any(Date),
        LastModifiedRegion: 'us-east-1',
      },
      expect.objectContaining({ Id: qcs[0], Name: 'QC1' }),
    ]);
    expect(first.LastModifiedTime).toEqual(before);
    expect(second.QuickConnectSummaryList!.map((q) => q.Id)).toEqual([qcs[1]]);
    expect(second.NextToken).toBeUndefined();
    expect(afterRemove.QuickConnectSummaryList!.map((q) => q.Id)).toEqual([qcs[0], qcs[1]]);
    expect((await describeQueue(id)).LastModifiedTime).toEqual(before);
  });

  it('rejects an unknown quick connect with 404 and links nothing', async () => {
    const qc = await createQuickConnect('QC1', phoneConfig());
    const id = await createQueue('Sales');

    const error = await rejectionOf(
      connect.send(
        new AssociateQueueQuickConnectsCommand({
          InstanceId: instanceId,
          QueueId: id,
          QuickConnectIds: [qc, 'nope'],
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect(fx.instance.queues.require(id).quickConnectIds).toEqual([]);
  });

  it('rejects an empty QuickConnectIds list with 400', async () => {
    const id = await createQueue('Sales');

    const error = await rejectionOf(
      connect.send(
        new AssociateQueueQuickConnectsCommand({ InstanceId: instanceId, QueueId: id, QuickConnectIds: [] }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });
});

describe('DeleteQueue', () => {
  it('deletes an unreferenced queue', async () => {
    const id = await createQueue('Sales');

    await connect.send(new DeleteQueueCommand({ InstanceId: instanceId, QueueId: id }));

    const error = await rejectionOf(describeQueue(id));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });

  it('refuses with 409 while a routing profile uses it as default outbound queue', async () => {
    const id = await createQueue('Sales');
    await createProfile('RP', id);

    const error = await rejectionOf(
      connect.send(new DeleteQueueCommand({ InstanceId: instanceId, QueueId: id })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
  });

  it('refuses with 409 while a routing profile queue config references it', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createQueue('Sales');
    await createProfile('RP', outbound, { QueueConfigs: [queueConfig(id, 'CHAT')] });

    const error = await rejectionOf(
      connect.send(new DeleteQueueCommand({ InstanceId: instanceId, QueueId: id })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
  });

  it('refuses with 409 while a QUEUE quick connect targets it', async () => {
    const id = await createQueue('Sales');
    await createQuickConnect('To sales', {
      QuickConnectType: 'QUEUE',
      QueueConfig: { QueueId: id, ContactFlowId: fx.queueTransferFlow },
    });

    const error = await rejectionOf(
      connect.send(new DeleteQueueCommand({ InstanceId: instanceId, QueueId: id })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
  });

  it('refuses to delete an AGENT queue with 400 InvalidRequestException', async () => {
    const error = await rejectionOf(
      connect.send(new DeleteQueueCommand({ InstanceId: instanceId, QueueId: fx.agentQueue })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRequestException', 400]);
  });
});

describe('CreateRoutingProfile and DescribeRoutingProfile', () => {
  it('round-trips the profile with defaults and counts, without AssociatedQueueIds', async () => {
    const outbound = await createQueue('Outbound');
    const chat = await createQueue('Chat');

    const id = await createProfile('Agents', outbound, {
      MediaConcurrencies: [
        { Channel: 'VOICE', Concurrency: 1 },
        { Channel: 'CHAT', Concurrency: 3, CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' } },
      ],
      QueueConfigs: [queueConfig(outbound, 'VOICE', 1, 0), queueConfig(chat, 'CHAT', 2, 30)],
      Tags: { team: 'a' },
    });

    expect(await describeProfile(id)).toEqual({
      InstanceId: instanceId,
      Name: 'Agents',
      RoutingProfileArn: fx.instance.arnFor('routing-profile', id),
      RoutingProfileId: id,
      Description: 'Agents profile',
      MediaConcurrencies: [
        {
          Channel: 'VOICE',
          Concurrency: 1,
          CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
        },
        { Channel: 'CHAT', Concurrency: 3, CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' } },
      ],
      DefaultOutboundQueueId: outbound,
      Tags: { team: 'a' },
      NumberOfAssociatedQueues: 2,
      NumberOfAssociatedManualAssignmentQueues: 0,
      NumberOfAssociatedUsers: 0,
      AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: 'us-east-1',
      IsDefault: false,
    });
  });

  it('rejects a missing Description with 400', async () => {
    const outbound = await createQueue('Outbound');

    const error = await rejectionOf(createProfile('RP', outbound, { Description: undefined }));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects a duplicate name with 409', async () => {
    const outbound = await createQueue('Outbound');
    await createProfile('RP', outbound);

    const error = await rejectionOf(createProfile('RP', outbound));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DuplicateResourceException', 409]);
  });

  it('rejects an unknown default outbound queue with 404 and an AGENT queue with 400', async () => {
    const missing = await rejectionOf(createProfile('RP', 'missing-queue'));
    const agent = await rejectionOf(createProfile('RP', fx.agentQueue));

    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect([agent.name, agent.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects an unknown queue in QueueConfigs with 404 and a repeated (queue, channel) pair with 400', async () => {
    const outbound = await createQueue('Outbound');

    const missing = await rejectionOf(
      createProfile('RP', outbound, { QueueConfigs: [queueConfig('nope', 'VOICE')] }),
    );
    const repeated = await rejectionOf(
      createProfile('RP', outbound, {
        QueueConfigs: [queueConfig(outbound, 'VOICE'), queueConfig(queueArn(outbound), 'VOICE', 2)],
      }),
    );

    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect([repeated.name, repeated.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    expect(fx.instance.routingProfiles.size).toBe(0);
  });

  it('rejects more than 10 queue configs in one call with 400', async () => {
    const outbound = await createQueue('Outbound');
    const configs = Array.from({ length: 11 }, (_, i) => queueConfig(outbound, 'VOICE', i + 1));

    const error = await rejectionOf(createProfile('RP', outbound, { QueueConfigs: configs }));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects a VOICE concurrency above 1 and a channel named twice with 400', async () => {
    const outbound = await createQueue('Outbound');

    const voice = await rejectionOf(
      createProfile('RP', outbound, { MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 2 }] }),
    );
    const twice = await rejectionOf(
      createProfile('RP', outbound, {
        MediaConcurrencies: [
          { Channel: 'CHAT', Concurrency: 2 },
          { Channel: 'CHAT', Concurrency: 3 },
        ],
      }),
    );

    expect([voice.name, voice.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    expect([twice.name, twice.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects a channel without a Concurrency with 400', async () => {
    const outbound = await createQueue('Outbound');

    const error = await rejectionOf(
      createProfile('RP', outbound, { MediaConcurrencies: [{ Channel: 'CHAT' }] }),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    expect(fx.instance.routingProfiles.size).toBe(0);
  });

  it('counts the users assigned to the profile', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);
    addUser(fx.instance, 'u-2', 'agent2', id);
    addUser(fx.instance, 'u-3', 'agent3', fx.instance.arnFor('routing-profile', id));

    expect((await describeProfile(id)).NumberOfAssociatedUsers).toBe(2);
  });
});

describe('ListRoutingProfiles', () => {
  it('pages through every profile in creation order with exactly the summary members', async () => {
    const outbound = await createQueue('Outbound');
    const ids = [
      await createProfile('P1', outbound),
      await createProfile('P2', outbound),
      await createProfile('P3', outbound),
    ];

    const first = await connect.send(
      new ListRoutingProfilesCommand({ InstanceId: instanceId, MaxResults: 2 }),
    );
    const second = await connect.send(
      new ListRoutingProfilesCommand({ InstanceId: instanceId, MaxResults: 2, NextToken: first.NextToken }),
    );

    expect(first.RoutingProfileSummaryList).toEqual([
      {
        Id: ids[0],
        Arn: fx.instance.arnFor('routing-profile', ids[0]!),
        Name: 'P1',
        LastModifiedTime: expect.any(Date),
        LastModifiedRegion: 'us-east-1',
      },
      expect.objectContaining({ Id: ids[1], Name: 'P2' }),
    ]);
    expect(second.RoutingProfileSummaryList!.map((p) => p.Id)).toEqual([ids[2]]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('SearchRoutingProfiles', () => {
  it('returns AssociatedQueueIds and leaves out the members the real Search does not populate', async () => {
    const outbound = await createQueue('Outbound');
    const chat = await createQueue('Chat');
    const id = await createProfile('RP', outbound, {
      MediaConcurrencies: [{ Channel: 'CHAT', Concurrency: 2 }],
      QueueConfigs: [queueConfig(chat, 'CHAT'), queueConfig(chat, 'TASK'), queueConfig(outbound, 'VOICE')],
    });

    const out = await connect.send(new SearchRoutingProfilesCommand({ InstanceId: instanceId }));

    expect(out.ApproximateTotalCount).toBe(1);
    expect(out.RoutingProfiles).toEqual([
      {
        InstanceId: instanceId,
        Name: 'RP',
        RoutingProfileArn: fx.instance.arnFor('routing-profile', id),
        RoutingProfileId: id,
        Description: 'RP profile',
        MediaConcurrencies: [{ Channel: 'CHAT', Concurrency: 2 }],
        DefaultOutboundQueueId: outbound,
        Tags: {},
        NumberOfAssociatedQueues: 3,
        NumberOfAssociatedManualAssignmentQueues: 0,
        NumberOfAssociatedUsers: 0,
        IsDefault: false,
        AssociatedQueueIds: [chat, outbound],
        AssociatedManualAssignmentQueueIds: [],
      },
    ]);
  });

  it('matches on associatedQueueIds and pages', async () => {
    const a = await createQueue('A');
    const b = await createQueue('B');
    const p1 = await createProfile('P1', a, { QueueConfigs: [queueConfig(b, 'CHAT')] });
    await createProfile('P2', a);
    const p3 = await createProfile('P3', b, { QueueConfigs: [queueConfig(b, 'VOICE')] });
    const criteria = {
      StringCondition: { FieldName: 'associatedQueueIds', Value: b, ComparisonType: 'EXACT' as const },
    };

    const first = await connect.send(
      new SearchRoutingProfilesCommand({ InstanceId: instanceId, SearchCriteria: criteria, MaxResults: 1 }),
    );
    const second = await connect.send(
      new SearchRoutingProfilesCommand({
        InstanceId: instanceId,
        SearchCriteria: criteria,
        NextToken: first.NextToken,
      }),
    );

    expect(first.ApproximateTotalCount).toBe(2);
    expect([...first.RoutingProfiles!, ...second.RoutingProfiles!].map((p) => p.RoutingProfileId)).toEqual([
      p1,
      p3,
    ]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('routing profile updates', () => {
  it('name, concurrency, default outbound queue and availability timer updates move LastModifiedTime', async () => {
    const outbound = await createQueue('Outbound');
    const other = await createQueue('Other');
    const id = await createProfile('RP', outbound);
    const base = { InstanceId: instanceId, RoutingProfileId: id };
    const updates = [
      () => connect.send(new UpdateRoutingProfileNameCommand({ ...base, Name: 'RP2', Description: 'new' })),
      () =>
        connect.send(
          new UpdateRoutingProfileConcurrencyCommand({
            ...base,
            MediaConcurrencies: [{ Channel: 'TASK', Concurrency: 5 }],
          }),
        ),
      () =>
        connect.send(
          new UpdateRoutingProfileDefaultOutboundQueueCommand({ ...base, DefaultOutboundQueueId: other }),
        ),
      () =>
        connect.send(
          new UpdateRoutingProfileAgentAvailabilityTimerCommand({
            ...base,
            AgentAvailabilityTimer: 'TIME_SINCE_LAST_INBOUND',
          }),
        ),
    ];

    for (const update of updates) {
      const before = (await describeProfile(id)).LastModifiedTime!;
      await update();
      expect((await describeProfile(id)).LastModifiedTime!.getTime()).toBeGreaterThan(before.getTime());
    }
    const after = await describeProfile(id);
    expect([
      after.Name,
      after.Description,
      after.DefaultOutboundQueueId,
      after.AgentAvailabilityTimer,
    ]).toEqual(['RP2', 'new', other, 'TIME_SINCE_LAST_INBOUND']);
    expect(after.MediaConcurrencies).toEqual([
      {
        Channel: 'TASK',
        Concurrency: 5,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
    ]);
  });

  it('rejects a rename to a taken name with 409', async () => {
    const outbound = await createQueue('Outbound');
    await createProfile('A', outbound);
    const b = await createProfile('B', outbound);

    const error = await rejectionOf(
      connect.send(
        new UpdateRoutingProfileNameCommand({ InstanceId: instanceId, RoutingProfileId: b, Name: 'A' }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DuplicateResourceException', 409]);
  });

  it('rejects an unknown default outbound queue with 404', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);

    const error = await rejectionOf(
      connect.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          DefaultOutboundQueueId: 'nope',
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });
});

describe('routing profile queues', () => {
  it('associates, updates, lists and disassociates without moving LastModifiedTime', async () => {
    const outbound = await createQueue('Outbound');
    const chat = await createQueue('Chat');
    const id = await createProfile('RP', outbound, { QueueConfigs: [queueConfig(outbound, 'VOICE')] });
    const base = { InstanceId: instanceId, RoutingProfileId: id };
    const before = (await describeProfile(id)).LastModifiedTime;

    await connect.send(
      new AssociateRoutingProfileQueuesCommand({
        ...base,
        QueueConfigs: [queueConfig(chat, 'CHAT', 5, 10), queueConfig(chat, 'TASK', 6, 20)],
      }),
    );
    await connect.send(
      new UpdateRoutingProfileQueuesCommand({ ...base, QueueConfigs: [queueConfig(chat, 'CHAT', 9, 99)] }),
    );
    await connect.send(
      new DisassociateRoutingProfileQueuesCommand({
        ...base,
        QueueReferences: [{ QueueId: outbound, Channel: 'VOICE' }],
      }),
    );
    const listed = await connect.send(new ListRoutingProfileQueuesCommand(base));

    expect(listed.RoutingProfileQueueConfigSummaryList).toEqual([
      { QueueId: chat, QueueArn: queueArn(chat), QueueName: 'Chat', Priority: 9, Delay: 99, Channel: 'CHAT' },
      { QueueId: chat, QueueArn: queueArn(chat), QueueName: 'Chat', Priority: 6, Delay: 20, Channel: 'TASK' },
    ]);
    expect(listed.LastModifiedTime).toEqual(before);
    expect(listed.LastModifiedRegion).toBe('us-east-1');
    expect((await describeProfile(id)).LastModifiedTime).toEqual(before);
  });

  it('lists more than one page completely and in association order, with current queue names', async () => {
    const queues = [await createQueue('Q0'), await createQueue('Q1'), await createQueue('Q2')];
    const id = await createProfile('RP', queues[0]!, {
      QueueConfigs: queues.map((q, i) => queueConfig(q, 'VOICE', i + 1)),
    });
    await connect.send(
      new UpdateQueueNameCommand({ InstanceId: instanceId, QueueId: queues[2]!, Name: 'Renamed' }),
    );

    const first = await connect.send(
      new ListRoutingProfileQueuesCommand({ InstanceId: instanceId, RoutingProfileId: id, MaxResults: 2 }),
    );
    const second = await connect.send(
      new ListRoutingProfileQueuesCommand({
        InstanceId: instanceId,
        RoutingProfileId: id,
        NextToken: first.NextToken,
      }),
    );

    const all = [
      ...first.RoutingProfileQueueConfigSummaryList!,
      ...second.RoutingProfileQueueConfigSummaryList!,
    ];
    expect(all.map((c) => [c.QueueId, c.QueueName, c.Priority])).toEqual([
      [queues[0], 'Q0', 1],
      [queues[1], 'Q1', 2],
      [queues[2], 'Renamed', 3],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('rejects associating a pair that is already associated with 400', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound, { QueueConfigs: [queueConfig(outbound, 'VOICE')] });

    const error = await rejectionOf(
      connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          QueueConfigs: [queueConfig(outbound, 'VOICE', 2)],
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    expect(fx.instance.routingProfiles.require(id).queueConfigs).toHaveLength(1);
  });

  it('accepts 100 queue configs in chunks of 10 and rejects the 101st with 400 InvalidRequestException', async () => {
    const channels: Channel[] = ['VOICE', 'CHAT', 'TASK', 'EMAIL'];
    const queues: string[] = [];
    for (let i = 0; i < 26; i++) queues.push(await createQueue(`Q${i}`));
    const pairs = queues.flatMap((q) => channels.map((c) => queueConfig(q, c)));
    const id = await createProfile('RP', queues[0]!);
    for (let i = 0; i < 100; i += 10) {
      await connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          QueueConfigs: pairs.slice(i, i + 10),
        }),
      );
    }

    const error = await rejectionOf(
      connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          QueueConfigs: [pairs[100]!],
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRequestException', 400]);
    expect((await describeProfile(id)).NumberOfAssociatedQueues).toBe(100);
  });

  it('rejects more than 10 queue references in one disassociate call with 400', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);
    const references = Array.from({ length: 11 }, () => ({ QueueId: outbound, Channel: 'VOICE' as const }));

    const error = await rejectionOf(
      connect.send(
        new DisassociateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          QueueReferences: references,
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects updating a pair that is not associated with 400', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound, { QueueConfigs: [queueConfig(outbound, 'VOICE')] });

    const error = await rejectionOf(
      connect.send(
        new UpdateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: id,
          QueueConfigs: [queueConfig(outbound, 'CHAT', 3)],
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('keeps manual-assignment queues apart, listing them and rejecting VOICE', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);
    const base = { InstanceId: instanceId, RoutingProfileId: id };

    await connect.send(
      new AssociateRoutingProfileQueuesCommand({
        ...base,
        ManualAssignmentQueueConfigs: [{ QueueReference: { QueueId: outbound, Channel: 'CHAT' } }],
      }),
    );
    const voice = await rejectionOf(
      connect.send(
        new AssociateRoutingProfileQueuesCommand({
          ...base,
          ManualAssignmentQueueConfigs: [{ QueueReference: { QueueId: outbound, Channel: 'VOICE' } }],
        }),
      ),
    );
    const manual = await connect.send(new ListRoutingProfileManualAssignmentQueuesCommand(base));
    const regular = await connect.send(new ListRoutingProfileQueuesCommand(base));

    expect(manual.RoutingProfileManualAssignmentQueueConfigSummaryList).toEqual([
      { QueueId: outbound, QueueArn: queueArn(outbound), QueueName: 'Outbound', Channel: 'CHAT' },
    ]);
    expect(regular.RoutingProfileQueueConfigSummaryList).toEqual([]);
    expect([voice.name, voice.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });
});

describe('DeleteRoutingProfile', () => {
  it('deletes an unused profile', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);

    await connect.send(new DeleteRoutingProfileCommand({ InstanceId: instanceId, RoutingProfileId: id }));

    const error = await rejectionOf(describeProfile(id));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });

  it('refuses with 409 while a user is assigned to it', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('RP', outbound);
    addUser(fx.instance, 'u-2', 'agent2', id);

    const error = await rejectionOf(
      connect.send(new DeleteRoutingProfileCommand({ InstanceId: instanceId, RoutingProfileId: id })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
  });

  it('refuses with 409 for the default routing profile', async () => {
    const outbound = await createQueue('Outbound');
    const id = await createProfile('Basic Routing Profile', outbound);
    fx.instance.routingProfiles.require(id).entity.IsDefault = true;

    const error = await rejectionOf(
      connect.send(new DeleteRoutingProfileCommand({ InstanceId: instanceId, RoutingProfileId: id })),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
  });
});

describe('CreateQuickConnect and DescribeQuickConnect', () => {
  it('round-trips each type with references stored as ids', async () => {
    const queue = await createQueue('Sales');
    const configs = {
      USER: {
        QuickConnectType: 'USER',
        UserConfig: {
          UserId: fx.instance.arnFor('agent', fx.user),
          ContactFlowId: fx.instance.arnFor('contact-flow', fx.agentTransferFlow),
        },
      },
      QUEUE: {
        QuickConnectType: 'QUEUE',
        QueueConfig: { QueueId: queue, ContactFlowId: fx.queueTransferFlow },
      },
      PHONE_NUMBER: phoneConfig('+4930123456'),
      FLOW: { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: fx.contactFlow } },
    } as const;
    const expected = {
      USER: {
        QuickConnectType: 'USER',
        UserConfig: { UserId: fx.user, ContactFlowId: fx.agentTransferFlow },
      },
      QUEUE: configs.QUEUE,
      PHONE_NUMBER: configs.PHONE_NUMBER,
      FLOW: configs.FLOW,
    };

    for (const [type, config] of Object.entries(configs)) {
      const id = await createQuickConnect(`QC ${type}`, config, {
        Description: `to ${type}`,
        Tags: { t: type },
      });
      const { QuickConnect } = await connect.send(
        new DescribeQuickConnectCommand({ InstanceId: instanceId, QuickConnectId: id }),
      );
      expect(QuickConnect).toEqual({
        QuickConnectARN: fx.instance.arnFor('transfer-destination', id),
        QuickConnectId: id,
        Name: `QC ${type}`,
        Description: `to ${type}`,
        QuickConnectConfig: expected[type as keyof typeof expected],
        Tags: { t: type },
        LastModifiedTime: expect.any(Date),
        LastModifiedRegion: 'us-east-1',
      });
    }
  });

  it('rejects a missing QuickConnectConfig and a missing sub-config with 400', async () => {
    const noConfig = await rejectionOf(
      connect.send(new CreateQuickConnectCommand({ InstanceId: instanceId, Name: 'QC' } as never)),
    );
    const noUserConfig = await rejectionOf(createQuickConnect('QC', { QuickConnectType: 'USER' }));
    const extra = await rejectionOf(
      createQuickConnect('QC', { ...phoneConfig(), FlowConfig: { ContactFlowId: fx.contactFlow } }),
    );

    for (const error of [noConfig, noUserConfig, extra]) {
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
    }
  });

  it('rejects a duplicate name with 409', async () => {
    await createQuickConnect('QC', phoneConfig());

    const error = await rejectionOf(createQuickConnect('QC', phoneConfig('+15550199')));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DuplicateResourceException', 409]);
  });

  it('rejects dangling references with 404 and wrong flow types with 400', async () => {
    const user = await rejectionOf(
      createQuickConnect('QC', {
        QuickConnectType: 'USER',
        UserConfig: { UserId: 'nobody', ContactFlowId: fx.agentTransferFlow },
      }),
    );
    const queue = await rejectionOf(
      createQuickConnect('QC', {
        QuickConnectType: 'QUEUE',
        QueueConfig: { QueueId: 'no-queue', ContactFlowId: fx.queueTransferFlow },
      }),
    );
    const flow = await rejectionOf(
      createQuickConnect('QC', { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: 'no-flow' } }),
    );
    const wrongType = await rejectionOf(
      createQuickConnect('QC', {
        QuickConnectType: 'USER',
        UserConfig: { UserId: fx.user, ContactFlowId: fx.queueTransferFlow },
      }),
    );

    for (const error of [user, queue, flow]) {
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    }
    expect(user.message).toContain('nobody');
    expect([wrongType.name, wrongType.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });

  it('rejects a phone number that is not E.164 with 400', async () => {
    const error = await rejectionOf(createQuickConnect('QC', phoneConfig('555-0100')));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 400]);
  });
});

describe('ListQuickConnects and SearchQuickConnects', () => {
  it('pages through every quick connect in creation order, filtered by type', async () => {
    const ids = [
      await createQuickConnect('P1', phoneConfig('+15550001')),
      await createQuickConnect('F1', {
        QuickConnectType: 'FLOW',
        FlowConfig: { ContactFlowId: fx.contactFlow },
      }),
      await createQuickConnect('P2', phoneConfig('+15550002')),
    ];

    const first = await connect.send(new ListQuickConnectsCommand({ InstanceId: instanceId, MaxResults: 2 }));
    const second = await connect.send(
      new ListQuickConnectsCommand({ InstanceId: instanceId, MaxResults: 2, NextToken: first.NextToken }),
    );
    const phones = await connect.send(
      new ListQuickConnectsCommand({ InstanceId: instanceId, QuickConnectTypes: ['PHONE_NUMBER'] }),
    );

    expect(first.QuickConnectSummaryList![0]).toEqual({
      Id: ids[0],
      Arn: fx.instance.arnFor('transfer-destination', ids[0]!),
      Name: 'P1',
      QuickConnectType: 'PHONE_NUMBER',
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: 'us-east-1',
    });
    expect([...first.QuickConnectSummaryList!, ...second.QuickConnectSummaryList!].map((q) => q.Id)).toEqual(
      ids,
    );
    expect(second.NextToken).toBeUndefined();
    expect(phones.QuickConnectSummaryList!.map((q) => q.Id)).toEqual([ids[0], ids[2]]);
  });

  it('searches by name and returns the full entity with the total count', async () => {
    const a = await createQuickConnect('Support line', phoneConfig('+15550001'));
    await createQuickConnect('Billing line', phoneConfig('+15550002'));

    const out = await connect.send(
      new SearchQuickConnectsCommand({
        InstanceId: instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'Support', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );

    const { QuickConnect } = await connect.send(
      new DescribeQuickConnectCommand({ InstanceId: instanceId, QuickConnectId: a }),
    );
    expect(out.QuickConnects).toEqual([QuickConnect]);
    expect(out.ApproximateTotalCount).toBe(1);
  });
});

describe('quick connect updates and DeleteQuickConnect', () => {
  it('UpdateQuickConnectConfig and UpdateQuickConnectName change the entity and move LastModifiedTime', async () => {
    const id = await createQuickConnect('QC', phoneConfig(), { Description: 'old' });
    const describe = async () =>
      (await connect.send(new DescribeQuickConnectCommand({ InstanceId: instanceId, QuickConnectId: id })))
        .QuickConnect!;
    const t0 = (await describe()).LastModifiedTime!;

    await connect.send(
      new UpdateQuickConnectConfigCommand({
        InstanceId: instanceId,
        QuickConnectId: id,
        QuickConnectConfig: { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: fx.contactFlow } },
      }),
    );
    const t1 = (await describe()).LastModifiedTime!;
    await connect.send(
      new UpdateQuickConnectNameCommand({
        InstanceId: instanceId,
        QuickConnectId: id,
        Name: 'QC2',
        Description: '',
      }),
    );
    const after = await describe();

    expect(t1.getTime()).toBeGreaterThan(t0.getTime());
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(t1.getTime());
    expect(after.Name).toBe('QC2');
    expect(after.Description).toBeUndefined();
    expect(after.QuickConnectConfig).toEqual({
      QuickConnectType: 'FLOW',
      FlowConfig: { ContactFlowId: fx.contactFlow },
    });
  });

  it('rejects an invalid config update with 404 and keeps the old config', async () => {
    const id = await createQuickConnect('QC', phoneConfig());

    const error = await rejectionOf(
      connect.send(
        new UpdateQuickConnectConfigCommand({
          InstanceId: instanceId,
          QuickConnectId: id,
          QuickConnectConfig: { QuickConnectType: 'FLOW', FlowConfig: { ContactFlowId: 'no-flow' } },
        }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect(fx.instance.quickConnects.require(id).entity.QuickConnectConfig).toEqual(phoneConfig());
  });

  it('rejects a rename to a taken name with 409', async () => {
    await createQuickConnect('A', phoneConfig());
    const b = await createQuickConnect('B', phoneConfig());

    const error = await rejectionOf(
      connect.send(
        new UpdateQuickConnectNameCommand({ InstanceId: instanceId, QuickConnectId: b, Name: 'A' }),
      ),
    );

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DuplicateResourceException', 409]);
  });

  it('DeleteQuickConnect removes it and its queue links', async () => {
    const keep = await createQuickConnect('Keep', phoneConfig('+15550001'));
    const gone = await createQuickConnect('Gone', phoneConfig('+15550002'));
    const queue = await createQueue('Sales', { QuickConnectIds: [gone, keep] });

    await connect.send(new DeleteQuickConnectCommand({ InstanceId: instanceId, QuickConnectId: gone }));

    const linked = await connect.send(
      new ListQueueQuickConnectsCommand({ InstanceId: instanceId, QueueId: queue }),
    );
    expect(linked.QuickConnectSummaryList!.map((q) => q.Id)).toEqual([keep]);
    expect(fx.instance.queues.require(queue).quickConnectIds).toEqual([keep]);
    const error = await rejectionOf(
      connect.send(new DescribeQuickConnectCommand({ InstanceId: instanceId, QuickConnectId: gone })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });
});
