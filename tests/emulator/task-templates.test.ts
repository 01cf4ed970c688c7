/**
 * The emulator's task templates: create, get, list, full-replacement update, and each rule the
 * handlers enforce (handlers/task-templates.ts), through the unmodified SDK client.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTaskTemplateCommand,
  type CreateTaskTemplateRequest,
  GetTaskTemplateCommand,
  ListTaskTemplatesCommand,
  TagResourceCommand,
  UpdateTaskTemplateCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { addFlow, expectError, type Harness, startWithInstance } from './testing.js';

const FLOW = randomUUID();

const start = () =>
  startWithInstance({ arrange: (instance) => void addFlow(instance, FLOW, 'Tasks', 'CONTACT_FLOW') });

const TEMPLATE: Omit<CreateTaskTemplateRequest, 'InstanceId'> = {
  Name: 'Callback',
  ContactFlowId: FLOW,
  Fields: [
    { Id: { Name: 'Name' }, Type: 'NAME' },
    { Id: { Name: 'Phone' }, Type: 'TEXT' },
  ],
  Constraints: { RequiredFields: [{ Id: { Name: 'Name' } }] },
  Defaults: { DefaultFieldValues: [{ Id: { Name: 'Phone' }, DefaultValue: '+15550100' }] },
};

const create = (h: Harness, extra: Partial<CreateTaskTemplateRequest> = {}) =>
  h.connect.send(new CreateTaskTemplateCommand({ InstanceId: h.InstanceId, ...TEMPLATE, ...extra }));

/** The PropertyList of a PropertyValidationException: [PropertyPath, Reason] pairs. */
async function propertyProblems(call: Promise<unknown>): Promise<Array<[string, string]>> {
  const error = (await expectError(call, 'PropertyValidationException', 400)) as unknown as {
    PropertyList?: Array<{ PropertyPath: string; Reason: string }>;
  };
  return (error.PropertyList ?? []).map((p) => [p.PropertyPath, p.Reason]);
}

describe('task templates', () => {
  it('creates an ACTIVE template without tags, lists it, and gets it with the tags TagResource added', async () => {
    const h = await start();
    const created = await create(h);
    await h.connect.send(new TagResourceCommand({ resourceArn: created.Arn, tags: { Owner: 'Ops' } }));

    const got = await h.connect.send(
      new GetTaskTemplateCommand({ InstanceId: h.InstanceId, TaskTemplateId: created.Id }),
    );
    const list = await h.connect.send(new ListTaskTemplatesCommand({ InstanceId: h.InstanceId }));

    expect(created.Arn).toBe(`${h.instance.arn}/task-template/${created.Id}`);
    expect(got).toMatchObject({
      InstanceId: h.InstanceId,
      Id: created.Id,
      Name: 'Callback',
      ContactFlowId: FLOW,
      Fields: TEMPLATE.Fields,
      Constraints: TEMPLATE.Constraints,
      Defaults: TEMPLATE.Defaults,
      Status: 'ACTIVE',
      Tags: { Owner: 'Ops' },
    });
    expect(list.TaskTemplates).toEqual([expect.objectContaining({ Id: created.Id, Status: 'ACTIVE' })]);
  });

  it('filters the list by status', async () => {
    const h = await start();
    await create(h);
    const inactive = await create(h, { Name: 'Old', Status: 'INACTIVE' });

    const list = await h.connect.send(
      new ListTaskTemplatesCommand({ InstanceId: h.InstanceId, Status: 'INACTIVE' }),
    );

    expect(list.TaskTemplates?.map((t) => t.Id)).toEqual([inactive.Id]);
  });

  it('rejects a flow that does not exist, naming it REFERENCED_RESOURCE_NOT_FOUND', async () => {
    const h = await start();

    expect(await propertyProblems(create(h, { ContactFlowId: randomUUID() }))).toEqual([
      ['ContactFlowId', 'REFERENCED_RESOURCE_NOT_FOUND'],
    ]);
    expect(await propertyProblems(create(h, { SelfAssignFlowId: randomUUID() }))).toEqual([
      ['SelfAssignFlowId', 'REFERENCED_RESOURCE_NOT_FOUND'],
    ]);
  });

  it('needs a ContactFlowId or a QUICK_CONNECT field, exactly one NAME field, and that field required', async () => {
    const h = await start();
    const { ContactFlowId: _flow, ...withoutFlow } = TEMPLATE;

    expect(
      await propertyProblems(
        h.connect.send(new CreateTaskTemplateCommand({ InstanceId: h.InstanceId, ...withoutFlow })),
      ),
    ).toEqual([['ContactFlowId', 'REQUIRED_PROPERTY_MISSING']]);
    await h.connect.send(
      new CreateTaskTemplateCommand({
        InstanceId: h.InstanceId,
        ...withoutFlow,
        Fields: [...TEMPLATE.Fields!, { Id: { Name: 'Assign to' }, Type: 'QUICK_CONNECT' }],
      }),
    );
    expect(
      await propertyProblems(create(h, { Name: 'Two', Fields: [{ Id: { Name: 'Phone' }, Type: 'TEXT' }] })),
    ).toEqual([
      ['Fields', 'REQUIRED_PROPERTY_MISSING'],
      ['Constraints.RequiredFields[0].Id.Name', 'REFERENCED_RESOURCE_NOT_FOUND'],
    ]);
    expect(
      await propertyProblems(
        create(h, { Name: 'Three', Constraints: { RequiredFields: [{ Id: { Name: 'Phone' } }] } }),
      ),
    ).toEqual([['Constraints.RequiredFields', 'REQUIRED_PROPERTY_MISSING']]);
    expect(await propertyProblems(create(h, { Name: 'Four', Constraints: undefined }))).toEqual([
      ['Constraints.RequiredFields', 'REQUIRED_PROPERTY_MISSING'],
    ]);
  });

  it('rejects a field defined twice and a name already taken', async () => {
    const h = await start();
    await create(h);

    expect(await propertyProblems(create(h))).toEqual([['Name', 'RESOURCE_NAME_ALREADY_EXISTS']]);
    expect(
      await propertyProblems(
        create(h, { Name: 'Other', Fields: [...TEMPLATE.Fields!, { Id: { Name: 'Phone' }, Type: 'URL' }] }),
      ),
    ).toEqual([['Fields[2].Id.Name', 'UNIQUE_CONSTRAINT_VIOLATED']]);
  });

  it('replaces the whole content on update (omitted members go), keeping name, status and tags', async () => {
    const h = await start();
    const created = await create(h, { Description: 'Call the customer back', Status: 'INACTIVE' });
    await h.connect.send(new TagResourceCommand({ resourceArn: created.Arn, tags: { Owner: 'Ops' } }));
    const before = await h.connect.send(
      new GetTaskTemplateCommand({ InstanceId: h.InstanceId, TaskTemplateId: created.Id }),
    );

    await h.connect.send(
      new UpdateTaskTemplateCommand({
        InstanceId: h.InstanceId,
        TaskTemplateId: created.Id,
        ContactFlowId: FLOW,
        Fields: [{ Id: { Name: 'Name' }, Type: 'NAME' }],
        Constraints: { RequiredFields: [{ Id: { Name: 'Name' } }] },
      }),
    );
    const after = await h.connect.send(
      new GetTaskTemplateCommand({ InstanceId: h.InstanceId, TaskTemplateId: created.Id }),
    );

    expect(after).toMatchObject({ Name: 'Callback', Status: 'INACTIVE', Tags: { Owner: 'Ops' } });
    expect(after.Description).toBeUndefined();
    expect(after.Defaults).toBeUndefined();
    expect(after.Fields).toEqual([{ Id: { Name: 'Name' }, Type: 'NAME' }]);
    expect(after.LastModifiedTime!.getTime()).toBeGreaterThan(before.LastModifiedTime!.getTime());
    await propertyProblems(
      h.connect.send(
        new UpdateTaskTemplateCommand({
          InstanceId: h.InstanceId,
          TaskTemplateId: created.Id,
          ContactFlowId: randomUUID(),
          Fields: TEMPLATE.Fields,
          Constraints: TEMPLATE.Constraints,
        }),
      ),
    );
  });
});
