/**
 * `connect-vault users export|import`: bulk user migration in the CSV layout of the Connect admin
 * website's bulk upload. Options and help here; what they do is in users-action.ts, loaded only when
 * a command runs.
 */
import { Command, Option } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { awsOptions } from './options.js';
import type { UsersExportOptions, UsersImportOptions } from './users-action.js';

const rateFactor = () =>
  new Option('--rate-factor <f>', "fraction of Connect's default API quotas to use")
    .argParser(Number)
    .default(1);

const LAYOUT_HELP = `
The CSV layout is the admin website's bulk-upload template (Users, User management, Add new
users, Upload my users from a template), header row:
  first name,last name,email address,password,user login,routing profile name,
  security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,
  soft phone auto accept (yes/no),ACW timeout (seconds)
then two more columns: UserHierarchy (the group's path of names from level one, Region/Site/Team)
and tags (a JSON object, {"Team":"Sales"}). Security profiles are names separated by |. The
password column is never written, and ignored on import.`;

/** The `users export` subcommand. */
function exportCommand(): Command {
  const command = new Command('export')
    .description('Write every user of an instance to a CSV file, by names (no ids, no passwords).')
    .requiredOption('--instance-id <id>', 'the instance to export users from')
    .requiredOption('--out <file>', 'the CSV file to write (- for stdout)')
    .addOption(rateFactor())
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault users export --instance-id 1111-2222 --out users.csv
${LAYOUT_HELP}

Connect: ListUsers, DescribeUser per user (10 a second by default), ListRoutingProfiles,
ListSecurityProfiles, ListUserHierarchyGroups and DescribeUserHierarchyGroup per group. The file
is written once every user has been read: a failed export writes nothing. Phone settings are the
voice channel's (PhoneConfig); per-channel settings for chat and tasks have no column.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: UsersExportOptions) => {
    const { runUsersExport } = await import('./users-action.js');
    await runUsersExport(options);
  });
}

/** The `users import` subcommand. */
function importCommand(): Command {
  const command = new Command('import')
    .description('Create the users of a CSV file in an instance; existing logins are skipped.')
    .requiredOption('--file <file>', 'the CSV file to read')
    .requiredOption('--instance-id <id>', 'the instance to create users in')
    .option('--dry-run', 'check every row against the instance and list what would fail; write nothing')
    .addOption(new Option('--batch-size <n>', 'users created per batch').argParser(Number).default(50))
    .addOption(new Option('--pause <seconds>', 'pause between batches').argParser(Number).default(0))
    .option(
      '--failed-out <file>',
      'where the rows that failed go (default: <file>.failed.csv beside the input, its name without .csv)',
    )
    .addOption(rateFactor())
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  connect-vault users import --file users.csv --instance-id 1111-2222 --dry-run
  connect-vault users import --file users.csv --instance-id 1111-2222 --batch-size 20 --pause 10
  connect-vault users import --file users.failed.csv --instance-id 1111-2222    # after fixing them
${LAYOUT_HELP}

Every row is checked first: the layout (phone type soft or desk, an E.164 number for and only
for desk phones, auto accept yes or no, ACW 0-2000000 s, tags), the login and name rules of the
instance's identity management, and that the routing profile, security profiles and hierarchy
group exist by name. --dry-run stops there, lists the missing names and invalid rows, and exits
1 if any row would fail.

A login the instance already has is skipped, never changed. New users on instances that store
users in Connect get a random password that is never shown, logged or written: the summary
lists them as needing a password reset (set one in the admin website, or send a reset). Rows that
fail go to the failed-rows file (the same layout plus an error column); fix them and pass that
file as --file. CreateUser runs at 2 a second by default (its Connect quota).`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: UsersImportOptions) => {
    const { runUsersImport } = await import('./users-action.js');
    await runUsersImport(options);
  });
}

/** The `users` command and its subcommands. */
export function usersCommand(): Command {
  const command = new Command('users').description(
    'Bulk user migration: export users to the admin website’s bulk-upload CSV, import them from it.',
  );
  for (const sub of [exportCommand(), importCommand()]) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)').addHelpText('after', EXIT_CODES_HELP);
    command.addCommand(sub);
  }
  return command;
}
