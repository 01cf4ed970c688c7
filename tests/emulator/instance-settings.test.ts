/**
 * Instance settings: instance attributes (ListInstanceAttributes, DescribeInstanceAttribute,
 * UpdateInstanceAttribute) and approved origins (ListApprovedOrigins, AssociateApprovedOrigin,
 * DisassociateApprovedOrigin), with the service's rules.
 */
import {
  AssociateApprovedOriginCommand,
  DescribeInstanceAttributeCommand,
  DisassociateApprovedOriginCommand,
  type InstanceAttributeType,
  ListApprovedOriginsCommand,
  paginateListApprovedOrigins,
  UpdateInstanceAttributeCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { expectError, type Harness, startWithInstance } from './testing.js';

const update = (h: Harness, AttributeType: string, Value: string) =>
  h.connect.send(
    new UpdateInstanceAttributeCommand({
      InstanceId: h.InstanceId,
      AttributeType: AttributeType as InstanceAttributeType,
      Value,
    }),
  );

const attributeValue = async (h: Harness, AttributeType: InstanceAttributeType) =>
  (await h.connect.send(new DescribeInstanceAttributeCommand({ InstanceId: h.InstanceId, AttributeType })))
    .Attribute?.Value;

const associate = (h: Harness, Origin: string) =>
  h.connect.send(new AssociateApprovedOriginCommand({ InstanceId: h.InstanceId, Origin }));

describe('UpdateInstanceAttribute', () => {
  it('sets a toggle to true or false, and rejects any other value with 400', async () => {
    const h = await startWithInstance();

    await update(h, 'CONTACTFLOW_LOGS', 'true');
    expect(await attributeValue(h, 'CONTACTFLOW_LOGS')).toBe('true');
    await update(h, 'CONTACTFLOW_LOGS', 'false');
    expect(await attributeValue(h, 'CONTACTFLOW_LOGS')).toBe('false');

    await expectError(update(h, 'CONTACTFLOW_LOGS', 'yes'), 'InvalidParameterException', 400);
    await expectError(update(h, 'NOT_AN_ATTRIBUTE', 'true'), 'InvalidParameterException', 400);
    expect(await attributeValue(h, 'CONTACTFLOW_LOGS')).toBe('false');
  });

  it('sets USE_CUSTOM_TTS_VOICES only on an allowlisted account', async () => {
    const h = await startWithInstance();

    await expectError(update(h, 'USE_CUSTOM_TTS_VOICES', 'true'), 'InvalidRequestException', 400);
    expect(h.instance.attributes.has('USE_CUSTOM_TTS_VOICES')).toBe(false);

    h.instance.customTtsVoicesAllowlisted = true;
    await update(h, 'USE_CUSTOM_TTS_VOICES', 'true');
    expect(await attributeValue(h, 'USE_CUSTOM_TTS_VOICES')).toBe('true');
  });
});

describe('approved origins', () => {
  it('lists the associated origins in order, 25 per page at most', async () => {
    const h = await startWithInstance();
    const origins = Array.from({ length: 27 }, (_, i) => `https://app${i}.example.com`);
    for (const origin of origins) await associate(h, origin);

    const first = await h.connect.send(new ListApprovedOriginsCommand({ InstanceId: h.InstanceId }));
    const all: string[] = [];
    for await (const page of paginateListApprovedOrigins({ client: h.connect }, { InstanceId: h.InstanceId }))
      all.push(...(page.Origins ?? []));

    expect(first.Origins).toHaveLength(25);
    expect(first.NextToken).toBeDefined();
    expect(all).toEqual(origins);
    await expectError(
      h.connect.send(new ListApprovedOriginsCommand({ InstanceId: h.InstanceId, MaxResults: 26 })),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects an origin twice with 409, and what is no web origin with 400', async () => {
    const h = await startWithInstance();
    await associate(h, 'https://www.example.com');

    await expectError(associate(h, 'https://www.example.com'), 'ResourceConflictException', 409);
    for (const bad of ['www.example.com', 'https://www.example.com/path', 'ftp://example.com', ''])
      await expectError(associate(h, bad), 'InvalidParameterException', 400);
    await expectError(associate(h, `https://${'a'.repeat(260)}.com`), 'InvalidParameterException', 400);
    expect(h.instance.approvedOrigins).toEqual(['https://www.example.com']);
  });

  it('disassociates an origin, and answers 404 for one not associated', async () => {
    const h = await startWithInstance();
    await associate(h, 'https://www.example.com');
    const remove = () =>
      h.connect.send(
        new DisassociateApprovedOriginCommand({
          InstanceId: h.InstanceId,
          Origin: 'https://www.example.com',
        }),
      );

    await remove();
    expect(h.instance.approvedOrigins).toEqual([]);
    await expectError(remove(), 'ResourceNotFoundException', 404);
  });
});
