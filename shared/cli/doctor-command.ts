/**
 * `connect-vault doctor`: its options and help. What it does is in doctor-action.ts, loaded only
 * when the command runs.
 */
import { Command, Option } from 'commander';
import type { DoctorOptions } from './doctor-action.js';
import { awsOptions } from './options.js';

/** The `doctor` command. */
export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description(
      'Check, without writing anything, what backup and restore assume about an instance, its account and the snapshot bucket.',
    )
    .requiredOption('--instance-id <id>', 'the instance to check')
    .requiredOption('--bucket <bucket>', 'the snapshot bucket to check')
    .option(
      '--restore-role-arn <arn>',
      "the restore function's role: its write permissions are simulated (iam:SimulatePrincipalPolicy)",
    )
    .addOption(
      new Option('--rate-factor <f>', "fraction of Connect's default API quotas to use")
        .argParser(Number)
        .default(1),
    )
    .option(
      '--json <file>',
      'also write the result as JSON to this file (- for stdout, instead of the table)',
    )
    .addHelpText(
      'after',
      `
Examples:
  connect-vault doctor --instance-id 1111-2222 --bucket my-backups
  connect-vault doctor --instance-id 1111-2222 --bucket my-backups \\
      --restore-role-arn arn:aws:iam::123456789012:role/connect-vault-dev-RestoreRole-ABC --json doctor.json

What it checks (read-only, run it with the credentials the backup uses):
  read:connect:<Operation>      each Connect read the backup sends, called once (AccessDenied per action)
  restore-role:connect:<Op>     each Connect write of a restore, simulated for --restore-role-arn
  search-vs-describe:<kind>     the first resource of each kind: Search entity against Describe entity
  draft-detection:<kind>        a published flow (flow module) with unpublished changes: Describe
                                <id>:$SAVED answers it, and whether Search StatusCondition SAVED
                                lists it (failed only where the backup relies on that search)
  bucket:<what>                 the bucket lists; versioning, default encryption, public access
                                block, TLS-only policy; Object Lock (informational)

Each check is ok, failed or unknown (could not be checked, and why). Any failed check exits 1 and
is named on stderr; unknown checks do not fail the run. Looking for a flow with unpublished
changes describes up to 50 published flows and 50 flow modules (about 2 calls a second each at
Connect's default quotas). An instance that is not in the account and Region exits 2.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: DoctorOptions) => {
    const { runDoctorCommand } = await import('./doctor-action.js');
    await runDoctorCommand(options);
  });
}
