/**
 * The four security profiles of a new instance, with their exact descriptions and the permission
 * sets observed on a 2022 instance (new-instance-defaults.md §7). Current instances have more
 * permissions (Admin ≈ 280); the sets grow as features ship, so nothing should rely on them exactly.
 */

export const DEFAULT_SECURITY_PROFILE_NAMES = [
  'Admin',
  'Agent',
  'CallCenterManager',
  'QualityAnalyst',
] as const;
export type DefaultSecurityProfileName = (typeof DEFAULT_SECURITY_PROFILE_NAMES)[number];

const crud = (area: string, verbs: string[]): string[] => verbs.map((verb) => `${area}.${verb}`);

const ADMIN_PERMISSIONS = [
  'AccessMetrics',
  ...crud('AgentGrouping', ['Create', 'Edit', 'EnableAndDisable', 'View']),
  ...crud('AgentStates', ['Create', 'Edit', 'EnableAndDisable', 'View']),
  'AgentTimeCard.View',
  'BasicAgentAccess',
  ...crud('Campaigns', ['Create', 'Delete', 'Edit', 'Manage', 'View']),
  'ContactAttributes.View',
  ...crud('ContactFlows', ['Create', 'Edit', 'Publish', 'View']),
  ...crud('ContactFlowModules', ['Create', 'Edit', 'Publish', 'View']),
  'ContactSearch.View',
  'DeleteCallRecordings',
  'DownloadCallRecordings',
  'HistoricalChanges.View',
  ...crud('HoursOfOperation', ['Create', 'Edit', 'View']),
  'ListenCallRecordings',
  'ManagerListenIn',
  ...crud('MetricsReports', ['Create', 'Delete', 'Edit', 'Publish', 'Schedule', 'View']),
  'OutboundCallAccess',
  ...crud('PhoneNumbers', ['Claim', 'Edit', 'Release', 'View']),
  ...crud('Prompts', ['Create', 'Delete', 'Edit', 'View']),
  ...crud('Queues', ['Create', 'Edit', 'EnableAndDisable', 'View']),
  ...crud('ReportSchedules', ['Create', 'Delete', 'Edit', 'View']),
  ...crud('RoutingPolicies', ['Create', 'Edit', 'View']),
  ...crud('SecurityProfiles', ['Create', 'Delete', 'Edit', 'View']),
  ...crud('TransferDestinations', ['Create', 'Edit', 'View']),
  ...crud('Users', ['Create', 'Delete', 'Edit', 'EditPermission', 'View']),
];

const CALL_CENTER_MANAGER_PERMISSIONS = [
  'AccessMetrics',
  'AgentGrouping.View',
  'AgentStates.View',
  'AgentTimeCard.View',
  'ContactAttributes.View',
  'ContactFlows.View',
  'ContactSearch.View',
  'DeleteCallRecordings',
  'DownloadCallRecordings',
  ...crud('HoursOfOperation', ['Create', 'Edit', 'View']),
  'ListenCallRecordings',
  'ManagerListenIn',
  ...crud('MetricsReports', ['Create', 'Delete', 'Edit', 'Publish', 'Schedule', 'View']),
  ...crud('PhoneNumbers', ['Claim', 'Edit', 'View']),
  'Prompts.View',
  ...crud('Queues', ['Edit', 'View']),
  ...crud('ReportSchedules', ['Create', 'Delete', 'Edit', 'View']),
  'RoutingPolicies.View',
  'SecurityProfiles.View',
  'TransferDestinations.View',
  ...crud('Users', ['Create', 'Edit', 'EnableAndDisable', 'View']),
];

/** Name, description (byte for byte, including the double space in Agent's) and permissions. */
export const DEFAULT_SECURITY_PROFILES: ReadonlyArray<{
  name: DefaultSecurityProfileName;
  description: string;
  permissions: string[];
}> = [
  {
    name: 'Admin',
    description: 'An administrator can perform all actions available.',
    permissions: ADMIN_PERMISSIONS,
  },
  {
    name: 'Agent',
    description:
      'An agent is a user of the system that is focused on customer care and/or sales.  Their role is unlikely to be technical.',
    permissions: [
      'AccessMetrics',
      'BasicAgentAccess',
      'ContactSearch.View',
      'ListenCallRecordings',
      'OutboundCallAccess',
      'Users.View',
    ],
  },
  {
    name: 'CallCenterManager',
    description:
      'A call center manager (or call center admin) manages the day-to-day aspects of the call center.',
    permissions: CALL_CENTER_MANAGER_PERMISSIONS,
  },
  {
    name: 'QualityAnalyst',
    description:
      'A quality analyst works to improve the customer experience and keeps track of live service metrics.',
    permissions: ['AccessMetrics', 'AgentTimeCard.View', 'ContactAttributes.View', 'ContactSearch.View'],
  },
];
