import { createHash, randomUUID } from 'node:crypto';
import {
  type ContactFlow,
  type ContactFlowModule,
  CreateContactFlowCommand,
  type CreateContactFlowCommandInput,
  CreateContactFlowModuleCommand,
  type CreateContactFlowModuleCommandInput,
  DeleteContactFlowCommand,
  DeleteContactFlowModuleCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  ListContactFlowModulesCommand,
  ListContactFlowsCommand,
  SearchContactFlowModulesCommand,
  SearchContactFlowsCommand,
  TagResourceCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowMetadataCommand,
  UpdateContactFlowModuleContentCommand,
  UpdateContactFlowModuleMetadataCommand,
  UpdateContactFlowNameCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/errors.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './seeds/support.js';
import { addQueue, type Harness, startWithInstance } from './testing.js';

/** One empty instance (aliased `flows`). */
const start = () => startWithInstance({ alias: 'flows' });

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A flow in the flow language that sets the target queue, transfers to it and disconnects. */
function queueFlow(queueArn: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: 'set-queue',
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: {
        'set-queue': { position: { x: 160, y: 40 }, parameters: { QueueId: { displayName: 'Sales' } } },
        transfer: { position: { x: 400, y: 40 } },
        disconnect: { position: { x: 640, y: 40 } },
      },
    },
    Actions: [
      {
        Identifier: 'set-queue',
        Type: 'UpdateContactTargetQueue',
        Parameters: { QueueId: queueArn },
        Transitions: {
          NextAction: 'transfer',
          Errors: [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }],
        },
      },
      {
        Identifier: 'transfer',
        Type: 'TransferContactToQueue',
        Parameters: {},
        Transitions: {
          NextAction: 'disconnect',
          Errors: [
            { NextAction: 'disconnect', ErrorType: 'QueueAtCapacity' },
            { NextAction: 'disconnect', ErrorType: 'NoMatchingError' },
          ],
        },
      },
      { Identifier: 'disconnect', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
    ...extra,
  });
}

/** A flow that only disconnects (references nothing). */
function plainFlow(label = 'plain'): string {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: `disconnect-${label}`,
    Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
    Actions: [
      { Identifier: `disconnect-${label}`, Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  });
}

/** A flow module that sets the target queue and ends. */
function moduleContent(queueArn?: string): string {
  const setQueue = queueArn
    ? [
        {
          Identifier: 'set-queue',
          Type: 'UpdateContactTargetQueue',
          Parameters: { QueueId: queueArn },
          Transitions: { NextAction: 'end', Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }] },
        },
      ]
    : [];
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: queueArn ? 'set-queue' : 'end',
    Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
    Actions: [
      ...setQueue,
      { Identifier: 'end', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
    ],
  });
}

async function createFlow(
  h: Harness,
  input: Partial<CreateContactFlowCommandInput> = {},
): Promise<{ id: string; arn: string }> {
  const out = await h.connect.send(
    new CreateContactFlowCommand({
      InstanceId: h.InstanceId,
      Name: `Flow ${randomUUID()}`,
      Type: 'CONTACT_FLOW',
      Content: plainFlow(),
      ...input,
    }),
  );
  return { id: out.ContactFlowId!, arn: out.ContactFlowArn! };
}

async function describeFlow(h: Harness, ContactFlowId: string): Promise<ContactFlow> {
  const { ContactFlow } = await h.connect.send(
    new DescribeContactFlowCommand({ InstanceId: h.InstanceId, ContactFlowId }),
  );
  return ContactFlow!;
}

async function createModule(
  h: Harness,
  input: Partial<CreateContactFlowModuleCommandInput> = {},
): Promise<{ id: string; arn: string }> {
  const out = await h.connect.send(
    new CreateContactFlowModuleCommand({
      InstanceId: h.InstanceId,
      Name: `Module ${randomUUID()}`,
      Content: moduleContent(),
      ...input,
    }),
  );
  return { id: out.Id!, arn: out.Arn! };
}

async function describeModule(h: Harness, ContactFlowModuleId: string): Promise<ContactFlowModule> {
  const { ContactFlowModule } = await h.connect.send(
    new DescribeContactFlowModuleCommand({ InstanceId: h.InstanceId, ContactFlowModuleId }),
  );
  return ContactFlowModule!;
}

describe('CreateContactFlow', () => {
  it('creates a published flow that DescribeContactFlow returns whole', async () => {
    const h = await start();
    const queueArn = addQueue(h.instance);
    const content = queueFlow(queueArn);

    const created = await h.connect.send(
      new CreateContactFlowCommand({
        InstanceId: h.InstanceId,
        Name: 'Inbound sales',
        Type: 'CONTACT_FLOW',
        Description: 'Routes to sales',
        Content: content,
        Tags: { team: 'sales' },
      }),
    );
    const flow = await describeFlow(h, created.ContactFlowId!);

    const arn = `${h.instance.arn}/contact-flow/${created.ContactFlowId}`;
    expect({ ...created, $metadata: undefined }).toEqual({
      ContactFlowId: created.ContactFlowId,
      ContactFlowArn: arn,
      FlowContentSha256: sha256(content),
      $metadata: undefined,
    });
    expect(flow).toEqual({
      Arn: arn,
      Id: created.ContactFlowId,
      Name: 'Inbound sales',
      Type: 'CONTACT_FLOW',
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Description: 'Routes to sales',
      Content: content,
      Tags: { team: 'sales' },
      FlowContentSha256: sha256(content),
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: DEFAULT_REGION,
    });
  });

  it('rejects a request without Content with 400 InvalidParameterException', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(
        new CreateContactFlowCommand({
          InstanceId: h.InstanceId,
          Name: 'No content',
          Type: 'CONTACT_FLOW',
        } as CreateContactFlowCommandInput),
      ),
    );

    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(h.instance.flows.size).toBe(0);
  });

  it('rejects a duplicate name with 409, also across flow types', async () => {
    const h = await start();
    await createFlow(h, { Name: 'Taken', Type: 'CONTACT_FLOW' });

    const error = await rejectionOf(createFlow(h, { Name: 'Taken', Type: 'CUSTOMER_QUEUE' }));

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(h.instance.flows.size).toBe(1);
  });

  it('rejects published content with a dangling queue ARN, naming it in problems', async () => {
    const h = await start();
    const danglingArn = h.instance.arnFor('queue', randomUUID());

    const error = await rejectionOf(createFlow(h, { Content: queueFlow(danglingArn) }));

    expect(error.name).toBe('InvalidContactFlowException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.problems).toEqual([{ message: `Resource ${danglingArn} does not exist in this instance.` }]);
    expect(h.instance.flows.size).toBe(0);
  });

  it('publishes content naming an AGENT queue by its `queue/agent/<id>` ARN, and rejects a dangling one', async () => {
    const h = await start();
    const id = randomUUID();
    const agentQueueArn = `${h.instance.arnFor('queue', 'agent')}/${id}`;
    h.instance.queues.add({
      id,
      arn: agentQueueArn,
      name: `agent-queue/${randomUUID()}`,
      entity: { QueueId: id, QueueArn: agentQueueArn, QueueType: 'AGENT' } as never,
      quickConnectIds: [],
    });
    const dangling = `${h.instance.arnFor('queue', 'agent')}/${randomUUID()}`;

    await createFlow(h, { Content: queueFlow(agentQueueArn) });
    const error = await rejectionOf(createFlow(h, { Name: 'Other', Content: queueFlow(dangling) }));

    expect(error.problems).toEqual([{ message: `Resource ${dangling} does not exist in this instance.` }]);
    expect(h.instance.flows.size).toBe(1);
  });

  it('lists every problem: a dangling ARN and an ARN of another instance', async () => {
    const h = await start();
    const danglingArn = h.instance.arnFor('queue', randomUUID());
    const foreignArn = `arn:aws:connect:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:instance/${randomUUID()}/contact-flow/${randomUUID()}`;
    const content = queueFlow(danglingArn, {
      Actions: [
        {
          Identifier: 'hooks',
          Type: 'UpdateContactEventHooks',
          Parameters: { EventHooks: { CustomerQueue: foreignArn } },
          Transitions: { NextAction: 'set-queue' },
        },
        {
          Identifier: 'set-queue',
          Type: 'UpdateContactTargetQueue',
          Parameters: { QueueId: danglingArn },
          Transitions: { NextAction: 'end' },
        },
        { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });

    const error = await rejectionOf(createFlow(h, { Content: content }));

    expect(error.name).toBe('InvalidContactFlowException');
    expect(error.problems).toEqual([
      { message: `Resource ${foreignArn} belongs to another Amazon Connect instance.` },
      { message: `Resource ${danglingArn} does not exist in this instance.` },
    ]);
  });

  it('rejects published content that is not JSON with one problem', async () => {
    const h = await start();

    const error = await rejectionOf(createFlow(h, { Content: '{"Version": "2019-10-30",' }));

    expect(error.name).toBe('InvalidContactFlowException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.problems).toEqual([{ message: expect.stringMatching(/^The content is not valid JSON: /) }]);
  });

  it('accepts references to existing flows, modules and queues of the same instance', async () => {
    const h = await start();
    const queueArn = addQueue(h.instance);
    const hook = await createFlow(h, { Type: 'CUSTOMER_QUEUE' });
    const module = await createModule(h);
    const content = queueFlow(queueArn, {
      Actions: [
        {
          Identifier: 'hooks',
          Type: 'UpdateContactEventHooks',
          Parameters: { EventHooks: { CustomerQueue: hook.arn } },
          Transitions: { NextAction: 'module' },
        },
        {
          Identifier: 'module',
          Type: 'InvokeFlowModule',
          Parameters: { FlowModuleId: module.arn },
          Transitions: { NextAction: 'set-queue' },
        },
        {
          Identifier: 'set-queue',
          Type: 'UpdateContactTargetQueue',
          Parameters: { QueueId: queueArn },
          Transitions: { NextAction: 'end' },
        },
        { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });

    const { id } = await createFlow(h, { Content: content });

    expect((await describeFlow(h, id)).Content).toBe(content);
  });

  it('does not check Lambda function ARNs (not modelled)', async () => {
    const h = await start();
    const content = JSON.stringify({
      Version: '2019-10-30',
      StartAction: 'lambda',
      Metadata: {},
      Actions: [
        {
          Identifier: 'lambda',
          Type: 'InvokeLambdaFunction',
          Parameters: {
            LambdaFunctionARN: `arn:aws:lambda:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:function:never-associated`,
            InvocationTimeLimitSeconds: '3',
          },
          Transitions: { NextAction: 'end' },
        },
        { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });

    const { id } = await createFlow(h, { Content: content });

    expect((await describeFlow(h, id)).Status).toBe('PUBLISHED');
  });

  it('stores a SAVED flow unvalidated; publishing it fails until the queue exists', async () => {
    const h = await start();
    const queueId = randomUUID();
    const content = queueFlow(h.instance.arnFor('queue', queueId));

    const { id } = await createFlow(h, { Content: content, Status: 'SAVED' });
    const saved = await describeFlow(h, `${id}:$SAVED`);
    const publishWhileDangling = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowContentCommand({
          InstanceId: h.InstanceId,
          ContactFlowId: id,
          Content: content,
        }),
      ),
    );
    addQueue(h.instance, queueId);
    await h.connect.send(
      new UpdateContactFlowContentCommand({ InstanceId: h.InstanceId, ContactFlowId: id, Content: content }),
    );
    const published = await describeFlow(h, id);

    expect(saved.Status).toBe('SAVED');
    expect(saved.Content).toBe(content);
    expect(publishWhileDangling.name).toBe('InvalidContactFlowException');
    expect(publishWhileDangling.problems).toEqual([
      { message: `Resource ${h.instance.arnFor('queue', queueId)} does not exist in this instance.` },
    ]);
    expect(published.Status).toBe('PUBLISHED');
    expect(published.Content).toBe(content);
  });

  it('rejects content longer than 256000 characters with 400', async () => {
    const h = await start();

    const error = await rejectionOf(createFlow(h, { Content: 'x'.repeat(256_001), Status: 'SAVED' }));

    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('DescribeContactFlow', () => {
  it('answers 404 ResourceNotFoundException for an unknown flow', async () => {
    const h = await start();

    const error = await rejectionOf(describeFlow(h, randomUUID()));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('answers the saved draft for <id>:$SAVED and <arn>:$SAVED while <id> stays published', async () => {
    const h = await start();
    const published = plainFlow('published');
    const draft = queueFlow(h.instance.arnFor('queue', randomUUID()));
    const { id, arn } = await createFlow(h, { Content: published });
    const before = await describeFlow(h, id);

    await h.connect.send(
      new UpdateContactFlowContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: `${id}:$SAVED`,
        Content: draft,
      }),
    );
    const plain = await describeFlow(h, id);
    const byId = await describeFlow(h, `${id}:$SAVED`);
    const byArn = await describeFlow(h, `${arn}:$SAVED`);

    expect(plain).toEqual(before);
    expect(byId).toEqual({
      ...before,
      Status: 'SAVED',
      Content: draft,
      FlowContentSha256: sha256(draft),
      LastModifiedTime: expect.any(Date),
    });
    expect(byId.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    expect(byArn).toEqual(byId);
  });

  it('answers <id>:$SAVED of a flow only ever saved, and <id> with ContactFlowNotPublishedException', async () => {
    const h = await start();
    const content = plainFlow('saved');
    const { id } = await createFlow(h, { Content: content, Status: 'SAVED' });

    const plain = await rejectionOf(describeFlow(h, id));
    const saved = await describeFlow(h, `${id}:$SAVED`);

    expect([plain.name, plain.$metadata.httpStatusCode]).toEqual(['ContactFlowNotPublishedException', 404]);
    expect(saved.Status).toBe('SAVED');
    expect(saved.Content).toBe(content);
  });

  it('finds a flow by its ARN', async () => {
    const h = await start();
    const { id, arn } = await createFlow(h);

    const flow = await describeFlow(h, arn);

    expect(flow.Id).toBe(id);
  });
});

describe('UpdateContactFlowContent', () => {
  it('publishes new content: Content, hash and LastModifiedTime move and the saved draft is dropped', async () => {
    const h = await start();
    const { id } = await createFlow(h, { Content: plainFlow('v1') });
    await h.connect.send(
      new UpdateContactFlowContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: `${id}:$SAVED`,
        Content: plainFlow('draft'),
      }),
    );
    const before = await describeFlow(h, id);
    const v2 = plainFlow('v2');

    await h.connect.send(
      new UpdateContactFlowContentCommand({ InstanceId: h.InstanceId, ContactFlowId: id, Content: v2 }),
    );
    const after = await describeFlow(h, id);
    const saved = await describeFlow(h, `${id}:$SAVED`);

    expect(after).toEqual({
      ...before,
      Content: v2,
      FlowContentSha256: sha256(v2),
      LastModifiedTime: expect.any(Date),
    });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    expect(saved).toEqual(after);
  });

  it('rejects invalid content on publish and leaves the flow unchanged', async () => {
    const h = await start();
    const { id } = await createFlow(h);
    const before = await describeFlow(h, id);

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowContentCommand({
          InstanceId: h.InstanceId,
          ContactFlowId: id,
          Content: queueFlow(h.instance.arnFor('queue', randomUUID())),
        }),
      ),
    );

    expect(error.name).toBe('InvalidContactFlowException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await describeFlow(h, id)).toEqual(before);
  });

  it('updates the content of a flow only ever saved in place for <id>:$SAVED, still SAVED', async () => {
    const h = await start();
    const { id } = await createFlow(h, { Content: plainFlow('v1'), Status: 'SAVED' });
    const before = await describeFlow(h, `${id}:$SAVED`);
    const v2 = queueFlow(h.instance.arnFor('queue', randomUUID()));

    await h.connect.send(
      new UpdateContactFlowContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: `${id}:$SAVED`,
        Content: v2,
      }),
    );

    expect(await describeFlow(h, `${id}:$SAVED`)).toEqual({
      ...before,
      Content: v2,
      FlowContentSha256: sha256(v2),
      LastModifiedTime: expect.any(Date),
    });
  });

  it('answers 404 for an unknown flow', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowContentCommand({
          InstanceId: h.InstanceId,
          ContactFlowId: randomUUID(),
          Content: plainFlow(),
        }),
      ),
    );

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('UpdateContactFlowMetadata', () => {
  it('renames, re-describes and archives; LastModifiedTime moves, the content hash does not', async () => {
    const h = await start();
    const { id } = await createFlow(h, { Name: 'Old', Description: 'old' });
    const before = await describeFlow(h, id);

    await h.connect.send(
      new UpdateContactFlowMetadataCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: id,
        Name: 'New',
        Description: 'new',
        ContactFlowState: 'ARCHIVED',
      }),
    );
    const after = await describeFlow(h, id);

    expect(after).toEqual({
      ...before,
      Name: 'New',
      Description: 'new',
      State: 'ARCHIVED',
      LastModifiedTime: expect.any(Date),
    });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
  });

  it('rejects a taken name with 409 and keeps the flow as it was', async () => {
    const h = await start();
    await createFlow(h, { Name: 'Taken' });
    const { id } = await createFlow(h, { Name: 'Mine' });
    const before = await describeFlow(h, id);

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowMetadataCommand({ InstanceId: h.InstanceId, ContactFlowId: id, Name: 'Taken' }),
      ),
    );

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(await describeFlow(h, id)).toEqual(before);
  });
});

describe('UpdateContactFlowName', () => {
  it('renames and re-describes, freeing the old name', async () => {
    const h = await start();
    const { id } = await createFlow(h, { Name: 'Old' });
    const before = await describeFlow(h, id);

    await h.connect.send(
      new UpdateContactFlowNameCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: id,
        Name: 'New',
        Description: 'd',
      }),
    );
    const after = await describeFlow(h, id);
    const reuse = await createFlow(h, { Name: 'Old' });

    expect(after).toEqual({ ...before, Name: 'New', Description: 'd', LastModifiedTime: expect.any(Date) });
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    expect((await describeFlow(h, reuse.id)).Name).toBe('Old');
  });

  it('rejects a taken name with 409', async () => {
    const h = await start();
    await createFlow(h, { Name: 'Taken' });
    const { id } = await createFlow(h, { Name: 'Mine' });

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowNameCommand({ InstanceId: h.InstanceId, ContactFlowId: id, Name: 'Taken' }),
      ),
    );

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect((await describeFlow(h, id)).Name).toBe('Mine');
  });
});

describe('DeleteContactFlow', () => {
  it('deletes the flow: Describe answers 404 and the name is free again', async () => {
    const h = await start();
    const { id } = await createFlow(h, { Name: 'Doomed' });

    await h.connect.send(new DeleteContactFlowCommand({ InstanceId: h.InstanceId, ContactFlowId: id }));
    const error = await rejectionOf(describeFlow(h, id));
    await createFlow(h, { Name: 'Doomed' });

    expect(error.name).toBe('ResourceNotFoundException');
    expect(h.instance.flows.size).toBe(1);
  });

  it('answers 404 for an unknown flow', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(new DeleteContactFlowCommand({ InstanceId: h.InstanceId, ContactFlowId: randomUUID() })),
    );

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('ListContactFlows', () => {
  it('pages through every flow in creation order with exactly the summary members', async () => {
    const h = await start();
    const types = [
      'CONTACT_FLOW',
      'CUSTOMER_QUEUE',
      'AGENT_WHISPER',
      'CONTACT_FLOW',
      'QUEUE_TRANSFER',
    ] as const;
    const created: Array<{ id: string; arn: string }> = [];
    for (const [i, Type] of types.entries()) {
      created.push(await createFlow(h, { Name: `Flow ${i}`, Type, Status: i === 1 ? 'SAVED' : 'PUBLISHED' }));
    }

    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await h.connect.send(
        new ListContactFlowsCommand({ InstanceId: h.InstanceId, MaxResults: 2, NextToken }),
      );
      pages.push(page.ContactFlowSummaryList ?? []);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(
      created.map(({ id, arn }, i) => ({
        Id: id,
        Arn: arn,
        Name: `Flow ${i}`,
        ContactFlowType: types[i],
        ContactFlowState: 'ACTIVE',
        ContactFlowStatus: i === 1 ? 'SAVED' : 'PUBLISHED',
      })),
    );
  });

  it('filters by contactFlowTypes', async () => {
    const h = await start();
    const a = await createFlow(h, { Type: 'CONTACT_FLOW' });
    await createFlow(h, { Type: 'AGENT_WHISPER' });
    const c = await createFlow(h, { Type: 'CUSTOMER_QUEUE' });

    const { ContactFlowSummaryList } = await h.connect.send(
      new ListContactFlowsCommand({
        InstanceId: h.InstanceId,
        ContactFlowTypes: ['CONTACT_FLOW', 'CUSTOMER_QUEUE'],
      }),
    );

    expect(ContactFlowSummaryList?.map((s) => s.Id)).toEqual([a.id, c.id]);
  });
});

describe('SearchContactFlows', () => {
  it('returns whole flows with Content and Tags, pages, and counts every match', async () => {
    const h = await start();
    const ids: string[] = [];
    for (const name of ['Sales main', 'Support', 'sales overflow', 'Sales after hours']) {
      ids.push((await createFlow(h, { Name: name, Tags: { name } })).id);
    }

    const first = await h.connect.send(
      new SearchContactFlowsCommand({
        InstanceId: h.InstanceId,
        MaxResults: 2,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'sales', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );
    const second = await h.connect.send(
      new SearchContactFlowsCommand({
        InstanceId: h.InstanceId,
        MaxResults: 2,
        NextToken: first.NextToken,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'sales', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );

    expect(first.ApproximateTotalCount).toBe(3);
    expect(second.NextToken).toBeUndefined();
    const hits = [...(first.ContactFlows ?? []), ...(second.ContactFlows ?? [])];
    expect(hits).toEqual(await Promise.all([ids[0]!, ids[2]!, ids[3]!].map((id) => describeFlow(h, id))));
    expect(hits[0]?.Content).toBe(plainFlow());
    expect(hits[0]?.Tags).toEqual({ name: 'Sales main' });
  });

  it('applies TypeCondition, StateCondition and StatusCondition', async () => {
    const h = await start();
    const queue = await createFlow(h, { Type: 'CUSTOMER_QUEUE' });
    const savedQueue = await createFlow(h, { Type: 'CUSTOMER_QUEUE', Status: 'SAVED' });
    const archived = await createFlow(h, { Type: 'CUSTOMER_QUEUE' });
    await createFlow(h, { Type: 'CONTACT_FLOW' });
    await h.connect.send(
      new UpdateContactFlowMetadataCommand({
        InstanceId: h.InstanceId,
        ContactFlowId: archived.id,
        ContactFlowState: 'ARCHIVED',
      }),
    );
    const search = async (SearchCriteria: Record<string, unknown>) =>
      (
        await h.connect.send(new SearchContactFlowsCommand({ InstanceId: h.InstanceId, SearchCriteria }))
      ).ContactFlows?.map((f) => f.Id);

    expect(await search({ TypeCondition: 'CUSTOMER_QUEUE' })).toEqual([queue.id, savedQueue.id, archived.id]);
    expect(
      await search({ AndConditions: [{ TypeCondition: 'CUSTOMER_QUEUE' }, { StateCondition: 'ACTIVE' }] }),
    ).toEqual([queue.id, savedQueue.id]);
    expect(await search({ StatusCondition: 'SAVED' })).toEqual([savedQueue.id]);
    expect(
      await search({ OrConditions: [{ StatusCondition: 'SAVED' }, { StateCondition: 'ARCHIVED' }] }),
    ).toEqual([savedQueue.id, archived.id]);
  });

  it('applies TagFilter and FlowAttributeFilter', async () => {
    const h = await start();
    const red = await createFlow(h, { Type: 'CONTACT_FLOW', Tags: { colour: 'red' } });
    const redQueue = await createFlow(h, { Type: 'CUSTOMER_QUEUE', Tags: { colour: 'red' } });
    await createFlow(h, { Type: 'CONTACT_FLOW', Tags: { colour: 'blue' } });

    const byTag = await h.connect.send(
      new SearchContactFlowsCommand({
        InstanceId: h.InstanceId,
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'colour', TagValue: 'red' } } },
      }),
    );
    const byAttributes = await h.connect.send(
      new SearchContactFlowsCommand({
        InstanceId: h.InstanceId,
        SearchFilter: {
          FlowAttributeFilter: {
            AndCondition: {
              TagConditions: [{ TagKey: 'colour', TagValue: 'red' }],
              ContactFlowTypeCondition: { ContactFlowType: 'CUSTOMER_QUEUE' },
            },
          },
        },
      }),
    );

    expect(byTag.ContactFlows?.map((f) => f.Id)).toEqual([red.id, redQueue.id]);
    expect(byAttributes.ContactFlows?.map((f) => f.Id)).toEqual([redQueue.id]);
    expect(byAttributes.ApproximateTotalCount).toBe(1);
  });

  it('rejects an unsupported FieldName with 400', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(
        new SearchContactFlowsCommand({
          InstanceId: h.InstanceId,
          SearchCriteria: {
            StringCondition: { FieldName: 'content', Value: 'x', ComparisonType: 'CONTAINS' },
          },
        }),
      ),
    );

    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('TagResource on a flow', () => {
  it('adds the tag without moving LastModifiedTime', async () => {
    const h = await start();
    const { id, arn } = await createFlow(h, { Tags: { a: '1' } });
    const before = await describeFlow(h, id);

    await h.connect.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));

    expect(await describeFlow(h, id)).toEqual({ ...before, Tags: { a: '1', b: '2' } });
  });
});

describe('CreateContactFlowModule', () => {
  it('creates a published module that DescribeContactFlowModule returns whole', async () => {
    const h = await start();
    const queueArn = addQueue(h.instance);
    const content = moduleContent(queueArn);

    const created = await h.connect.send(
      new CreateContactFlowModuleCommand({
        InstanceId: h.InstanceId,
        Name: 'Set sales queue',
        Description: 'Sets the queue',
        Content: content,
        Tags: { team: 'sales' },
        Settings: '{"InputParameters":[]}',
        ExternalInvocationConfiguration: { Enabled: false },
      }),
    );
    const module = await describeModule(h, created.Id!);

    const arn = `${h.instance.arn}/flow-module/${created.Id}`;
    expect(created.Arn).toBe(arn);
    expect(module).toEqual({
      Arn: arn,
      Id: created.Id,
      Name: 'Set sales queue',
      Description: 'Sets the queue',
      Content: content,
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Tags: { team: 'sales' },
      FlowModuleContentSha256: sha256(content),
      Settings: '{"InputParameters":[]}',
      ExternalInvocationConfiguration: { Enabled: false },
    });
  });

  it('rejects a request without Content with 400 InvalidParameterException', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(
        new CreateContactFlowModuleCommand({
          InstanceId: h.InstanceId,
          Name: 'm',
        } as CreateContactFlowModuleCommandInput),
      ),
    );

    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(h.instance.flowModules.size).toBe(0);
  });

  it('rejects a duplicate name with 409', async () => {
    const h = await start();
    await createModule(h, { Name: 'Taken' });

    const error = await rejectionOf(createModule(h, { Name: 'Taken' }));

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(h.instance.flowModules.size).toBe(1);
  });

  it('rejects content with a dangling queue ARN with InvalidContactFlowModuleException naming it', async () => {
    const h = await start();
    const danglingArn = h.instance.arnFor('queue', randomUUID());

    const error = await rejectionOf(createModule(h, { Content: moduleContent(danglingArn) }));

    expect(error.name).toBe('InvalidContactFlowModuleException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Problems).toEqual([{ message: `Resource ${danglingArn} does not exist in this instance.` }]);
    expect(h.instance.flowModules.size).toBe(0);
  });

  it('answers a repeated ClientToken with the first module, and a reused one with 409 IdempotencyException', async () => {
    const h = await start();
    const first = await createModule(h, { Name: 'Once', ClientToken: 'token-1' });

    const again = await createModule(h, { Name: 'Once', ClientToken: 'token-1' });
    const error = await rejectionOf(createModule(h, { Name: 'Other', ClientToken: 'token-1' }));

    expect(again).toEqual(first);
    expect(error.name).toBe('IdempotencyException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(h.instance.flowModules.size).toBe(1);
  });
});

describe('DescribeContactFlowModule', () => {
  it('answers 404 for an unknown module', async () => {
    const h = await start();

    const error = await rejectionOf(describeModule(h, randomUUID()));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('answers the saved draft for <arn>:$SAVED while <id> stays published', async () => {
    const h = await start();
    const { id, arn } = await createModule(h);
    const before = await describeModule(h, id);
    const draft = moduleContent(h.instance.arnFor('queue', randomUUID()));

    await h.connect.send(
      new UpdateContactFlowModuleContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowModuleId: `${id}:$SAVED`,
        Content: draft,
      }),
    );

    expect(await describeModule(h, id)).toEqual(before);
    expect(await describeModule(h, `${arn}:$SAVED`)).toEqual({
      ...before,
      Content: draft,
      FlowModuleContentSha256: sha256(draft),
      Status: 'SAVED',
    });
  });
});

describe('UpdateContactFlowModuleContent', () => {
  it('publishes new content and Settings, moving the hash and dropping the saved draft', async () => {
    const h = await start();
    const queueArn = addQueue(h.instance);
    const { id } = await createModule(h);
    await h.connect.send(
      new UpdateContactFlowModuleContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowModuleId: `${id}:$SAVED`,
        Content: moduleContent(h.instance.arnFor('queue', randomUUID())),
      }),
    );
    const before = await describeModule(h, id);
    const next = moduleContent(queueArn);

    await h.connect.send(
      new UpdateContactFlowModuleContentCommand({
        InstanceId: h.InstanceId,
        ContactFlowModuleId: id,
        Content: next,
        Settings: '{"InputParameters":[{"Name":"x"}]}',
      }),
    );
    const after = await describeModule(h, id);

    expect(after).toEqual({
      ...before,
      Content: next,
      FlowModuleContentSha256: sha256(next),
      Settings: '{"InputParameters":[{"Name":"x"}]}',
    });
    expect(await describeModule(h, `${id}:$SAVED`)).toEqual(after);
  });

  it('rejects dangling references on publish and leaves the module unchanged', async () => {
    const h = await start();
    const { id } = await createModule(h);
    const before = await describeModule(h, id);

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowModuleContentCommand({
          InstanceId: h.InstanceId,
          ContactFlowModuleId: id,
          Content: moduleContent(h.instance.arnFor('queue', randomUUID())),
        }),
      ),
    );

    expect(error.name).toBe('InvalidContactFlowModuleException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await describeModule(h, id)).toEqual(before);
  });

  it('rejects a request with neither Content nor Settings with 400', async () => {
    const h = await start();
    const { id } = await createModule(h);

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowModuleContentCommand({ InstanceId: h.InstanceId, ContactFlowModuleId: id }),
      ),
    );

    expect(error.name).toBe('InvalidRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('UpdateContactFlowModuleMetadata', () => {
  it('renames, re-describes and archives', async () => {
    const h = await start();
    const { id } = await createModule(h, { Name: 'Old', Description: 'old' });
    const before = await describeModule(h, id);

    await h.connect.send(
      new UpdateContactFlowModuleMetadataCommand({
        InstanceId: h.InstanceId,
        ContactFlowModuleId: id,
        Name: 'New',
        Description: 'new',
        State: 'ARCHIVED',
      }),
    );

    expect(await describeModule(h, id)).toEqual({
      ...before,
      Name: 'New',
      Description: 'new',
      State: 'ARCHIVED',
    });
  });

  it('rejects a taken name with 409', async () => {
    const h = await start();
    await createModule(h, { Name: 'Taken' });
    const { id } = await createModule(h, { Name: 'Mine' });

    const error = await rejectionOf(
      h.connect.send(
        new UpdateContactFlowModuleMetadataCommand({
          InstanceId: h.InstanceId,
          ContactFlowModuleId: id,
          Name: 'Taken',
        }),
      ),
    );

    expect(error.name).toBe('DuplicateResourceException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect((await describeModule(h, id)).Name).toBe('Mine');
  });
});

describe('DeleteContactFlowModule', () => {
  it('deletes the module: Describe answers 404 afterwards', async () => {
    const h = await start();
    const { id } = await createModule(h);
    const kept = await createModule(h);

    await h.connect.send(
      new DeleteContactFlowModuleCommand({ InstanceId: h.InstanceId, ContactFlowModuleId: id }),
    );
    const error = await rejectionOf(describeModule(h, id));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(h.instance.flowModules.all().map((m) => m.id)).toEqual([kept.id]);
  });

  it('answers 404 for an unknown module', async () => {
    const h = await start();

    const error = await rejectionOf(
      h.connect.send(
        new DeleteContactFlowModuleCommand({ InstanceId: h.InstanceId, ContactFlowModuleId: randomUUID() }),
      ),
    );

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('ListContactFlowModules', () => {
  it('pages through every module in creation order with exactly the summary members', async () => {
    const h = await start();
    const created: Array<{ id: string; arn: string }> = [];
    for (let i = 0; i < 5; i += 1) created.push(await createModule(h, { Name: `Module ${i}` }));

    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await h.connect.send(
        new ListContactFlowModulesCommand({ InstanceId: h.InstanceId, MaxResults: 2, NextToken }),
      );
      pages.push(page.ContactFlowModulesSummaryList ?? []);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(
      created.map(({ id, arn }, i) => ({ Id: id, Arn: arn, Name: `Module ${i}`, State: 'ACTIVE' })),
    );
  });

  it('filters by state', async () => {
    const h = await start();
    const active = await createModule(h);
    const archived = await createModule(h);
    await h.connect.send(
      new UpdateContactFlowModuleMetadataCommand({
        InstanceId: h.InstanceId,
        ContactFlowModuleId: archived.id,
        State: 'ARCHIVED',
      }),
    );

    const list = async (ContactFlowModuleState: 'ACTIVE' | 'ARCHIVED') =>
      (
        await h.connect.send(
          new ListContactFlowModulesCommand({ InstanceId: h.InstanceId, ContactFlowModuleState }),
        )
      ).ContactFlowModulesSummaryList?.map((m) => m.Id);

    expect(await list('ACTIVE')).toEqual([active.id]);
    expect(await list('ARCHIVED')).toEqual([archived.id]);
  });
});

describe('SearchContactFlowModules', () => {
  it('returns whole modules matching criteria and tag filter, paged, with the total count', async () => {
    const h = await start();
    const ids: string[] = [];
    for (const [name, team] of [
      ['Auth check', 'a'],
      ['Auth retry', 'a'],
      ['Billing', 'a'],
      ['Auth legacy', 'b'],
    ] as const) {
      ids.push((await createModule(h, { Name: name, Tags: { team } })).id);
    }
    const request = {
      InstanceId: h.InstanceId,
      MaxResults: 1,
      SearchCriteria: {
        AndConditions: [
          { StringCondition: { FieldName: 'name', Value: 'auth', ComparisonType: 'CONTAINS' as const } },
          { StateCondition: 'ACTIVE' as const },
        ],
      },
      SearchFilter: { TagFilter: { TagCondition: { TagKey: 'team', TagValue: 'a' } } },
    };

    const first = await h.connect.send(new SearchContactFlowModulesCommand(request));
    const second = await h.connect.send(
      new SearchContactFlowModulesCommand({ ...request, NextToken: first.NextToken }),
    );

    expect(first.ApproximateTotalCount).toBe(2);
    expect(second.NextToken).toBeUndefined();
    expect([...(first.ContactFlowModules ?? []), ...(second.ContactFlowModules ?? [])]).toEqual([
      await describeModule(h, ids[0]!),
      await describeModule(h, ids[1]!),
    ]);
  });
});
