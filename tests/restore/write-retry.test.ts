/**
 * The restore's write wrapper (shared/restore/write-retry.ts): writes naming a resource this
 * restore created moments ago are retried while it propagates, and only those; a lost connection
 * stops the whole restore with one error. The emulator's propagation delay is long here (a minute),
 * and the tests end it with `settle()` when they mean to, so nothing depends on timing.
 */

import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import {
  AssociateUserProficienciesCommand,
  ConnectClient,
  CreatePredefinedAttributeCommand,
  CreateQueueCommand,
  DescribeQueueCommand,
  UpdateQueueStatusCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY } from '#shared/restore/apply.js';
import { ConnectionLostError, connectionErrorCode, withWriteRetry } from '#shared/restore/write-retry.js';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { addHours, addRoutingProfile, addUser, expectError, startWithInstance } from '../emulator/testing.js';
import { rejectionOf } from '../support/errors.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  instanceNamed,
  PREFIX,
  recordingLogger,
  restoreEmulatorOptions,
  restoreIntoDemoTarget,
  type TempFolder,
  tempFolderStore,
} from './support.js';

const MINUTE = 60_000;
const FAST = { minDelayMs: 5, maxDelayMs: 20, maxRetryTimeMs: 2_000, windowMs: MINUTE };

async function start() {
  const hoursId = randomUUID();
  const h = await startWithInstance({
    alias: 'retry',
    emulator: { propagationDelayMs: MINUTE },
    arrange: (instance) => {
      addHours(instance, hoursId, 'Office hours');
    },
  });
  return { ...h, hoursId };
}

describe('withWriteRetry', () => {
  it('retries a proficiency naming a predefined attribute it created moments ago (by name: the API returns no id)', async () => {
    const userId = randomUUID();
    const h = await startWithInstance({
      alias: 'retry',
      emulator: { propagationDelayMs: MINUTE },
      arrange: (instance) => {
        const profile = randomUUID();
        addRoutingProfile(instance, profile, 'Basic Routing Profile');
        addUser(instance, userId, 'agent.one', profile);
      },
    });
    const retries: Array<{ operation: string; references: string[] }> = [];
    const connect = withWriteRetry(h.connect, FAST, {
      retrying: (event) => {
        retries.push(event);
        if (retries.length === 2) h.emulator.propagation.settle();
      },
    });

    await connect.send(
      new CreatePredefinedAttributeCommand({
        InstanceId: h.InstanceId,
        Name: 'Language',
        Values: { StringList: ['English'] },
      }),
    );
    await connect.send(
      new AssociateUserProficienciesCommand({
        InstanceId: h.InstanceId,
        UserId: userId,
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'English', Level: 3 }],
      }),
    );

    expect(retries.map((r) => [r.operation, r.references])).toEqual([
      ['AssociateUserProficiencies', ['Language']],
      ['AssociateUserProficiencies', ['Language']],
    ]);
    expect(h.instance.users.find(userId)?.proficiencies).toEqual([
      { AttributeName: 'Language', AttributeValue: 'English', Level: 3 },
    ]);
  });

  it('retries a write naming a queue it created moments ago until the queue has propagated', async () => {
    const h = await start();
    const retries: unknown[] = [];
    const connect = withWriteRetry(h.connect, FAST, {
      retrying: (event) => {
        retries.push(event);
        if (retries.length === 2) h.emulator.propagation.settle();
      },
    });

    const { QueueId } = await connect.send(
      new CreateQueueCommand({ InstanceId: h.InstanceId, Name: 'Sales', HoursOfOperationId: h.hoursId }),
    );
    await connect.send(
      new UpdateQueueStatusCommand({ InstanceId: h.InstanceId, QueueId, Status: 'DISABLED' }),
    );

    expect(retries).toEqual([
      {
        operation: 'UpdateQueueStatus',
        errorName: 'ResourceNotFoundException',
        attempt: 1,
        references: [QueueId],
      },
      {
        operation: 'UpdateQueueStatus',
        errorName: 'ResourceNotFoundException',
        attempt: 2,
        references: [QueueId],
      },
    ]);
    expect(h.instance.queues.find(QueueId!)?.entity.Status).toBe('DISABLED');
  });

  it('never waits for a resource it did not create: a missing queue fails at once', async () => {
    const h = await start();
    const retries: unknown[] = [];
    const connect = withWriteRetry(h.connect, FAST, { retrying: (event) => retries.push(event) });

    await expectError(
      connect.send(
        new UpdateQueueStatusCommand({ InstanceId: h.InstanceId, QueueId: randomUUID(), Status: 'DISABLED' }),
      ),
      'ResourceNotFoundException',
      404,
    );

    expect(retries).toEqual([]);
  });

  it('gives up after maxRetryTimeMs, and does not retry once the creation is older than the window', async () => {
    const h = await start();
    const bounded: unknown[] = [];
    const connect = withWriteRetry(
      h.connect,
      { ...FAST, maxRetryTimeMs: 300 },
      { retrying: (event) => bounded.push(event) },
    );
    const outside: unknown[] = [];
    const noWindow = withWriteRetry(
      h.connect,
      { ...FAST, windowMs: -1 },
      { retrying: (e) => outside.push(e) },
    );

    const { QueueId } = await connect.send(
      new CreateQueueCommand({ InstanceId: h.InstanceId, Name: 'Sales', HoursOfOperationId: h.hoursId }),
    );
    const error = await rejectionOf(
      connect.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId })),
    );
    const { QueueId: other } = await noWindow.send(
      new CreateQueueCommand({ InstanceId: h.InstanceId, Name: 'Support', HoursOfOperationId: h.hoursId }),
    );
    await expectError(
      noWindow.send(new DescribeQueueCommand({ InstanceId: h.InstanceId, QueueId: other })),
      'ResourceNotFoundException',
      404,
    );

    expect(error.name).toBe('ResourceNotFoundException');
    expect(bounded.length).toBeGreaterThan(1);
    expect(outside).toEqual([]);
  });

  it('turns a refused connection into ConnectionLostError, with the SDK error as its cause', async () => {
    const port = await closedPort();
    const connect = withWriteRetry(
      new ConnectClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAEMULATORDEFAULT1', secretAccessKey: 'x' },
        maxAttempts: 2,
      }),
      FAST,
    );

    const error = (await rejectionOf(
      connect.send(
        new CreateQueueCommand({ InstanceId: randomUUID(), Name: 'Sales', HoursOfOperationId: 'h' }),
      ),
    )) as unknown as ConnectionLostError;

    expect(error).toBeInstanceOf(ConnectionLostError);
    expect([error.name, error.code, error.operation]).toEqual([
      'ConnectionLostError',
      'ECONNREFUSED',
      'CreateQueue',
    ]);
    expect(connectionErrorCode(error.cause)).toBe('ECONNREFUSED');
    expect(
      connectionErrorCode(Object.assign(new Error('x'), { name: 'ResourceNotFoundException' })),
    ).toBeUndefined();
  });
});

/** A loopback port nothing listens on (it was just free, and is closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a restore that loses its connection', () => {
  let emulator: ConnectEmulator;
  let folder: TempFolder;
  const logger = recordingLogger();
  let error: Error;
  const outcomes: string[] = [];

  beforeAll(async () => {
    emulator = await startConnectEmulator(restoreEmulatorOptions({ seed: 'demo' }));
    folder = await tempFolderStore();
    await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
    let closing: Promise<void> | undefined;
    error = await rejectionOf(
      restoreIntoDemoTarget(
        emulator,
        folder,
        { mappings: CROSS_ACCOUNT_MAPPING },
        {
          logger,
          progress: (event) => {
            if (event.type !== 'applied') return;
            outcomes.push(event.outcome);
            // Connect goes away once the queues are being written.
            if (event.kind === 'queues' && !closing) closing = emulator.close();
          },
        },
      ),
    );
    await closing;
  }, 60_000);

  afterAll(() => folder?.remove());

  it('stops at the writes that get no answer (those in flight), with one error saying how far it got', () => {
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toMatch(
      /^Lost the connection to Amazon Connect: \w+ got no answer \((ECONNREFUSED|ECONNRESET)\), even after retries\. The restore stopped: \d+ resources written, \d+ not attempted\. Run it again once Connect answers/,
    );
    // The writes in flight when Connect went away fail; nothing is started after them.
    const failed = outcomes.filter((o) => o === 'failed').length;
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(failed).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
    expect(outcomes.slice(-failed).every((o) => o === 'failed')).toBe(true);
    expect(logger.lines.filter((line) => line.startsWith('warn '))).toHaveLength(1);
    expect(logger.lines.filter((line) => /ECONN(REFUSED|RESET)/.test(line))).toHaveLength(0);
  });
});
