/**
 * The whole product's surroundings on loopback: the Connect emulator, s3rver, a local bus and a local
 * SQS endpoint (the backup queue's FIFO model), plus
 * the environment the Lambda handlers read. Used by `npm run demo` and the integration tests.
 */
import {
  type ConnectEmulator,
  type ConnectEmulatorOptions,
  startConnectEmulator,
} from '../emulator/index.js';
import { type LocalBus, startLocalBus } from './local-bus.js';
import { type LocalSqs, startLocalSqs } from './local-sqs.js';
import { type S3rverHandle, startS3rver } from './s3rver.js';

/** s3rver accepts only this key pair, so the emulator maps it to the demo-source account too. */
export const LOCAL_ACCESS_KEY = 'S3RVER';
export const LOCAL_BUCKET = 'connect-vault-local';
export const LOCAL_PREFIX = 'connect-vault';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '111122223333';

export interface LocalStack {
  emulator: ConnectEmulator;
  s3: S3rverHandle;
  bus: LocalBus;
  /** The backup queue and its dead-letter queue (the FIFO model behind a local SQS endpoint). */
  sqs: LocalSqs;
  /** The environment variables the handlers' `readConfig` needs, pointing at the local servers. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the emulator (with `options`), s3rver with one bucket (`bucket`, default
 * {@link LOCAL_BUCKET}) and a local bus, on free loopback ports.
 */
export async function startLocalStack(
  options: ConnectEmulatorOptions & { bucket?: string } = {},
): Promise<LocalStack> {
  const { bucket = LOCAL_BUCKET, ...emulatorOptions } = options;
  const emulator = await startConnectEmulator({
    ...emulatorOptions,
    accounts: { [LOCAL_ACCESS_KEY]: LOCAL_ACCOUNT, ...emulatorOptions.accounts },
  });
  const s3 = await startS3rver({ buckets: [bucket] });
  // CreatePrompt reads its S3Uri from the local S3, as Connect reads the backup bucket on restore.
  emulator.world.promptFiles.useS3({
    endpoint: s3.endpoint,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY },
  });
  const bus = await startLocalBus();
  const sqs = await startLocalSqs({ accountId: LOCAL_ACCOUNT });
  const env = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: LOCAL_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    BACKUP_BUCKET: bucket,
    BACKUP_PREFIX: LOCAL_PREFIX,
    EVENT_BUS_NAME: 'connect-vault-local',
    CONNECT_INSTANCE_IDS: '',
    CONNECT_RATE_FACTOR: '1',
    FULL_BACKUP_INTERVAL_DAYS: '7',
    CONNECT_ENDPOINT: emulator.endpoint,
    S3_ENDPOINT: s3.endpoint,
    EVENTBRIDGE_ENDPOINT: bus.endpoint,
    ACCOUNT_ID: LOCAL_ACCOUNT,
    BACKUP_QUEUE_URL: sqs.queueUrl,
    BACKUP_DEAD_LETTER_QUEUE_URL: sqs.deadLetterQueueUrl,
    SQS_ENDPOINT: sqs.endpoint,
  };
  return {
    emulator,
    s3,
    bus,
    sqs,
    env,
    close: async () => {
      await Promise.all([emulator.close(), s3.close(), bus.close(), sqs.close()]);
    },
  };
}
