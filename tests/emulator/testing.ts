/**
 * What the handler tests share: an emulator with one empty instance and an SDK client for it,
 * helpers that put prerequisite records straight into state, and an error assertion.
 */
import { randomUUID } from 'node:crypto';
import { ConnectClient, type ContactFlowType } from '@aws-sdk/client-connect';
import { expect, onTestFinished } from 'vitest';
import { rejectionOf, type ServiceError } from '../support/errors.js';
import { type ConnectEmulator, type ConnectEmulatorOptions, startConnectEmulator } from './index.js';
import {
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
  type SeedEnv,
} from './seeds/support.js';
import type { InstanceState } from './state.js';

export interface Harness {
  emulator: ConnectEmulator;
  /** A client of the default account and Region that does not retry. */
  connect: ConnectClient;
  /** The instance's live state, for arranging and checking records directly. */
  instance: InstanceState;
  InstanceId: string;
}

export interface StartOptions {
  /** The instance's alias. Default `t`. */
  alias?: string;
  /** Adds records before the emulator serves. */
  arrange?: (instance: InstanceState, env: SeedEnv) => void | Promise<void>;
  /** Further emulator options; throttling is off unless set here. */
  emulator?: Omit<ConnectEmulatorOptions, 'seed'>;
}

/**
 * Starts an emulator holding one empty instance in the default account and Region, and closes it
 * when the current test finishes (call it from a test or a `beforeEach`).
 */
export async function startWithInstance(options: StartOptions = {}): Promise<Harness> {
  let created: InstanceState | undefined;
  const emulator = await startConnectEmulator({
    throttle: { enabled: false },
    ...options.emulator,
    seed: async (env) => {
      created = createInstance(env, {
        alias: options.alias ?? 't',
        accountId: DEFAULT_ACCOUNT_ID,
        region: DEFAULT_REGION,
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
      });
      await options.arrange?.(created, env);
      return [describeSeeded(created, DEFAULT_ACCESS_KEY_ID)];
    },
  });
  onTestFinished(() => emulator.close());
  if (!created) throw new Error('seed did not run');
  const connect = new ConnectClient({
    endpoint: emulator.endpoint,
    region: DEFAULT_REGION,
    credentials: emulator.credentials(),
    maxAttempts: 1,
  });
  return { emulator, connect, instance: created, InstanceId: created.id };
}

/** Awaits a call that must fail and asserts the error's name and HTTP status. */
export async function expectError(
  call: Promise<unknown>,
  name: string,
  status: number,
): Promise<ServiceError> {
  const error = await rejectionOf(call);
  expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name, status });
  return error;
}

// Records written straight into state, for prerequisites whose handlers other files test.
// Each returns the record's ARN.

export function addQueue(instance: InstanceState, id: string = randomUUID(), name = `Queue ${id}`): string {
  const arn = instance.arnFor('queue', id);
  instance.queues.add({
    id,
    arn,
    name,
    entity: { QueueId: id, QueueArn: arn, Name: name },
    quickConnectIds: [],
  });
  return arn;
}

export function addRoutingProfile(instance: InstanceState, id: string, name: string): string {
  const arn = instance.arnFor('routing-profile', id);
  instance.routingProfiles.add({
    id,
    arn,
    name,
    entity: { RoutingProfileId: id, RoutingProfileArn: arn, Name: name, InstanceId: instance.id },
    queueConfigs: [],
  });
  return arn;
}

export function addHours(instance: InstanceState, id: string, name: string): string {
  const arn = instance.arnFor('operating-hours', id);
  instance.hoursOfOperations.add({
    id,
    arn,
    name,
    entity: { HoursOfOperationId: id, HoursOfOperationArn: arn, Name: name, TimeZone: 'UTC', Config: [] },
  });
  return arn;
}

export function addFlow(instance: InstanceState, id: string, name: string, type: ContactFlowType): string {
  const arn = instance.arnFor('contact-flow', id);
  instance.flows.add({
    id,
    arn,
    name,
    entity: { Id: id, Arn: arn, Name: name, Type: type, State: 'ACTIVE', Status: 'PUBLISHED', Content: '{}' },
  });
  return arn;
}

/** A user record only (no agent queue), on the given routing profile. */
export function addUser(
  instance: InstanceState,
  id: string,
  username: string,
  routingProfileId: string,
): string {
  const arn = instance.arnFor('agent', id);
  instance.users.add({
    id,
    arn,
    name: username,
    entity: {
      Id: id,
      Arn: arn,
      Username: username,
      RoutingProfileId: routingProfileId,
      SecurityProfileIds: [],
    },
  });
  return arn;
}
