/**
 * What `connect-vault doctor` does (doctor-command.ts defines its options): runs the read-only
 * checks of `shared/doctor/doctor.ts`, prints them as a table and, when asked, as JSON. Loaded only
 * when the command runs.
 */
import { writeFile } from 'node:fs/promises';
import { createIamClient, createS3Client } from '#shared/aws.js';
import { type DoctorCheck, type DoctorResult, runDoctor } from '#shared/doctor/doctor.js';
import { type AwsOptions, connectFor, regionOf, table } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault doctor`, as commander parses them. */
export interface DoctorOptions extends AwsOptions {
  instanceId: string;
  bucket: string;
  restoreRoleArn?: string;
  rateFactor?: number;
  /** A file to write the result to, or `-` for stdout. */
  json?: string;
}

/**
 * Runs `connect-vault doctor`: the checks, a table on stdout (unless `--json -`), the JSON file when
 * asked. Sets `process.exitCode` 1 when a check failed and names each failed one on stderr.
 * @throws DoctorInputError (exit 2) when the instance is not in the account and Region.
 */
export async function runDoctorCommand(options: DoctorOptions): Promise<void> {
  const region = await regionOf(options, options.profile);
  const { client: connect } = await connectFor(options);
  const s3Profile = options.s3Profile ?? options.profile;
  const s3 = createS3Client({
    region: await regionOf(options, s3Profile),
    endpoint: options.s3EndpointUrl,
    profile: s3Profile,
  });
  const iam = options.restoreRoleArn ? createIamClient({ region, profile: options.profile }) : undefined;
  const result = await runDoctor({
    connect,
    instanceId: options.instanceId,
    s3,
    bucket: options.bucket,
    ...(iam ? { iam } : {}),
    ...(options.restoreRoleArn ? { restoreRoleArn: options.restoreRoleArn } : {}),
  });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (options.json === '-') process.stdout.write(json);
  else {
    process.stdout.write(`${doctorTable(result)}\n`);
    if (options.json) await writeFile(options.json, json);
  }
  const failed = result.checks.filter((c) => c.status === 'failed');
  if (failed.length) {
    process.stderr.write(
      `connect-vault: ${failed.length} assumption(s) do not hold:\n${failed.map((c) => `  ${c.id}: ${c.detail}\n`).join('')}`,
    );
  }
  process.exitCode = exitCodeForFinding(failed.length > 0);
}

/** The checks as a table, then one line of counts. */
export function doctorTable(result: DoctorResult): string {
  const rows: string[][] = [['status', 'check', 'detail']];
  for (const check of result.checks) rows.push([label(check), check.id, check.detail]);
  const count = (status: DoctorCheck['status']) => result.checks.filter((c) => c.status === status).length;
  return `${table(rows).replace(/ +$/gm, '')}\n\n${count('ok')} ok, ${count('failed')} failed, ${count('unknown')} unknown (instance ${result.instanceId}, bucket ${result.bucket})`;
}

function label(check: DoctorCheck): string {
  return check.status === 'failed' ? 'FAILED' : check.status;
}
