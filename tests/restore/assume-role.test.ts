/**
 * Cross-account restore through a role in the target account (infra/restore-target-role.yml), the
 * STS path: the CLI's `--target-role-arn` / `--external-id` and the restore Lambda's
 * `target.roleArn` / `target.externalId` call AssumeRole on a local STS stand-in
 * (`AWS_ENDPOINT_URL_STS`, the SDK's documented endpoint variable), and the Connect calls made with
 * the temporary credentials act in the target account of the Connect emulator.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectClient, ListHoursOfOperationsCommand } from '@aws-sdk/client-connect';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '#shared/config.js';
import { targetClients } from '../../functions/restore/handler.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import { runCli } from '../support/cli.js';
import { type StsStandIn, startStsStandIn } from '../support/sts.js';
import {
  backupOf,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

const ROLE_ARN = 'arn:aws:iam::444455556666:role/connect-vault-restore-target';
const EXTERNAL_ID = 'cv-7f3a9c2e-restore';

let emulator: ConnectEmulator;
let folder: TempFolder;
let sts: StsStandIn;
let home: string;
const saved = { ...process.env };

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  sts = await startStsStandIn({
    accounts: emulator.accounts,
    // The connect-vault account (demo-source's) may assume the role, with the external id.
    roles: [{ roleArn: ROLE_ARN, trustedAccountId: '111122223333', externalId: EXTERNAL_ID }],
  });
  home = await mkdtemp(join(tmpdir(), 'connect-vault-sts-'));
  await writeFile(
    join(home, 'credentials'),
    ['[source]', 'aws_access_key_id = AKIAEMULATORSOURCE01', 'aws_secret_access_key = emulator', ''].join(
      '\n',
    ),
  );
  await writeFile(join(home, 'config'), '');
  await writeFile(
    join(home, 'mapping.json'),
    JSON.stringify({ accounts: { '111122223333': '444455556666' }, regions: { 'us-east-1': 'eu-west-2' } }),
  );
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_REGION'])
    delete process.env[key];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_ENDPOINT_URL_STS: sts.endpoint,
  });
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, '');
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await sts?.close();
  await stopEmulatorAndFolder(emulator, folder);
  await rm(home, { recursive: true, force: true });
});

afterEach(() => {
  sts.calls.length = 0;
  emulator.resetStats();
});

function mutatingCalls(): number {
  return Object.entries(emulator.stats().operations)
    .filter(([op]) => isMutating(op))
    .reduce((n, [, s]) => n + s.calls, 0);
}

/** The names of the hours of operation an instance holds, read with its own account's credentials. */
async function hoursOf(alias: 'demo-source' | 'demo-target'): Promise<string[]> {
  const instance = instanceNamed(emulator, alias);
  const client = new ConnectClient({
    region: instance.region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
  });
  const out = await client.send(new ListHoursOfOperationsCommand({ InstanceId: instance.id }));
  return (out.HoursOfOperationSummaryList ?? []).map((h) => h.Name ?? '').sort();
}

function restoreArgs(...extra: string[]): string[] {
  return [
    'restore',
    '--from',
    folder.root,
    '--source-instance-id',
    instanceNamed(emulator, 'demo-source').id,
    '--target-instance-id',
    instanceNamed(emulator, 'demo-target').id,
    '--region',
    'us-east-1',
    '--profile',
    'source',
    '--target-region',
    'eu-west-2',
    '--endpoint-url',
    emulator.endpoint,
    '--mapping',
    join(home, 'mapping.json'),
    '--kinds',
    'hours-of-operation',
    '--rate-factor',
    '100',
    '-q',
    ...extra,
  ];
}

describe('connect-vault restore --target-role-arn', () => {
  it('refuses a wrong external id before any write, naming the role and what to check', async () => {
    const before = await hoursOf('demo-target');

    const result = await runCli(...restoreArgs('--target-role-arn', ROLE_ARN, '--external-id', 'not-it'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(ROLE_ARN);
    expect(result.stderr).toMatch(/trust policy/);
    expect(result.stderr).toMatch(/--external-id/);
    expect(sts.calls.map((c) => c.outcome)).toContainEqual({ error: 'AccessDenied' });
    expect(mutatingCalls()).toBe(0);
    expect(await hoursOf('demo-target')).toEqual(before);
  });

  it('exits 2 for --external-id without a role, and for a role ARN that is not one', async () => {
    const alone = await runCli(...restoreArgs('--external-id', EXTERNAL_ID));
    const bad = await runCli(...restoreArgs('--target-role-arn', 'connect-vault-restore-target'));

    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--external-id is for the role --target-role-arn names');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('target.roleArn: must be an IAM role ARN');
    expect(sts.calls).toEqual([]);
    expect(mutatingCalls()).toBe(0);
  });

  it('assumes the role once, signed by --profile, and restores into the target account', async () => {
    const source = await hoursOf('demo-source');

    const result = await runCli(...restoreArgs('--target-role-arn', ROLE_ARN, '--external-id', EXTERNAL_ID));

    expect(result.code, result.stderr).toBe(0);
    expect(sts.calls).toHaveLength(1);
    expect(sts.calls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      externalId: EXTERNAL_ID,
      callerAccessKeyId: 'AKIAEMULATORSOURCE01',
      roleSessionName: 'connect-vault-restore-cli',
    });
    expect(mutatingCalls()).toBeGreaterThan(0);
    expect(await hoursOf('demo-target')).toEqual(expect.arrayContaining(source));
    // The external id is not printed.
    expect(result.stderr).not.toContain(EXTERNAL_ID);
  });
});

describe('the restore Lambda with target.roleArn', () => {
  it("reaches the target account with the role's credentials, signed by the function's own", async () => {
    const target = instanceNamed(emulator, 'demo-target');
    const config = readConfig({
      ...process.env,
      AWS_REGION: 'us-east-1',
      // The function's own role: the connect-vault account's credentials.
      AWS_ACCESS_KEY_ID: 'AKIAEMULATORSOURCE01',
      AWS_SECRET_ACCESS_KEY: 'emulator',
      BACKUP_BUCKET: 'connect-vault-test',
      BACKUP_PREFIX: '',
      CONNECT_RATE_FACTOR: '10',
      FULL_BACKUP_INTERVAL_DAYS: '7',
      EVENT_BUS_NAME: 'connect-vault-test',
      CONNECT_ENDPOINT: emulator.endpoint,
    });
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEMULATORSOURCE01';
    process.env.AWS_SECRET_ACCESS_KEY = 'emulator';
    const clients = targetClients(config);

    const { client } = clients({
      instanceId: target.id,
      region: 'eu-west-2',
      roleArn: ROLE_ARN,
      externalId: EXTERNAL_ID,
    });
    const out = await client.send(new ListHoursOfOperationsCommand({ InstanceId: target.id }));
    const denied = clients({ instanceId: target.id, region: 'eu-west-2', roleArn: ROLE_ARN });
    const error = await denied.client.send(new ListHoursOfOperationsCommand({ InstanceId: target.id })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect((out.HoursOfOperationSummaryList ?? []).length).toBeGreaterThan(0);
    expect(sts.calls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      externalId: EXTERNAL_ID,
      callerAccessKeyId: 'AKIAEMULATORSOURCE01',
      roleSessionName: 'connect-vault-restore',
    });
    // Without the external id, the trust policy refuses the function.
    expect(error?.name).toBe('AssumeRoleError');
    expect(error?.message).toContain(`Cannot assume ${ROLE_ARN}: AccessDenied`);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });
});
