/**
 * `connect-vault doctor`: read-only checks of what the backup and the restore assume about an
 * account, an instance and a snapshot bucket, run once before trusting the backups (issue 8 §4).
 * The CLI (`shared/cli/doctor-*.ts`) and the backup-instance function's `doctor` mode both call
 * {@link runDoctor}; nothing here writes to Connect, S3 or IAM.
 *
 * The checks, each a {@link DoctorCheck}:
 * - `read:connect:<Operation>`: every read operation the backup sends (the kinds' `readOperations`
 *   and the instance document's), called once with the smallest request. AccessDeniedException
 *   fails the check of that action.
 * - `restore-role:connect:<Operation>`: every write operation of the kinds' restore parts, simulated
 *   for the restore role with `iam:SimulatePrincipalPolicy`; `unknown` when no role is given or the
 *   simulation is not allowed.
 * - `search-vs-describe:<kind>`: the first resource of each kind with a Search and a Describe
 *   operation, Search entity against Describe entity, member by member. The check fails when the
 *   entity the backup stores lacks what the other has: for a kind read with Search alone, any member
 *   Search lacks or answers differently; for a kind read with Describe, an essential member (flow and
 *   module `Content`) Describe lacks. Other differences are reported, not failed.
 * - `draft-detection:<kind>` (flows, flow modules): one published flow with unpublished changes,
 *   found through `Describe… <id>:$SAVED` (how a kind read with Describe reads drafts), and whether
 *   `Search… StatusCondition SAVED` lists it, which fails the check only for a kind that finds drafts
 *   with that search (read with Search alone).
 * - `bucket:<what>`: the snapshot bucket exists and lists, is versioned, encrypted by default,
 *   blocks public access and has a TLS-only policy; Object Lock is reported, never failed.
 *
 * @packageDocumentation
 */
import {
  type ConnectClient,
  DescribeAgentStatusCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeEmailAddressCommand,
  DescribeEvaluationFormCommand,
  DescribeHoursOfOperationCommand,
  DescribeInstanceCommand,
  DescribePhoneNumberCommand,
  DescribePromptCommand,
  DescribeQueueCommand,
  DescribeQuickConnectCommand,
  DescribeRoutingProfileCommand,
  DescribeRuleCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  DescribeViewCommand,
  DescribeVocabularyCommand,
  GetPromptFileCommand,
  GetTaskTemplateCommand,
  ListApprovedOriginsCommand,
  ListBotsCommand,
  ListEvaluationFormsCommand,
  ListEvaluationFormVersionsCommand,
  ListFlowAssociationsCommand,
  ListHoursOfOperationOverridesCommand,
  ListInstanceAttributesCommand,
  ListLambdaFunctionsCommand,
  ListPhoneNumbersV2Command,
  ListQueueQuickConnectsCommand,
  ListQueuesCommand,
  ListRoutingProfileManualAssignmentQueuesCommand,
  ListRoutingProfileQueuesCommand,
  ListRoutingProfilesCommand,
  ListRulesCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  ListTaskTemplatesCommand,
  ListUserProficienciesCommand,
  ListUsersCommand,
  ListViewsCommand,
  paginateSearchContactFlowModules,
  paginateSearchContactFlows,
  SearchAgentStatusesCommand,
  SearchContactFlowModulesCommand,
  SearchContactFlowsCommand,
  SearchEmailAddressesCommand,
  SearchHoursOfOperationsCommand,
  SearchPredefinedAttributesCommand,
  SearchPromptsCommand,
  SearchQueuesCommand,
  SearchQuickConnectsCommand,
  SearchRoutingProfilesCommand,
  SearchSecurityProfilesCommand,
  SearchUserHierarchyGroupsCommand,
  SearchUsersCommand,
  SearchVocabulariesCommand,
} from '@aws-sdk/client-connect';
import { type IAMClient, paginateSimulatePrincipalPolicy } from '@aws-sdk/client-iam';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { KINDS, type KindName } from '#shared/kinds/index.js';
import { toPlain } from '#shared/kinds/support/read.js';

/** `ok`: the assumption holds; `failed`: it does not; `unknown`: it could not be checked (and why). */
export type CheckStatus = 'ok' | 'failed' | 'unknown';

/** One check and its outcome. */
export interface DoctorCheck {
  /** Stable id, e.g. `read:connect:SearchQueues`, `bucket:versioning`, `draft-detection:flows`. */
  id: string;
  /** What is checked, for people. */
  title: string;
  status: CheckStatus;
  /** Why: what was found, or the error that stopped the check. */
  detail: string;
}

/** What {@link runDoctor} returns. */
export interface DoctorResult {
  instanceId: string;
  bucket: string;
  /** The restore role simulated, if one was given. */
  restoreRoleArn?: string;
  /** When the checks started, ISO 8601. */
  checkedAt: string;
  /** True when no check failed (`unknown` checks do not count against it). */
  ok: boolean;
  checks: DoctorCheck[];
}

/** What {@link runDoctor} needs. */
export interface DoctorOptions {
  /** A Connect client for the instance's account and Region, with the backup's credentials. */
  connect: ConnectClient;
  instanceId: string;
  /** An S3 client that can reach the snapshot bucket. */
  s3: S3Client;
  bucket: string;
  /** IAM client for `iam:SimulatePrincipalPolicy`; without it (or a role) the restore role is not checked. */
  iam?: IAMClient;
  /** The role the restore runs as (its write permissions are simulated). */
  restoreRoleArn?: string;
  /** How many published flows (and flow modules) to look through for one with a draft. Default 50. */
  draftScanLimit?: number;
  signal?: AbortSignal;
  clock?: { now(): Date };
}

/** Thrown when the instance is not in the account and Region (DescribeInstance: ResourceNotFoundException). */
export class DoctorInputError extends Error {
  override readonly name = 'DoctorInputError';
}

/** The operations the instance document reads with (`shared/kinds/instance.ts`), besides the kinds'. */
export const INSTANCE_READ_OPERATIONS = [
  'DescribeInstance',
  'ListInstanceAttributes',
  'ListApprovedOrigins',
  'ListLambdaFunctions',
  'ListBots',
] as const;

/** Every Connect operation the backup reads with: the instance document's, then each kind's. */
export function backupReadOperations(): string[] {
  return [...new Set([...INSTANCE_READ_OPERATIONS, ...KINDS.flatMap((kind) => kind.readOperations)])];
}

/**
 * Every Connect operation the restore writes with (the kinds' `restore.writeOperations`, and the
 * operations of mode mirror's removals, `restore.remove.writeOperations`).
 */
export function restoreWriteOperations(): string[] {
  return [
    ...new Set(
      KINDS.flatMap((kind) => [
        ...(kind.restore?.writeOperations ?? []),
        ...(kind.restore?.remove?.writeOperations ?? []),
      ]),
    ),
  ];
}

/**
 * Runs every check, in the order of the module documentation. Reads only: Connect Describe, List and
 * Search calls (one page of one item where the operation allows), `iam:SimulatePrincipalPolicy`, and
 * S3 bucket-configuration reads (HeadBucket, ListObjectsV2 of one key, GetBucketVersioning,
 * GetBucketEncryption, GetPublicAccessBlock, GetBucketPolicy, GetObjectLockConfiguration).
 * An error of one check is that check's outcome; the run goes on.
 * @throws DoctorInputError when the instance does not exist in the client's account and Region;
 *   the SDK's CredentialsProviderError when there are no credentials.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const checkedAt = (options.clock?.now() ?? new Date()).toISOString();
  const connectChecks = await checkConnect(options);
  const checks = [...connectChecks, ...(await checkBucket(options))];
  return {
    instanceId: options.instanceId,
    bucket: options.bucket,
    ...(options.restoreRoleArn ? { restoreRoleArn: options.restoreRoleArn } : {}),
    checkedAt,
    ok: checks.every((c) => c.status !== 'failed'),
    checks,
  };
}

/**
 * The Connect and IAM part of {@link runDoctor}: read operations, restore role, Search against
 * Describe, draft detection.
 * @throws as {@link runDoctor}.
 */
export async function checkConnect(options: Omit<DoctorOptions, 's3' | 'bucket'>): Promise<DoctorCheck[]> {
  const ctx = { connect: options.connect, instanceId: options.instanceId, signal: options.signal };
  const instanceArn = await instanceArnOf(ctx);
  return [
    ...(await checkReadOperations(ctx, instanceArn)),
    ...(await checkRestoreRole(options, instanceArn)),
    ...(await checkSearchAgainstDescribe(ctx)),
    ...(await checkDraftDetection(ctx, options.draftScanLimit ?? 50)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Connect reads
// ---------------------------------------------------------------------------------------------

interface ConnectContext {
  connect: ConnectClient;
  instanceId: string;
  signal?: AbortSignal | undefined;
}

/** A command of the Connect client, whatever its operation. */
type AnyCommand = Parameters<ConnectClient['send']>[0];

async function send(ctx: ConnectContext, command: unknown): Promise<Record<string, unknown>> {
  const output: unknown = await ctx.connect.send(command as AnyCommand, { abortSignal: ctx.signal });
  return output as Record<string, unknown>;
}

async function instanceArnOf(ctx: ConnectContext): Promise<string> {
  try {
    const { Instance } = await ctx.connect.send(new DescribeInstanceCommand({ InstanceId: ctx.instanceId }), {
      abortSignal: ctx.signal,
    });
    return Instance?.Arn ?? '';
  } catch (error) {
    if (nameOf(error) === 'ResourceNotFoundException') {
      throw new DoctorInputError(
        `No Connect instance ${ctx.instanceId} in this account and Region (DescribeInstance: ResourceNotFoundException).`,
      );
    }
    // No credentials at all: nothing can be checked.
    if (nameOf(error) === 'CredentialsProviderError') throw error;
    // AccessDeniedException and the like: the read-operations check reports it.
    return '';
  }
}

/** Ids taken from earlier answers, for the operations that read one resource. */
interface Samples {
  PhoneNumberId?: string;
  HoursOfOperationId?: string;
  PromptId?: string;
  ContactFlowId?: string;
  ContactFlowModuleId?: string;
  QueueId?: string;
  RoutingProfileId?: string;
  SecurityProfileId?: string;
  UserId?: string;
  EvaluationFormId?: string;
  EmailAddressId?: string;
  VocabularyId?: string;
  TaskTemplateId?: string;
  ViewId?: string;
  RuleId?: string;
}

/**
 * A well-formed id that names no resource, for an operation whose kind has none in the instance:
 * IAM authorizes the call before Connect looks the resource up, so ResourceNotFoundException means
 * the action is allowed.
 */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

interface ReadRequest {
  /** The sample id the request needs. */
  needs?: keyof Samples;
  command(instanceId: string, id: string, instanceArn: string): unknown;
  /** Sample ids the answer holds. */
  samples?(output: Record<string, unknown>): Samples;
}

const first = (output: Record<string, unknown>, list: string, member: string): string | undefined => {
  const items = output[list] as Array<Record<string, unknown>> | undefined;
  const value = items?.[0]?.[member];
  return typeof value === 'string' ? value : undefined;
};

/** The smallest request of each read operation the backup uses: one item, the instance, a sample id. */
const READ_REQUESTS: Readonly<Record<string, ReadRequest>> = {
  DescribeInstance: { command: (InstanceId) => new DescribeInstanceCommand({ InstanceId }) },
  ListInstanceAttributes: {
    command: (InstanceId) => new ListInstanceAttributesCommand({ InstanceId, MaxResults: 1 }),
  },
  ListApprovedOrigins: {
    command: (InstanceId) => new ListApprovedOriginsCommand({ InstanceId, MaxResults: 1 }),
  },
  ListLambdaFunctions: {
    command: (InstanceId) => new ListLambdaFunctionsCommand({ InstanceId, MaxResults: 1 }),
  },
  ListBots: { command: (InstanceId) => new ListBotsCommand({ InstanceId, LexVersion: 'V2', MaxResults: 1 }) },
  DescribeUserHierarchyStructure: {
    command: (InstanceId) => new DescribeUserHierarchyStructureCommand({ InstanceId }),
  },
  SearchUserHierarchyGroups: {
    command: (InstanceId) => new SearchUserHierarchyGroupsCommand({ InstanceId, MaxResults: 1 }),
  },
  SearchHoursOfOperations: {
    command: (InstanceId) => new SearchHoursOfOperationsCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ HoursOfOperationId: first(o, 'HoursOfOperations', 'HoursOfOperationId') }),
  },
  ListHoursOfOperationOverrides: {
    needs: 'HoursOfOperationId',
    command: (InstanceId, HoursOfOperationId) =>
      new ListHoursOfOperationOverridesCommand({ InstanceId, HoursOfOperationId, MaxResults: 1 }),
  },
  ListRoutingProfileManualAssignmentQueues: {
    needs: 'RoutingProfileId',
    command: (InstanceId, RoutingProfileId) =>
      new ListRoutingProfileManualAssignmentQueuesCommand({ InstanceId, RoutingProfileId, MaxResults: 1 }),
  },
  SearchPrompts: {
    command: (InstanceId) => new SearchPromptsCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ PromptId: first(o, 'Prompts', 'PromptId') }),
  },
  GetPromptFile: {
    needs: 'PromptId',
    command: (InstanceId, PromptId) => new GetPromptFileCommand({ InstanceId, PromptId }),
  },
  SearchAgentStatuses: {
    command: (InstanceId) => new SearchAgentStatusesCommand({ InstanceId, MaxResults: 1 }),
  },
  SearchContactFlows: {
    command: (InstanceId) => new SearchContactFlowsCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ ContactFlowId: first(o, 'ContactFlows', 'Id') }),
  },
  SearchContactFlowModules: {
    command: (InstanceId) => new SearchContactFlowModulesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ ContactFlowModuleId: first(o, 'ContactFlowModules', 'Id') }),
  },
  DescribeContactFlow: {
    needs: 'ContactFlowId',
    command: (InstanceId, ContactFlowId) => new DescribeContactFlowCommand({ InstanceId, ContactFlowId }),
  },
  DescribeContactFlowModule: {
    needs: 'ContactFlowModuleId',
    command: (InstanceId, ContactFlowModuleId) =>
      new DescribeContactFlowModuleCommand({ InstanceId, ContactFlowModuleId }),
  },
  SearchQuickConnects: {
    command: (InstanceId) => new SearchQuickConnectsCommand({ InstanceId, MaxResults: 1 }),
  },
  SearchQueues: {
    command: (InstanceId) => new SearchQueuesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ QueueId: first(o, 'Queues', 'QueueId') }),
  },
  ListQueues: {
    command: (InstanceId) => new ListQueuesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ QueueId: first(o, 'QueueSummaryList', 'Id') }),
  },
  SearchRoutingProfiles: {
    command: (InstanceId) => new SearchRoutingProfilesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ RoutingProfileId: first(o, 'RoutingProfiles', 'RoutingProfileId') }),
  },
  ListRoutingProfiles: {
    command: (InstanceId) => new ListRoutingProfilesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ RoutingProfileId: first(o, 'RoutingProfileSummaryList', 'Id') }),
  },
  SearchSecurityProfiles: {
    command: (InstanceId) => new SearchSecurityProfilesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ SecurityProfileId: first(o, 'SecurityProfiles', 'Id') }),
  },
  ListSecurityProfiles: {
    command: (InstanceId) => new ListSecurityProfilesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ SecurityProfileId: first(o, 'SecurityProfileSummaryList', 'Id') }),
  },
  SearchUsers: {
    command: (InstanceId) => new SearchUsersCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ UserId: first(o, 'Users', 'Id') }),
  },
  ListUsers: {
    command: (InstanceId) => new ListUsersCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ UserId: first(o, 'UserSummaryList', 'Id') }),
  },
  ListQueueQuickConnects: {
    needs: 'QueueId',
    command: (InstanceId, QueueId) =>
      new ListQueueQuickConnectsCommand({ InstanceId, QueueId, MaxResults: 1 }),
  },
  DescribeRoutingProfile: {
    needs: 'RoutingProfileId',
    command: (InstanceId, RoutingProfileId) =>
      new DescribeRoutingProfileCommand({ InstanceId, RoutingProfileId }),
  },
  ListRoutingProfileQueues: {
    needs: 'RoutingProfileId',
    command: (InstanceId, RoutingProfileId) =>
      new ListRoutingProfileQueuesCommand({ InstanceId, RoutingProfileId, MaxResults: 1 }),
  },
  DescribeSecurityProfile: {
    needs: 'SecurityProfileId',
    command: (InstanceId, SecurityProfileId) =>
      new DescribeSecurityProfileCommand({ InstanceId, SecurityProfileId }),
  },
  ListSecurityProfilePermissions: {
    needs: 'SecurityProfileId',
    command: (InstanceId, SecurityProfileId) =>
      new ListSecurityProfilePermissionsCommand({ InstanceId, SecurityProfileId, MaxResults: 1 }),
  },
  ListSecurityProfileApplications: {
    needs: 'SecurityProfileId',
    command: (InstanceId, SecurityProfileId) =>
      new ListSecurityProfileApplicationsCommand({ InstanceId, SecurityProfileId, MaxResults: 1 }),
  },
  ListSecurityProfileFlowModules: {
    needs: 'SecurityProfileId',
    command: (InstanceId, SecurityProfileId) =>
      new ListSecurityProfileFlowModulesCommand({ InstanceId, SecurityProfileId, MaxResults: 1 }),
  },
  DescribeUser: {
    needs: 'UserId',
    command: (InstanceId, UserId) => new DescribeUserCommand({ InstanceId, UserId }),
  },
  ListUserProficiencies: {
    needs: 'UserId',
    command: (InstanceId, UserId) => new ListUserProficienciesCommand({ InstanceId, UserId, MaxResults: 1 }),
  },
  SearchPredefinedAttributes: {
    command: (InstanceId) => new SearchPredefinedAttributesCommand({ InstanceId, MaxResults: 1 }),
  },
  // Evaluation forms.
  ListEvaluationForms: {
    command: (InstanceId) => new ListEvaluationFormsCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ EvaluationFormId: first(o, 'EvaluationFormSummaryList', 'EvaluationFormId') }),
  },
  DescribeEvaluationForm: {
    needs: 'EvaluationFormId',
    command: (InstanceId, EvaluationFormId) =>
      new DescribeEvaluationFormCommand({ InstanceId, EvaluationFormId }),
  },
  ListEvaluationFormVersions: {
    needs: 'EvaluationFormId',
    command: (InstanceId, EvaluationFormId) =>
      new ListEvaluationFormVersionsCommand({ InstanceId, EvaluationFormId, MaxResults: 1 }),
  },
  // E-mail addresses.
  SearchEmailAddresses: {
    command: (InstanceId) => new SearchEmailAddressesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ EmailAddressId: first(o, 'EmailAddresses', 'EmailAddressId') }),
  },
  DescribeEmailAddress: {
    needs: 'EmailAddressId',
    command: (InstanceId, EmailAddressId) => new DescribeEmailAddressCommand({ InstanceId, EmailAddressId }),
  },
  // Vocabularies.
  SearchVocabularies: {
    command: (InstanceId) => new SearchVocabulariesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ VocabularyId: first(o, 'VocabularySummaryList', 'Id') }),
  },
  DescribeVocabulary: {
    needs: 'VocabularyId',
    command: (InstanceId, VocabularyId) => new DescribeVocabularyCommand({ InstanceId, VocabularyId }),
  },
  // Task templates.
  ListTaskTemplates: {
    command: (InstanceId) => new ListTaskTemplatesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ TaskTemplateId: first(o, 'TaskTemplates', 'Id') }),
  },
  GetTaskTemplate: {
    needs: 'TaskTemplateId',
    command: (InstanceId, TaskTemplateId) => new GetTaskTemplateCommand({ InstanceId, TaskTemplateId }),
  },
  // Views (customer-managed).
  ListViews: {
    command: (InstanceId) => new ListViewsCommand({ InstanceId, Type: 'CUSTOMER_MANAGED', MaxResults: 1 }),
    samples: (o) => ({ ViewId: first(o, 'ViewsSummaryList', 'Id') }),
  },
  DescribeView: {
    needs: 'ViewId',
    command: (InstanceId, ViewId) => new DescribeViewCommand({ InstanceId, ViewId: `${ViewId}:$SAVED` }),
  },
  // Rules.
  ListRules: {
    command: (InstanceId) => new ListRulesCommand({ InstanceId, MaxResults: 1 }),
    samples: (o) => ({ RuleId: first(o, 'RuleSummaryList', 'RuleId') }),
  },
  DescribeRule: {
    needs: 'RuleId',
    command: (InstanceId, RuleId) => new DescribeRuleCommand({ InstanceId, RuleId }),
  },
  ListPhoneNumbersV2: {
    command: (_instanceId, _id, TargetArn) => new ListPhoneNumbersV2Command({ TargetArn, MaxResults: 1 }),
    samples: (o) => ({ PhoneNumberId: first(o, 'ListPhoneNumbersSummaryList', 'PhoneNumberId') }),
  },
  DescribePhoneNumber: {
    needs: 'PhoneNumberId',
    command: (_instanceId, PhoneNumberId) => new DescribePhoneNumberCommand({ PhoneNumberId }),
  },
  ListFlowAssociations: {
    command: (InstanceId) =>
      new ListFlowAssociationsCommand({ InstanceId, ResourceType: 'VOICE_PHONE_NUMBER', MaxResults: 1 }),
  },
};

/** Calls each read operation of the backup once; operations that need an id run after those that yield one. */
async function checkReadOperations(ctx: ConnectContext, instanceArn: string): Promise<DoctorCheck[]> {
  const operations = backupReadOperations();
  const ordered = [
    ...operations.filter((op) => !READ_REQUESTS[op]?.needs),
    ...operations.filter((op) => READ_REQUESTS[op]?.needs),
  ];
  const samples: Samples = {};
  const byOperation = new Map<string, DoctorCheck>();
  for (const operation of ordered) {
    const id = `read:connect:${operation}`;
    const title = `backup can call connect:${operation}`;
    const request = READ_REQUESTS[operation];
    if (!request) {
      byOperation.set(operation, {
        id,
        title,
        status: 'unknown',
        detail: `doctor has no request for ${operation} (a kind's new read operation): not checked`,
      });
      continue;
    }
    const sample = request.needs ? samples[request.needs] : undefined;
    try {
      const output = await send(ctx, request.command(ctx.instanceId, sample ?? PLACEHOLDER_ID, instanceArn));
      for (const [key, value] of Object.entries(request.samples?.(output) ?? {})) {
        if (value && !samples[key as keyof Samples]) samples[key as keyof Samples] = value;
      }
      byOperation.set(operation, { id, title, status: 'ok', detail: 'allowed' });
    } catch (error) {
      if (nameOf(error) === 'ContactFlowNotPublishedException') {
        // The sample flow was never published: Connect looked it up, so IAM allowed the call.
        byOperation.set(operation, {
          id,
          title,
          status: 'ok',
          detail: 'allowed (the sample flow is not published: ContactFlowNotPublishedException)',
        });
      } else if (request.needs && !sample && nameOf(error) === 'ResourceNotFoundException') {
        byOperation.set(operation, {
          id,
          title,
          status: 'ok',
          detail: `allowed (the instance has no resource to read; a placeholder ${request.needs} was not found)`,
        });
      } else if (nameOf(error) === 'AccessDeniedException') {
        byOperation.set(operation, {
          id,
          title,
          status: 'failed',
          detail: `AccessDeniedException: these credentials may not call connect:${operation}; the backup needs it (${messageOf(error)})`,
        });
      } else {
        byOperation.set(operation, {
          id,
          title,
          status: 'failed',
          detail: `${nameOf(error)}: ${messageOf(error)} (the backup sends this call and would fail on it too)`,
        });
      }
    }
  }
  return operations.map((op) => byOperation.get(op) as DoctorCheck);
}

// ---------------------------------------------------------------------------------------------
// Restore role
// ---------------------------------------------------------------------------------------------

async function checkRestoreRole(
  options: Pick<DoctorOptions, 'iam' | 'restoreRoleArn' | 'signal'>,
  instanceArn: string,
): Promise<DoctorCheck[]> {
  const unknown = (detail: string): DoctorCheck[] => [
    { id: 'restore-role', title: "restore role's write permissions", status: 'unknown', detail },
  ];
  if (!options.restoreRoleArn) {
    return unknown('no restore role given (--restore-role-arn): its write permissions were not checked');
  }
  if (!options.iam) return unknown('no IAM client: the restore role was not checked');
  const actions = restoreWriteOperations().map((op) => `connect:${op}`);
  // The instance and a resource inside it: writes are authorized on either (CreateQueue on the
  // instance, UpdateQueueName on the queue).
  const resources = instanceArn ? [instanceArn, `${instanceArn}/*`] : undefined;
  const decisions = new Map<string, string[]>();
  try {
    const pages = paginateSimulatePrincipalPolicy(
      { client: options.iam },
      {
        PolicySourceArn: options.restoreRoleArn,
        ActionNames: actions,
        ...(resources ? { ResourceArns: resources } : {}),
      },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const action = result.EvalActionName ?? '';
        const found = decisions.get(action) ?? [];
        found.push(result.EvalDecision ?? 'unknown');
        for (const specific of result.ResourceSpecificResults ?? []) {
          found.push(specific.EvalResourceDecision ?? 'unknown');
        }
        decisions.set(action, found);
      }
    }
  } catch (error) {
    const why =
      nameOf(error) === 'AccessDeniedException' || nameOf(error) === 'AccessDenied'
        ? 'these credentials may not call iam:SimulatePrincipalPolicy on it'
        : 'the simulation failed';
    return unknown(
      `could not check the restore role ${options.restoreRoleArn}: ${why} (${nameOf(error)}: ${messageOf(error)})`,
    );
  }
  return actions.map((action) => {
    const found = decisions.get(action) ?? [];
    const allowed = found.length > 0 && found.every((d) => d === 'allowed');
    return {
      id: `restore-role:${action}`,
      title: `restore role may call ${action}`,
      status: allowed ? 'ok' : 'failed',
      detail: allowed
        ? 'allowed (simulated)'
        : `not allowed (simulated: ${[...new Set(found)].join(', ') || 'no result'}); restore needs it`,
    } satisfies DoctorCheck;
  });
}

// ---------------------------------------------------------------------------------------------
// Search against Describe
// ---------------------------------------------------------------------------------------------

/** How to read the first resource of a kind with Search, and the same resource with Describe. */
interface Comparison {
  kind: KindName;
  searchOperation: string;
  describeOperation: string;
  search(instanceId: string): unknown;
  /** The list member of the Search answer and the id member of its items. */
  list: string;
  idMember: string;
  describe(instanceId: string, id: string): unknown;
  /** The entity member of the Describe answer. */
  entity: string;
  /**
   * Members a Describe-read document cannot do without: a Describe entity that lacks one the Search
   * entity has fails the check (other members only Search has, such as a routing profile's
   * `AssociatedQueueIds`, the backup reads elsewhere or does not need).
   */
  essential?: readonly string[];
}

const PUBLISHED = { StatusCondition: 'PUBLISHED' } as const;

/** Every kind with both operations (the hierarchy structure has no Search). */
const COMPARISONS: readonly Comparison[] = [
  {
    kind: 'user-hierarchy-groups',
    searchOperation: 'SearchUserHierarchyGroups',
    describeOperation: 'DescribeUserHierarchyGroup',
    search: (InstanceId) => new SearchUserHierarchyGroupsCommand({ InstanceId, MaxResults: 1 }),
    list: 'UserHierarchyGroups',
    idMember: 'Id',
    describe: (InstanceId, HierarchyGroupId) =>
      new DescribeUserHierarchyGroupCommand({ InstanceId, HierarchyGroupId }),
    entity: 'HierarchyGroup',
  },
  {
    kind: 'hours-of-operation',
    searchOperation: 'SearchHoursOfOperations',
    describeOperation: 'DescribeHoursOfOperation',
    search: (InstanceId) => new SearchHoursOfOperationsCommand({ InstanceId, MaxResults: 1 }),
    list: 'HoursOfOperations',
    idMember: 'HoursOfOperationId',
    describe: (InstanceId, HoursOfOperationId) =>
      new DescribeHoursOfOperationCommand({ InstanceId, HoursOfOperationId }),
    entity: 'HoursOfOperation',
  },
  {
    kind: 'prompts',
    searchOperation: 'SearchPrompts',
    describeOperation: 'DescribePrompt',
    search: (InstanceId) => new SearchPromptsCommand({ InstanceId, MaxResults: 1 }),
    list: 'Prompts',
    idMember: 'PromptId',
    describe: (InstanceId, PromptId) => new DescribePromptCommand({ InstanceId, PromptId }),
    entity: 'Prompt',
  },
  {
    kind: 'agent-statuses',
    searchOperation: 'SearchAgentStatuses',
    describeOperation: 'DescribeAgentStatus',
    search: (InstanceId) => new SearchAgentStatusesCommand({ InstanceId, MaxResults: 1 }),
    list: 'AgentStatuses',
    idMember: 'AgentStatusId',
    describe: (InstanceId, AgentStatusId) => new DescribeAgentStatusCommand({ InstanceId, AgentStatusId }),
    entity: 'AgentStatus',
  },
  {
    kind: 'security-profiles',
    searchOperation: 'SearchSecurityProfiles',
    describeOperation: 'DescribeSecurityProfile',
    search: (InstanceId) => new SearchSecurityProfilesCommand({ InstanceId, MaxResults: 1 }),
    list: 'SecurityProfiles',
    idMember: 'Id',
    describe: (InstanceId, SecurityProfileId) =>
      new DescribeSecurityProfileCommand({ InstanceId, SecurityProfileId }),
    entity: 'SecurityProfile',
  },
  {
    kind: 'flows',
    searchOperation: 'SearchContactFlows',
    describeOperation: 'DescribeContactFlow',
    // Published flows only: DescribeContactFlow <id> does not answer for a flow never published.
    search: (InstanceId) =>
      new SearchContactFlowsCommand({ InstanceId, MaxResults: 1, SearchCriteria: PUBLISHED }),
    list: 'ContactFlows',
    idMember: 'Id',
    describe: (InstanceId, ContactFlowId) => new DescribeContactFlowCommand({ InstanceId, ContactFlowId }),
    entity: 'ContactFlow',
    essential: ['Content'],
  },
  {
    kind: 'flow-modules',
    searchOperation: 'SearchContactFlowModules',
    describeOperation: 'DescribeContactFlowModule',
    search: (InstanceId) =>
      new SearchContactFlowModulesCommand({ InstanceId, MaxResults: 1, SearchCriteria: PUBLISHED }),
    list: 'ContactFlowModules',
    idMember: 'Id',
    describe: (InstanceId, ContactFlowModuleId) =>
      new DescribeContactFlowModuleCommand({ InstanceId, ContactFlowModuleId }),
    entity: 'ContactFlowModule',
    essential: ['Content'],
  },
  {
    kind: 'queues',
    searchOperation: 'SearchQueues',
    describeOperation: 'DescribeQueue',
    search: (InstanceId) => new SearchQueuesCommand({ InstanceId, MaxResults: 1 }),
    list: 'Queues',
    idMember: 'QueueId',
    describe: (InstanceId, QueueId) => new DescribeQueueCommand({ InstanceId, QueueId }),
    entity: 'Queue',
  },
  {
    kind: 'routing-profiles',
    searchOperation: 'SearchRoutingProfiles',
    describeOperation: 'DescribeRoutingProfile',
    search: (InstanceId) => new SearchRoutingProfilesCommand({ InstanceId, MaxResults: 1 }),
    list: 'RoutingProfiles',
    idMember: 'RoutingProfileId',
    describe: (InstanceId, RoutingProfileId) =>
      new DescribeRoutingProfileCommand({ InstanceId, RoutingProfileId }),
    entity: 'RoutingProfile',
  },
  {
    kind: 'users',
    searchOperation: 'SearchUsers',
    describeOperation: 'DescribeUser',
    search: (InstanceId) => new SearchUsersCommand({ InstanceId, MaxResults: 1 }),
    list: 'Users',
    idMember: 'Id',
    describe: (InstanceId, UserId) => new DescribeUserCommand({ InstanceId, UserId }),
    entity: 'User',
  },
  {
    kind: 'quick-connects',
    searchOperation: 'SearchQuickConnects',
    describeOperation: 'DescribeQuickConnect',
    search: (InstanceId) => new SearchQuickConnectsCommand({ InstanceId, MaxResults: 1 }),
    list: 'QuickConnects',
    idMember: 'QuickConnectId',
    describe: (InstanceId, QuickConnectId) => new DescribeQuickConnectCommand({ InstanceId, QuickConnectId }),
    entity: 'QuickConnect',
  },
];

/**
 * The Connect operations the doctor sends besides the backup's reads: the Describe operations of the
 * Search-against-Describe comparison and of draft detection (the backup-instance role allows them
 * for its doctor mode).
 */
export function doctorDescribeOperations(): string[] {
  return [
    ...new Set([...COMPARISONS.map((c) => c.describeOperation), ...DRAFTS.map((d) => d.describeOperation)]),
  ];
}

/**
 * True when the backup stores the kind's documents from its Search entity alone: its read operations
 * hold the Search operation and not the Describe one.
 */
export function readsWithSearch(kind: KindName, searchOperation: string, describeOperation: string): boolean {
  const found = KINDS.find((k) => k.name === kind);
  if (found?.searchOnly) return true;
  const operations = found?.readOperations ?? [];
  return operations.includes(searchOperation) && !operations.includes(describeOperation);
}

/**
 * Top-level members of `described` that `searched` lacks (`missing`), of `searched` that
 * `described` lacks (`extra`), and those whose values differ, each sorted.
 */
export function compareEntities(
  searched: Record<string, unknown>,
  described: Record<string, unknown>,
): { missing: string[]; extra: string[]; different: string[] } {
  const s = toPlain(searched);
  const d = toPlain(described);
  const missing: string[] = [];
  const different: string[] = [];
  for (const [member, value] of Object.entries(d)) {
    if (!(member in s)) missing.push(member);
    else if (JSON.stringify(canonical(s[member])) !== JSON.stringify(canonical(value)))
      different.push(member);
  }
  const extra = Object.keys(s).filter((member) => !(member in d));
  return { missing: missing.sort(), extra: extra.sort(), different: different.sort() };
}

/** A JSON value with object keys sorted, so member order does not count as a difference. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function checkSearchAgainstDescribe(ctx: ConnectContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const c of COMPARISONS) {
    const label = KINDS.find((k) => k.name === c.kind)?.label ?? c.kind;
    const id = `search-vs-describe:${c.kind}`;
    const title = `${c.searchOperation} returns what ${c.describeOperation} does (${label})`;
    const relies = readsWithSearch(c.kind, c.searchOperation, c.describeOperation);
    let step = c.searchOperation;
    try {
      const found = await send(ctx, c.search(ctx.instanceId));
      const item = (found[c.list] as Array<Record<string, unknown>> | undefined)?.[0];
      const itemId = item?.[c.idMember];
      if (!item || typeof itemId !== 'string') {
        checks.push({ id, title, status: 'unknown', detail: `no ${label} in the instance to compare` });
        continue;
      }
      step = c.describeOperation;
      const described = (await send(ctx, c.describe(ctx.instanceId, itemId)))[c.entity] as
        | Record<string, unknown>
        | undefined;
      const { missing, extra, different } = compareEntities(item, described ?? {});
      const notes = [
        ...(missing.length ? [`${c.searchOperation} lacks ${missing.join(', ')}`] : []),
        ...(extra.length ? [`${c.describeOperation} lacks ${extra.join(', ')}`] : []),
        ...(different.length ? [`values differ for ${different.join(', ')}`] : []),
      ];
      // What a stored document would lack: what the entity it is stored from lacks.
      const source = relies ? c.searchOperation : c.describeOperation;
      const lost = relies ? [...missing, ...different] : extra.filter((m) => c.essential?.includes(m));
      const sample = `sample ${itemId}`;
      if (!notes.length) {
        checks.push({ id, title, status: 'ok', detail: `${sample}: every member matches` });
      } else if (lost.length) {
        checks.push({
          id,
          title,
          status: 'failed',
          detail: `${sample}: ${notes.join('; ')}; the backup stores ${label} documents from ${source}, so ${consequence(relies ? (KINDS.find((k) => k.name === c.kind)?.searchOnly?.requires ?? []) : (c.essential ?? []), lost)}`,
        });
      } else {
        checks.push({
          id,
          title,
          status: 'ok',
          detail: `${sample}: ${notes.join('; ')} (the backup stores ${label} documents from ${source}, which has what they need)`,
        });
      }
    } catch (error) {
      checks.push({
        id,
        title,
        status: 'unknown',
        detail: `could not compare: ${step} answered ${nameOf(error)}: ${messageOf(error)}`,
      });
    }
  }
  return checks;
}

/**
 * What members lost from the stored entity mean: one the backup requires on every entity (a kind's
 * `searchOnly.requires`; a flow's or module's `Content`) fails the backup, naming the resource; any
 * other is missing from the snapshot.
 */
function consequence(requires: readonly string[], lost: readonly string[]): string {
  const fatal = lost.filter((m) => requires.includes(m));
  const silent = lost.filter((m) => !requires.includes(m));
  return [
    ...(fatal.length
      ? [`the backup fails on an entity without ${fatal.join(', ')} (members it requires)`]
      : []),
    ...(silent.length ? [`its documents would lack ${silent.join(', ')}`] : []),
  ].join(', and ');
}

// ---------------------------------------------------------------------------------------------
// Draft detection
// ---------------------------------------------------------------------------------------------

interface DraftSpec {
  kind: KindName;
  label: string;
  searchOperation: string;
  describeOperation: string;
  /** Ids of every resource a Search with this StatusCondition returns (all pages). */
  ids(ctx: ConnectContext, status: 'SAVED' | 'PUBLISHED'): AsyncIterable<string>;
  /** The Describe entity of `<id>` or `<id>:$SAVED`. */
  describe(
    ctx: ConnectContext,
    qualifiedId: string,
  ): Promise<{ Status?: string; Content?: string } | undefined>;
}

const DRAFTS: readonly DraftSpec[] = [
  {
    kind: 'flows',
    label: 'flow',
    searchOperation: 'SearchContactFlows',
    describeOperation: 'DescribeContactFlow',
    async *ids(ctx, status) {
      const pages = paginateSearchContactFlows(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, SearchCriteria: { StatusCondition: status } },
      );
      for await (const page of pages) for (const f of page.ContactFlows ?? []) if (f.Id) yield f.Id;
    },
    async describe(ctx, ContactFlowId) {
      const { ContactFlow } = await ctx.connect.send(
        new DescribeContactFlowCommand({ InstanceId: ctx.instanceId, ContactFlowId }),
        { abortSignal: ctx.signal },
      );
      return ContactFlow;
    },
  },
  {
    kind: 'flow-modules',
    label: 'flow module',
    searchOperation: 'SearchContactFlowModules',
    describeOperation: 'DescribeContactFlowModule',
    async *ids(ctx, status) {
      const pages = paginateSearchContactFlowModules(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, SearchCriteria: { StatusCondition: status } },
      );
      for await (const page of pages) for (const m of page.ContactFlowModules ?? []) if (m.Id) yield m.Id;
    },
    async describe(ctx, ContactFlowModuleId) {
      const { ContactFlowModule } = await ctx.connect.send(
        new DescribeContactFlowModuleCommand({ InstanceId: ctx.instanceId, ContactFlowModuleId }),
        { abortSignal: ctx.signal },
      );
      return ContactFlowModule;
    },
  },
];

/** True when `<id>:$SAVED` holds unpublished changes: Status SAVED and content other than the published one. */
async function hasDraft(ctx: ConnectContext, spec: DraftSpec, id: string): Promise<boolean> {
  const saved = await spec.describe(ctx, `${id}:$SAVED`);
  if (saved?.Status !== 'SAVED') return false;
  const published = await spec.describe(ctx, id);
  return saved.Content !== published?.Content;
}

async function checkDraftDetection(ctx: ConnectContext, scanLimit: number): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const spec of DRAFTS) {
    const id = `draft-detection:${spec.kind}`;
    const title = `the unpublished changes of published ${spec.label}s are found`;
    // The backup finds drafts with the SAVED search (a kind read with Search alone), or describes
    // `<id>:$SAVED` of each published resource (a kind read with Describe).
    const viaSearch = readsWithSearch(spec.kind, spec.searchOperation, spec.describeOperation);
    let step = spec.searchOperation;
    try {
      const saved = new Set<string>();
      for await (const savedId of spec.ids(ctx, 'SAVED')) saved.add(savedId);
      const published: string[] = [];
      for await (const publishedId of spec.ids(ctx, 'PUBLISHED')) published.push(publishedId);
      step = spec.describeOperation;
      // A published one the SAVED search lists has a draft, if Describe agrees.
      const listed = published.filter((p) => saved.has(p)).slice(0, 3);
      let draft: string | undefined;
      for (const candidate of listed) if (!draft && (await hasDraft(ctx, spec, candidate))) draft = candidate;
      if (draft) {
        checks.push({
          id,
          title,
          status: 'ok',
          detail: `${spec.describeOperation} ${draft}:$SAVED holds unpublished changes, and ${spec.searchOperation} StatusCondition SAVED lists ${draft}`,
        });
        continue;
      }
      const scanned = published.filter((p) => !saved.has(p)).slice(0, scanLimit);
      for (const candidate of scanned) {
        if (await hasDraft(ctx, spec, candidate)) {
          draft = candidate;
          break;
        }
      }
      if (draft) {
        const found = `draft detection: ${spec.describeOperation} ${draft}:$SAVED answers unpublished changes, but ${spec.searchOperation} StatusCondition SAVED does not list ${draft}`;
        checks.push({
          id,
          title,
          status: viaSearch ? 'failed' : 'ok',
          detail: viaSearch
            ? `${found}; the backup finds drafts with that search, so it would miss them`
            : `${found}; the backup does not rely on that search: it reads ${draft}:$SAVED of each published ${spec.label}`,
        });
      } else {
        checks.push({
          id,
          title,
          status: 'unknown',
          detail: `no published ${spec.label} with unpublished changes among the ${listed.length + scanned.length} looked at: draft detection not checked`,
        });
      }
    } catch (error) {
      checks.push({
        id,
        title,
        status: 'unknown',
        detail: `could not check: ${step} answered ${nameOf(error)}: ${messageOf(error)}`,
      });
    }
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Bucket
// ---------------------------------------------------------------------------------------------

/**
 * The bucket part of {@link runDoctor}. A call the server does not implement (s3rver) or that these
 * credentials may not make gives `unknown` with the error.
 */
export async function checkBucket(
  options: Pick<DoctorOptions, 's3' | 'bucket' | 'signal'>,
): Promise<DoctorCheck[]> {
  const { s3, bucket } = options;
  const call = <T>(command: unknown) =>
    s3.send(command as Parameters<S3Client['send']>[0], { abortSignal: options.signal }) as Promise<T>;
  const couldNot = (id: string, title: string, operation: string, error: unknown): DoctorCheck => ({
    id,
    title,
    status: 'unknown',
    detail: `could not check: ${operation} answered ${nameOf(error)}: ${messageOf(error)}`,
  });

  const checks: DoctorCheck[] = [];
  const exists = { id: 'bucket:reachable', title: `bucket ${bucket} exists and lists` };
  try {
    await call(new HeadBucketCommand({ Bucket: bucket }));
    await call(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    checks.push({ ...exists, status: 'ok', detail: 'HeadBucket and ListObjectsV2 answer' });
  } catch (error) {
    checks.push({
      ...exists,
      status: 'failed',
      detail: `${nameOf(error)}: ${messageOf(error)} (the backup lists and writes snapshots there)`,
    });
    return checks;
  }

  const versioning = { id: 'bucket:versioning', title: 'bucket versioning is enabled' };
  try {
    const { Status } = await call<{ Status?: string }>(new GetBucketVersioningCommand({ Bucket: bucket }));
    checks.push(
      Status === 'Enabled'
        ? { ...versioning, status: 'ok', detail: 'Enabled' }
        : {
            ...versioning,
            status: 'failed',
            detail: `versioning is ${Status ?? 'not enabled'}: an overwritten or deleted snapshot object cannot be recovered`,
          },
    );
  } catch (error) {
    checks.push(couldNot(versioning.id, versioning.title, 'GetBucketVersioning', error));
  }

  const encryption = { id: 'bucket:encryption', title: 'bucket has default encryption' };
  try {
    const answer = await call<{
      ServerSideEncryptionConfiguration?: {
        Rules?: Array<{ ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }>;
      };
    }>(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const algorithms = (answer.ServerSideEncryptionConfiguration?.Rules ?? [])
      .map((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)
      .filter(Boolean);
    checks.push(
      algorithms.length
        ? { ...encryption, status: 'ok', detail: algorithms.join(', ') }
        : { ...encryption, status: 'failed', detail: 'no default encryption rule' },
    );
  } catch (error) {
    if (nameOf(error) === 'ServerSideEncryptionConfigurationNotFoundError') {
      checks.push({ ...encryption, status: 'failed', detail: 'no default encryption configuration' });
    } else checks.push(couldNot(encryption.id, encryption.title, 'GetBucketEncryption', error));
  }

  const publicAccess = { id: 'bucket:public-access-block', title: 'bucket blocks all public access' };
  try {
    const { PublicAccessBlockConfiguration: block = {} } = await call<{
      PublicAccessBlockConfiguration?: Record<string, boolean | undefined>;
    }>(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    const settings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];
    const off = settings.filter((s) => block[s] !== true);
    checks.push(
      off.length
        ? { ...publicAccess, status: 'failed', detail: `not set: ${off.join(', ')}` }
        : { ...publicAccess, status: 'ok', detail: settings.join(', ') },
    );
  } catch (error) {
    if (nameOf(error) === 'NoSuchPublicAccessBlockConfiguration') {
      checks.push({
        ...publicAccess,
        status: 'failed',
        detail: 'no public access block on the bucket (an account-level block is not checked)',
      });
    } else checks.push(couldNot(publicAccess.id, publicAccess.title, 'GetPublicAccessBlock', error));
  }

  const tls = { id: 'bucket:tls-only', title: 'bucket policy denies requests without TLS' };
  try {
    const { Policy } = await call<{ Policy?: string }>(new GetBucketPolicyCommand({ Bucket: bucket }));
    checks.push(
      deniesInsecureTransport(Policy ?? '')
        ? { ...tls, status: 'ok', detail: 'a Deny statement with aws:SecureTransport false' }
        : {
            ...tls,
            status: 'failed',
            detail: 'the bucket policy has no Deny of every action when aws:SecureTransport is false',
          },
    );
  } catch (error) {
    if (nameOf(error) === 'NoSuchBucketPolicy') {
      checks.push({ ...tls, status: 'failed', detail: 'the bucket has no policy' });
    } else checks.push(couldNot(tls.id, tls.title, 'GetBucketPolicy', error));
  }

  const lock = { id: 'bucket:object-lock', title: 'bucket Object Lock (informational)' };
  try {
    const { ObjectLockConfiguration: config } = await call<{
      ObjectLockConfiguration?: {
        ObjectLockEnabled?: string;
        Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } };
      };
    }>(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    const retention = config?.Rule?.DefaultRetention;
    checks.push({
      ...lock,
      status: 'ok',
      detail:
        config?.ObjectLockEnabled === 'Enabled'
          ? `enabled${retention ? `, default retention ${retention.Mode} ${retention.Days ?? retention.Years} ${retention.Days ? 'days' : 'years'}` : ', no default retention'}`
          : 'not enabled (optional: snapshots are write-once by the code, not by the bucket)',
    });
  } catch (error) {
    if (nameOf(error) === 'ObjectLockConfigurationNotFoundError') {
      checks.push({
        ...lock,
        status: 'ok',
        detail: 'not configured (optional: snapshots are write-once by the code, not by the bucket)',
      });
    } else checks.push(couldNot(lock.id, lock.title, 'GetObjectLockConfiguration', error));
  }
  return checks;
}

/** True when a bucket policy (JSON) has a Deny of all S3 actions under `aws:SecureTransport` false. */
export function deniesInsecureTransport(policy: string): boolean {
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = [document.Statement ?? []].flat() as Array<{
    Effect?: string;
    Action?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
  }>;
  return statements.some((s) => {
    const actions = [s.Action ?? []].flat();
    const all = actions.includes('s3:*') || actions.includes('*');
    const secure = s.Condition?.Bool?.['aws:SecureTransport'];
    return s.Effect === 'Deny' && all && [secure].flat().some((v) => String(v) === 'false');
  });
}

// ---------------------------------------------------------------------------------------------

function nameOf(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? 'Error';
}

function messageOf(error: unknown): string {
  return (error as { message?: string } | undefined)?.message ?? String(error);
}
