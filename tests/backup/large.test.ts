import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectEmulator, startConnectEmulator } from '../emulator/index.js';
import { LARGE_PHONE_NUMBERS } from '../emulator/seeds/large.js';
import { emulatorClient, runBackup, tempFolderStore } from './support.js';

const COUNTS = {
  users: 2000,
  flows: 100,
  flowModules: 10,
  queues: 20,
  routingProfiles: 20,
  hoursOfOperations: 10,
  quickConnects: 20,
  prompts: 50,
  securityProfiles: 10,
  hierarchyGroups: 50,
};

let emulator: ConnectEmulator;

beforeAll(async () => {
  emulator = await startConnectEmulator({
    seed: 'large',
    seedOptions: { large: COUNTS },
    throttle: { enabled: false },
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('backupInstance on a large instance', () => {
  it('backs up 2,000 users and 100 flows completely: one call per page where Search is lossless, Search as the index of flows and modules', async () => {
    const instance = emulator.instances[0];
    if (!instance) throw new Error('no large instance');
    const client = emulatorClient(emulator, instance);
    const folder = await tempFolderStore();

    try {
      const result = await runBackup(client, folder.store, instance.id);

      expect(result.counts).toEqual({
        'user-hierarchy-structure': 1,
        'user-hierarchy-groups': 50,
        'hours-of-operation': 10,
        prompts: 50,
        'agent-statuses': result.counts['agent-statuses'],
        'security-profiles': 10,
        flows: 100,
        'flow-modules': 10,
        'email-addresses': 0,
        queues: 20,
        'routing-profiles': 20,
        'predefined-attributes': 0,
        users: 2000,
        'evaluation-forms': 0,
        vocabularies: 0,
        'quick-connects': 20,
        'task-templates': 0,
        views: 0,
        rules: 0,
        'phone-numbers': LARGE_PHONE_NUMBERS,
      });
      expect(result.apiCalls).toEqual({
        DescribeInstance: 1,
        ListInstanceAttributes: 2,
        ListApprovedOrigins: 1,
        ListLambdaFunctions: 1,
        ListBots: 1,
        // Flows and modules: one Search page as the index, one Describe <id>:$SAVED each (their
        // published version itself: the seed has no drafts here).
        SearchContactFlows: 1,
        DescribeContactFlow: 100,
        SearchContactFlowModules: 1,
        DescribeContactFlowModule: 10,
        SearchQueues: 1,
        ListQueueQuickConnects: 20,
        SearchQuickConnects: 1,
        SearchPrompts: 1,
        // A prompt's audio: one GetPromptFile each, then a download of its presigned URL.
        GetPromptFile: 50,
        SearchHoursOfOperations: 1,
        // Overrides: one list per hours (they have no change signal, so every run reads them).
        ListHoursOfOperationOverrides: 10,
        SearchAgentStatuses: 1,
        SearchUserHierarchyGroups: 1,
        DescribeUserHierarchyStructure: 1,
        SearchPredefinedAttributes: 1,
        // Evaluation forms: one List page (the large seed has none).
        ListEvaluationForms: 1,
        // E-mail addresses: one Search page (the large seed has none).
        SearchEmailAddresses: 1,
        // Vocabularies: one Search page (the large seed has none).
        SearchVocabularies: 1,
        // Task templates: one List page (the large seed has none).
        ListTaskTemplates: 1,
        // Views: one List page of customer-managed views (the large seed has none).
        ListViews: 1,
        // Rules: one List page (the large seed has none).
        ListRules: 1,
        // Users need Describe: Search drops e-mail and mobile; and their proficiencies, which no
        // Describe or Search returns (one call per user, beside DescribeUser, at the same 10 rps).
        ListUsers: 2,
        DescribeUser: 2000,
        ListUserProficiencies: 2000,
        ListRoutingProfiles: 1,
        DescribeRoutingProfile: 20,
        ListRoutingProfileQueues: 20,
        ListRoutingProfileManualAssignmentQueues: 20,
        ListSecurityProfiles: 1,
        DescribeSecurityProfile: 10,
        ListSecurityProfilePermissions: 10,
        // Phone numbers have no change signal and no lossless list: one Describe each.
        ListFlowAssociations: 1,
        ListPhoneNumbersV2: 1,
        DescribePhoneNumber: LARGE_PHONE_NUMBERS,
        ListSecurityProfileApplications: 10,
        ListSecurityProfileFlowModules: 10,
      });
      expect(result.objects).toBe(
        // Flows and prompts store two objects each (raw content, audio).
        2000 +
          100 * 2 +
          10 +
          20 +
          20 +
          10 +
          50 +
          10 +
          50 * 2 +
          20 +
          1 +
          1 +
          // changes.json
          1 +
          result.counts['agent-statuses']! +
          LARGE_PHONE_NUMBERS,
      );
    } finally {
      await folder.remove();
    }
  }, 60_000);
});
