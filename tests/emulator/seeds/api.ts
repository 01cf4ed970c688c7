/**
 * A typed face of `call` for the seeds: every request is checked against the SDK's own request type
 * at compile time, and goes through the same model validation and handlers as a client's request at
 * run time.
 */
import type {
  // Evaluation forms.
  ActivateEvaluationFormRequest,
  ActivateEvaluationFormResponse,
  AssociateApprovedOriginRequest,
  AssociateBotRequest,
  AssociateHoursOfOperationsRequest,
  AssociateLambdaFunctionRequest,
  AssociatePhoneNumberContactFlowRequest,
  AssociateQueueQuickConnectsRequest,
  AssociateRoutingProfileQueuesRequest,
  AssociateUserProficienciesRequest,
  CreateAgentStatusRequest,
  CreateAgentStatusResponse,
  CreateContactFlowModuleRequest,
  CreateContactFlowModuleResponse,
  CreateContactFlowRequest,
  CreateContactFlowResponse,
  CreateEvaluationFormRequest,
  CreateEvaluationFormResponse,
  CreateHoursOfOperationOverrideRequest,
  CreateHoursOfOperationOverrideResponse,
  CreateHoursOfOperationRequest,
  CreateHoursOfOperationResponse,
  CreatePredefinedAttributeRequest,
  CreatePromptRequest,
  CreatePromptResponse,
  CreateQueueRequest,
  CreateQueueResponse,
  CreateQuickConnectRequest,
  CreateQuickConnectResponse,
  CreateRoutingProfileRequest,
  CreateRoutingProfileResponse,
  CreateRuleRequest,
  CreateRuleResponse,
  CreateSecurityProfileRequest,
  CreateSecurityProfileResponse,
  CreateTaskTemplateRequest,
  CreateTaskTemplateResponse,
  CreateUserHierarchyGroupRequest,
  CreateUserHierarchyGroupResponse,
  CreateUserRequest,
  CreateUserResponse,
  CreateViewRequest,
  CreateViewResponse,
  CreateVocabularyRequest,
  CreateVocabularyResponse,
  TagResourceRequest,
  UpdateContactFlowContentRequest,
  UpdateContactFlowContentResponse,
  UpdateEvaluationFormRequest,
  UpdateEvaluationFormResponse,
  UpdateInstanceAttributeRequest,
  UpdateQueueStatusRequest,
  UpdateUserHierarchyStructureRequest,
  UpdateViewContentRequest,
  UpdateViewContentResponse,
} from '@aws-sdk/client-connect';
import type { InstanceState } from '../state.js';
import { call, type SeedEnv } from './support.js';

type Empty = Record<string, never>;

/** The operations the seeds use: request and response types, from the SDK. */
interface SeedOperations {
  AssociateApprovedOrigin: [AssociateApprovedOriginRequest, Empty];
  AssociateBot: [AssociateBotRequest, Empty];
  AssociateHoursOfOperations: [AssociateHoursOfOperationsRequest, Empty];
  AssociateLambdaFunction: [AssociateLambdaFunctionRequest, Empty];
  AssociatePhoneNumberContactFlow: [AssociatePhoneNumberContactFlowRequest, Empty];
  AssociateQueueQuickConnects: [AssociateQueueQuickConnectsRequest, Empty];
  AssociateRoutingProfileQueues: [AssociateRoutingProfileQueuesRequest, Empty];
  AssociateUserProficiencies: [AssociateUserProficienciesRequest, Empty];
  CreateAgentStatus: [CreateAgentStatusRequest, CreateAgentStatusResponse];
  CreateContactFlow: [CreateContactFlowRequest, CreateContactFlowResponse];
  CreateContactFlowModule: [CreateContactFlowModuleRequest, CreateContactFlowModuleResponse];
  CreateHoursOfOperation: [CreateHoursOfOperationRequest, CreateHoursOfOperationResponse];
  CreateHoursOfOperationOverride: [
    CreateHoursOfOperationOverrideRequest,
    CreateHoursOfOperationOverrideResponse,
  ];
  CreatePredefinedAttribute: [CreatePredefinedAttributeRequest, Empty];
  CreatePrompt: [CreatePromptRequest, CreatePromptResponse];
  CreateQueue: [CreateQueueRequest, CreateQueueResponse];
  CreateQuickConnect: [CreateQuickConnectRequest, CreateQuickConnectResponse];
  CreateRoutingProfile: [CreateRoutingProfileRequest, CreateRoutingProfileResponse];
  CreateSecurityProfile: [CreateSecurityProfileRequest, CreateSecurityProfileResponse];
  CreateUser: [CreateUserRequest, CreateUserResponse];
  CreateUserHierarchyGroup: [CreateUserHierarchyGroupRequest, CreateUserHierarchyGroupResponse];
  UpdateContactFlowContent: [UpdateContactFlowContentRequest, UpdateContactFlowContentResponse];
  UpdateInstanceAttribute: [UpdateInstanceAttributeRequest, Empty];
  UpdateQueueStatus: [UpdateQueueStatusRequest, Empty];
  UpdateUserHierarchyStructure: [UpdateUserHierarchyStructureRequest, Empty];
  // Evaluation forms.
  ActivateEvaluationForm: [ActivateEvaluationFormRequest, ActivateEvaluationFormResponse];
  CreateEvaluationForm: [CreateEvaluationFormRequest, CreateEvaluationFormResponse];
  UpdateEvaluationForm: [UpdateEvaluationFormRequest, UpdateEvaluationFormResponse];
  // Vocabularies.
  CreateVocabulary: [CreateVocabularyRequest, CreateVocabularyResponse];
  // Task templates (CreateTaskTemplate takes no tags: TagResource).
  CreateTaskTemplate: [CreateTaskTemplateRequest, CreateTaskTemplateResponse];
  TagResource: [TagResourceRequest, Empty];
  // Views.
  CreateView: [CreateViewRequest, CreateViewResponse];
  UpdateViewContent: [UpdateViewContentRequest, UpdateViewContentResponse];
  // Rules.
  CreateRule: [CreateRuleRequest, CreateRuleResponse];
}

export type SeedOperation = keyof SeedOperations;
/** A request without `InstanceId` (the client adds it). */
export type SeedInput<K extends SeedOperation> = Omit<SeedOperations[K][0], 'InstanceId'>;
export type SeedOutput<K extends SeedOperation> = SeedOperations[K][1];

/** Calls operations on one instance, as a client in the instance's account and Region. */
export class SeedClient {
  constructor(
    readonly env: SeedEnv,
    readonly instance: InstanceState,
  ) {}

  /**
   * Runs one Connect operation through model validation and its handler.
   * @throws ConnectError exactly as the HTTP API would answer.
   */
  send<K extends SeedOperation>(operation: K, input: SeedInput<K>): Promise<SeedOutput<K>> {
    return call<SeedOutput<K>>(this.env, this.instance, operation, input as Record<string, unknown>);
  }
}
