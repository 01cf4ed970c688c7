/**
 * The emulator's e-mail addresses and queues' outbound e-mail addresses: each rule the handlers
 * enforce, through the unmodified SDK client.
 */
import {
  CreateEmailAddressCommand,
  DeleteEmailAddressCommand,
  DescribeEmailAddressCommand,
  DescribeQueueCommand,
  SearchEmailAddressesCommand,
  TagResourceCommand,
  UpdateEmailAddressMetadataCommand,
  UpdateQueueOutboundEmailConfigCommand,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { addQueue, expectError, type Harness, startWithInstance } from './testing.js';

const DOMAIN = 't.email.connect.aws';

const create = (h: Harness, EmailAddress: string, extra: Record<string, unknown> = {}) =>
  h.connect.send(new CreateEmailAddressCommand({ InstanceId: h.InstanceId, EmailAddress, ...extra }));

describe('e-mail addresses', () => {
  it('creates an address on the default domain, describes it with its tags, and searches it without them', async () => {
    const h = await startWithInstance();
    const created = await create(h, `support@${DOMAIN}`, {
      DisplayName: 'Support',
      Description: 'Customer support',
      Tags: { Team: 'Care' },
    });

    const described = await h.connect.send(
      new DescribeEmailAddressCommand({ InstanceId: h.InstanceId, EmailAddressId: created.EmailAddressId }),
    );
    const found = await h.connect.send(new SearchEmailAddressesCommand({ InstanceId: h.InstanceId }));

    expect(created.EmailAddressArn).toBe(`${h.instance.arn}/email-address/${created.EmailAddressId}`);
    expect(described).toMatchObject({
      EmailAddressId: created.EmailAddressId,
      EmailAddress: `support@${DOMAIN}`,
      DisplayName: 'Support',
      Description: 'Customer support',
      Tags: { Team: 'Care' },
      CreateTimestamp: expect.any(String),
      ModifiedTimestamp: expect.any(String),
    });
    expect(found.EmailAddresses).toEqual([
      {
        EmailAddressId: created.EmailAddressId,
        EmailAddressArn: created.EmailAddressArn,
        EmailAddress: `support@${DOMAIN}`,
        DisplayName: 'Support',
        Description: 'Customer support',
        AliasConfigurations: [],
      },
    ]);
    expect(found.ApproximateTotalCount).toBe(1);
  });

  it('refuses an address on a domain the instance does not have, and accepts a custom domain it was given', async () => {
    const h = await startWithInstance({
      arrange: (instance) => void instance.emailDomains.add('example.com'),
    });

    await expectError(create(h, 'support@example.org'), 'InvalidParameterException', 400);
    await expect(create(h, 'support@example.com')).resolves.toMatchObject({
      EmailAddressId: expect.any(String),
    });
  });

  it('refuses an address given twice, whatever its case, and one that is not an address (model pattern)', async () => {
    const h = await startWithInstance();
    await create(h, `sales@${DOMAIN}`);

    await expectError(create(h, `Sales@${DOMAIN.toUpperCase()}`), 'DuplicateResourceException', 409);
    await expectError(create(h, 'not-an-address'), 'InvalidParameterException', 400);
  });

  it('updates the display name and description only, and tags the address by its ARN', async () => {
    const h = await startWithInstance();
    const { EmailAddressId, EmailAddressArn } = await create(h, `care@${DOMAIN}`, { DisplayName: 'Care' });

    await h.connect.send(
      new UpdateEmailAddressMetadataCommand({ InstanceId: h.InstanceId, EmailAddressId, Description: 'New' }),
    );
    await h.connect.send(new TagResourceCommand({ resourceArn: EmailAddressArn, tags: { A: 'b' } }));
    const described = await h.connect.send(
      new DescribeEmailAddressCommand({ InstanceId: h.InstanceId, EmailAddressId }),
    );

    expect(described).toMatchObject({ DisplayName: 'Care', Description: 'New', Tags: { A: 'b' } });
    await expectError(
      h.connect.send(
        new UpdateEmailAddressMetadataCommand({ InstanceId: h.InstanceId, EmailAddressId: 'missing' }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it("sets a queue's outbound address only to an address of the instance, and keeps that address from deletion", async () => {
    const h = await startWithInstance();
    const queueArn = addQueue(h.instance);
    const QueueId = queueArn.split('/').at(-1);
    const { EmailAddressId, EmailAddressArn } = await create(h, `out@${DOMAIN}`);
    const setOutbound = (OutboundEmailAddressId: string | undefined) =>
      h.connect.send(
        new UpdateQueueOutboundEmailConfigCommand({
          InstanceId: h.InstanceId,
          QueueId,
          OutboundEmailConfig: { OutboundEmailAddressId },
        }),
      );

    await expectError(setOutbound('00000000-0000-4000-8000-000000000000'), 'ResourceNotFoundException', 404);
    await setOutbound(EmailAddressArn);
    const { Queue } = await h.connect.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId }));
    const remove = () =>
      h.connect.send(new DeleteEmailAddressCommand({ InstanceId: h.InstanceId, EmailAddressId }));

    expect(Queue?.OutboundEmailConfig).toEqual({ OutboundEmailAddressId: EmailAddressId });
    await expectError(remove(), 'ResourceConflictException', 409);
    await setOutbound(undefined);
    await remove();
    await expectError(
      h.connect.send(new DescribeEmailAddressCommand({ InstanceId: h.InstanceId, EmailAddressId })),
      'ResourceNotFoundException',
      404,
    );
  });
});
