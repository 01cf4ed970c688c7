/**
 * Eventual consistency (propagation.ts) and the switchable quirks (quirks.ts). Nothing here waits for
 * the clock: the model's time is checked with an injected clock, the emulator's with `settle()`.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DeleteContactFlowCommand,
  DeleteContactFlowModuleCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeQueueCommand,
  DescribeUserCommand,
  ListQueuesCommand,
  SearchContactFlowModulesCommand,
  SearchContactFlowsCommand,
  SearchQueuesCommand,
  TagResourceCommand,
  UpdateContactFlowContentCommand,
  UpdateQueueNameCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/errors.js';
import type { Quirk } from './index.js';
import { Propagation } from './propagation.js';
import { addHours, addRoutingProfile, expectError, type Harness, startWithInstance } from './testing.js';

const DELAY_MS = 60_000;

/** An instance with one hours of operation and one routing profile, seeded before the delay applies. */
async function start(
  propagationDelayMs: number,
  quirks: Quirk[] = [],
): Promise<Harness & { hoursId: string }> {
  const hoursId = randomUUID();
  const h = await startWithInstance({
    alias: 'propagation',
    emulator: { propagationDelayMs, quirks },
    arrange: (instance, env) => {
      addHours(instance, hoursId, 'Office hours');
      addRoutingProfile(instance, env.world.newId(), 'Basic Routing Profile');
    },
  });
  return { ...h, hoursId };
}

const createQueue = (h: Harness & { hoursId: string }, Name = 'Sales') =>
  h.connect.send(new CreateQueueCommand({ InstanceId: h.InstanceId, Name, HoursOfOperationId: h.hoursId }));

const searchQueueNames = async (h: Harness) =>
  (
    await h.connect.send(
      new SearchQueuesCommand({
        InstanceId: h.InstanceId,
        SearchCriteria: { QueueTypeCondition: 'STANDARD' },
      }),
    )
  ).Queues!.map((q) => q.Name);

/** A published flow that sets a queue and disconnects. */
function queueFlow(queueArn: string): string {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: 'set',
    Actions: [
      {
        Identifier: 'set',
        Type: 'UpdateContactTargetQueue',
        Parameters: { QueueId: queueArn },
        Transitions: { NextAction: 'bye', Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }] },
      },
      { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  });
}

describe('the propagation model', () => {
  it('hides a new record for the delay, and keeps the Search view of a changed one until the delay after its last write', () => {
    let now = 1_000;
    const propagation = new Propagation(() => now);
    propagation.delayMs = 100;
    const created = { entity: { Name: 'new' } };
    const changed = { entity: { Name: 'before' } };

    propagation.created(created);
    propagation.beforeWrite(changed);
    changed.entity.Name = 'after';
    const during = [
      propagation.visible(created),
      propagation.searchView(created),
      propagation.searchView(changed),
    ];
    now = 1_050;
    propagation.beforeWrite(changed); // a second write inside the window extends it
    now = 1_120;
    const afterFirstWindow = [propagation.visible(created), propagation.searchView(changed)];
    now = 1_150;
    const afterLastWrite = propagation.searchView(changed);

    expect(during).toEqual([false, undefined, { entity: { Name: 'before' } }]);
    expect(afterFirstWindow).toEqual([true, { entity: { Name: 'before' } }]);
    expect(afterLastWrite).toBe(changed);
  });

  it('does nothing with no delay', () => {
    const propagation = new Propagation(() => 0);
    const record = { entity: {} };

    propagation.created(record);
    propagation.beforeWrite(record);

    expect([propagation.visible(record), propagation.searchView(record)]).toEqual([true, record]);
  });
});

describe('propagationDelayMs', () => {
  it('keeps a new queue out of Describe, Search and references, while List shows it and its name is taken', async () => {
    const h = await start(DELAY_MS);
    const { QueueId, QueueArn } = await createQueue(h);

    await expectError(
      h.connect.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId })),
      'ResourceNotFoundException',
      404,
    );
    const searched = await searchQueueNames(h);
    const listed = (await h.connect.send(new ListQueuesCommand({ InstanceId: h.InstanceId })))
      .QueueSummaryList!;
    await expectError(
      h.connect.send(
        new CreateRoutingProfileCommand({
          InstanceId: h.InstanceId,
          Name: 'Sales profile',
          Description: 'Sales',
          DefaultOutboundQueueId: QueueId,
          MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(new TagResourceCommand({ resourceArn: QueueArn, tags: { team: 'sales' } })),
      'ResourceNotFoundException',
      404,
    );
    const publish = await rejectionOf(
      h.connect.send(
        new CreateContactFlowCommand({
          InstanceId: h.InstanceId,
          Name: 'Inbound',
          Type: 'CONTACT_FLOW',
          Content: queueFlow(QueueArn!),
        }),
      ),
    );
    await expectError(createQueue(h), 'DuplicateResourceException', 409);

    expect(searched).toEqual([]);
    expect(listed.map((q) => q.Id)).toEqual([QueueId]);
    expect([publish.name, publish.problems]).toEqual([
      'InvalidContactFlowException',
      [{ message: `Resource ${QueueArn} does not exist in this instance.` }],
    ]);

    h.emulator.propagation.settle();
    expect(
      (await h.connect.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId }))).Queue!.Name,
    ).toBe('Sales');
    expect(await searchQueueNames(h)).toEqual(['Sales']);
  });

  it('answers DescribeUser right after CreateUser with ResourceNotFoundException (the eventual-consistency example)', async () => {
    const h = await start(DELAY_MS);
    const { SecurityProfileId } = await h.connect.send(
      new CreateSecurityProfileCommand({ InstanceId: h.InstanceId, SecurityProfileName: 'Agent' }),
    );
    await expectError(
      h.connect.send(
        new CreateUserCommand({
          InstanceId: h.InstanceId,
          Username: 'agent1',
          Password: 'Sup3rSecret-Pa55',
          IdentityInfo: { FirstName: 'A', LastName: 'Gent' },
          RoutingProfileId: h.instance.routingProfiles.all()[0]!.id,
          SecurityProfileIds: [SecurityProfileId!],
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    h.emulator.propagation.settle();
    const { UserId } = await h.connect.send(
      new CreateUserCommand({
        InstanceId: h.InstanceId,
        Username: 'agent1',
        Password: 'Sup3rSecret-Pa55',
        IdentityInfo: { FirstName: 'A', LastName: 'Gent' },
        RoutingProfileId: h.instance.routingProfiles.all()[0]!.id,
        SecurityProfileIds: [SecurityProfileId!],
      }),
    );

    await expectError(
      h.connect.send(new DescribeUserCommand({ InstanceId: h.InstanceId, UserId })),
      'ResourceNotFoundException',
      404,
    );
    h.emulator.propagation.settle();
    expect(
      (await h.connect.send(new DescribeUserCommand({ InstanceId: h.InstanceId, UserId }))).User!.Username,
    ).toBe('agent1');
  });

  it('shows a change in Describe at once and in Search only once it has propagated', async () => {
    const h = await start(DELAY_MS);
    const { QueueId } = await createQueue(h);
    h.emulator.propagation.settle();

    await h.connect.send(
      new UpdateQueueNameCommand({ InstanceId: h.InstanceId, QueueId, Name: 'Sales EMEA' }),
    );
    await h.connect.send(
      new UpdateQueueNameCommand({ InstanceId: h.InstanceId, QueueId, Description: 'EMEA' }),
    );
    const described = (await h.connect.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId })))
      .Queue!;
    const searched = await searchQueueNames(h);
    h.emulator.propagation.settle();

    expect([described.Name, described.Description]).toEqual(['Sales EMEA', 'EMEA']);
    expect(searched).toEqual(['Sales']);
    expect(await searchQueueNames(h)).toEqual(['Sales EMEA']);
  });

  it('leaves seeded resources visible, and is off by default', async () => {
    const delayed = await start(DELAY_MS);
    const immediate = await start(0);

    const seeded = await delayed.connect.send(
      new CreateQueueCommand({
        InstanceId: delayed.InstanceId,
        Name: 'Q',
        HoursOfOperationId: delayed.hoursId,
      }),
    );
    const { QueueId } = await createQueue(immediate);

    expect(seeded.QueueId).toBeDefined();
    expect(
      (await immediate.connect.send(new DescribeQueueCommand({ InstanceId: immediate.InstanceId, QueueId })))
        .Queue!.Name,
    ).toBe('Sales');
    expect(await searchQueueNames(immediate)).toEqual(['Sales']);
  });
});

describe('quirks', () => {
  const module = JSON.stringify({
    Version: '2019-10-30',
    StartAction: 'end',
    Actions: [{ Identifier: 'end', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} }],
  });
  const flow = (text: string) =>
    JSON.stringify({
      Version: '2019-10-30',
      StartAction: 'say',
      Actions: [
        {
          Identifier: 'say',
          Type: 'MessageParticipant',
          Parameters: { Text: text },
          Transitions: { NextAction: 'bye' },
        },
        { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });

  /** A published flow with a saved draft, a flow never published, and a module. */
  async function arrange(quirks: Quirk[]) {
    const h = await start(0, quirks);
    const published = await h.connect.send(
      new CreateContactFlowCommand({
        InstanceId: h.InstanceId,
        Name: 'Published',
        Type: 'CONTACT_FLOW',
        Content: flow('v1'),
      }),
    );
    await h.connect.send(
      new UpdateContactFlowContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: `${published.ContactFlowId}:$SAVED`,
        Content: flow('draft'),
      }),
    );
    await h.connect.send(
      new CreateContactFlowCommand({
        InstanceId: h.InstanceId,
        Name: 'Never published',
        Type: 'CONTACT_FLOW',
        Content: flow('saved'),
        Status: 'SAVED',
      }),
    );
    await h.connect.send(
      new CreateContactFlowModuleCommand({ InstanceId: h.InstanceId, Name: 'Module', Content: module }),
    );
    const searchFlows = async (StatusCondition?: 'SAVED') =>
      (
        await h.connect.send(
          new SearchContactFlowsCommand({
            InstanceId: h.InstanceId,
            ...(StatusCondition ? { SearchCriteria: { StatusCondition } } : {}),
          }),
        )
      ).ContactFlows!.map((f) => [
        f.Name,
        f.Status,
        f.Content === undefined ? 'no content' : JSON.parse(f.Content).Actions[0].Parameters.Text,
      ]);
    const searchModules = async () =>
      (
        await h.connect.send(new SearchContactFlowModulesCommand({ InstanceId: h.InstanceId }))
      ).ContactFlowModules!.map((m) => m.Content);
    const described = async () =>
      (
        await h.connect.send(
          new DescribeContactFlowCommand({
            InstanceId: h.InstanceId,
            ContactFlowId: published.ContactFlowId,
          }),
        )
      ).ContactFlow!.Content;
    return { searchFlows, searchModules, described };
  }

  it('without quirks: Search returns content, and a SAVED search the drafts of published flows', async () => {
    const { searchFlows, searchModules } = await arrange([]);

    expect(await searchFlows()).toEqual([
      ['Published', 'PUBLISHED', 'v1'],
      ['Never published', 'SAVED', 'saved'],
    ]);
    expect(await searchFlows('SAVED')).toEqual([
      ['Published', 'SAVED', 'draft'],
      ['Never published', 'SAVED', 'saved'],
    ]);
    expect(await searchModules()).toEqual([module]);
  });

  it('search-omits-content: Search returns flows and modules without Content; Describe still has it', async () => {
    const { searchFlows, searchModules, described } = await arrange(['search-omits-content']);

    expect(await searchFlows()).toEqual([
      ['Published', 'PUBLISHED', 'no content'],
      ['Never published', 'SAVED', 'no content'],
    ]);
    expect(await searchModules()).toEqual([undefined]);
    expect(await described()).toBe(flow('v1'));
  });

  it('search-omits-drafts: a SAVED search returns only flows never published', async () => {
    const { searchFlows } = await arrange(['search-omits-drafts']);

    expect(await searchFlows('SAVED')).toEqual([['Never published', 'SAVED', 'saved']]);
    expect(await searchFlows()).toEqual([
      ['Published', 'PUBLISHED', 'v1'],
      ['Never published', 'SAVED', 'saved'],
    ]);
  });

  it('describe-omits-content: Describe answers flows without Content; Search still has it', async () => {
    const { searchFlows, described } = await arrange(['describe-omits-content']);

    expect(await described()).toBeUndefined();
    expect(await searchFlows()).toEqual([
      ['Published', 'PUBLISHED', 'v1'],
      ['Never published', 'SAVED', 'saved'],
    ]);
  });

  it('search-lags-deletes: Search keeps listing a deleted flow and module; Describe does not find them', async () => {
    const h = await start(0, ['search-lags-deletes']);
    const { ContactFlowId } = await h.connect.send(
      new CreateContactFlowCommand({
        InstanceId: h.InstanceId,
        Name: 'Gone',
        Type: 'CONTACT_FLOW',
        Content: flow('x'),
      }),
    );
    const { Id } = await h.connect.send(
      new CreateContactFlowModuleCommand({ InstanceId: h.InstanceId, Name: 'Gone module', Content: module }),
    );
    await h.connect.send(new DeleteContactFlowCommand({ InstanceId: h.InstanceId, ContactFlowId }));
    await h.connect.send(
      new DeleteContactFlowModuleCommand({ InstanceId: h.InstanceId, ContactFlowModuleId: Id }),
    );

    const flows = await h.connect.send(new SearchContactFlowsCommand({ InstanceId: h.InstanceId }));
    expect(flows.ContactFlows?.map((f) => f.Name)).toContain('Gone');
    const modules = await h.connect.send(new SearchContactFlowModulesCommand({ InstanceId: h.InstanceId }));
    expect(modules.ContactFlowModules?.map((m) => m.Name)).toContain('Gone module');
    await expect(
      h.connect.send(new DescribeContactFlowCommand({ InstanceId: h.InstanceId, ContactFlowId })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      h.connect.send(
        new DescribeContactFlowModuleCommand({ InstanceId: h.InstanceId, ContactFlowModuleId: Id }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
