/**
 * Hours-of-operation overrides and parent hours in the emulator: each rule the handlers enforce
 * (tests/emulator/handlers/hours-of-operation.ts), proved by a call the rule rejects.
 */
import {
  AssociateHoursOfOperationsCommand,
  CreateHoursOfOperationCommand,
  CreateHoursOfOperationOverrideCommand,
  type CreateHoursOfOperationOverrideCommandInput,
  DeleteHoursOfOperationCommand,
  DeleteHoursOfOperationOverrideCommand,
  DescribeHoursOfOperationCommand,
  DescribeHoursOfOperationOverrideCommand,
  DisassociateHoursOfOperationsCommand,
  ListChildHoursOfOperationsCommand,
  ListHoursOfOperationOverridesCommand,
  SearchHoursOfOperationsCommand,
  UpdateHoursOfOperationOverrideCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { expectError, type Harness, startWithInstance } from './testing.js';

async function hours(h: Harness, name: string, parents: string[] = []) {
  const created = await h.connect.send(
    new CreateHoursOfOperationCommand({
      InstanceId: h.InstanceId,
      Name: name,
      TimeZone: 'Europe/Lisbon',
      Config: [{ Day: 'MONDAY', StartTime: { Hours: 9, Minutes: 0 }, EndTime: { Hours: 17, Minutes: 0 } }],
      ...(parents.length
        ? { ParentHoursOfOperationConfigs: parents.map((id) => ({ HoursOfOperationId: id })) }
        : {}),
    }),
  );
  return { id: created.HoursOfOperationId!, arn: created.HoursOfOperationArn! };
}

function override(
  h: Harness,
  hoursId: string,
  name: string,
  extra: Partial<CreateHoursOfOperationOverrideCommandInput> = {},
): CreateHoursOfOperationOverrideCommandInput {
  return {
    InstanceId: h.InstanceId,
    HoursOfOperationId: hoursId,
    Name: name,
    Config: [],
    EffectiveFrom: '2026-12-25',
    EffectiveTill: '2026-12-26',
    OverrideType: 'CLOSED',
    ...extra,
  };
}

describe('hours-of-operation overrides', () => {
  it('creates, lists, describes, updates and deletes an override, with the hours’ id and ARN', async () => {
    const h = await startWithInstance();
    const office = await hours(h, 'Office');
    const { HoursOfOperationOverrideId } = await h.connect.send(
      new CreateHoursOfOperationOverrideCommand(
        override(h, office.id, 'Christmas', {
          Description: 'Closed',
          RecurrenceConfig: {
            RecurrencePattern: { Frequency: 'YEARLY', Interval: 1, ByMonth: [12], ByMonthDay: [25] },
          },
        }),
      ),
    );
    const base = { InstanceId: h.InstanceId, HoursOfOperationId: office.id };

    const listed = await h.connect.send(new ListHoursOfOperationOverridesCommand(base));
    expect(listed.HoursOfOperationOverrideList).toEqual([
      {
        HoursOfOperationOverrideId,
        HoursOfOperationId: office.id,
        HoursOfOperationArn: office.arn,
        Name: 'Christmas',
        Description: 'Closed',
        Config: [],
        EffectiveFrom: '2026-12-25',
        EffectiveTill: '2026-12-26',
        RecurrenceConfig: {
          RecurrencePattern: { Frequency: 'YEARLY', Interval: 1, ByMonth: [12], ByMonthDay: [25] },
        },
        OverrideType: 'CLOSED',
      },
    ]);

    await h.connect.send(
      new UpdateHoursOfOperationOverrideCommand({
        ...base,
        HoursOfOperationOverrideId,
        OverrideType: 'OPEN',
        Config: [{ Day: 'FRIDAY', StartTime: { Hours: 10, Minutes: 0 }, EndTime: { Hours: 12, Minutes: 0 } }],
      }),
    );
    const described = await h.connect.send(
      new DescribeHoursOfOperationOverrideCommand({ ...base, HoursOfOperationOverrideId }),
    );
    expect(described.HoursOfOperationOverride).toMatchObject({
      Name: 'Christmas',
      OverrideType: 'OPEN',
      Config: [{ Day: 'FRIDAY', StartTime: { Hours: 10, Minutes: 0 }, EndTime: { Hours: 12, Minutes: 0 } }],
    });

    await h.connect.send(new DeleteHoursOfOperationOverrideCommand({ ...base, HoursOfOperationOverrideId }));
    const after = await h.connect.send(new ListHoursOfOperationOverridesCommand(base));
    expect(after.HoursOfOperationOverrideList).toEqual([]);
    await expectError(
      h.connect.send(new DescribeHoursOfOperationOverrideCommand({ ...base, HoursOfOperationOverrideId })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('keeps override names unique within their hours, not across hours', async () => {
    const h = await startWithInstance();
    const office = await hours(h, 'Office');
    const store = await hours(h, 'Store');
    await h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, office.id, 'Christmas')));
    await h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, store.id, 'Christmas')));
    const { HoursOfOperationOverrideId } = await h.connect.send(
      new CreateHoursOfOperationOverrideCommand(override(h, office.id, 'New Year')),
    );

    await expectError(
      h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, office.id, 'Christmas'))),
      'DuplicateResourceException',
      409,
    );
    await expectError(
      h.connect.send(
        new UpdateHoursOfOperationOverrideCommand({
          InstanceId: h.InstanceId,
          HoursOfOperationId: office.id,
          HoursOfOperationOverrideId,
          Name: 'Christmas',
        }),
      ),
      'DuplicateResourceException',
      409,
    );
  });

  it('rejects a date that is not one, and a range that ends before it starts, on create and update', async () => {
    const h = await startWithInstance();
    const office = await hours(h, 'Office');

    await expectError(
      h.connect.send(
        new CreateHoursOfOperationOverrideCommand(
          override(h, office.id, 'Bad', { EffectiveFrom: '2026-02-30' }),
        ),
      ),
      'InvalidParameterException',
      400,
    );
    await expectError(
      h.connect.send(
        new CreateHoursOfOperationOverrideCommand(
          override(h, office.id, 'Backwards', { EffectiveFrom: '2026-12-27', EffectiveTill: '2026-12-26' }),
        ),
      ),
      'InvalidParameterException',
      400,
    );
    const { HoursOfOperationOverrideId } = await h.connect.send(
      new CreateHoursOfOperationOverrideCommand(override(h, office.id, 'Good')),
    );
    await expectError(
      h.connect.send(
        new UpdateHoursOfOperationOverrideCommand({
          InstanceId: h.InstanceId,
          HoursOfOperationId: office.id,
          HoursOfOperationOverrideId,
          EffectiveTill: '2026-12-01',
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('allows 50 overrides per hours and no more', async () => {
    const h = await startWithInstance();
    const office = await hours(h, 'Office');
    for (let i = 0; i < 50; i++) {
      await h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, office.id, `Day ${i}`)));
    }

    await expectError(
      h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, office.id, 'One too many'))),
      'LimitExceededException',
      429,
    );
    const page = await h.connect.send(
      new ListHoursOfOperationOverridesCommand({
        InstanceId: h.InstanceId,
        HoursOfOperationId: office.id,
        MaxResults: 20,
      }),
    );
    expect(page.HoursOfOperationOverrideList).toHaveLength(20);
    expect(page.NextToken).toBeDefined();
  });

  it('answers 404 for the overrides of hours that do not exist', async () => {
    const h = await startWithInstance();
    await expectError(
      h.connect.send(new CreateHoursOfOperationOverrideCommand(override(h, 'no-such-hours', 'Christmas'))),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('parent hours', () => {
  it('links parents on create and with AssociateHoursOfOperations, shown on Describe, Search and ListChildHoursOfOperations', async () => {
    const h = await startWithInstance();
    const company = await hours(h, 'Company');
    const region = await hours(h, 'Region');
    const store = await hours(h, 'Store', [company.id]);

    await h.connect.send(
      new AssociateHoursOfOperationsCommand({
        InstanceId: h.InstanceId,
        HoursOfOperationId: store.id,
        ParentHoursOfOperationConfigs: [
          { HoursOfOperationId: region.arn },
          { HoursOfOperationId: company.id },
        ],
      }),
    );

    const described = await h.connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId: h.InstanceId, HoursOfOperationId: store.id }),
    );
    expect(described.HoursOfOperation?.ParentHoursOfOperations).toEqual([
      { Id: company.id, Arn: company.arn, Name: 'Company' },
      { Id: region.id, Arn: region.arn, Name: 'Region' },
    ]);
    const searched = await h.connect.send(new SearchHoursOfOperationsCommand({ InstanceId: h.InstanceId }));
    const byName = new Map(searched.HoursOfOperations?.map((e) => [e.Name, e]));
    expect(byName.get('Store')?.ParentHoursOfOperations).toHaveLength(2);
    expect(byName.get('Company')).not.toHaveProperty('ParentHoursOfOperations');
    const children = await h.connect.send(
      new ListChildHoursOfOperationsCommand({ InstanceId: h.InstanceId, HoursOfOperationId: company.id }),
    );
    expect(children.ChildHoursOfOperationsSummaryList).toEqual([
      { Id: store.id, Arn: store.arn, Name: 'Store' },
    ]);

    await h.connect.send(
      new DisassociateHoursOfOperationsCommand({
        InstanceId: h.InstanceId,
        HoursOfOperationId: store.id,
        ParentHoursOfOperationIds: [company.id],
      }),
    );
    const after = await h.connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId: h.InstanceId, HoursOfOperationId: store.id }),
    );
    expect(after.HoursOfOperation?.ParentHoursOfOperations).toEqual([
      { Id: region.id, Arn: region.arn, Name: 'Region' },
    ]);
  });

  it('rejects a parent that does not exist, the hours itself, a parent named twice and a fourth parent', async () => {
    const h = await startWithInstance();
    const parents = [await hours(h, 'P1'), await hours(h, 'P2'), await hours(h, 'P3'), await hours(h, 'P4')];
    const store = await hours(h, 'Store', [parents[0]!.id, parents[1]!.id]);
    const associate = (ids: string[]) =>
      h.connect.send(
        new AssociateHoursOfOperationsCommand({
          InstanceId: h.InstanceId,
          HoursOfOperationId: store.id,
          ParentHoursOfOperationConfigs: ids.map((id) => ({ HoursOfOperationId: id })),
        }),
      );

    await expectError(hours(h, 'Orphan', ['no-such-hours']), 'ResourceNotFoundException', 404);
    await expectError(hours(h, 'Twice', [parents[0]!.id, parents[0]!.arn]), 'InvalidParameterException', 400);
    await expectError(associate([store.id]), 'InvalidParameterException', 400);
    await associate([parents[2]!.id]);
    await expectError(associate([parents[3]!.id]), 'ServiceQuotaExceededException', 402);
  });

  it('keeps a parent from being deleted while it has children', async () => {
    const h = await startWithInstance();
    const company = await hours(h, 'Company');
    const store = await hours(h, 'Store', [company.id]);

    await expectError(
      h.connect.send(
        new DeleteHoursOfOperationCommand({ InstanceId: h.InstanceId, HoursOfOperationId: company.id }),
      ),
      'ResourceInUseException',
      409,
    );
    await h.connect.send(
      new DeleteHoursOfOperationCommand({ InstanceId: h.InstanceId, HoursOfOperationId: store.id }),
    );
    await h.connect.send(
      new DeleteHoursOfOperationCommand({ InstanceId: h.InstanceId, HoursOfOperationId: company.id }),
    );
  });
});
