/**
 * The local Amazon Connect emulator, in-process.
 *
 * ```ts
 * const emulator = await startConnectEmulator({ seed: 'demo', throttle: { timeScale: 20 } });
 * const connect = new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: emulator.credentials() });
 * …
 * await emulator.close();
 * ```
 */
import type { Server } from 'node:http';
import { FaultInjector, type FaultRule } from './faults.js';
import type { PromptFilesOptions } from './prompt-files.js';
import type { Propagation } from './propagation.js';
import type { Quirk } from './quirks.js';
import { runSeed, type SeedName, type SeedOptions } from './seeds/index.js';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  type SeedEnv,
  type SeededInstance,
} from './seeds/support.js';
import { listen } from './server.js';
import { type Clock, World } from './state.js';
import { Stats, type StatsSnapshot } from './stats.js';
import { type ThrottleOptions, Throttler } from './throttle.js';

export type { FaultRule } from './faults.js';
export { QUIRKS, type Quirk } from './quirks.js';
export type { SeededInstance } from './seeds/support.js';
export type { StatsSnapshot } from './stats.js';
export type { ThrottleOptions } from './throttle.js';

export interface ConnectEmulatorOptions {
  /** What to put in the world before serving. Default `empty`. */
  seed?: SeedName | ((env: SeedEnv) => Promise<SeededInstance[]>);
  seedOptions?: SeedOptions;
  /** Throttling: Connect's default quotas unless changed. */
  throttle?: ThrottleOptions;
  /** Fault rules in force from the start (change them later with `faults.set`). */
  faults?: FaultRule[];
  /** Seed for the PRNG behind probabilistic faults. Default 1. */
  faultSeed?: number;
  /** Extra access key id → account id entries. */
  accounts?: Record<string, string>;
  /** The account of access keys not in the map. Default 111122223333. */
  defaultAccountId?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * Eventual consistency (propagation.ts): for this many ms after a write, Search does not show it
   * and a resource just created is not found. Applies to requests, not to the seed. Default 0.
   */
  propagationDelayMs?: number;
  /** Real-service behaviours to switch on (quirks.ts). Default none. */
  quirks?: readonly Quirk[];
  /**
   * How long a vocabulary takes to build after CreateVocabulary (CREATION_IN_PROGRESS, then ACTIVE
   * or CREATION_FAILED), in ms. Applies to requests, not to the seed. Default 100.
   */
  vocabularyBuildMs?: number;
  /**
   * Prompt audio (prompt-files.ts): how long GetPromptFile's URLs stay valid, and the local S3
   * CreatePrompt / UpdatePrompt read their `S3Uri` from.
   */
  promptFiles?: PromptFilesOptions;
  /**
   * Operations the caller's IAM policy does not allow: each answers AccessDeniedException (403), as
   * Connect does for an action the policy lacks, before throttling and before the request is read.
   * Change it later through `denied`. Default none.
   */
  deny?: readonly string[];
  clock?: Clock;
}

export interface ConnectEmulator {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  endpoint: string;
  port: number;
  /** The live state, for assertions. */
  world: World;
  /** The instances the seed created. */
  instances: SeededInstance[];
  /** Access key id → account id, including the seeds' keys. */
  accounts: Record<string, string>;
  faults: FaultInjector;
  throttler: Throttler;
  /** The operations answered with AccessDeniedException (the `deny` option); add or delete at will. */
  denied: Set<string>;
  /** Eventual consistency: `delayMs` (change it at will) and `settle()` (everything visible now). */
  propagation: Propagation;
  stats(): StatsSnapshot;
  resetStats(): void;
  /** Static credentials whose access key maps to the account (default: the default account). */
  credentials(accountId?: string): { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** How long a vocabulary takes to build, unless `vocabularyBuildMs` says otherwise. */
export const DEFAULT_VOCABULARY_BUILD_MS = 100;

/** Starts the emulator on a loopback port, seeded. */
export async function startConnectEmulator(options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
  const world = new World(options.clock);
  if (options.promptFiles?.urlExpiresSeconds !== undefined)
    world.promptFiles.urlExpiresSeconds = options.promptFiles.urlExpiresSeconds;
  if (options.promptFiles?.s3) world.promptFiles.useS3(options.promptFiles.s3);
  const accounts: Record<string, string> = {
    [DEFAULT_ACCESS_KEY_ID]: options.defaultAccountId ?? DEFAULT_ACCOUNT_ID,
    ...options.accounts,
  };
  const instances = await runSeed(options.seed ?? 'empty', { world, accounts }, options.seedOptions);
  world.propagation.delayMs = options.propagationDelayMs ?? 0;
  world.vocabularyBuildMs = options.vocabularyBuildMs ?? DEFAULT_VOCABULARY_BUILD_MS;
  for (const quirk of options.quirks ?? []) world.quirks.add(quirk);
  const stats = new Stats();
  const throttler = new Throttler(options.throttle);
  const faults = new FaultInjector(options.faults, options.faultSeed);
  const denied = new Set(options.deny ?? []);
  const { server, port } = await listen(
    {
      world,
      stats,
      throttler,
      faults,
      denied,
      accounts,
      defaultAccountId: options.defaultAccountId ?? DEFAULT_ACCOUNT_ID,
      describe: () => ({ instances }),
    },
    options.port ?? 0,
  );
  world.promptFiles.baseUrl = `http://127.0.0.1:${port}`;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    world,
    instances,
    accounts,
    faults,
    throttler,
    denied,
    propagation: world.propagation,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    credentials(accountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID) {
      const key = Object.entries(accounts).find(([, account]) => account === accountId)?.[0];
      if (!key) throw new Error(`no access key maps to account ${accountId}`);
      return { accessKeyId: key, secretAccessKey: 'emulator-secret' };
    },
    close: async () => {
      world.promptFiles.close();
      await closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION };
