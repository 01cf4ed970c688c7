/**
 * `connect-vault export cloudformation`: its options and help. What it does is in
 * export-action.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { ExportCloudFormationOptions } from './export-action.js';
import { awsOptions } from './options.js';

/** The kinds a CloudFormation export holds (the same list as shared/migrate/export-cloudformation.ts, kept light for --help). */
const EXPORTABLE =
  'user-hierarchy-structure, user-hierarchy-groups, hours-of-operation, prompts, security-profiles, flows, flow-modules, queues, routing-profiles, users, quick-connects';

/** The `export` command and its one sub-command, `cloudformation`. */
export function exportCommand(): Command {
  const cloudformation = new Command('cloudformation')
    .description('Write a CloudFormation template of AWS::Connect::* resources from a verified snapshot.')
    .requiredOption(
      '--from <snapshot>',
      'a snapshot folder (<location>/<instanceId>/snapshots/<snapshotId>), or where snapshots are (s3://bucket/prefix or a folder) with --instance-id',
    )
    .option(
      '--instance-id <id>',
      'the instance the snapshot was taken of (when --from is where snapshots are)',
    )
    .option('--snapshot <id>', 'snapshot id, or latest (when --from is where snapshots are)', 'latest')
    .option('--kinds <kinds...>', `kinds to export (default: all of them): ${EXPORTABLE}`)
    .option('--names <globs...>', 'export only resources whose name matches one of these globs')
    .option(
      '--mapping <file>',
      "restore's JSON or YAML mapping: arns, ids, accounts, regions, promptAudio, phoneNumbers resolve references outside the export",
    )
    .requiredOption('--out <file>', 'the template to write (JSON); - for stdout')
    .option('-q, --quiet', 'print nothing but errors');
  for (const option of awsOptions) cloudformation.addOption(option);
  cloudformation
    .addHelpText(
      'after',
      `
Examples:
  connect-vault export cloudformation --from ./backups --instance-id 1111-2222 --out connect.json
  connect-vault export cloudformation --from s3://my-backups/connect/1111-2222/snapshots/2026-11-22T02-00-07.123Z \\
      --kinds flows flow-modules queues --names 'Sales*' --mapping prod.yaml --out sales.json

The snapshot is verified first, as restore verifies it: a tampered or incomplete snapshot, an unknown
kind, a name glob no chosen resource has, or a bad mapping exits 2 and nothing is written.

The template takes the target instance's ARN as the parameter InstanceArn. A reference between two
exported resources is Fn::GetAtt (flow content: Fn::Sub over the resources' ARNs). A reference to
anything else (a resource left out, a Lambda function, a Lex bot alias, a phone number) comes from
the mapping (arns, ids, accounts, regions, phoneNumbers: same), or else is a parameter, named and
described with the source ARN. Prompts are exported when CloudFormation can read their audio: from
the snapshot in S3, or at the mapping's promptAudio location; other prompts are listed as skipped.
Users carry no password: set passwords after deploying, or use SAML or a directory. Drafts, FLOW
quick connects and queues' quick-connect links in a reference cycle are listed, not exported.
Deploy with: aws cloudformation deploy --template-file connect.json --stack-name connect \\
  --parameter-overrides InstanceArn=arn:aws:connect:… (a template over 51,200 bytes needs --s3-bucket).`,
    )
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options: ExportCloudFormationOptions) => {
      const { runExportCloudFormation } = await import('./export-action.js');
      await runExportCloudFormation(options);
    });
  return new Command('export')
    .description('Export a snapshot into another format (cloudformation: a CloudFormation template).')
    .addCommand(cloudformation);
}
