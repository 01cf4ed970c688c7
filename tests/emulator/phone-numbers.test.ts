/**
 * Claimed phone numbers in the emulator: ListPhoneNumbersV2 (TargetArn, InstanceId, filters,
 * pagination), DescribePhoneNumber, ListFlowAssociations and (Dis)AssociatePhoneNumberContactFlow,
 * with the rules of the API reference (a number of another instance, an unknown flow or a flow of
 * another type is rejected).
 */
import {
  AssociatePhoneNumberContactFlowCommand,
  type ConnectClient,
  DescribePhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  ListFlowAssociationsCommand,
  ListPhoneNumbersV2Command,
  paginateListPhoneNumbersV2,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { claimPhoneNumber } from './seeds/phone-numbers.js';
import { createInstance, DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './seeds/support.js';
import type { InstanceState, PhoneNumberRecord } from './state.js';
import { addFlow, expectError, type Harness, startWithInstance } from './testing.js';

const INBOUND = '11111111-1111-4111-8111-111111111111';
const WHISPER = '22222222-2222-4222-8222-222222222222';

interface Fixture extends Harness {
  main: PhoneNumberRecord;
  support: PhoneNumberRecord;
  london: PhoneNumberRecord;
  /** A number claimed to another instance of the same account and Region. */
  elsewhere: PhoneNumberRecord;
  other: InstanceState;
  /** A number of another account. */
  foreign: PhoneNumberRecord;
}

async function start(extra = 0): Promise<Fixture> {
  let records: Omit<Fixture, keyof Harness> | undefined;
  const h = await startWithInstance({
    arrange: (instance, env) => {
      addFlow(instance, INBOUND, 'Main IVR', 'CONTACT_FLOW');
      addFlow(instance, WHISPER, 'Whisper', 'AGENT_WHISPER');
      const main = claimPhoneNumber(env, instance, {
        number: '+18005550142',
        type: 'TOLL_FREE',
        country: 'US',
        description: 'Main line',
        tags: { Department: 'Support' },
      });
      const support = claimPhoneNumber(env, instance, { number: '+12065550177', type: 'DID', country: 'US' });
      const london = claimPhoneNumber(env, instance, { number: '+442079460155', type: 'DID', country: 'GB' });
      for (let i = 0; i < extra; i++)
        claimPhoneNumber(env, instance, {
          number: `+1425555${String(1000 + i)}`,
          type: 'DID',
          country: 'US',
        });
      const other = createInstance(env, {
        alias: 'other',
        accountId: DEFAULT_ACCOUNT_ID,
        region: DEFAULT_REGION,
        accessKeyId: 'AKIAEMULATOROTHER001',
      });
      const elsewhere = claimPhoneNumber(env, other, { number: '+12065550188', type: 'DID', country: 'US' });
      const abroad = createInstance(env, {
        alias: 'abroad',
        accountId: '444455556666',
        region: DEFAULT_REGION,
        accessKeyId: 'AKIAEMULATORABROAD01',
      });
      const foreign = claimPhoneNumber(env, abroad, { number: '+12065550189', type: 'DID', country: 'US' });
      records = { main, support, london, elsewhere, other, foreign };
    },
  });
  if (!records) throw new Error('arrange did not run');
  return { ...h, ...records };
}

async function listed(connect: ConnectClient, input: Record<string, unknown>): Promise<string[]> {
  const numbers: string[] = [];
  for await (const page of paginateListPhoneNumbersV2({ client: connect }, input))
    numbers.push(...(page.ListPhoneNumbersSummaryList ?? []).map((p) => p.PhoneNumber ?? ''));
  return numbers;
}

describe('ListPhoneNumbersV2', () => {
  it('lists the numbers claimed to the instance named by TargetArn, with the summary members only', async () => {
    const h = await start();

    const { ListPhoneNumbersSummaryList } = await h.connect.send(
      new ListPhoneNumbersV2Command({ TargetArn: h.instance.arn }),
    );

    expect(ListPhoneNumbersSummaryList).toEqual([
      {
        PhoneNumberId: h.main.id,
        PhoneNumberArn: h.main.arn,
        PhoneNumber: '+18005550142',
        PhoneNumberCountryCode: 'US',
        PhoneNumberType: 'TOLL_FREE',
        PhoneNumberDescription: 'Main line',
        TargetArn: h.instance.arn,
        InstanceId: h.InstanceId,
      },
      expect.objectContaining({ PhoneNumber: '+12065550177' }),
      expect.objectContaining({ PhoneNumber: '+442079460155' }),
    ]);
    expect(h.main.arn).toBe(
      `arn:aws:connect:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:phone-number/${h.main.id}`,
    );
  });

  it('lists by InstanceId too, and every number of the account and Region without either', async () => {
    const h = await start();

    expect(await listed(h.connect, { InstanceId: h.InstanceId })).toEqual([
      '+18005550142',
      '+12065550177',
      '+442079460155',
    ]);
    expect((await listed(h.connect, {})).sort()).toEqual(
      ['+18005550142', '+12065550177', '+442079460155', '+12065550188'].sort(),
    );
  });

  it('filters by country code, type and prefix; a prefix without + is 400 InvalidParameterException', async () => {
    const h = await start();
    const TargetArn = h.instance.arn;

    expect(await listed(h.connect, { TargetArn, PhoneNumberCountryCodes: ['GB'] })).toEqual([
      '+442079460155',
    ]);
    expect(await listed(h.connect, { TargetArn, PhoneNumberTypes: ['TOLL_FREE'] })).toEqual(['+18005550142']);
    expect(await listed(h.connect, { TargetArn, PhoneNumberPrefix: '+1206' })).toEqual(['+12065550177']);
    await expectError(
      h.connect.send(new ListPhoneNumbersV2Command({ TargetArn, PhoneNumberPrefix: '1206' })),
      'InvalidParameterException',
      400,
    );
  });

  it('pages with MaxResults and a NextToken bound to the listing', async () => {
    const h = await start(7);

    const first = await h.connect.send(
      new ListPhoneNumbersV2Command({ TargetArn: h.instance.arn, MaxResults: 4 }),
    );
    expect(first.ListPhoneNumbersSummaryList).toHaveLength(4);
    expect(first.NextToken).toBeDefined();
    expect(await listed(h.connect, { TargetArn: h.instance.arn, MaxResults: 4 })).toHaveLength(10);
    await expectError(
      h.connect.send(new ListPhoneNumbersV2Command({ InstanceId: h.other.id, NextToken: first.NextToken })),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects an unknown instance (404), a TargetArn that is no instance ARN (400) and a TargetArn and InstanceId that disagree (400)', async () => {
    const h = await start();
    const unknown = `arn:aws:connect:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:instance/33333333-3333-4333-8333-333333333333`;

    await expectError(
      h.connect.send(new ListPhoneNumbersV2Command({ TargetArn: unknown })),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(
        new ListPhoneNumbersV2Command({
          TargetArn: `arn:aws:connect:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:traffic-distribution-group/x`,
        }),
      ),
      'InvalidParameterException',
      400,
    );
    await expectError(
      h.connect.send(new ListPhoneNumbersV2Command({ TargetArn: h.instance.arn, InstanceId: h.other.id })),
      'InvalidParameterException',
      400,
    );
  });
});

describe('DescribePhoneNumber', () => {
  it('describes a number by id or ARN with its tags and status, but not its flow', async () => {
    const h = await start();

    for (const PhoneNumberId of [h.main.id, h.main.arn]) {
      const { ClaimedPhoneNumberSummary } = await h.connect.send(
        new DescribePhoneNumberCommand({ PhoneNumberId }),
      );
      expect(ClaimedPhoneNumberSummary).toEqual({
        PhoneNumberId: h.main.id,
        PhoneNumberArn: h.main.arn,
        PhoneNumber: '+18005550142',
        PhoneNumberCountryCode: 'US',
        PhoneNumberType: 'TOLL_FREE',
        PhoneNumberDescription: 'Main line',
        TargetArn: h.instance.arn,
        InstanceId: h.InstanceId,
        Tags: { Department: 'Support' },
        PhoneNumberStatus: { Status: 'CLAIMED' },
      });
    }
  });

  it('answers 404 ResourceNotFoundException for an unknown number and for a number of another account', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new DescribePhoneNumberCommand({ PhoneNumberId: '44444444-4444-4444-8444-444444444444' }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(new DescribePhoneNumberCommand({ PhoneNumberId: h.foreign.id })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('AssociatePhoneNumberContactFlow, DisassociatePhoneNumberContactFlow and ListFlowAssociations', () => {
  it('associates a number with an inbound flow, lists it as VOICE_PHONE_NUMBER with ARNs, and disassociates it', async () => {
    const h = await start();
    const list = async (ResourceType?: 'VOICE_PHONE_NUMBER' | 'INBOUND_EMAIL') =>
      (await h.connect.send(new ListFlowAssociationsCommand({ InstanceId: h.InstanceId, ResourceType })))
        .FlowAssociationSummaryList;

    await h.connect.send(
      new AssociatePhoneNumberContactFlowCommand({
        InstanceId: h.InstanceId,
        PhoneNumberId: h.main.id,
        ContactFlowId: INBOUND,
      }),
    );
    await h.connect.send(
      new AssociatePhoneNumberContactFlowCommand({
        InstanceId: h.InstanceId,
        PhoneNumberId: h.london.arn,
        ContactFlowId: h.instance.arnFor('contact-flow', INBOUND),
      }),
    );

    const flowArn = h.instance.arnFor('contact-flow', INBOUND);
    expect(await list('VOICE_PHONE_NUMBER')).toEqual([
      { ResourceId: h.main.arn, FlowId: flowArn, ResourceType: 'VOICE_PHONE_NUMBER' },
      { ResourceId: h.london.arn, FlowId: flowArn, ResourceType: 'VOICE_PHONE_NUMBER' },
    ]);
    expect(await list()).toHaveLength(2);
    expect(await list('INBOUND_EMAIL')).toEqual([]);

    await h.connect.send(
      new DisassociatePhoneNumberContactFlowCommand({ InstanceId: h.InstanceId, PhoneNumberId: h.main.id }),
    );
    expect(await list('VOICE_PHONE_NUMBER')).toEqual([
      { ResourceId: h.london.arn, FlowId: flowArn, ResourceType: 'VOICE_PHONE_NUMBER' },
    ]);
  });

  it('rejects a number the instance has not claimed with 404 ResourceNotFoundException, also for disassociation', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: h.InstanceId,
          PhoneNumberId: h.elsewhere.id,
          ContactFlowId: INBOUND,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: h.InstanceId,
          PhoneNumberId: '44444444-4444-4444-8444-444444444444',
          ContactFlowId: INBOUND,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(
        new DisassociatePhoneNumberContactFlowCommand({
          InstanceId: h.InstanceId,
          PhoneNumberId: h.elsewhere.id,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    expect(h.elsewhere.contactFlowId).toBeUndefined();
  });

  it('rejects an unknown flow (404 ResourceNotFoundException) and a flow that is not CONTACT_FLOW (400 InvalidParameterException)', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: h.InstanceId,
          PhoneNumberId: h.main.id,
          ContactFlowId: '55555555-5555-4555-8555-555555555555',
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await expectError(
      h.connect.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: h.InstanceId,
          PhoneNumberId: h.main.id,
          ContactFlowId: WHISPER,
        }),
      ),
      'InvalidParameterException',
      400,
    );
    expect(h.main.contactFlowId).toBeUndefined();
  });
});

describe('claimPhoneNumber (seeds)', () => {
  it('refuses a number that is not E.164 or that another instance has claimed', async () => {
    const h = await start();
    const env = { world: h.emulator.world, accounts: {} };

    expect(() =>
      claimPhoneNumber(env, h.instance, { number: '2065550100', type: 'DID', country: 'US' }),
    ).toThrow(/E\.164/);
    expect(() =>
      claimPhoneNumber(env, h.other, { number: '+18005550142', type: 'DID', country: 'US' }),
    ).toThrow(/already claimed/);
  });
});
