/**
 * Organisation-wide backups: the member accounts to back up and how to reach Connect in each, by
 * assuming the member role (`infra/member-backup-role.yml`) with STS AssumeRole.
 */
import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { assumedRoleCredentials } from '#shared/aws.js';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import type { MemberAccountsPort } from './schedule-backups.js';

/** How member accounts are found and reached. */
export interface MemberAccountsOptions {
  /** The configured member accounts (12-digit ids). */
  accountIds: readonly string[];
  /** Also every ACTIVE account of the organisation (Organizations ListAccounts); needs the client. */
  organizations?: OrganizationsClient | undefined;
  /** The member role's name: `arn:<partition>:iam::<account>:role/<roleName>` is assumed. */
  roleName: string;
  externalId?: string | undefined;
  partition?: string;
  region: string;
  /** A Connect client (and its call counts) with the given credentials. */
  connectWith(credentials: ReturnType<typeof assumedRoleCredentials>): InstrumentedConnectClient;
  /** The session name STS records (CloudTrail shows it in the member account). */
  sessionName: string;
}

/** The member role's ARN in an account. */
export function memberRoleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** How a member account's Connect client is made. */
export interface MemberRoleOptions {
  roleName: string;
  externalId?: string | undefined;
  partition?: string;
  region: string;
  /** The session name STS records (CloudTrail shows it in the member account). */
  sessionName: string;
  /** A Connect client (and its call counts) with the given credentials. */
  create(credentials: ReturnType<typeof assumedRoleCredentials>): InstrumentedConnectClient;
}

/**
 * Connect clients per member account, each made once with the member role's credentials
 * (`arn:<partition>:iam::<account>:role/<roleName>`, STS AssumeRole on its first call, with the
 * external id when given; refreshed by the SDK before they expire), each with its own limiter.
 * @throws (from a client's first call) AssumeRoleError when STS refuses.
 */
export function memberConnectClients(
  options: MemberRoleOptions,
): (accountId: string) => InstrumentedConnectClient {
  const clients = new Map<string, InstrumentedConnectClient>();
  return (accountId) => {
    let made = clients.get(accountId);
    if (!made) {
      made = options.create(
        assumedRoleCredentials(
          {
            roleArn: memberRoleArn(accountId, options.roleName, options.partition),
            externalId: options.externalId,
          },
          { region: options.region, sessionName: options.sessionName },
        ),
      );
      clients.set(accountId, made);
    }
    return made;
  };
}

/**
 * The member accounts: the configured list, then (when an Organizations client is given) every
 * account ListAccounts returns whose `State` is ACTIVE, without repeats, in that order. Each
 * account's Connect client is made once, with the member role's credentials (AssumeRole on its
 * first call, refreshed by the SDK before they expire).
 * @throws (from `accounts()`) Organizations' errors (AccessDeniedException outside the
 *   management or a delegated administrator account, AWSOrganizationsNotInUseException); (from the
 *   clients' first call) AssumeRoleError when the member role cannot be assumed.
 */
export function memberAccounts(options: MemberAccountsOptions): MemberAccountsPort {
  const clientFor = memberConnectClients({
    roleName: options.roleName,
    externalId: options.externalId,
    ...(options.partition ? { partition: options.partition } : {}),
    region: options.region,
    sessionName: options.sessionName,
    create: (credentials) => options.connectWith(credentials),
  });
  return {
    async accounts() {
      const ids = [...options.accountIds];
      if (options.organizations) {
        for await (const page of paginateListAccounts({ client: options.organizations }, {})) {
          for (const account of page.Accounts ?? [])
            if (account.Id && (account.State ?? account.Status) === 'ACTIVE') ids.push(account.Id);
        }
      }
      return [...new Set(ids)];
    },
    connectFor: (accountId) => clientFor(accountId).client,
  };
}
