/**
 * Ground truth for tests: everything an instance holds, read the plain way (List, then Describe each
 * item, plus the association lists), independently of the product's kinds.
 */
import {
  type ConnectClient,
  DescribeAgentStatusCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeEmailAddressCommand,
  DescribeEvaluationFormCommand,
  DescribeHoursOfOperationCommand,
  DescribePhoneNumberCommand,
  DescribePredefinedAttributeCommand,
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
  GetTaskTemplateCommand,
  paginateListAgentStatuses,
  paginateListContactFlowModules,
  paginateListContactFlows,
  paginateListEvaluationForms,
  paginateListFlowAssociations,
  paginateListHoursOfOperationOverrides,
  paginateListHoursOfOperations,
  paginateListPhoneNumbersV2,
  paginateListPredefinedAttributes,
  paginateListPrompts,
  paginateListQueueQuickConnects,
  paginateListQueues,
  paginateListQuickConnects,
  paginateListRoutingProfileManualAssignmentQueues,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListRules,
  paginateListSecurityProfileApplications,
  paginateListSecurityProfileFlowModules,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateListTaskTemplates,
  paginateListUserHierarchyGroups,
  paginateListUserProficiencies,
  paginateListUsers,
  paginateListViews,
  paginateSearchVocabularies,
  SearchEmailAddressesCommand,
} from '@aws-sdk/client-connect';
import type { KindName } from '#shared/kinds/index.js';

export interface TruthItem {
  id: string;
  name: string;
  resource: Record<string, unknown>;
  related?: Record<string, unknown>;
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

async function all<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/** Reads every resource of every kind with List + Describe, one call at a time. */
export async function describeEverything(
  connect: ConnectClient,
  InstanceId: string,
): Promise<Record<KindName, TruthItem[]>> {
  const c = { client: connect };
  const truth = {} as Record<KindName, TruthItem[]>;

  truth.flows = [];
  for (const s of await all(paginateListContactFlows(c, { InstanceId }), (p) => p.ContactFlowSummaryList)) {
    const saved = await connect.send(
      new DescribeContactFlowCommand({ InstanceId, ContactFlowId: `${s.Id}:$SAVED` }),
    );
    // A flow never published answers `<id>` with ContactFlowNotPublishedException: its SAVED view is all there is.
    const { ContactFlow } =
      s.ContactFlowStatus === 'SAVED'
        ? saved
        : await connect.send(new DescribeContactFlowCommand({ InstanceId, ContactFlowId: s.Id }));
    const draft = ContactFlow?.Status === 'PUBLISHED' && saved.ContactFlow?.Status === 'SAVED';
    truth.flows.push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(ContactFlow),
      ...(draft ? { related: { savedContent: saved.ContactFlow?.Content } } : {}),
    });
  }
  truth['flow-modules'] = [];
  for (const s of await all(
    paginateListContactFlowModules(c, { InstanceId }),
    (p) => p.ContactFlowModulesSummaryList,
  )) {
    const { ContactFlowModule } = await connect.send(
      new DescribeContactFlowModuleCommand({ InstanceId, ContactFlowModuleId: s.Id }),
    );
    truth['flow-modules'].push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(ContactFlowModule) });
  }
  truth.queues = [];
  for (const s of await all(
    paginateListQueues(c, { InstanceId, QueueTypes: ['STANDARD'] }),
    (p) => p.QueueSummaryList,
  )) {
    const { Queue } = await connect.send(new DescribeQueueCommand({ InstanceId, QueueId: s.Id }));
    const links = await all(
      paginateListQueueQuickConnects(c, { InstanceId, QueueId: s.Id }),
      (p) => p.QuickConnectSummaryList,
    );
    truth.queues.push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(Queue),
      related: { quickConnectIds: links.map((l) => l.Id) },
    });
  }
  truth['routing-profiles'] = [];
  for (const s of await all(
    paginateListRoutingProfiles(c, { InstanceId }),
    (p) => p.RoutingProfileSummaryList,
  )) {
    const { RoutingProfile } = await connect.send(
      new DescribeRoutingProfileCommand({ InstanceId, RoutingProfileId: s.Id }),
    );
    const configs = await all(
      paginateListRoutingProfileQueues(c, { InstanceId, RoutingProfileId: s.Id }),
      (p) => p.RoutingProfileQueueConfigSummaryList,
    );
    const manual = await all(
      paginateListRoutingProfileManualAssignmentQueues(c, { InstanceId, RoutingProfileId: s.Id }),
      (p) => p.RoutingProfileManualAssignmentQueueConfigSummaryList,
    );
    const byQueueAndChannel = (a: { QueueId?: string; Channel?: string }, b: typeof a) =>
      `${a.QueueId}\u0000${a.Channel}` < `${b.QueueId}\u0000${b.Channel}` ? -1 : 1;
    truth['routing-profiles'].push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(RoutingProfile),
      related: {
        queueConfigs: configs.map(plain),
        ...(manual.length ? { manualAssignmentQueueConfigs: manual.sort(byQueueAndChannel).map(plain) } : {}),
      },
    });
  }
  truth.users = [];
  for (const s of await all(paginateListUsers(c, { InstanceId }), (p) => p.UserSummaryList)) {
    const { User } = await connect.send(new DescribeUserCommand({ InstanceId, UserId: s.Id }));
    const proficiencies = await all(
      paginateListUserProficiencies(c, { InstanceId, UserId: s.Id }),
      (p) => p.UserProficiencyList,
    );
    const key = (p: { AttributeName?: string; AttributeValue?: string }) =>
      `${p.AttributeName}\u0000${p.AttributeValue}`;
    truth.users.push({
      id: s.Id ?? '',
      name: s.Username ?? '',
      resource: plain(User),
      related: { proficiencies: proficiencies.map(plain).sort((a, b) => (key(a) < key(b) ? -1 : 1)) },
    });
  }
  truth['predefined-attributes'] = [];
  for (const s of await all(
    paginateListPredefinedAttributes(c, { InstanceId }),
    (p) => p.PredefinedAttributeSummaryList,
  )) {
    const { PredefinedAttribute } = await connect.send(
      new DescribePredefinedAttributeCommand({ InstanceId, Name: s.Name }),
    );
    truth['predefined-attributes'].push({
      id: `predefined-attribute:${s.Name}`,
      name: s.Name ?? '',
      resource: plain(PredefinedAttribute),
    });
  }
  // Evaluation forms: the active version (else the latest), and a later draft beside it.
  truth['evaluation-forms'] = [];
  for (const s of await all(
    paginateListEvaluationForms(c, { InstanceId }),
    (p) => p.EvaluationFormSummaryList,
  )) {
    const describe = async (EvaluationFormVersion: number | undefined) =>
      (
        await connect.send(
          new DescribeEvaluationFormCommand({
            InstanceId,
            EvaluationFormId: s.EvaluationFormId,
            EvaluationFormVersion,
          }),
        )
      ).EvaluationForm;
    const latest =
      s.ActiveVersion !== undefined && (s.LatestVersion ?? 0) > s.ActiveVersion
        ? await describe(s.LatestVersion)
        : undefined;
    truth['evaluation-forms'].push({
      id: s.EvaluationFormId ?? '',
      name: s.Title ?? '',
      resource: plain(await describe(s.ActiveVersion ?? s.LatestVersion)),
      related: {
        summary: plain({
          LatestVersion: s.LatestVersion,
          ActiveVersion: s.ActiveVersion,
          LastModifiedTime: s.LastModifiedTime,
        }),
        ...(latest ? { latestDraft: plain(latest) } : {}),
      },
    });
  }
  // E-mail addresses: SearchEmailAddresses is their only lister (no paginator in the SDK).
  truth['email-addresses'] = [];
  let emailToken: string | undefined;
  do {
    const page = await connect.send(new SearchEmailAddressesCommand({ InstanceId, NextToken: emailToken }));
    for (const found of page.EmailAddresses ?? []) {
      const { $metadata: _metadata, ...address } = await connect.send(
        new DescribeEmailAddressCommand({ InstanceId, EmailAddressId: found.EmailAddressId }),
      );
      truth['email-addresses'].push({
        id: address.EmailAddressId ?? '',
        name: address.EmailAddress ?? '',
        resource: plain(address),
      });
    }
    emailToken = page.NextToken;
  } while (emailToken);
  // Vocabularies: SearchVocabularies is their only lister; Describe for Content and Tags.
  truth.vocabularies = [];
  for (const s of await all(paginateSearchVocabularies(c, { InstanceId }), (p) => p.VocabularySummaryList)) {
    const { Vocabulary } = await connect.send(
      new DescribeVocabularyCommand({ InstanceId, VocabularyId: s.Id }),
    );
    truth.vocabularies.push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(Vocabulary) });
  }
  truth['user-hierarchy-groups'] = [];
  for (const s of await all(
    paginateListUserHierarchyGroups(c, { InstanceId }),
    (p) => p.UserHierarchyGroupSummaryList,
  )) {
    const { HierarchyGroup } = await connect.send(
      new DescribeUserHierarchyGroupCommand({ InstanceId, HierarchyGroupId: s.Id }),
    );
    truth['user-hierarchy-groups'].push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(HierarchyGroup),
    });
  }
  const { HierarchyStructure } = await connect.send(
    new DescribeUserHierarchyStructureCommand({ InstanceId }),
  );
  truth['user-hierarchy-structure'] = [
    {
      id: 'user-hierarchy-structure',
      name: 'user hierarchy structure',
      resource: plain(HierarchyStructure ?? {}),
    },
  ];
  truth['security-profiles'] = [];
  for (const s of await all(
    paginateListSecurityProfiles(c, { InstanceId }),
    (p) => p.SecurityProfileSummaryList,
  )) {
    const { SecurityProfile } = await connect.send(
      new DescribeSecurityProfileCommand({ InstanceId, SecurityProfileId: s.Id }),
    );
    const permissions = await all(
      paginateListSecurityProfilePermissions(c, { InstanceId, SecurityProfileId: s.Id }),
      (p) => p.Permissions,
    );
    const applications = await all(
      paginateListSecurityProfileApplications(c, { InstanceId, SecurityProfileId: s.Id }),
      (p) => p.Applications,
    );
    const allowedFlowModules = await all(
      paginateListSecurityProfileFlowModules(c, { InstanceId, SecurityProfileId: s.Id }),
      (p) => p.AllowedFlowModules,
    );
    truth['security-profiles'].push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(SecurityProfile),
      related: {
        permissions,
        applications: plain(applications),
        allowedFlowModules: plain(allowedFlowModules),
      },
    });
  }
  truth.prompts = [];
  for (const s of await all(paginateListPrompts(c, { InstanceId }), (p) => p.PromptSummaryList)) {
    const { Prompt } = await connect.send(new DescribePromptCommand({ InstanceId, PromptId: s.Id }));
    truth.prompts.push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(Prompt) });
  }
  truth['hours-of-operation'] = [];
  for (const s of await all(
    paginateListHoursOfOperations(c, { InstanceId }),
    (p) => p.HoursOfOperationSummaryList,
  )) {
    const { HoursOfOperation } = await connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId, HoursOfOperationId: s.Id }),
    );
    // Overrides by name, without their own id and the hours' id and ARN (the document holds those).
    const overrides = (
      await all(
        paginateListHoursOfOperationOverrides(c, { InstanceId, HoursOfOperationId: s.Id }),
        (p) => p.HoursOfOperationOverrideList,
      )
    )
      .map(({ HoursOfOperationOverrideId: _o, HoursOfOperationId: _h, HoursOfOperationArn: _a, ...o }) =>
        plain(o),
      )
      .sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
    truth['hours-of-operation'].push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(HoursOfOperation),
      ...(overrides.length ? { related: { overrides } } : {}),
    });
  }
  truth['quick-connects'] = [];
  for (const s of await all(paginateListQuickConnects(c, { InstanceId }), (p) => p.QuickConnectSummaryList)) {
    const { QuickConnect } = await connect.send(
      new DescribeQuickConnectCommand({ InstanceId, QuickConnectId: s.Id }),
    );
    truth['quick-connects'].push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(QuickConnect) });
  }
  truth['agent-statuses'] = [];
  for (const s of await all(paginateListAgentStatuses(c, { InstanceId }), (p) => p.AgentStatusSummaryList)) {
    const { AgentStatus } = await connect.send(
      new DescribeAgentStatusCommand({ InstanceId, AgentStatusId: s.Id }),
    );
    truth['agent-statuses'].push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(AgentStatus) });
  }
  // Task templates: GetTaskTemplate without InstanceId (the instance's, not the template's).
  truth['task-templates'] = [];
  for (const s of await all(paginateListTaskTemplates(c, { InstanceId }), (p) => p.TaskTemplates)) {
    const {
      $metadata: _metadata,
      InstanceId: _instance,
      ...template
    } = await connect.send(new GetTaskTemplateCommand({ InstanceId, TaskTemplateId: s.Id }));
    truth['task-templates'].push({ id: s.Id ?? '', name: s.Name ?? '', resource: plain(template) });
  }
  // Views, customer-managed: $LATEST when published (else $SAVED), and $SAVED beside it when it differs.
  truth.views = [];
  for (const s of await all(
    paginateListViews(c, { InstanceId, Type: 'CUSTOMER_MANAGED' }),
    (p) => p.ViewsSummaryList,
  )) {
    const describe = async (ViewId: string) =>
      (await connect.send(new DescribeViewCommand({ InstanceId, ViewId }))).View;
    const saved = await describe(`${s.Id}:$SAVED`);
    const published = s.Status === 'PUBLISHED' ? await describe(s.Id ?? '') : undefined;
    const draft = published && JSON.stringify(published.Content) !== JSON.stringify(saved?.Content);
    truth.views.push({
      id: s.Id ?? '',
      name: s.Name ?? '',
      resource: plain(published ?? saved),
      ...(draft
        ? {
            related: {
              saved: plain({ Content: saved?.Content, ViewContentSha256: saved?.ViewContentSha256 }),
            },
          }
        : {}),
    });
  }
  truth.rules = [];
  for (const s of await all(paginateListRules(c, { InstanceId }), (p) => p.RuleSummaryList)) {
    const { Rule } = await connect.send(new DescribeRuleCommand({ InstanceId, RuleId: s.RuleId }));
    truth.rules.push({ id: s.RuleId ?? '', name: s.Name ?? '', resource: plain(Rule) });
  }

  const flowOf = new Map<string, string>();
  for (const a of await all(
    paginateListFlowAssociations(c, { InstanceId, ResourceType: 'VOICE_PHONE_NUMBER' }),
    (p) => p.FlowAssociationSummaryList,
  ))
    flowOf.set(a.ResourceId ?? '', a.FlowId ?? '');
  truth['phone-numbers'] = [];
  for (const s of await all(
    paginateListPhoneNumbersV2(c, { InstanceId }),
    (p) => p.ListPhoneNumbersSummaryList,
  )) {
    const { ClaimedPhoneNumberSummary } = await connect.send(
      new DescribePhoneNumberCommand({ PhoneNumberId: s.PhoneNumberId }),
    );
    const flow = flowOf.get(s.PhoneNumberArn ?? '');
    truth['phone-numbers'].push({
      id: s.PhoneNumberId ?? '',
      name: s.PhoneNumber ?? '',
      resource: plain(ClaimedPhoneNumberSummary),
      ...(flow ? { related: { contactFlowArn: flow } } : {}),
    });
  }
  return truth;
}
