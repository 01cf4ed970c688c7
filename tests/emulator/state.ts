/**
 * The emulator's state: accounts → Regions → Connect instances, and per instance one collection per
 * resource type. Entities are stored in the shape the API returns them (the SDK's own types), so
 * Describe and Search hand them back and the response encoder does the rest.
 */

import { randomUUID } from 'node:crypto';
import type {
  AgentStatus,
  Application,
  ClaimedPhoneNumberSummary,
  ContactFlow,
  ContactFlowModule,
  DescribeEmailAddressResponse,
  EvaluationForm,
  FlowModule,
  GetTaskTemplateResponse,
  HierarchyGroup,
  HierarchyStructure,
  HoursOfOperation,
  HoursOfOperationOverride,
  PredefinedAttribute,
  Prompt,
  Queue,
  QuickConnect,
  RoutingProfile,
  RoutingProfileManualAssignmentQueueConfigSummary,
  RoutingProfileQueueConfigSummary,
  Rule,
  SecurityProfile,
  User,
  UserProficiency,
  View,
  Vocabulary,
} from '@aws-sdk/client-connect';
import { duplicate, notFound } from './errors.js';
import { PromptFiles } from './prompt-files.js';
import { Propagation } from './propagation.js';
import type { Quirk } from './quirks.js';

/** The ARN resource-type segments Connect uses (`…:instance/<id>/<segment>/<resourceId>`). */
export type ArnSegment =
  | 'contact-flow'
  | 'flow-module'
  | 'queue'
  | 'routing-profile'
  | 'agent'
  | 'agent-group'
  | 'security-profile'
  | 'prompt'
  | 'operating-hours'
  | 'transfer-destination'
  | 'agent-state'
  | 'evaluation-form'
  | 'email-address'
  | 'vocabulary'
  | 'task-template'
  | 'view'
  | 'rule';

/** A stored resource: its identity at the top, its API entity beside any extra state. */
export interface StoredResource<E> {
  id: string;
  arn: string;
  name: string;
  entity: E;
}

/**
 * An ordered collection of one resource type in one instance, with a unique-name index.
 * Insertion order is the stable order List and Search operations page through.
 *
 * With a propagation delay (propagation.ts), `find` and `require` do not see a record created
 * moments ago, and `searchable` gives Search its lagging view; `all` (List) and the name index see
 * every record at once.
 */
export class Collection<R extends StoredResource<unknown>> {
  private readonly byId = new Map<string, R>();
  private readonly byName = new Map<string, string>();

  constructor(
    readonly label: string,
    readonly segment: ArnSegment,
    private readonly propagation: () => Propagation | undefined = () => undefined,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  all(): R[] {
    return [...this.byId.values()];
  }

  /** Records as Search sees them: without those not yet propagated, changed ones as they were. */
  searchable(): R[] {
    const propagation = this.propagation();
    if (!propagation) return this.all();
    return this.all()
      .map((record) => propagation.searchView(record))
      .filter((record): record is R => record !== undefined);
  }

  /** Finds by id or ARN (the service accepts both for most id members); not a record still propagating. */
  find(idOrArn: string): R | undefined {
    const found = this.byId.get(idOrArn) ?? this.byId.get(idOrArn.split('/').at(-1) ?? '');
    return found && (this.propagation()?.visible(found) ?? true) ? found : undefined;
  }

  /** @throws ConnectError ResourceNotFoundException (404) */
  require(idOrArn: string): R {
    const found = this.find(idOrArn);
    if (!found) throw notFound(this.label, idOrArn);
    return found;
  }

  findByName(name: string): R | undefined {
    const id = this.byName.get(name);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** @throws ConnectError DuplicateResourceException (409) when the name is taken. */
  assertNameFree(name: string, exceptId?: string): void {
    const id = this.byName.get(name);
    if (id !== undefined && id !== exceptId) throw duplicate(this.label, name);
  }

  /** Adds a record. @throws ConnectError DuplicateResourceException (409) when the name is taken. */
  add(record: R): R {
    this.assertNameFree(record.name);
    this.byId.set(record.id, record);
    this.byName.set(record.name, record.id);
    this.propagation()?.created(record);
    return record;
  }

  /** Renames a record. @throws ConnectError DuplicateResourceException (409) when the name is taken. */
  rename(record: R, name: string): void {
    if (name === record.name) return;
    this.assertNameFree(name, record.id);
    this.byName.delete(record.name);
    record.name = name;
    this.byName.set(name, record.id);
  }

  remove(record: R): void {
    this.byId.delete(record.id);
    this.byName.delete(record.name);
  }
}

export interface FlowRecord extends StoredResource<ContactFlow> {
  /** Unpublished changes saved over a published flow, answered for `<id>:$SAVED`. */
  savedDraft?: { Content: string; FlowContentSha256: string; LastModifiedTime: Date };
}
export interface FlowModuleRecord extends StoredResource<ContactFlowModule> {
  /** Unpublished changes saved over the published module, answered for `<id>:$SAVED`. */
  savedDraft?: { Content: string; Settings?: string };
}
export interface QueueRecord extends StoredResource<Queue> {
  /** Quick connects linked to the queue, in link order (ListQueueQuickConnects). */
  quickConnectIds: string[];
}
export interface RoutingProfileRecord extends StoredResource<RoutingProfile> {
  /** Queue configs in association order (ListRoutingProfileQueues). */
  queueConfigs: RoutingProfileQueueConfigSummary[];
  /** Manual-assignment queue configs in association order (ListRoutingProfileManualAssignmentQueues). */
  manualAssignmentQueueConfigs?: RoutingProfileManualAssignmentQueueConfigSummary[];
}
export interface UserRecord extends StoredResource<User> {
  /**
   * The user's proficiencies (ListUserProficiencies), in association order, and when the list last
   * changed. A change here does not move the user's own LastModifiedTime (an emulator choice: the
   * docs give the list a LastModifiedTime of its own and do not say that the user's moves with it).
   */
  proficiencies?: UserProficiency[];
  proficienciesModified?: { time: Date; region: string };
}
export type HierarchyGroupRecord = StoredResource<HierarchyGroup>;
export interface SecurityProfileRecord extends StoredResource<SecurityProfile> {
  permissions: string[];
  /** Third-party applications and MCP servers (ListSecurityProfileApplications); none when absent. */
  applications?: Application[];
  /** Flow modules an AI agent may invoke as tools (ListSecurityProfileFlowModules); none when absent. */
  allowedFlowModules?: FlowModule[];
}
/** A prompt's audio as the emulator keeps it (prompt-files.ts). */
export interface PromptAudio {
  bytes: Uint8Array;
  contentType: string;
  /** Made up from the URI: no S3 endpoint was configured to read it from. */
  placeholder?: boolean;
}
export interface PromptRecord extends StoredResource<Prompt> {
  s3Uri: string;
  /** The bytes read from `s3Uri` on CreatePrompt / UpdatePrompt. */
  audio: PromptAudio;
}
export interface HoursOfOperationRecord extends StoredResource<HoursOfOperation> {
  /**
   * Overrides in creation order (ListHoursOfOperationOverrides). Each carries its own
   * `HoursOfOperationOverrideId`; `HoursOfOperationId`/`HoursOfOperationArn` are added on read.
   */
  overrides?: HoursOfOperationOverride[];
  /** Ids of the parent hours whose overrides this one inherits, in link order (≤ 3). */
  parentIds?: string[];
}
export type QuickConnectRecord = StoredResource<QuickConnect>;
export type AgentStatusRecord = StoredResource<AgentStatus>;

/**
 * An evaluation form: its versions (index = version - 1, each the EvaluationForm that
 * DescribeEvaluationForm answers for it, without Tags) and the form's own summary data. The
 * entity holds the form's Tags (TagResource works on the form's ARN), shared by every version.
 */
export interface EvaluationFormRecord extends StoredResource<{ Tags?: Record<string, string> }> {
  versions: EvaluationForm[];
  /** The ACTIVE version, if any. */
  activeVersion?: number;
  lastModified: Date;
  lastActivated?: Date;
}

/** A task template: the GetTaskTemplate answer (without InstanceId), Tags included. */
export type TaskTemplateRecord = StoredResource<Omit<GetTaskTemplateResponse, 'InstanceId' | '$metadata'>>;

/** A rule: the DescribeRule entity, Tags included. */
export type RuleRecord = StoredResource<Rule>;

/**
 * A customer-managed view: `entity` holds the identity, Name, Description, Tags and times (the
 * `View` members shared by every version); `saved` is the `$SAVED` content, `latest` the `$LATEST`
 * (published) content, absent until the view is first published; `versions` the immutable versions
 * CreateViewVersion made (index = version - 1).
 */
export interface ViewRecord extends StoredResource<View> {
  saved: ViewVersionContent;
  latest?: ViewVersionContent;
  versions: ViewVersionContent[];
}

/** A content of a view, as one qualifier or version holds it. */
export interface ViewVersionContent {
  Content: { Template?: string; Actions?: string[]; InputSchema?: string };
  ViewContentSha256: string;
  LastModifiedTime: Date;
  VersionDescription?: string;
}

/**
 * An e-mail address of the instance (handlers/email-addresses.ts): the entity is what
 * DescribeEmailAddress answers (Tags included); the record's name is the address, lower-cased
 * (addresses are unique per instance, compared without case).
 */
export type EmailAddressRecord = StoredResource<Omit<DescribeEmailAddressResponse, '$metadata'>>;

/**
 * A custom vocabulary (handlers/vocabularies.ts): the entity is the `Vocabulary` DescribeVocabulary
 * answers. `readyAt` is when a CREATION_IN_PROGRESS vocabulary becomes ACTIVE (or CREATION_FAILED
 * when `failure` is set): the build is asynchronous.
 */
export interface VocabularyRecord extends StoredResource<Vocabulary> {
  readyAt?: Date;
  failure?: string;
}

/**
 * A phone number claimed to an instance. Phone numbers live outside the instance (their ARN is
 * `arn:aws:connect:<region>:<account>:phone-number/<id>`); the instance they are claimed to holds
 * them here, with the id of the voice flow they ring (AssociatePhoneNumberContactFlow), if any.
 */
export interface PhoneNumberRecord {
  id: string;
  arn: string;
  /** The E.164 number. */
  number: string;
  /** As DescribePhoneNumber answers it. */
  entity: ClaimedPhoneNumberSummary;
  /** The flow the number rings. */
  contactFlowId?: string;
}

/** One Connect instance and everything in it. */
export class InstanceState {
  /** Set when the instance joins a world (`World.addInstance`). */
  propagation?: Propagation;
  readonly flows = new Collection<FlowRecord>('Contact flow', 'contact-flow', () => this.propagation);
  readonly flowModules = new Collection<FlowModuleRecord>(
    'Contact flow module',
    'flow-module',
    () => this.propagation,
  );
  readonly queues = new Collection<QueueRecord>('Queue', 'queue', () => this.propagation);
  readonly routingProfiles = new Collection<RoutingProfileRecord>(
    'Routing profile',
    'routing-profile',
    () => this.propagation,
  );
  readonly users = new Collection<UserRecord>('User', 'agent', () => this.propagation);
  readonly hierarchyGroups = new Collection<HierarchyGroupRecord>(
    'User hierarchy group',
    'agent-group',
    () => this.propagation,
  );
  readonly securityProfiles = new Collection<SecurityProfileRecord>(
    'Security profile',
    'security-profile',
    () => this.propagation,
  );
  readonly prompts = new Collection<PromptRecord>('Prompt', 'prompt', () => this.propagation);
  readonly hoursOfOperations = new Collection<HoursOfOperationRecord>(
    'Hours of operation',
    'operating-hours',
    () => this.propagation,
  );
  readonly quickConnects = new Collection<QuickConnectRecord>(
    'Quick connect',
    'transfer-destination',
    () => this.propagation,
  );
  readonly agentStatuses = new Collection<AgentStatusRecord>(
    'Agent status',
    'agent-state',
    () => this.propagation,
  );
  /** Evaluation forms (handlers/evaluation-forms.ts); Title is the unique name. */
  readonly evaluationForms = new Collection<EvaluationFormRecord>(
    'Evaluation form',
    'evaluation-form',
    () => this.propagation,
  );
  /** Task templates (handlers/task-templates.ts). */
  readonly taskTemplates = new Collection<TaskTemplateRecord>('Task template', 'task-template');
  /** Customer-managed views (handlers/views.ts); AWS-managed views are answered from views.ts' table. */
  readonly views = new Collection<ViewRecord>('View', 'view');
  /** Rules (handlers/rules.ts). */
  readonly rules = new Collection<RuleRecord>('Rule', 'rule');

  /** E-mail addresses (handlers/email-addresses.ts), by lower-cased address. */
  readonly emailAddresses = new Collection<EmailAddressRecord>(
    'Email address',
    'email-address',
    () => this.propagation,
  );
  /**
   * The e-mail domains of the instance: its default `<alias>.email.connect.aws` and the custom
   * domains seeds add (in Connect, verified SES identities the instance was given). CreateEmailAddress
   * accepts only addresses on one of them.
   */
  readonly emailDomains = new Set<string>();
  /** Custom vocabularies (handlers/vocabularies.ts); the name is unique (ResourceConflictException). */
  readonly vocabularies = new Collection<VocabularyRecord>(
    'Vocabulary',
    'vocabulary',
    () => this.propagation,
  );

  /** Phone numbers claimed to the instance, by id, in claim order (ListPhoneNumbersV2). */
  readonly phoneNumbers = new Map<string, PhoneNumberRecord>();

  /**
   * Predefined attributes by name, in creation order. They have no id, no ARN and no tags
   * (connect-api-facts.md, "Predefined attributes"): the API addresses them by name.
   */
  readonly predefinedAttributes = new Map<string, PredefinedAttribute>();

  /** Level names of the user hierarchy (a singleton; DescribeUserHierarchyStructure). */
  hierarchyStructure: HierarchyStructure = {};
  /** Instance attributes by AttributeType (DescribeInstanceAttribute). */
  readonly attributes = new Map<string, string>();
  /** Lambda function ARNs associated with the instance (ListLambdaFunctions). */
  readonly lambdaFunctions: string[] = [];
  /** Lex V2 bot alias ARNs associated with the instance (ListBots, lexVersion V2). */
  readonly lexV2Bots: string[] = [];
  /** Approved origins (ListApprovedOrigins), in association order. */
  readonly approvedOrigins: string[] = [];
  /**
   * The account is allowlisted for USE_CUSTOM_TTS_VOICES (the API reference: "Only allowlisted
   * customers can consume USE_CUSTOM_TTS_VOICES"); false for every seeded instance.
   */
  customTtsVoicesAllowlisted = false;

  readonly arn: string;

  constructor(
    readonly id: string,
    readonly alias: string,
    readonly accountId: string,
    readonly region: string,
    readonly createdTime: Date,
    readonly identityManagementType: 'CONNECT_MANAGED' | 'SAML' | 'EXISTING_DIRECTORY' = 'CONNECT_MANAGED',
  ) {
    this.arn = `arn:aws:connect:${region}:${accountId}:instance/${id}`;
    this.emailDomains.add(`${alias}.email.connect.aws`.toLowerCase());
  }

  /** Every collection, for ARN look-ups and tagging. */
  collections(): Array<Collection<StoredResource<unknown>>> {
    return [
      this.flows,
      this.flowModules,
      this.queues,
      this.routingProfiles,
      this.users,
      this.hierarchyGroups,
      this.securityProfiles,
      this.prompts,
      this.hoursOfOperations,
      this.quickConnects,
      this.agentStatuses,
      this.evaluationForms,
      this.emailAddresses,
      this.vocabularies,
      this.taskTemplates,
      this.views,
      this.rules,
    ] as Array<Collection<StoredResource<unknown>>>;
  }

  /** The ARN of a new resource of this instance. */
  arnFor(segment: ArnSegment, resourceId: string): string {
    return `${this.arn}/${segment}/${resourceId}`;
  }

  /** Finds any resource of this instance by its ARN. */
  findByArn(
    arn: string,
  ): { collection: Collection<StoredResource<unknown>>; record: StoredResource<unknown> } | undefined {
    // AGENT queues: `…/queue/agent/<id>`.
    const match = /^arn:aws:connect:([^:]+):(\d{12}):instance\/([^/]+)\/([^/]+)\/(?:agent\/)?([^/:]+)$/.exec(
      arn,
    );
    if (!match || match[3] !== this.id || match[1] !== this.region || match[2] !== this.accountId)
      return undefined;
    const collection = this.collections().find((c) => c.segment === match[4]);
    const record = collection?.find(match[5]!);
    return collection && record && record.arn === arn ? { collection, record } : undefined;
  }
}

/** Where and how the emulator was asked to keep time and make ids. */
export interface Clock {
  now(): Date;
}

/** The whole emulated world: every account and Region. */
export class World {
  readonly instances = new Map<string, InstanceState>();
  /** Eventual consistency (off until `propagation.delayMs` is set). */
  readonly propagation = new Propagation();
  /** Behaviours of the real service switched on for tests (quirks.ts). */
  readonly quirks = new Set<Quirk>();
  /** Prompt audio: seeded bytes, the local S3, the presigned URLs GetPromptFile answers. */
  readonly promptFiles: PromptFiles = new PromptFiles(this);
  /**
   * How long CreateVocabulary's asynchronous build takes, in ms: a new vocabulary is
   * CREATION_IN_PROGRESS until then (handlers/vocabularies.ts). 0 while seeding, so seeded
   * vocabularies are ACTIVE at once.
   */
  vocabularyBuildMs = 0;
  private lastTime = 0;

  constructor(readonly clock: Clock = { now: () => new Date() }) {}

  /**
   * A timestamp for a change. Strictly increasing, so `LastModifiedTime` moves on every change even
   * when two changes land in the same millisecond.
   */
  tick(): Date {
    const now = Math.max(this.clock.now().getTime(), this.lastTime + 1);
    this.lastTime = now;
    return new Date(now);
  }

  newId(): string {
    return randomUUID();
  }

  addInstance(instance: InstanceState): InstanceState {
    instance.propagation = this.propagation;
    this.instances.set(instance.id, instance);
    return instance;
  }

  /** Instances visible to one account in one Region, in creation order. */
  instancesOf(accountId: string, region: string): InstanceState[] {
    return [...this.instances.values()].filter((i) => i.accountId === accountId && i.region === region);
  }

  /**
   * Finds a claimed phone number by id or ARN among the instances of one account and Region (phone
   * numbers are not inside an instance: DescribePhoneNumber names none).
   */
  phoneNumberFor(
    idOrArn: string,
    accountId: string,
    region: string,
  ): { instance: InstanceState; record: PhoneNumberRecord } | undefined {
    const id = idOrArn.startsWith('arn:') ? (idOrArn.split('/').at(-1) ?? '') : idOrArn;
    for (const instance of this.instancesOf(accountId, region)) {
      const record = instance.phoneNumbers.get(id);
      if (record && (!idOrArn.startsWith('arn:') || record.arn === idOrArn)) return { instance, record };
    }
    return undefined;
  }

  /** True when some instance of the world has claimed this E.164 number. */
  isClaimed(number: string): boolean {
    return [...this.instances.values()].some((i) =>
      [...i.phoneNumbers.values()].some((p) => p.number === number),
    );
  }

  /**
   * Finds an instance by id or ARN, as seen by a caller in one account and Region.
   * @throws ConnectError ResourceNotFoundException (404) when it does not exist there.
   */
  instanceFor(idOrArn: string, accountId: string, region: string): InstanceState {
    const id = idOrArn.startsWith('arn:') ? (idOrArn.split('/')[1] ?? '') : idOrArn;
    const instance = this.instances.get(id);
    if (!instance || instance.accountId !== accountId || instance.region !== region) {
      throw notFound('Instance', idOrArn);
    }
    return instance;
  }
}
