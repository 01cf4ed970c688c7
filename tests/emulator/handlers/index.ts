/** Every operation handler the emulator implements, by operation name. */
import { agentStatusHandlers } from './agent-statuses.js';
import type { HandlerTable } from './context.js';
import { emailAddressHandlers } from './email-addresses.js';
import { evaluationFormHandlers } from './evaluation-forms.js';
import { flowModuleHandlers } from './flow-modules.js';
import { flowHandlers } from './flows.js';
import { hierarchyHandlers } from './hierarchy.js';
import { hoursOfOperationHandlers } from './hours-of-operation.js';
import { instanceHandlers } from './instances.js';
import { phoneNumberHandlers } from './phone-numbers.js';
import { predefinedAttributeHandlers } from './predefined-attributes.js';
import { promptHandlers } from './prompts.js';
import { queueHandlers } from './queues.js';
import { quickConnectHandlers } from './quick-connects.js';
import { routingProfileHandlers } from './routing-profiles.js';
import { ruleHandlers } from './rules.js';
import { securityProfileHandlers } from './security-profiles.js';
import { tagHandlers } from './tags.js';
import { taskTemplateHandlers } from './task-templates.js';
import { userHandlers } from './users.js';
import { viewHandlers } from './views.js';
import { vocabularyHandlers } from './vocabularies.js';

export const handlers: HandlerTable = {
  ...instanceHandlers,
  ...tagHandlers,
  ...flowHandlers,
  ...flowModuleHandlers,
  ...queueHandlers,
  ...routingProfileHandlers,
  ...userHandlers,
  ...hierarchyHandlers,
  ...securityProfileHandlers,
  ...promptHandlers,
  ...hoursOfOperationHandlers,
  ...quickConnectHandlers,
  ...agentStatusHandlers,
  ...phoneNumberHandlers,
  ...predefinedAttributeHandlers,
  ...evaluationFormHandlers,
  ...emailAddressHandlers,
  ...vocabularyHandlers,
  ...taskTemplateHandlers,
  ...viewHandlers,
  ...ruleHandlers,
};
