/**
 * `npm run emulator -- --port 4599 --seed demo`: runs the Connect emulator until killed.
 *
 * Prints `Connect emulator listening on http://127.0.0.1:<port>`, then one line per seeded instance
 * (alias, id, ARN, and the access key that reaches its account).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { QUIRKS, type Quirk, startConnectEmulator } from './index.js';
import { SEED_NAMES, type SeedName } from './seeds/index.js';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a whole number of milliseconds, 0 or more');
  return n;
}

function quirk(value: string, previous: Quirk[] = []): Quirk[] {
  if (!(QUIRKS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${QUIRKS.join(', ')}`);
  return [...previous, value as Quirk];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0..65535');
  return n;
}

const program = new Command('connect-emulator')
  .description('A local Amazon Connect for connect-vault: REST-JSON over HTTP for the unmodified AWS SDK.')
  .option('-p, --port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', port, 4599)
  .addOption(
    new Option('-s, --seed <seed>', 'what the emulator holds at start')
      .choices(SEED_NAMES)
      .default('new-instance'),
  )
  .option('--time-scale <factor>', "multiply Connect's default API rates (faster tests)", positiveNumber, 1)
  .option(
    '--quota-factor <factor>',
    'multiply rates and bursts (e.g. 0.7 = quotas 30% lower)',
    positiveNumber,
    1,
  )
  .option('--no-throttle', 'turn API throttling off')
  .option('--large-users <n>', 'for --seed large: number of users', positiveNumber)
  .option(
    '--propagation-delay-ms <ms>',
    'eventual consistency: for this long after a write, Search does not show it and a new resource is not found',
    milliseconds,
    0,
  )
  .option('--quirk <name>', `switch on a real-service behaviour (repeatable): ${QUIRKS.join(', ')}`, quirk)
  .option('--prompt-url-expires <seconds>', "lifetime of GetPromptFile's presigned URLs", positiveNumber, 900)
  .option('--s3-endpoint <url>', 'read CreatePrompt / UpdatePrompt S3Uris from this S3 (s3rver, key S3RVER)')
  .addHelpText(
    'after',
    `
Admin endpoints:
  GET  /__emulator/stats        calls, throttles, errors and faults per operation
  POST /__emulator/stats/reset  reset the counters
  GET  /__emulator/faults       fault rules;  PUT with {"rules":[...]} to replace them
  GET  /__emulator/operations   implemented operations
  GET  /__emulator/instances    seeded instances
  GET  /prompt-files/…          prompt audio at the presigned URLs GetPromptFile answers (they expire)

Clients: any region, any secret; the access key picks the account (printed per instance).`,
  );

program.parse();
const options = program.opts<{
  port: number;
  seed: SeedName;
  timeScale: number;
  quotaFactor: number;
  throttle: boolean;
  largeUsers?: number;
  propagationDelayMs: number;
  quirk?: Quirk[];
  promptUrlExpires: number;
  s3Endpoint?: string;
}>();

const emulator = await startConnectEmulator({
  port: options.port,
  seed: options.seed,
  seedOptions: options.largeUsers ? { large: { users: options.largeUsers } } : {},
  throttle: { enabled: options.throttle, timeScale: options.timeScale, quotaFactor: options.quotaFactor },
  propagationDelayMs: options.propagationDelayMs,
  quirks: options.quirk ?? [],
  promptFiles: {
    urlExpiresSeconds: options.promptUrlExpires,
    ...(options.s3Endpoint
      ? {
          s3: {
            endpoint: options.s3Endpoint,
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          },
        }
      : {}),
  },
}).catch((error: NodeJS.ErrnoException) => {
  // A port in use is bad input, not a crash: say so and exit 2 (the CLI's exit-code contract).
  if (error.code !== 'EADDRINUSE') throw error;
  process.stderr.write(
    `connect-emulator: port ${options.port} on 127.0.0.1 is in use (another emulator?). Stop it, or pass --port <other> (0 picks a free one).\n`,
  );
  process.exit(2);
});
console.log(`Connect emulator listening on ${emulator.endpoint}`);
for (const instance of emulator.instances) {
  console.log(
    `  ${instance.alias}  id=${instance.id}  arn=${instance.arn}  region=${instance.region}  accessKeyId=${instance.accessKeyId}`,
  );
}

const stop = (): void => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
