/**
 * The emulator's views: the `$SAVED` and `$LATEST` qualifiers, AWS-managed views, and each rule the
 * handlers enforce (handlers/views.ts), through the unmodified SDK client.
 */
import {
  CreateViewCommand,
  DescribeViewCommand,
  ListViewsCommand,
  UpdateViewContentCommand,
  UpdateViewMetadataCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_VIEWS, MAX_CONTENT_BYTES } from './handlers/views.js';
import { expectError, type Harness, startWithInstance } from './testing.js';

const content = (title: string) => ({
  Template: JSON.stringify({ Head: { Title: title } }),
  Actions: ['Submit'],
});

const create = (h: Harness, Status: 'PUBLISHED' | 'SAVED', Name = 'Form', title = 'one') =>
  h.connect.send(
    new CreateViewCommand({
      InstanceId: h.InstanceId,
      Name,
      Status,
      Content: content(title),
      Tags: { Owner: 'Ops' },
    }),
  );

const describeView = (h: Harness, ViewId: string) =>
  h.connect.send(new DescribeViewCommand({ InstanceId: h.InstanceId, ViewId }));

describe('views', () => {
  it('a PUBLISHED view answers $LATEST and $SAVED; saving changes moves $SAVED only', async () => {
    const h = await startWithInstance();
    const { View } = await create(h, 'PUBLISHED');
    const id = View!.Id!;

    await h.connect.send(
      new UpdateViewContentCommand({
        InstanceId: h.InstanceId,
        ViewId: id,
        Status: 'SAVED',
        Content: content('two'),
      }),
    );

    expect(View?.Arn).toBe(`${h.instance.arn}/view/${id}`);
    expect((await describeView(h, id)).View).toMatchObject({
      Status: 'PUBLISHED',
      Type: 'CUSTOMER_MANAGED',
      Content: content('one'),
      Tags: { Owner: 'Ops' },
    });
    expect((await describeView(h, `${View!.Arn}:$LATEST`)).View?.Content).toEqual(content('one'));
    expect((await describeView(h, `${id}:$SAVED`)).View).toMatchObject({
      Status: 'SAVED',
      Content: content('two'),
    });

    await h.connect.send(
      new UpdateViewContentCommand({
        InstanceId: h.InstanceId,
        ViewId: id,
        Status: 'PUBLISHED',
        Content: content('three'),
      }),
    );
    expect((await describeView(h, id)).View?.Content).toEqual(content('three'));
    expect((await describeView(h, `${id}:$SAVED`)).View?.Content).toEqual(content('three'));
  });

  it('a SAVED view has no published content: describing it without $SAVED is an error', async () => {
    const h = await startWithInstance();
    const id = (await create(h, 'SAVED')).View!.Id!;

    await expectError(describeView(h, id), 'ResourceNotFoundException', 404);
    expect((await describeView(h, `${id}:$SAVED`)).View?.Status).toBe('SAVED');
  });

  it('lists the six AWS-managed views beside customer views, and each Type alone', async () => {
    const h = await startWithInstance();
    const id = (await create(h, 'SAVED')).View!.Id!;

    const all = await h.connect.send(new ListViewsCommand({ InstanceId: h.InstanceId }));
    const customer = await h.connect.send(
      new ListViewsCommand({ InstanceId: h.InstanceId, Type: 'CUSTOMER_MANAGED' }),
    );
    const managed = await h.connect.send(
      new ListViewsCommand({ InstanceId: h.InstanceId, Type: 'AWS_MANAGED' }),
    );

    expect(all.ViewsSummaryList?.map((v) => v.Type)).toEqual([
      ...AWS_MANAGED_VIEWS.map(() => 'AWS_MANAGED'),
      'CUSTOMER_MANAGED',
    ]);
    expect(customer.ViewsSummaryList).toEqual([
      {
        Id: id,
        Arn: `${h.instance.arn}/view/${id}`,
        Name: 'Form',
        Type: 'CUSTOMER_MANAGED',
        Status: 'SAVED',
      },
    ]);
    expect(managed.ViewsSummaryList?.map((v) => v.Arn)).toContain(
      `arn:aws:connect:${h.instance.region}:aws:view/after-contact-work`,
    );
    const acw = await describeView(h, `arn:aws:connect:${h.instance.region}:aws:view/after-contact-work`);
    expect(acw.View).toMatchObject({ Type: 'AWS_MANAGED', Version: 1 });
    await expectError(
      h.connect.send(
        new UpdateViewContentCommand({
          InstanceId: h.InstanceId,
          ViewId: `arn:aws:connect:${h.instance.region}:aws:view/after-contact-work`,
          Status: 'SAVED',
          Content: content('x'),
        }),
      ),
      'InvalidRequestException',
      400,
    );
  });

  it('rejects a name taken, a template that is not a JSON object, and content over 400 kB', async () => {
    const h = await startWithInstance();
    await create(h, 'SAVED');

    await expectError(create(h, 'SAVED'), 'DuplicateResourceException', 409);
    await expectError(
      h.connect.send(
        new CreateViewCommand({
          InstanceId: h.InstanceId,
          Name: 'Other',
          Status: 'SAVED',
          Content: { Template: 'not json', Actions: [] },
        }),
      ),
      'InvalidParameterException',
      400,
    );
    await expectError(
      h.connect.send(
        new CreateViewCommand({
          InstanceId: h.InstanceId,
          Name: 'Big',
          Status: 'PUBLISHED',
          Content: { Template: JSON.stringify({ x: 'a'.repeat(MAX_CONTENT_BYTES) }), Actions: [] },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('updates name and description with UpdateViewMetadata, which needs one of them and a free name', async () => {
    const h = await startWithInstance();
    const id = (await create(h, 'PUBLISHED')).View!.Id!;
    await create(h, 'SAVED', 'Taken');

    await h.connect.send(
      new UpdateViewMetadataCommand({
        InstanceId: h.InstanceId,
        ViewId: id,
        Name: 'Renamed',
        Description: 'About',
      }),
    );

    expect((await describeView(h, id)).View).toMatchObject({ Name: 'Renamed', Description: 'About' });
    await expectError(
      h.connect.send(new UpdateViewMetadataCommand({ InstanceId: h.InstanceId, ViewId: id })),
      'InvalidParameterException',
      400,
    );
    await expectError(
      h.connect.send(new UpdateViewMetadataCommand({ InstanceId: h.InstanceId, ViewId: id, Name: 'Taken' })),
      'DuplicateResourceException',
      409,
    );
  });
});
