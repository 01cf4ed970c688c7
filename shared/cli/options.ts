/**
 * The options every command shares (AWS: --region, --profile, --endpoint-url, --s3-endpoint-url,
 * --s3-profile) and where snapshots go. Light: `--help` and `--version` load it.
 */
import { Option } from 'commander';

/** The AWS options, as commander parses them. */
export interface AwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  s3EndpointUrl?: string;
  s3Profile?: string;
}

/** The AWS options every command takes; add each with `command.addOption(option)`. */
export const awsOptions = [
  new Option('--region <region>', 'AWS Region of the Connect instance (default: AWS_REGION)'),
  new Option(
    '--profile <profile>',
    'AWS shared-config profile (its credentials and, without --region, its region)',
  ),
  new Option('--endpoint-url <url>', 'Connect endpoint override, e.g. the local emulator'),
  new Option('--s3-endpoint-url <url>', 'S3 endpoint override, e.g. a local s3rver'),
  new Option('--s3-profile <profile>', 'AWS profile for the snapshot bucket (default: --profile)'),
];

/** Where `backup` writes: one of --bucket (with --prefix), --out or --stdout. */
export interface StoreOptions {
  bucket?: string;
  prefix?: string;
  out?: string;
  stdout?: boolean;
}
