/**
 * The child process of `kill.test.ts`: one backup of an emulated instance into s3rver, as the CLI
 * runs it (incremental from latest.json, no continuation). The parent kills it with SIGKILL at a
 * random moment after it printed `ready` (its modules loaded). Its job comes in `KILL_CHILD_JOB` (JSON); it prints the result's status and
 * snapshot id as one JSON line when it finishes.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { backupInstance } from '#shared/backup/backup-instance.js';
import { createConnectClient } from '#shared/connect/client.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';

interface Job {
  connectEndpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  s3Endpoint: string;
  bucket: string;
  prefix: string;
  instanceId: string;
}

const job = JSON.parse(process.env.KILL_CHILD_JOB ?? '{}') as Job;
const connect = createConnectClient({
  region: job.region,
  endpoint: job.connectEndpoint,
  credentials: job.credentials,
  rateLimit: false,
  maxAttempts: 3,
});
const s3 = new S3Client({
  endpoint: job.s3Endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
process.stdout.write('ready\n');
const result = await backupInstance(
  { instanceId: job.instanceId, prefix: job.prefix, full: false },
  {
    connect: connect.client,
    connectStats: connect.stats,
    store: new S3SnapshotStore({ client: s3, bucket: job.bucket }),
    clock: { now: () => new Date() },
    logger: { info: () => {}, warn: () => {} },
  },
);
process.stdout.write(`${JSON.stringify({ status: result.status, snapshotId: result.snapshotId })}\n`);
s3.destroy();
connect.client.destroy();
