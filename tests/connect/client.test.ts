import { DescribeInstanceCommand } from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectClient } from '#shared/connect/client.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';

let emulator: ConnectEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('createConnectClient', () => {
  it('counts every attempt per operation, retries and 429s included', async () => {
    emulator = await startConnectEmulator({
      seed: 'new-instance',
      throttle: { enabled: false },
      faults: [{ operation: 'DescribeInstance', kind: 'throttle', onCalls: [1, 2] }],
    });
    const instance = emulator.instances[0]!;
    const { client, stats } = createConnectClient({
      region: instance.region,
      endpoint: emulator.endpoint,
      credentials: emulator.credentials(),
      rateLimit: false,
      maxAttempts: 5,
    });

    const { Instance } = await client.send(new DescribeInstanceCommand({ InstanceId: instance.id }));

    expect(Instance?.Id).toBe(instance.id);
    expect(stats.calls).toEqual({ DescribeInstance: 3 });
    expect(stats.throttles).toEqual({ DescribeInstance: 2 });
    expect(emulator.stats().operations.DescribeInstance).toMatchObject({ calls: 3, throttles: 2 });
  });

  it("keeps a burst within the operation's quota, so the service throttles nothing", async () => {
    const quota = { rate: 40, burst: 4 };
    emulator = await startConnectEmulator({
      seed: 'new-instance',
      throttle: { quotas: { DescribeInstance: quota } },
    });
    const instance = emulator.instances[0]!;
    const { client, stats } = createConnectClient({
      region: instance.region,
      endpoint: emulator.endpoint,
      credentials: emulator.credentials(),
      quotas: { DescribeInstance: quota },
      maxAttempts: 1,
    });

    await Promise.all(
      Array.from({ length: 16 }, () => client.send(new DescribeInstanceCommand({ InstanceId: instance.id }))),
    );

    expect(stats.calls).toEqual({ DescribeInstance: 16 });
    expect(emulator.stats().operations.DescribeInstance).toEqual({
      calls: 16,
      throttles: 0,
      errors: 0,
      faults: 0,
    });
  });

  it('without its limiter, the same burst is throttled by the service', async () => {
    const quota = { rate: 40, burst: 4 };
    emulator = await startConnectEmulator({
      seed: 'new-instance',
      throttle: { quotas: { DescribeInstance: quota } },
    });
    const instance = emulator.instances[0]!;
    const { client } = createConnectClient({
      region: instance.region,
      endpoint: emulator.endpoint,
      credentials: emulator.credentials(),
      rateLimit: false,
      maxAttempts: 1,
    });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, () => client.send(new DescribeInstanceCommand({ InstanceId: instance.id }))),
    );

    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThanOrEqual(10);
  });
});
