import {
  ConnectClient,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCommand,
  ListInstancesCommand,
  ListTrafficDistributionGroupsCommand,
  UpdateInstanceAttributeCommand,
} from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/errors.js';
import { type ConnectEmulator, type ConnectEmulatorOptions, startConnectEmulator } from './index.js';
import {
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
} from './seeds/support.js';
import { parseCredentialScope } from './server.js';

const OTHER_ACCOUNT = '444455556666';
const OTHER_KEY = 'AKIAEMULATOROTHER001';

let emulator: ConnectEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Starts an emulator holding `count` empty instances in the default account and Region. */
async function start(count: number, options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
  emulator = await startConnectEmulator({
    throttle: { enabled: false },
    ...options,
    seed: async (env) =>
      Array.from({ length: count }, (_, i) =>
        describeSeeded(
          createInstance(env, {
            alias: `instance-${String(i).padStart(2, '0')}`,
            accountId: DEFAULT_ACCOUNT_ID,
            region: DEFAULT_REGION,
            accessKeyId: DEFAULT_ACCESS_KEY_ID,
          }),
          DEFAULT_ACCESS_KEY_ID,
        ),
      ),
    accounts: { [OTHER_KEY]: OTHER_ACCOUNT },
  });
  return emulator;
}

function client(
  emu: ConnectEmulator,
  region = DEFAULT_REGION,
  accessKeyId = DEFAULT_ACCESS_KEY_ID,
): ConnectClient {
  return new ConnectClient({
    endpoint: emu.endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
  });
}

function firstInstanceId(emu: ConnectEmulator): string {
  const first = emu.instances[0];
  if (!first) throw new Error('no seeded instance');
  return first.id;
}

describe('request routing and encoding', () => {
  it('routes a GET with a path label and returns timestamps the SDK turns into Dates', async () => {
    const emu = await start(1);
    const id = firstInstanceId(emu);

    const { Instance } = await client(emu).send(new DescribeInstanceCommand({ InstanceId: id }));

    expect(Instance?.Id).toBe(id);
    expect(Instance?.Arn).toBe(`arn:aws:connect:us-east-1:${DEFAULT_ACCOUNT_ID}:instance/${id}`);
    expect(Instance?.CreatedTime).toBeInstanceOf(Date);
  });

  it('round-trips a POST body and a path-bound enum', async () => {
    const emu = await start(1);
    const connect = client(emu);
    const id = firstInstanceId(emu);

    await connect.send(
      new UpdateInstanceAttributeCommand({
        InstanceId: id,
        AttributeType: 'CONTACTFLOW_LOGS',
        Value: 'true',
      }),
    );
    const { Attribute } = await connect.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, AttributeType: 'CONTACTFLOW_LOGS' }),
    );

    expect(Attribute).toEqual({ AttributeType: 'CONTACTFLOW_LOGS', Value: 'true' });
  });

  it('answers an operation it does not implement with an error that names it', async () => {
    const emu = await start(1);

    const error = await rejectionOf(
      client(emu).send(new ListTrafficDistributionGroupsCommand({ InstanceId: firstInstanceId(emu) })),
    );

    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain('does not implement ListTrafficDistributionGroups');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('validation against the model', () => {
  it('rejects a missing required body member with 400 InvalidParameterException', async () => {
    const emu = await start(1);
    const input = { InstanceId: firstInstanceId(emu), AttributeType: 'CONTACTFLOW_LOGS' } as never;

    const error = await rejectionOf(client(emu).send(new UpdateInstanceAttributeCommand(input)));

    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain("at 'Value' failed to satisfy constraint: Member must not be null");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a value outside its enum', async () => {
    const emu = await start(1);

    const error = await rejectionOf(
      client(emu).send(
        new DescribeInstanceAttributeCommand({
          InstanceId: firstInstanceId(emu),
          AttributeType: 'BOGUS' as never,
        }),
      ),
    );

    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('Member must satisfy enum value set');
  });

  it('rejects MaxResults above the operation cap and a string over its maximum length', async () => {
    const emu = await start(1);
    const connect = client(emu);

    const tooMany = await rejectionOf(connect.send(new ListInstancesCommand({ MaxResults: 11 })));
    const tooLong = await rejectionOf(
      connect.send(new DescribeInstanceCommand({ InstanceId: 'x'.repeat(101) })),
    );

    expect(tooMany.name).toBe('InvalidParameterException');
    expect(tooMany.message).toContain(
      "at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
    expect(tooLong.name).toBe('InvalidParameterException');
    expect(tooLong.message).toContain('Member must have length less than or equal to 100');
  });
});

describe('pagination', () => {
  it('returns a listing of several pages completely, in creation order', async () => {
    const emu = await start(12);
    const connect = client(emu);

    const ids: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await connect.send(new ListInstancesCommand({ MaxResults: 5, NextToken: token }));
      ids.push(...(page.InstanceSummaryList ?? []).map((i) => i.Id ?? ''));
      token = page.NextToken;
      pages += 1;
    } while (token);

    expect(pages).toBe(3);
    expect(ids).toEqual(emu.instances.map((i) => i.id));
  });

  it('rejects a forged NextToken', async () => {
    const emu = await start(1);

    const error = await rejectionOf(client(emu).send(new ListInstancesCommand({ NextToken: 'not-a-token' })));

    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('SigV4 scoping', () => {
  it('reads the Region and access key from the credential scope', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261122/eu-west-2/connect/aws4_request, SignedHeaders=host, Signature=abc';

    expect(parseCredentialScope(header)).toEqual({ accessKeyId: 'AKIAEXAMPLE', region: 'eu-west-2' });
    expect(parseCredentialScope(undefined)).toBeUndefined();
  });

  it('shows an instance only in its own Region', async () => {
    const emu = await start(1);
    const id = firstInstanceId(emu);

    const elsewhere = await rejectionOf(
      client(emu, 'eu-west-2').send(new DescribeInstanceCommand({ InstanceId: id })),
    );
    const listed = await client(emu, 'eu-west-2').send(new ListInstancesCommand({}));

    expect(elsewhere.name).toBe('ResourceNotFoundException');
    expect(elsewhere.$metadata.httpStatusCode).toBe(404);
    expect(listed.InstanceSummaryList).toEqual([]);
  });

  it('shows an instance only to access keys of its own account', async () => {
    const emu = await start(1);

    const error = await rejectionOf(
      client(emu, DEFAULT_REGION, OTHER_KEY).send(
        new DescribeInstanceCommand({ InstanceId: firstInstanceId(emu) }),
      ),
    );
    const ownAccount = await client(emu).send(new ListInstancesCommand({}));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(ownAccount.InstanceSummaryList?.length).toBe(1);
  });

  it('rejects an unsigned request with 403', async () => {
    const emu = await start(1);

    const response = await fetch(`${emu.endpoint}/instance`);

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('throttling', () => {
  it("answers a burst beyond Connect's default quota with 429 ThrottlingException", async () => {
    const emu = await start(1, { throttle: {} });
    const connect = client(emu);
    const id = firstInstanceId(emu);

    // DescribeInstance runs at the default 2 rps with a burst of 5.
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      outcomes.push(
        await connect.send(new DescribeInstanceCommand({ InstanceId: id })).then(
          () => 'ok',
          (e: Error & { $metadata: { httpStatusCode: number } }) => `${e.name} ${e.$metadata.httpStatusCode}`,
        ),
      );
    }

    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ThrottlingException 429']);
    expect(emu.stats().operations.DescribeInstance).toEqual({ calls: 6, throttles: 1, errors: 0, faults: 0 });
  });

  it('keeps a separate bucket per operation and per account', async () => {
    const emu = await start(1, { throttle: {} });
    const id = firstInstanceId(emu);
    for (let i = 0; i < 5; i += 1) await client(emu).send(new DescribeInstanceCommand({ InstanceId: id }));

    const otherOperation = await client(emu).send(new ListInstancesCommand({}));
    const otherAccount = await rejectionOf(
      client(emu, DEFAULT_REGION, OTHER_KEY).send(new DescribeInstanceCommand({ InstanceId: id })),
    );

    expect(otherOperation.InstanceSummaryList?.length).toBe(1);
    expect(otherAccount.name).toBe('ResourceNotFoundException');
  });

  it('refills faster under a time scale', async () => {
    const emu = await start(1, { throttle: { timeScale: 100 } });
    const connect = client(emu);
    const id = firstInstanceId(emu);
    for (let i = 0; i < 5; i += 1) await connect.send(new DescribeInstanceCommand({ InstanceId: id }));

    // 2 rps × 100 = 200 rps: one token is back after 5 ms.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await connect.send(new DescribeInstanceCommand({ InstanceId: id }));

    expect(after.Instance?.Id).toBe(id);
    expect(emu.throttler.quotaFor('DescribeUser')).toEqual({ rate: 1000, burst: 10 });
  });
});

describe('fault injection', () => {
  it('fails the scheduled calls of one operation with 500 and leaves the others alone', async () => {
    const emu = await start(1, {
      faults: [{ operation: 'DescribeInstance', kind: 'internal-error', onCalls: [2] }],
    });
    const connect = client(emu);
    const id = firstInstanceId(emu);

    const results = [];
    for (let i = 0; i < 3; i += 1) {
      results.push(
        await connect.send(new DescribeInstanceCommand({ InstanceId: id })).then(
          () => 'ok',
          (e: Error & { $metadata: { httpStatusCode: number } }) => `${e.name} ${e.$metadata.httpStatusCode}`,
        ),
      );
    }
    const list = await connect.send(new ListInstancesCommand({}));

    expect(results).toEqual(['ok', 'InternalServiceException 500', 'ok']);
    expect(list.InstanceSummaryList?.length).toBe(1);
    expect(emu.stats().operations.DescribeInstance?.faults).toBe(1);
  });

  it('injects 429s by probability, repeatably for a fault seed', async () => {
    const emu = await start(1, {
      faults: [{ operation: '*', kind: 'throttle', probability: 0.5 }],
      faultSeed: 7,
    });
    const connect = client(emu);
    const run = async (): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        out.push(
          await connect.send(new ListInstancesCommand({})).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        );
      }
      return out;
    };

    const first = await run();
    emu.faults.set(emu.faults.list());
    const second = await run();

    expect(first).toEqual(second);
    expect(first.filter((r) => r === 'ThrottlingException').length).toBeGreaterThan(3);
    expect(first.filter((r) => r === 'ok').length).toBeGreaterThan(3);
  });

  it('drops the connection', async () => {
    const emu = await start(1, {
      faults: [{ operation: 'ListInstances', kind: 'drop-connection', onCalls: [1] }],
    });

    const error = await rejectionOf(client(emu).send(new ListInstancesCommand({})));

    expect(error).toBeInstanceOf(Error);
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
  });

  it('drops the connection after the operation ran: the change is made, its answer lost', async () => {
    const emu = await start(1, {
      faults: [{ operation: 'UpdateInstanceAttribute', kind: 'drop-after', onCalls: [1] }],
    });
    const id = firstInstanceId(emu);

    const error = await rejectionOf(
      client(emu).send(
        new UpdateInstanceAttributeCommand({
          InstanceId: id,
          AttributeType: 'CONTACTFLOW_LOGS',
          Value: 'true',
        }),
      ),
    );
    const { Attribute } = await client(emu).send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, AttributeType: 'CONTACTFLOW_LOGS' }),
    );

    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(Attribute?.Value).toBe('true');
    expect(emu.stats().operations.UpdateInstanceAttribute).toEqual({
      calls: 1,
      throttles: 0,
      errors: 0,
      faults: 1,
    });
  });

  it('loses a write: answers 200 as if it ran, and nothing changed', async () => {
    const emu = await start(1, {
      faults: [{ operation: 'UpdateInstanceAttribute', kind: 'lose-write', onCalls: [1] }],
    });
    const id = firstInstanceId(emu);
    const attribute = { InstanceId: id, AttributeType: 'CONTACTFLOW_LOGS' } as const;
    const { Attribute: before } = await client(emu).send(new DescribeInstanceAttributeCommand(attribute));
    const value = before?.Value === 'true' ? 'false' : 'true';

    const answer = await client(emu).send(new UpdateInstanceAttributeCommand({ ...attribute, Value: value }));
    const { Attribute: after } = await client(emu).send(new DescribeInstanceAttributeCommand(attribute));

    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(after?.Value).toBe(before?.Value);
    expect(emu.stats().operations.UpdateInstanceAttribute?.faults).toBe(1);
  });

  it('adds latency', async () => {
    const emu = await start(1, {
      faults: [{ operation: 'ListInstances', kind: 'latency', latencyMs: 150, onCalls: [1] }],
    });

    const started = performance.now();
    await client(emu).send(new ListInstancesCommand({}));

    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('takes fault rules over HTTP', async () => {
    const emu = await start(1);

    const put = await fetch(`${emu.endpoint}/__emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ operation: 'ListInstances', kind: 'internal-error', fromCall: 1 }] }),
    });
    const error = await rejectionOf(client(emu).send(new ListInstancesCommand({})));
    const bad = await fetch(`${emu.endpoint}/__emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ operation: 'ListInstances', kind: 'explode' }] }),
    });

    expect(put.status).toBe(200);
    expect(error.name).toBe('InternalServiceException');
    expect(bad.status).toBe(400);
  });
});

describe('introspection', () => {
  it('serves per-operation statistics and resets them', async () => {
    const emu = await start(1);
    const connect = client(emu);
    await connect.send(new ListInstancesCommand({}));
    await connect.send(new DescribeInstanceCommand({ InstanceId: 'missing' })).catch(() => undefined);

    const stats = (await (await fetch(`${emu.endpoint}/__emulator/stats`)).json()) as {
      operations: Record<string, unknown>;
      totals: unknown;
    };
    await fetch(`${emu.endpoint}/__emulator/stats/reset`, { method: 'POST' });
    const after = (await (await fetch(`${emu.endpoint}/__emulator/stats`)).json()) as { totals: unknown };

    expect(stats.operations).toEqual({
      DescribeInstance: { calls: 1, throttles: 0, errors: 1, faults: 0 },
      ListInstances: { calls: 1, throttles: 0, errors: 0, faults: 0 },
    });
    expect(stats.totals).toEqual({ calls: 2, throttles: 0, errors: 1, faults: 0 });
    expect(after.totals).toEqual({ calls: 0, throttles: 0, errors: 0, faults: 0 });
  });
});
