/**
 * Users and identity management: a restore into a SAML instance creates users with no password
 * (the service rejects one) and lists no password reset; one into a CONNECT_MANAGED instance gives
 * each new user a random password and lists them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { seedDemo } from '../emulator/seeds/demo.js';
import { seedNewInstanceDefaults } from '../emulator/seeds/new-instance.js';
import { describeSeeded } from '../emulator/seeds/support.js';
import { InstanceState } from '../emulator/state.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  restoreEmulatorOptions,
  runRestore,
  tempFolderStore,
} from './support.js';

const PREFIX = 'vault';
const SAML_KEY = 'AKIAEMULATORSAML0001';
let emulator: ConnectEmulator;
let folder: Awaited<ReturnType<typeof tempFolderStore>>;
let saml: RestoreReport;
let createUserInputs: Array<Record<string, unknown>>;

beforeAll(async () => {
  emulator = await startConnectEmulator({
    ...restoreEmulatorOptions(),
    seed: async (env) => {
      const demo = await seedDemo(env);
      const instance = env.world.addInstance(
        new InstanceState(
          env.world.newId(),
          'saml-target',
          '444455556666',
          'eu-west-2',
          env.world.tick(),
          'SAML',
        ),
      );
      env.accounts[SAML_KEY] = instance.accountId;
      await seedNewInstanceDefaults(env, instance);
      return [...demo, describeSeeded(instance, SAML_KEY)];
    },
  });
  folder = await tempFolderStore();
  const source: SeededInstance = instanceNamed(emulator, 'demo-source');
  const target = instanceNamed(emulator, 'saml-target');
  await backupOf(emulator, source, folder.store, PREFIX);
  const client = emulatorClient(emulator, target);
  createUserInputs = [];
  client.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CreateUserCommand') createUserInputs.push({ ...(args.input as object) });
      return next(args);
    },
    { step: 'initialize', name: 'recordCreateUser' },
  );
  saml = await runRestore(
    {
      source: { folder: folder.root, prefix: PREFIX, instanceId: source.id },
      target: { instanceId: target.id },
      mappings: CROSS_ACCOUNT_MAPPING,
    },
    {
      source: folder.store,
      targetConnect: client.client,
      sourceConnect: emulatorClient(emulator, source).client,
    },
  );
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await folder?.remove();
});

describe('restoring users into a SAML instance', () => {
  it('creates every user without a password and lists no password reset', () => {
    expect(saml.target.identityManagementType).toBe('SAML');
    expect(saml.status).toBe('succeeded');
    // A CreateUser naming a routing profile or group created moments ago is retried while it propagates.
    expect(new Set(createUserInputs.map((input) => input.Username)).size).toBe(40);
    expect(createUserInputs.filter((input) => 'Password' in input)).toEqual([]);
    expect(saml.passwordResets).toEqual([]);
  });
});
