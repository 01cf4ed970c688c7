/**
 * Organisation-wide backups (issue 12 §4): the scheduler lists this account's instances and, for
 * each member account, assumes the member role (`infra/member-backup-role.yml`) through the local
 * STS stand-in (`AWS_ENDPOINT_URL_STS`, the SDK's documented endpoint variable) and lists that
 * account's instances in the Connect emulator; it queues each with its account's message group.
 * The backup function, consuming the queue, assumes the same role and writes each member instance
 * into the central bucket under `<prefix>/<account>/<instanceId>/`; this account's instances keep
 * `<prefix>/<instanceId>/`. AWS Organizations' ListAccounts is mocked (aws-sdk-client-mock).
 */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsBackupQueue, sqsQueueControl } from '#shared/backup/backup-queue.js';
import { memberAccounts, memberConnectClients } from '#shared/backup/member-accounts.js';
import { scheduleBackups } from '#shared/backup/schedule-backups.js';
import { createConnectClient } from '#shared/connect/client.js';
import { readLatestPointer, readVerifiedManifest, verifySnapshot } from '#shared/snapshot/verify.js';
import { type BackupDeps, invocationHandler } from '../../functions/backup-instance/handler.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { seedNewInstanceDefaults } from '../emulator/seeds/new-instance.js';
import { createInstance, describeSeeded } from '../emulator/seeds/support.js';
import { rejectionOf } from '../support/errors.js';
import { drainWithLambda } from '../support/fifo-queue.js';
import { type LocalSqs, startLocalSqs } from '../support/local-sqs.js';
import { type StsStandIn, startStsStandIn } from '../support/sts.js';
import { MemorySnapshotStore } from './memory-store.js';

const CENTRAL = '111122223333';
const MEMBER_A = '444455556666';
const MEMBER_B = '777788889999';
const UNTRUSTING = '222233334444';
const REGION = 'us-east-1';
const ROLE = 'connect-vault-member-backup';
const EXTERNAL_ID = 'org-7f3a9c2e';
const KEYS: Record<string, string> = {
  [CENTRAL]: 'AKIAORGCENTRAL000001',
  [MEMBER_A]: 'AKIAORGMEMBERA000001',
  [MEMBER_B]: 'AKIAORGMEMBERB000001',
  [UNTRUSTING]: 'AKIAORGUNTRUSTING001',
};

let emulator: ConnectEmulator;
let sts: StsStandIn;
let sqs: LocalSqs;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startConnectEmulator({
    throttle: { enabled: false },
    seed: async (env) => {
      const seeded: SeededInstance[] = [];
      const places: Array<[string, string]> = [
        ['central', CENTRAL],
        ['a-1', MEMBER_A],
        ['a-2', MEMBER_A],
        ['b-1', MEMBER_B],
        ['hidden', UNTRUSTING],
      ];
      for (const [alias, accountId] of places) {
        const accessKeyId = KEYS[accountId] as string;
        const instance = createInstance(env, { alias, accountId, region: REGION, accessKeyId });
        await seedNewInstanceDefaults(env, instance);
        seeded.push(describeSeeded(instance, accessKeyId));
      }
      return seeded;
    },
  });
  sts = await startStsStandIn({
    accounts: emulator.accounts,
    roles: [MEMBER_A, MEMBER_B, UNTRUSTING].map((account) => ({
      roleArn: `arn:aws:iam::${account}:role/${ROLE}`,
      // The untrusting account's role trusts some other account.
      trustedAccountId: account === UNTRUSTING ? '999999999999' : CENTRAL,
      externalId: EXTERNAL_ID,
    })),
  });
  sqs = await startLocalSqs({ accountId: CENTRAL });
  // The functions' own credentials (the default chain) sign AssumeRole: the central account's.
  for (const key of ['AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete process.env[key];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: KEYS[CENTRAL],
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_ENDPOINT_URL_STS: sts.endpoint,
  });
});

afterAll(async () => {
  process.env = saved;
  await emulator?.close();
  await sts?.close();
  await sqs?.close();
});

const instance = (alias: string) => emulator.instances.find((i) => i.alias === alias) as SeededInstance;
const connectWith = (credentials?: Parameters<typeof createConnectClient>[0]['credentials']) =>
  createConnectClient({
    region: REGION,
    endpoint: emulator.endpoint,
    credentials: credentials ?? emulator.credentials(CENTRAL),
    rateLimit: false,
  });
const sqsClient = () =>
  new SQSClient({
    region: REGION,
    endpoint: sqs.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

function scheduler(accountIds: string[], organizations?: OrganizationsClient) {
  return {
    connect: connectWith().client,
    queue: sqsBackupQueue(sqsClient(), sqs.queueUrl),
    accountId: CENTRAL,
    region: REGION,
    members: memberAccounts({
      accountIds,
      organizations,
      roleName: ROLE,
      externalId: EXTERNAL_ID,
      region: REGION,
      connectWith,
      sessionName: 'connect-vault-schedule-backups',
    }),
    clock: { now: () => new Date('2026-11-22T02:00:05.000Z') },
    logger: { info: () => {}, warn: () => {} },
  };
}

describe('organisation-wide backups', () => {
  it('schedules every member account through its role and backs each instance up under <account>/<instanceId>/', async () => {
    const store = new MemorySnapshotStore();
    const central = connectWith();
    const member = memberConnectClients({
      roleName: ROLE,
      externalId: EXTERNAL_ID,
      region: REGION,
      sessionName: 'connect-vault-backup-instance',
      create: (credentials) => connectWith(credentials),
    });
    const deps: BackupDeps = {
      config: { prefix: 'vault' },
      connect: central.client,
      connectStats: central.stats,
      store,
      clock: { now: () => new Date() },
      queueControl: sqsQueueControl(sqsClient(), sqs.queueUrl, sqs.deadLetterQueueUrl),
      accountId: CENTRAL,
      region: REGION,
      connectFor: (accountId) => {
        const made = member(accountId);
        return { connect: made.client, connectStats: made.stats };
      },
    };

    const details = await scheduleBackups({ instanceIds: [] }, scheduler([MEMBER_A, MEMBER_B]));
    const invocations = await drainWithLambda(sqs.queue, (event) => invocationHandler(event, deps), {
      clock: sqs.clock,
    });

    expect(details.map((d) => [d.accountId, d.instanceId])).toEqual([
      [undefined, instance('central').id],
      [MEMBER_A, instance('a-1').id],
      [MEMBER_A, instance('a-2').id],
      [MEMBER_B, instance('b-1').id],
    ]);
    expect(sqs.queue.sent.map((m) => m.groupId)).toEqual([
      `${CENTRAL}/${REGION}`,
      `${MEMBER_A}/${REGION}`,
      `${MEMBER_A}/${REGION}`,
      `${MEMBER_B}/${REGION}`,
    ]);
    expect(invocations.map((i) => i.outcome)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
    expect(sqs.deadLetter.messages).toEqual([]);
    // Each member role was assumed by the central account, with the external id.
    const assumed = sts.calls.filter((c) => 'accessKeyId' in c.outcome);
    expect(new Set(assumed.map((c) => c.roleArn))).toEqual(
      new Set([`arn:aws:iam::${MEMBER_A}:role/${ROLE}`, `arn:aws:iam::${MEMBER_B}:role/${ROLE}`]),
    );
    for (const call of assumed) {
      expect(call.externalId).toBe(EXTERNAL_ID);
      expect(emulator.accounts[call.callerAccessKeyId]).toBe(CENTRAL);
    }
    expect(new Set(assumed.map((c) => c.roleSessionName))).toEqual(
      new Set(['connect-vault-schedule-backups', 'connect-vault-backup-instance']),
    );
    // The central instance keeps the single-account layout; members are under their account.
    for (const [alias, prefix, account] of [
      ['central', 'vault', CENTRAL],
      ['a-1', `vault/${MEMBER_A}`, MEMBER_A],
      ['a-2', `vault/${MEMBER_A}`, MEMBER_A],
      ['b-1', `vault/${MEMBER_B}`, MEMBER_B],
    ] as const) {
      const id = instance(alias).id;
      const latest = await readLatestPointer(store, prefix, id);
      expect(latest, alias).toBeDefined();
      const manifest = await readVerifiedManifest(store, prefix, id, latest?.snapshotId ?? '');
      expect(manifest.instance.accountId, alias).toBe(account);
      expect((await verifySnapshot(store, prefix, id, latest?.snapshotId ?? '')).ok, alias).toBe(true);
    }
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys.some((k) => k.includes(instance('hidden').id))).toBe(false);
    expect(keys.filter((k) => k.startsWith(`vault/${MEMBER_A}/`)).length).toBeGreaterThan(0);
  }, 120_000);

  it("adds AWS Organizations' ACTIVE accounts; a member whose role will not trust it is named, the others still queued", async () => {
    sqs.queue.messages.length = 0;
    sqs.queue.sent.length = 0;
    const organizations = new OrganizationsClient({ region: REGION });
    const mocked = mockClient(organizations);
    mocked.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: CENTRAL, State: 'ACTIVE' },
        { Id: MEMBER_B, State: 'ACTIVE' },
        { Id: UNTRUSTING, State: 'ACTIVE' },
        { Id: '555555555555', State: 'SUSPENDED' },
      ],
    });

    const error = await rejectionOf(
      scheduleBackups({ instanceIds: [] }, scheduler([MEMBER_A], organizations)),
    );

    expect(error.name).toBe('BackupsNotQueuedError');
    expect(error.message).toContain(`member account(s) ${UNTRUSTING} could not be listed`);
    expect(sqs.queue.sent.map((m) => JSON.parse(m.body).detail.accountId)).toEqual([
      undefined,
      MEMBER_A,
      MEMBER_A,
      MEMBER_B,
    ]);
    expect(sts.calls.filter((c) => c.roleArn.includes(UNTRUSTING)).map((c) => c.outcome)).toEqual([
      { error: 'AccessDenied' },
    ]);
    mocked.restore();
  });

  it('refuses a queued member-account backup in a deployment without the member role, to the dead-letter queue', async () => {
    sqs.deadLetter.messages.length = 0;
    sqs.queue.messages.length = 0;
    const central = connectWith();
    const deps: BackupDeps = {
      config: { prefix: 'vault' },
      connect: central.client,
      connectStats: central.stats,
      store: new MemorySnapshotStore(),
      clock: { now: () => new Date() },
      queueControl: sqsQueueControl(sqsClient(), sqs.queueUrl, sqs.deadLetterQueueUrl),
      accountId: CENTRAL,
      region: REGION,
    };
    sqs.queue.send({
      body: JSON.stringify({
        source: 'connect-vault',
        'detail-type': 'Backup Requested',
        detail: { instanceId: instance('a-1').id, accountId: MEMBER_A },
      }),
      groupId: `${MEMBER_A}/${REGION}`,
      deduplicationId: 'no-role-1',
    });

    const invocations = await drainWithLambda(sqs.queue, (event) => invocationHandler(event, deps), {
      clock: sqs.clock,
    });

    expect(invocations.map((i) => i.outcome)).toEqual(['deleted']);
    expect(sqs.deadLetter.messages[0]?.attributes?.reason).toMatch(/^MemberAccountNotAllowedError/);
  });
});
