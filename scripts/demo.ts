/**
 * `npm run demo`: the nightly backup, end to end, on this machine.
 *
 * Starts the Connect emulator (`demo` seed, Connect's default API quotas), s3rver on a temporary
 * folder, a local EventBridge endpoint and a local SQS endpoint (an in-process model of the FIFO
 * backup queue; SQS is not available here); runs the real `schedule-backups` handler, which queues
 * one message per instance; hands each message to the real `backup-instance` handler, as Lambda's
 * SQS event source mapping would (one at a time per account and Region); prints the S3 tree of
 * each new snapshot and a summary. Exits 0 when every backup succeeded.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { manifestKey } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { readLatestPointer, readVerifiedManifest } from '#shared/snapshot/verify.js';
import { drainWithLambda } from '../tests/support/fifo-queue.js';
import { lambdaContext } from '../tests/support/lambda-context.js';
import { LOCAL_BUCKET, LOCAL_PREFIX, startLocalStack } from '../tests/support/local-stack.js';

const started = performance.now();
const stack = await startLocalStack({ seed: 'demo' });
Object.assign(process.env, stack.env, { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' });
const source = stack.emulator.instances.find((i) => i.alias === 'demo-source');
console.log(
  `Connect emulator ${stack.emulator.endpoint}, s3rver ${stack.s3.endpoint}, bucket ${LOCAL_BUCKET}`,
);

let exitCode = 0;
try {
  const { handler: schedule } = await import('../functions/schedule-backups/handler.js');
  const { handler: backup } = await import('../functions/backup-instance/handler.js');

  // The schedule's configured input: the demo account holds demo-source (demo-target is elsewhere).
  const scheduled = await schedule({}, lambdaContext('scheduleBackups'));
  console.log(
    `schedule-backups requested ${scheduled.requested.length} backup(s): ${scheduled.requested.join(', ')}`,
  );

  // Lambda's SQS event source mapping, modelled: one message at a time per message group.
  const invocations = await drainWithLambda(stack.sqs.queue, (event) =>
    backup(event, lambdaContext('backupInstance')),
  );
  if (stack.sqs.deadLetter.messages.length || invocations.some((i) => i.outcome !== 'deleted'))
    throw new Error(`a backup failed: ${JSON.stringify(invocations)}`);

  const store = new S3SnapshotStore({ client: stack.s3.client(), bucket: LOCAL_BUCKET });
  for (const instanceId of scheduled.requested) {
    const latest = await readLatestPointer(store, LOCAL_PREFIX, instanceId);
    if (!latest) throw new Error(`no snapshot of ${instanceId}`);
    const manifest = await readVerifiedManifest(store, LOCAL_PREFIX, instanceId, latest.snapshotId);
    const result = {
      snapshotId: latest.snapshotId,
      manifestKey: manifestKey(LOCAL_PREFIX, instanceId, latest.snapshotId),
      counts: manifest.counts,
      objects: manifest.objects.length,
      throttles: manifest.throttles.count,
    };
    const folder = result.manifestKey.slice(0, result.manifestKey.lastIndexOf('/') + 1);
    const listed = await stack.s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET, Prefix: folder }));
    console.log(`\ns3://${LOCAL_BUCKET}/${folder}`);
    let lastFolder = '';
    for (const object of listed.Contents ?? []) {
      const rest = (object.Key ?? '').slice(folder.length);
      const slash = rest.indexOf('/');
      if (slash > 0 && rest.slice(0, slash) !== lastFolder) {
        lastFolder = rest.slice(0, slash);
        console.log(`  ${lastFolder}/`);
      }
      console.log(slash > 0 ? `    ${rest.slice(slash + 1)}` : `  ${rest}`);
    }
    console.log(
      `\nSnapshot ${result.snapshotId} of ${instanceId === source?.id ? 'demo-source' : instanceId}`,
    );
    for (const [kind, count] of Object.entries(result.counts).sort())
      console.log(`  ${kind.padEnd(26)}${count}`);
    console.log(`  objects ${result.objects}, throttled ${result.throttles}`);
    const under = (name: string) =>
      (listed.Contents ?? []).filter((o) => (o.Key ?? '').startsWith(`${folder}${name}/`));
    const audio = under('prompts-audio');
    const audioBytes = audio.reduce((sum, o) => sum + (o.Size ?? 0), 0);
    console.log(`  prompt audio: ${audio.length} file(s), ${(audioBytes / 1024).toFixed(1)} KiB`);
    let ringing = 0;
    for (const object of under('phone-numbers')) {
      const body = await stack.s3
        .client()
        .send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: object.Key }));
      const document = JSON.parse((await body.Body?.transformToString()) ?? '{}') as {
        related?: { contactFlowArn?: string };
      };
      if (document.related?.contactFlowArn) ringing += 1;
    }
    console.log(`  phone numbers: ${under('phone-numbers').length}, ${ringing} ringing a flow`);
  }
  const stats = stack.emulator.stats();
  console.log(
    `\nConnect calls ${stats.totals.calls}, throttled ${stats.totals.throttles}, errors ${stats.totals.errors}`,
  );
  console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error('demo failed:', error);
  exitCode = 1;
} finally {
  await stack.close();
}
process.exit(exitCode);
