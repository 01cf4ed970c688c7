/**
 * E-mail addresses and queues' outbound e-mail addresses through backup and restore, demo-source
 * into demo-target (another account and Region, whose default e-mail domain is its own): an address
 * is restored only where `mappings.emailAddresses` sends it; unmapped addresses are reported per
 * address (and block when the mapping names others); a mapped address is created on the target's
 * domain and the queue that sent from it sends from the new one; overwrite brings display name,
 * description, tags and the queue's address back; every second run writes nothing.
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import {
  backupOf,
  type ConnectClient,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  runRestore,
  settledCrossAccountRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

const FROM = 'demo-source.email.connect.aws';
const TO = 'demo-target.email.connect.aws';
const SUPPORT = `support@${FROM}`;
const SALES = `sales@${FROM}`;
const BILLING = `billing@${FROM}`;
/** Every address of the snapshot onto the target's domain. */
const MAPPED = { [SUPPORT]: `support@${TO}`, [SALES]: `sales@${TO}`, [BILLING]: `billing@${TO}` };
/** The queue that sends from the support address. */
const QUEUE = 'Customer Support';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: ConnectClient;
let target: ConnectClient;
let documents: StoredDocument[];

const idOf = (alias: string) => instanceNamed(emulator, alias).id;
const queueId = (alias: string) => {
  const queue = emulator.world.instances.get(idOf(alias))?.queues.findByName(QUEUE);
  if (!queue) throw new Error(`no queue ${QUEUE} in ${alias}`);
  return queue.id;
};

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  source = emulatorClient(emulator, instanceNamed(emulator, 'demo-source')).client;
  target = emulatorClient(emulator, instanceNamed(emulator, 'demo-target')).client;
  const InstanceId = idOf('demo-source');
  const support = await source.send(
    new CreateEmailAddressCommand({
      InstanceId,
      EmailAddress: SUPPORT,
      DisplayName: 'Customer Support',
      Description: 'Where customers write to',
      Tags: { Team: 'Care' },
    }),
  );
  await source.send(new CreateEmailAddressCommand({ InstanceId, EmailAddress: SALES, DisplayName: 'Sales' }));
  await source.send(new CreateEmailAddressCommand({ InstanceId, EmailAddress: BILLING }));
  emulator.propagation.settle();
  await source.send(
    new UpdateQueueOutboundEmailConfigCommand({
      InstanceId,
      QueueId: queueId('demo-source'),
      OutboundEmailConfig: { OutboundEmailAddressId: support.EmailAddressId },
    }),
  );
  const snapshotId = await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  const snapshot = await snapshotDocuments(folder.store, PREFIX, idOf('demo-source'), snapshotId);
  documents = snapshot.documents['email-addresses'];
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

/** The target's addresses by address: what restore writes, without ids and times. */
async function addressesOf(client: ConnectClient, alias: string) {
  const InstanceId = idOf(alias);
  const { EmailAddresses = [] } = await client.send(new SearchEmailAddressesCommand({ InstanceId }));
  const out: Record<string, { id: string; DisplayName?: string; Description?: string; Tags?: unknown }> = {};
  for (const found of EmailAddresses) {
    const address = await client.send(
      new DescribeEmailAddressCommand({ InstanceId, EmailAddressId: found.EmailAddressId }),
    );
    out[address.EmailAddress ?? ''] = {
      id: address.EmailAddressId ?? '',
      DisplayName: address.DisplayName,
      Description: address.Description,
      Tags: address.Tags,
    };
  }
  return out;
}

const outboundOf = async (alias: string) =>
  (
    await (alias === 'demo-source' ? source : target).send(
      new DescribeQueueCommand({ InstanceId: idOf(alias), QueueId: queueId(alias) }),
    )
  ).Queue?.OutboundEmailConfig?.OutboundEmailAddressId;

describe('backing up e-mail addresses', () => {
  it('stores each address as DescribeEmailAddress answers it, tags included, named by the address', async () => {
    const byAddress = Object.fromEntries(documents.map((d) => [d.name, d]));
    const live = await addressesOf(source, 'demo-source');

    expect(Object.keys(byAddress).sort()).toEqual([BILLING, SALES, SUPPORT]);
    expect(byAddress[SUPPORT]?.resource).toMatchObject({
      EmailAddress: SUPPORT,
      DisplayName: 'Customer Support',
      Description: 'Where customers write to',
      Tags: { Team: 'Care' },
    });
    expect(byAddress[SUPPORT]?.id).toBe(live[SUPPORT]?.id);
    expect(byAddress[SUPPORT]?.arn).toContain(`instance/${idOf('demo-source')}/email-address/`);
  });
});

describe('restoring e-mail addresses into another instance', () => {
  it('reports every unmapped address, and the queue sending from one, when the mapping names none', async () => {
    const report = await restore({ dryRun: true });

    const addresses = report.entries.filter((e) => e.kind === 'email-addresses');
    expect(addresses.map((e) => e.name).sort()).toEqual([BILLING, SALES, SUPPORT]);
    expect(addresses.every((e) => e.action === 'skip' && !e.blocked)).toBe(true);
    expect(addresses[0]?.reason).toContain('mappings.emailAddresses');
    const queue = report.entries.find((e) => e.kind === 'queues' && e.name === QUEUE);
    expect(queue?.action).toBe('skip');
    expect(queue?.reason).toContain(SUPPORT);
    expect(writeOperations(report)).toEqual([]);
  });

  it('blocks an address the mapping leaves out when it names others, and refuses "same" into another instance', async () => {
    const report = await restore({
      dryRun: true,
      mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: { [SUPPORT]: `support@${TO}` } },
    });
    const same = await rejectionOf(
      restore({ dryRun: true, mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: 'same' } }),
    );
    const unknown = await rejectionOf(
      restore({
        dryRun: true,
        mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: { [`x@${FROM}`]: `x@${TO}` } },
      }),
    );

    const blocked = report.entries.filter((e) => e.kind === 'email-addresses' && e.blocked);
    expect(blocked.map((e) => e.name).sort()).toEqual([BILLING, SALES]);
    expect(
      report.entries.find((e) => e.kind === 'email-addresses' && e.name === `support@${TO}`)?.action,
    ).toBe('create');
    expect(same.message).toContain('emailAddresses: "same"');
    expect(unknown.message).toContain(`emailAddresses.x@${FROM}: the snapshot has no e-mail address`);
  });

  it('fails the address whose mapped domain the target does not have, saying why', async () => {
    const report = await restore({
      filters: { kinds: ['email-addresses'], names: [BILLING] },
      mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: { [BILLING]: 'billing@example.org' } },
    });

    const entry = report.entries.find((e) => e.kind === 'email-addresses');
    expect(entry).toMatchObject({ name: 'billing@example.org', action: 'create', outcome: 'failed' });
    expect(entry?.error).toContain('InvalidParameterException');
    expect(entry?.error).toContain('example.org');
    expect(report.status).toBe('failed');
  });

  it("creates the mapped addresses on the target's domain, and the queue sends from the new address", async () => {
    // Overwrite: the target's own defaults (instance attributes, …) are brought to the snapshot's too.
    const report = await restore({
      mode: 'overwrite',
      mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: MAPPED },
    });

    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.CreateEmailAddress).toBe(3);
    const addresses = await addressesOf(target, 'demo-target');
    expect(Object.keys(addresses).sort()).toEqual(Object.values(MAPPED).sort());
    expect(addresses[`support@${TO}`]).toMatchObject({
      DisplayName: 'Customer Support',
      Description: 'Where customers write to',
      Tags: { Team: 'Care' },
    });
    expect(addresses[`sales@${TO}`]?.DisplayName).toBe('Sales');
    expect(await outboundOf('demo-target')).toBe(addresses[`support@${TO}`]?.id);
  });

  it('writes nothing when run again', async () => {
    const report = await restore({
      mode: 'overwrite',
      mappings: { ...CROSS_ACCOUNT_MAPPING, emailAddresses: MAPPED },
    });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it("brings display name, description, tags and the queue's address back in overwrite mode, then writes nothing", async () => {
    const InstanceId = idOf('demo-target');
    const before = await addressesOf(target, 'demo-target');
    const support = before[`support@${TO}`]!;
    const { EmailAddressArn } = await target.send(
      new DescribeEmailAddressCommand({ InstanceId, EmailAddressId: support.id }),
    );
    await target.send(
      new UpdateEmailAddressMetadataCommand({
        InstanceId,
        EmailAddressId: support.id,
        DisplayName: 'Changed',
        Description: '',
      }),
    );
    await target.send(new TagResourceCommand({ resourceArn: EmailAddressArn, tags: { Extra: 'x' } }));
    await target.send(
      new UpdateQueueOutboundEmailConfigCommand({
        InstanceId,
        QueueId: queueId('demo-target'),
        OutboundEmailConfig: { OutboundEmailAddressId: before[`sales@${TO}`]?.id },
      }),
    );
    const mappings = { ...CROSS_ACCOUNT_MAPPING, emailAddresses: MAPPED };

    const report = await restore({ mode: 'overwrite', mappings });
    const again = await restore({ mode: 'overwrite', mappings });

    expect(report.status).toBe('succeeded');
    expect(
      report.entries
        .filter((e) => e.action === 'update' && (e.kind === 'email-addresses' || e.kind === 'queues'))
        .map((e) => [e.kind, e.name, [...(e.changes ?? [])].sort()]),
    ).toEqual([
      ['email-addresses', `support@${TO}`, ['Description', 'DisplayName', 'Tags']],
      ['queues', QUEUE, ['OutboundEmailConfig']],
    ]);
    expect(report.apiCalls.UpdateEmailAddressMetadata).toBe(1);
    expect(report.apiCalls.UpdateQueueOutboundEmailConfig).toBe(1);
    expect((await addressesOf(target, 'demo-target'))[`support@${TO}`]).toEqual(support);
    expect(await outboundOf('demo-target')).toBe(support.id);
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });
});

describe('restoring e-mail addresses into the same instance', () => {
  it('creates a deleted address again ("same" by default), and the queue sends from it again', async () => {
    const InstanceId = idOf('demo-source');
    const before = await addressesOf(source, 'demo-source');
    await source.send(
      new UpdateQueueOutboundEmailConfigCommand({
        InstanceId,
        QueueId: queueId('demo-source'),
        OutboundEmailConfig: {},
      }),
    );
    await source.send(new DeleteEmailAddressCommand({ InstanceId, EmailAddressId: before[SUPPORT]?.id }));
    emulator.propagation.settle();
    const client = emulatorClient(emulator, instanceNamed(emulator, 'demo-source'));
    const run = () =>
      runRestore(
        {
          source: { folder: folder.root, prefix: PREFIX, instanceId: InstanceId },
          mode: 'overwrite',
          filters: { kinds: ['email-addresses', 'queues'] },
        },
        { source: folder.store, targetConnect: client.client, targetStats: client.stats },
      );

    const report = await run();
    emulator.propagation.settle();
    const again = await run();

    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.CreateEmailAddress).toBe(1);
    const after = await addressesOf(source, 'demo-source');
    expect(Object.keys(after).sort()).toEqual([BILLING, SALES, SUPPORT]);
    expect(after[SUPPORT]).toMatchObject({ DisplayName: 'Customer Support', Tags: { Team: 'Care' } });
    expect(after[SUPPORT]?.id).not.toBe(before[SUPPORT]?.id);
    expect(await outboundOf('demo-source')).toBe(after[SUPPORT]?.id);
    expect(writeOperations(again)).toEqual([]);
  });
});
