/**
 * The doctor's checks against the emulator (demo seed, demo-source) and s3rver, with each quirk and
 * with denied actions; the restore role against a mocked IAM (no IAM emulator here).
 */
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupReadOperations,
  compareEntities,
  type DoctorCheck,
  type DoctorResult,
  deniesInsecureTransport,
  readsWithSearch,
  restoreWriteOperations,
  runDoctor,
} from '#shared/doctor/doctor.js';
import { emulatorClient } from '../backup/support.js';
import { type ConnectEmulator, type Quirk, startConnectEmulator } from '../emulator/index.js';
import { DRAFT_FLOW } from '../emulator/seeds/demo-flows.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../emulator/seeds/support.js';
import { type BucketConfig, type S3rverHandle, STACK_BUCKET_CONFIG, startS3rver } from '../support/s3rver.js';

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const server of open) await server.close();
});

async function demo(options: { quirks?: Quirk[]; deny?: string[] } = {}): Promise<ConnectEmulator> {
  const emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false }, ...options });
  open.push(emulator);
  return emulator;
}

async function s3rver(bucketConfig?: BucketConfig): Promise<S3rverHandle> {
  const server = await startS3rver(bucketConfig ? { bucketConfig } : {});
  open.push(server);
  return server;
}

function source(emulator: ConnectEmulator) {
  const instance = emulator.instances.find((i) => i.alias === 'demo-source');
  if (!instance) throw new Error('no demo-source');
  return instance;
}

async function doctor(
  emulator: ConnectEmulator,
  s3: S3rverHandle,
  more: { iam?: IAMClient; restoreRoleArn?: string; bucket?: string } = {},
): Promise<DoctorResult> {
  const instance = source(emulator);
  return runDoctor({
    connect: emulatorClient(emulator, instance, 1).client,
    instanceId: instance.id,
    s3: s3.client(),
    bucket: more.bucket ?? s3.bucket,
    ...more,
  });
}

function check(result: DoctorResult, id: string): DoctorCheck {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${result.checks.map((c) => c.id).join(', ')}`);
  return found;
}

const byStatus = (result: DoctorResult, status: DoctorCheck['status']) =>
  result.checks.filter((c) => c.status === status).map((c) => c.id);

describe('doctor on a clean demo instance and a bucket configured like the stack', () => {
  let result: DoctorResult;
  beforeAll(async () => {
    result = await doctor(await demo(), await s3rver(STACK_BUCKET_CONFIG));
  });

  it('calls every read operation of the backup, and each is allowed', () => {
    const reads = result.checks.filter((c) => c.id.startsWith('read:'));

    expect(reads.map((c) => c.id)).toEqual(backupReadOperations().map((op) => `read:connect:${op}`));
    expect(reads.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(reads.length).toBeGreaterThan(20);
  });

  it('fails nothing: Search answers what Describe does, drafts are found, the bucket holds', () => {
    expect(byStatus(result, 'failed')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(check(result, 'search-vs-describe:flows').status).toBe('ok');
    expect(check(result, 'search-vs-describe:queues').status).toBe('ok');
    expect(check(result, 'draft-detection:flows').status).toBe('ok');
    for (const what of ['reachable', 'versioning', 'encryption', 'public-access-block', 'tls-only']) {
      expect(check(result, `bucket:${what}`).status, what).toBe('ok');
    }
  });

  it('says what it could not check, and why', () => {
    // No restore role was given; the demo has no flow module with unpublished changes.
    expect(byStatus(result, 'unknown').sort()).toEqual(['draft-detection:flow-modules', 'restore-role']);
    expect(check(result, 'restore-role').detail).toContain('no restore role given');
    expect(check(result, 'bucket:object-lock')).toMatchObject({ status: 'ok', detail: /not configured/ });
  });

  it('reports what either side lacks for a kind read with Describe, without failing it', () => {
    const routing = check(result, 'search-vs-describe:routing-profiles');
    // Only Search has the profile's queue ids; the backup reads them with ListRoutingProfileQueues.
    expect(routing).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('DescribeRoutingProfile lacks'),
    });

    const users = check(result, 'search-vs-describe:users');

    expect(readsWithSearch('users', 'SearchUsers', 'DescribeUser')).toBe(false);
    expect(users.status).toBe('ok');
    expect(users.detail).toContain('SearchUsers lacks');
    expect(users.detail).toContain('stores user documents from DescribeUser, which has what they need');
  });
});

describe('doctor with the quirks switched on', () => {
  it('search-omits-content: names Content of flows and flow modules', async () => {
    const result = await doctor(
      await demo({ quirks: ['search-omits-content'] }),
      await s3rver(STACK_BUCKET_CONFIG),
    );

    for (const [kind, search, describe] of [
      ['flows', 'SearchContactFlows', 'DescribeContactFlow'],
      ['flow-modules', 'SearchContactFlowModules', 'DescribeContactFlowModule'],
    ] as const) {
      const compared = check(result, `search-vs-describe:${kind}`);
      expect(compared.detail).toContain(`${search} lacks Content`);
      // A kind stored from Search alone fails; once it reads with Describe it adapts (reported only).
      expect(compared.status).toBe(readsWithSearch(kind, search, describe) ? 'failed' : 'ok');
    }
    expect(check(result, 'search-vs-describe:queues').status).toBe('ok');
    expect(result.ok).toBe(!readsWithSearch('flows', 'SearchContactFlows', 'DescribeContactFlow'));
  });

  it('search-omits-drafts: names draft detection, for the published flow with unpublished changes', async () => {
    const emulator = await demo({ quirks: ['search-omits-drafts'] });
    const draft = emulator.world
      .instanceFor(source(emulator).id, DEFAULT_ACCOUNT_ID, DEFAULT_REGION)
      .flows.findByName(DRAFT_FLOW);
    // The backup finds drafts with the SAVED search only when it reads flows with Search alone.
    const viaSearch = readsWithSearch('flows', 'SearchContactFlows', 'DescribeContactFlow');

    const result = await doctor(emulator, await s3rver(STACK_BUCKET_CONFIG));
    const drafts = check(result, 'draft-detection:flows');

    expect(drafts.detail).toContain('draft detection');
    expect(drafts.detail).toContain(`DescribeContactFlow ${draft?.id}:$SAVED answers unpublished changes`);
    expect(drafts.detail).toContain(`SearchContactFlows StatusCondition SAVED does not list ${draft?.id}`);
    expect(drafts.status).toBe(viaSearch ? 'failed' : 'ok');
    expect(byStatus(result, 'failed')).toEqual(viaSearch ? ['draft-detection:flows'] : []);
  });

  it('describe-omits-content: fails flows and flow modules, whose documents come from Describe', async () => {
    const result = await doctor(
      await demo({ quirks: ['describe-omits-content'] }),
      await s3rver(STACK_BUCKET_CONFIG),
    );

    for (const [kind, describe] of [
      ['flows', 'DescribeContactFlow'],
      ['flow-modules', 'DescribeContactFlowModule'],
    ] as const) {
      const compared = check(result, `search-vs-describe:${kind}`);
      expect(compared.detail).toContain(`${describe} lacks Content`);
      expect(compared.status).toBe(
        readsWithSearch(kind, kind === 'flows' ? 'SearchContactFlows' : 'SearchContactFlowModules', describe)
          ? 'ok'
          : 'failed',
      );
    }
    expect(check(result, 'search-vs-describe:queues').status).toBe('ok');
  });

  it('without quirks the same flow passes draft detection', async () => {
    const emulator = await demo();
    const draft = emulator.world
      .instanceFor(source(emulator).id, DEFAULT_ACCOUNT_ID, DEFAULT_REGION)
      .flows.findByName(DRAFT_FLOW);

    const result = await doctor(emulator, await s3rver(STACK_BUCKET_CONFIG));

    expect(check(result, 'draft-detection:flows')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`StatusCondition SAVED lists ${draft?.id}`),
    });
  });
});

describe('doctor with denied actions', () => {
  it('reports AccessDeniedException per action and goes on', async () => {
    const result = await doctor(
      await demo({ deny: ['DescribeUser', 'SearchQueues', 'DescribeQueue'] }),
      await s3rver(STACK_BUCKET_CONFIG),
    );

    expect(byStatus(result, 'failed').sort()).toEqual([
      'read:connect:DescribeUser',
      'read:connect:SearchQueues',
    ]);
    expect(check(result, 'read:connect:DescribeUser').detail).toMatch(
      /^AccessDeniedException: these credentials may not call connect:DescribeUser/,
    );
    // The queue sample comes from ListQueues when SearchQueues is denied.
    expect(check(result, 'read:connect:ListQueueQuickConnects').status).toBe('ok');
    // A Describe only the doctor sends: the comparison could not run, which is not a backup failure.
    expect(check(result, 'search-vs-describe:queues')).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('SearchQueues answered AccessDeniedException'),
    });
    expect(check(result, 'search-vs-describe:users').detail).toContain(
      'DescribeUser answered AccessDeniedException',
    );
    expect(result.ok).toBe(false);
  });

  it('fails an unknown instance before any check', async () => {
    const emulator = await demo();
    const s3 = await s3rver(STACK_BUCKET_CONFIG);

    await expect(
      runDoctor({
        connect: emulatorClient(emulator, source(emulator), 1).client,
        instanceId: '11111111-2222-4333-8444-555555555555',
        s3: s3.client(),
        bucket: s3.bucket,
      }),
    ).rejects.toMatchObject({
      name: 'DoctorInputError',
      message: expect.stringContaining('No Connect instance'),
    });
  });
});

describe('doctor and the restore role (IAM mocked)', () => {
  const roleArn = 'arn:aws:iam::111122223333:role/connect-vault-dev-RestoreRole-TEST';

  it('simulates every write operation of the restore and fails those not allowed', async () => {
    const iam = new IAMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const mock = mockClient(iam);
    mock.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[] }) => ({
      EvaluationResults: input.ActionNames.map((action) => ({
        EvalActionName: action,
        EvalDecision: action === 'connect:CreateQueue' ? 'implicitDeny' : 'allowed',
      })),
      IsTruncated: false,
    }));

    const result = await doctor(await demo(), await s3rver(STACK_BUCKET_CONFIG), {
      iam,
      restoreRoleArn: roleArn,
    });
    const sent = mock.commandCalls(SimulatePrincipalPolicyCommand)[0]?.args[0].input;

    expect(sent?.PolicySourceArn).toBe(roleArn);
    expect(sent?.ActionNames).toEqual(restoreWriteOperations().map((op) => `connect:${op}`));
    expect(sent?.ResourceArns?.[0]).toMatch(/^arn:aws:connect:us-east-1:111122223333:instance\//);
    expect(byStatus(result, 'failed')).toEqual(['restore-role:connect:CreateQueue']);
    expect(check(result, 'restore-role:connect:CreateQueue').detail).toContain('implicitDeny');
    expect(check(result, 'restore-role:connect:CreateUser').status).toBe('ok');
  });

  it('says it could not check when SimulatePrincipalPolicy is not allowed', async () => {
    const iam = new IAMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const denied = Object.assign(new Error('not authorized to perform: iam:SimulatePrincipalPolicy'), {
      name: 'AccessDenied',
    });
    mockClient(iam).on(SimulatePrincipalPolicyCommand).rejects(denied);

    const result = await doctor(await demo(), await s3rver(STACK_BUCKET_CONFIG), {
      iam,
      restoreRoleArn: roleArn,
    });

    expect(check(result, 'restore-role')).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('may not call iam:SimulatePrincipalPolicy'),
    });
    expect(result.checks.some((c) => c.id.startsWith('restore-role:'))).toBe(false);
    expect(result.ok).toBe(true);
  });
});

describe('doctor and the bucket', () => {
  let emulator: ConnectEmulator;
  beforeAll(async () => {
    emulator = await demo();
  });

  it('fails each setting a bucket lacks; Object Lock is informational', async () => {
    const result = await doctor(emulator, await s3rver({}));

    expect(byStatus(result, 'failed').sort()).toEqual([
      'bucket:encryption',
      'bucket:public-access-block',
      'bucket:tls-only',
      'bucket:versioning',
    ]);
    expect(check(result, 'bucket:tls-only').detail).toBe('the bucket has no policy');
    expect(check(result, 'bucket:object-lock').status).toBe('ok');
  });

  it('names the public access settings that are off, and a policy without the TLS deny', async () => {
    const result = await doctor(
      emulator,
      await s3rver({
        ...STACK_BUCKET_CONFIG,
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false },
        policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Principal: '*' }] }),
        objectLock: { mode: 'GOVERNANCE', days: 35 },
      }),
    );

    expect(check(result, 'bucket:public-access-block').detail).toBe(
      'not set: BlockPublicPolicy, RestrictPublicBuckets',
    );
    expect(check(result, 'bucket:tls-only').status).toBe('failed');
    expect(check(result, 'bucket:object-lock').detail).toBe('enabled, default retention GOVERNANCE 35 days');
  });

  it('reports a call the server does not implement as unknown, without crashing (plain s3rver)', async () => {
    const result = await doctor(emulator, await s3rver());

    expect(check(result, 'bucket:encryption')).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('GetBucketEncryption answered NotImplemented'),
    });
    expect(check(result, 'bucket:reachable').status).toBe('ok');
  });

  it('fails a bucket that does not exist, and checks nothing more of it', async () => {
    const result = await doctor(emulator, await s3rver(STACK_BUCKET_CONFIG), { bucket: 'no-such-bucket' });

    expect(check(result, 'bucket:reachable').status).toBe('failed');
    expect(result.checks.filter((c) => c.id.startsWith('bucket:')).map((c) => c.id)).toEqual([
      'bucket:reachable',
    ]);
  });
});

describe('the comparisons', () => {
  it('compareEntities names members either side lacks and values that differ, ignoring key order', () => {
    const found = compareEntities(
      { Id: '1', Name: 'a', Tags: { b: '2', a: '1' }, Extra: 1 },
      { Id: '1', Name: 'b', Tags: { a: '1', b: '2' }, Content: '{}' },
    );

    expect(found).toEqual({ missing: ['Content'], extra: ['Extra'], different: ['Name'] });
  });

  it('deniesInsecureTransport wants a Deny of every action under aws:SecureTransport false', () => {
    const policy = (statement: object) => JSON.stringify({ Statement: [statement] });
    const deny = {
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };

    expect(deniesInsecureTransport(policy(deny))).toBe(true);
    expect(deniesInsecureTransport(policy({ ...deny, Action: ['s3:GetObject'] }))).toBe(false);
    expect(deniesInsecureTransport(policy({ ...deny, Effect: 'Allow' }))).toBe(false);
    expect(
      deniesInsecureTransport(policy({ ...deny, Condition: { Bool: { 'aws:SecureTransport': false } } })),
    ).toBe(true);
    expect(deniesInsecureTransport('not json')).toBe(false);
  });
});
