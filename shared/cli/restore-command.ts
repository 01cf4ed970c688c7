/**
 * `connect-vault restore` and `connect-vault plan` (the same as `restore --dry-run`): their options
 * and help. What they do is in restore-action.ts, loaded only when a command runs.
 */
import { Command, Option } from 'commander';
import { awsOptions } from './options.js';
import type { RestoreOptions } from './restore-action.js';

function restoreLikeCommand(name: 'restore' | 'plan', kindNames: readonly string[] | undefined): Command {
  const plan = name === 'plan';
  const command = new Command(name)
    .description(
      plan
        ? 'Plan a restore without writing anything: what would be created, updated, left unchanged or skipped, and why (restore --dry-run).'
        : 'Restore a snapshot into the same or another instance, account or Region: plan, then apply in dependency order with every id and ARN remapped.',
    )
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--source-instance-id <id>', 'the instance the snapshot was taken of')
    .option('--snapshot <id>', 'snapshot id, or latest', 'latest')
    .option('--target-instance-id <id>', 'instance to restore into (default: the source instance)')
    .addOption(
      new Option(
        '--mode <mode>',
        'create-missing never changes an existing resource; overwrite brings matched ones to the snapshot; mirror also removes (or disables) what the target has and the snapshot does not',
      )
        .choices(['create-missing', 'overwrite', 'mirror'])
        .default('create-missing'),
    )
    .option(
      '--kinds <kinds...>',
      `kinds to restore (default: all)${kindNames ? `: ${kindNames.join(', ')}` : ''}`,
    )
    .option('--names <globs...>', 'restore only resources whose name matches one of these globs')
    .option(
      '--mapping <file>',
      'JSON or YAML mapping: ids, arns, names, accounts, regions, promptAudio, phoneNumbers, emailAddresses',
    );
  if (!plan) {
    command.option('--dry-run', 'plan only: no write to Connect (the same as connect-vault plan)');
    command.option(
      '--no-safety-snapshot',
      'do not back up the target before the first write (the report then has no rollback command)',
    );
    command.option(
      '--no-verify',
      'do not read the target again after applying to compare it with the snapshot',
    );
  }
  for (const option of awsOptions) command.addOption(option);
  command
    .option('--target-region <region>', "the target instance's Region (default: --region)")
    .option('--target-profile <profile>', 'AWS profile for the target account (default: --profile)')
    .option(
      '--target-role-arn <arn>',
      'a role in the target account to assume for the restore (infra/restore-target-role.yml); the AssumeRole call is signed with --target-profile, else --profile',
    )
    .option(
      '--external-id <id>',
      "the external id the target role's trust policy asks for (with --target-role-arn)",
    )
    .option(
      '--target-endpoint-url <url>',
      'Connect endpoint override for the target (default: --endpoint-url)',
    )
    .addOption(
      new Option(
        '--report <where>',
        'where report.json goes: the snapshot store, or stdout (default: store; stdout for a plan)',
      ).choices(['store', 'stdout']),
    )
    .addOption(
      new Option('--rate-factor <f>', "fraction of Connect's default API quotas to use")
        .argParser(Number)
        .default(1),
    )
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault plan --from s3://my-backups/connect --source-instance-id 1111-2222 --region us-east-1
  connect-vault restore --from ./backups --source-instance-id 1111-2222 --mode overwrite --kinds flows queues
  connect-vault restore --from s3://my-backups/connect --source-instance-id 1111-2222 \\
      --target-instance-id 3333-4444 --target-region eu-west-2 --target-profile prod --mapping prod.json
  connect-vault restore --from s3://my-backups/connect --source-instance-id 1111-2222 \\
      --target-instance-id 3333-4444 --target-role-arn arn:aws:iam::444455556666:role/connect-vault-restore-target \\
      --external-id "$EXTERNAL_ID" --mapping prod.json

Mapping file (JSON or YAML), every member optional:
  { "accounts": { "111122223333": "444455556666" }, "regions": { "us-east-1": "eu-west-2" },
    "arns": { "<source ARN>": "<target ARN>" }, "ids": { "<source id>": "<target id>" },
    "names": { "queues": { "Sales": "Sales EU" } }, "promptAudio": { "Welcome.wav": "s3://bucket/key.wav" },
    "phoneNumbers": { "+18005550142": "+442079460201" },   (or "phoneNumbers": "same" into the same instance)
    "emailAddresses": { "support@prod.email.connect.aws": "support@dr.email.connect.aws" } }   (or "same")

New users on CONNECT_MANAGED instances get a random password that is never shown or stored; the
summary and the report list them for a password reset.

A plan with blocked resources, --names matching nothing, or a restore that did not reach every
planned outcome exits 1; an unknown snapshot or instance, a changed snapshot object or a bad
mapping exits 2.`,
    );
  return command.action(async (options: RestoreOptions) => {
    const { runRestore } = await import('./restore-action.js');
    await runRestore(name, options);
  });
}

/** `connect-vault restore`; `kindNames` as for `backupCommand`. */
export function restoreCommand(kindNames?: readonly string[]): Command {
  return restoreLikeCommand('restore', kindNames);
}

/** `connect-vault plan`: `restore --dry-run`; `kindNames` as for `backupCommand`. */
export function planCommand(kindNames?: readonly string[]): Command {
  return restoreLikeCommand('plan', kindNames);
}
