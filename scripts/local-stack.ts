/**
 * `npm run local`: the Lambdas' surroundings on this machine, kept running for `serverless invoke
 * local`: the Connect emulator (demo seed, whose instance ids the sample events in events/ use),
 * s3rver with the bucket serverless.yml names for stage dev (`connect-vault-dev-backups`, as the
 * sample restore events do), a local EventBridge endpoint and a local SQS endpoint (the backup
 * queue, an in-process FIFO model).
 *
 * Writes the environment the functions need to `.tmp/local.env` (and prints it); in another
 * terminal: `set -a; . .tmp/local.env; set +a`, then
 * `npx serverless invoke local -f backupInstance --path events/backup-instance.json`.
 * Stops on Ctrl-C (exit 130).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_PREFIX, startLocalStack } from '../tests/support/local-stack.js';

/** serverless.yml's default bucket for stage dev, which the sample restore events name too. */
const BUCKET = 'connect-vault-dev-backups';

const stack = await startLocalStack({ seed: 'demo', bucket: BUCKET });
const env: Record<string, string> = {
  ...stack.env,
  // serverless.yml reads these for the functions' BACKUP_BUCKET and BACKUP_PREFIX.
  CONNECT_VAULT_BUCKET: BUCKET,
  CONNECT_VAULT_PREFIX: LOCAL_PREFIX,
  // Only s3rver's key pair (which the emulator maps to the demo-source account): no shared config.
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  POWERTOOLS_METRICS_DISABLED: 'true',
};
const file = join(import.meta.dirname, '../.tmp/local.env');
await mkdir(join(file, '..'), { recursive: true });
const lines = Object.entries(env).map(([key, value]) => `${key}=${value}`);
await writeFile(file, `${lines.join('\n')}\n`);

console.log(`Connect emulator ${stack.emulator.endpoint} (seed demo)`);
for (const instance of stack.emulator.instances) {
  console.log(
    `  ${instance.alias.padEnd(12)} ${instance.id}  account ${instance.accountId}  ${instance.region}`,
  );
}
console.log(`s3rver ${stack.s3.endpoint}, bucket ${BUCKET}`);
console.log(`EventBridge ${stack.bus.endpoint}`);
console.log(
  `SQS ${stack.sqs.endpoint} (an in-process model of the FIFO backup queue: ${stack.sqs.queueUrl})`,
);
console.log(`\nEnvironment for invoke local, in ${file}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
console.log('\nIn another terminal:\n  set -a; . .tmp/local.env; set +a');
console.log('  npx serverless invoke local -f backupInstance --path events/backup-instance.json');
console.log('\nCtrl-C stops the servers.');

process.on('SIGINT', () => {
  void stack.close().finally(() => process.exit(130));
});
