/**
 * The custom flows and flow modules of the `demo-source` instance: Flow Language content that
 * references queues, prompts, hours of operation, associated Lambda functions and Lex V2 bot aliases,
 * other flows (TransferToFlow, event hooks) and modules (InvokeFlowModule).
 */
import type { FlowSpec } from './default-flows.js';
import {
  disconnect,
  endFlow,
  equalsEach,
  eventHook,
  type FlowStep,
  flowContent,
  openClosed,
  setQueue,
  transferToFlow,
  transferToQueue,
} from './flow-language.js';
import type { Refs } from './refs.js';

/** The demo account's integrations (associated with the instance before any flow uses them). */
export const DEMO_LAMBDAS = {
  customerLookup: 'arn:aws:lambda:us-east-1:111122223333:function:CustomerLookup',
  createTicket: 'arn:aws:lambda:us-east-1:111122223333:function:CreateSupportTicket',
  surveyResponse: 'arn:aws:lambda:us-east-1:111122223333:function:RecordSurveyResponse',
} as const;
export const DEMO_LEX_BOT_ALIAS = 'arn:aws:lex:us-east-1:111122223333:bot-alias/MAINMENU01/PRODALIAS1';

/** The OUTBOUND_WHISPER flow of the flow ↔ queue cycle, and the queue it and the queue reference. */
export const CYCLE_FLOW = 'Outbound Support Whisper';
export const CYCLE_QUEUE = 'Customer Support';
/** The flow that gets unpublished saved changes after it is published. */
export const DRAFT_FLOW = 'Post Call Survey';

const say = (key: string, text: string, next: string): FlowStep => ({
  key,
  type: 'MessageParticipant',
  parameters: { Text: text },
  next,
  errors: { NoMatchingError: next },
});
const endModule: FlowStep = { key: 'end', type: 'EndFlowModuleExecution' };
const checkHours = (refs: Refs, hours: string, open: string, closed: string): FlowStep => ({
  key: 'hours',
  type: 'CheckHoursOfOperation',
  parameters: { HoursOfOperationId: refs.hours.get(hours).arn },
  next: closed,
  errors: { NoMatchingError: closed },
  conditions: openClosed(open, closed),
  metadata: { Hours: { id: refs.hours.get(hours).arn, text: hours } },
});
const invokeLambda = (key: string, arn: string, next: string, onError: string): FlowStep => ({
  key,
  type: 'InvokeLambdaFunction',
  parameters: {
    LambdaFunctionARN: arn,
    InvocationTimeLimitSeconds: '8',
    ResponseValidation: { ResponseType: 'STRING_MAP' },
  },
  next,
  errors: { NoMatchingError: onError },
});
const invokeModule = (refs: Refs, key: string, module: string, next: string, onError: string): FlowStep => ({
  key,
  type: 'InvokeFlowModule',
  parameters: { FlowModuleId: refs.flowModules.get(module).id },
  next,
  errors: { NoMatchingError: onError },
  metadata: { flowModule: { id: refs.flowModules.get(module).id, text: module } },
});
const playPrompt = (refs: Refs, key: string, prompt: string, next: string): FlowStep => ({
  key,
  type: 'MessageParticipant',
  parameters: { PromptId: refs.prompts.get(prompt).arn },
  next,
  errors: { NoMatchingError: next },
  metadata: { promptName: prompt },
});
const tags = (team: string): Record<string, string> => ({ Owner: team, Environment: 'production' });

/** A flow module to create: CreateContactFlowModule. */
export interface ModuleSpec {
  name: string;
  description: string;
  content: (refs: Refs) => string;
  tags?: Record<string, string>;
}

/** The two modules, created after the Lambda associations, prompts and hours they reference. */
export function demoModuleSpecs(): ModuleSpec[] {
  return [
    {
      name: 'Customer Authentication',
      description: 'Looks up the caller by phone number and asks for an account number when unknown.',
      tags: tags('Contact Center Engineering'),
      content: () =>
        flowContent('Customer Authentication', [
          invokeLambda('lookup', DEMO_LAMBDAS.customerLookup, 'known', 'end'),
          {
            key: 'known',
            type: 'Compare',
            parameters: { ComparisonValue: '$.External.Verified' },
            next: 'ask-account',
            errors: { NoMatchingCondition: 'ask-account' },
            conditions: equalsEach({ true: 'remember' }),
          },
          {
            key: 'ask-account',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Please enter your eight digit account number, followed by the pound key.',
              StoreInput: 'True',
              InputTimeLimitSeconds: '8',
              InputValidation: { CustomValidation: { MaximumLength: '8' } },
            },
            next: 'lookup-account',
            errors: { NoMatchingError: 'end' },
          },
          invokeLambda('lookup-account', DEMO_LAMBDAS.customerLookup, 'remember', 'end'),
          {
            key: 'remember',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { Authenticated: 'true', CustomerName: '$.External.Name', Tier: '$.External.Tier' },
              TargetContact: 'Current',
            },
            next: 'end',
            errors: { NoMatchingError: 'end' },
          },
          endModule,
        ]),
    },
    {
      name: 'Holiday Check',
      description: 'Plays the holiday closure message outside support hours on public holidays.',
      tags: tags('Contact Center Engineering'),
      content: (refs) =>
        flowContent('Holiday Check', [
          checkHours(refs, 'Support Hours', 'end', 'holiday'),
          {
            key: 'holiday',
            type: 'Compare',
            parameters: { ComparisonValue: '$.Attributes.IsHoliday' },
            next: 'end',
            errors: { NoMatchingCondition: 'end' },
            conditions: equalsEach({ true: 'closure' }),
          },
          playPrompt(refs, 'closure', 'Holiday Closure.wav', 'end'),
          endModule,
        ]),
    },
  ];
}

/** Flows created before the queues: what queues and other flows reference. */
export function demoEarlyFlowSpecs(): FlowSpec[] {
  return [
    {
      name: 'Support Queue Music',
      type: 'CUSTOMER_QUEUE',
      description: 'Queue music and position updates for support callers.',
      tags: tags('Support Operations'),
      content: (refs) =>
        flowContent('Support Queue Music', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: {
              InterruptFrequencySeconds: '60',
              Messages: [
                {
                  Text: 'All of our support specialists are helping other customers. Please stay on the line.',
                },
                { PromptId: refs.prompts.get('Music_Rock_EverywhereTheSunShines_Inst.wav').arn },
              ],
            },
            conditions: [{ operator: 'Equals', operands: ['MessagesInterrupted'], next: 'wait-time' }],
          },
          {
            key: 'wait-time',
            type: 'MessageParticipant',
            parameters: { Text: 'Your estimated wait time is $.Metrics.Queue.EstimatedWaitTime seconds.' },
            next: 'loop',
            errors: { NoMatchingError: 'loop' },
          },
        ]),
    },
    {
      name: 'Support Agent Whisper',
      type: 'AGENT_WHISPER',
      description: 'Tells the agent the queue and whether the caller was authenticated.',
      tags: tags('Support Operations'),
      content: () =>
        flowContent('Support Agent Whisper', [
          say(
            'whisper',
            '$.Queue.Name. Caller $.Attributes.CustomerName, authenticated $.Attributes.Authenticated.',
            'end',
          ),
          endFlow,
        ]),
    },
    {
      name: 'Branded Customer Hold',
      type: 'CUSTOMER_HOLD',
      description: 'Hold music with a short brand message.',
      tags: tags('Marketing'),
      content: (refs) =>
        flowContent('Branded Customer Hold', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: {
              Messages: [
                { Text: 'Thank you for holding. Example Corp values your business.' },
                { PromptId: refs.prompts.get('Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav').arn },
              ],
            },
          },
        ]),
    },
    {
      // Created SAVED before its queue exists; published once the queue does (flow ↔ queue cycle).
      name: CYCLE_FLOW,
      type: 'OUTBOUND_WHISPER',
      description: 'Records outbound support calls and files them under the Customer Support queue.',
      tags: tags('Support Operations'),
      content: (refs) =>
        flowContent(CYCLE_FLOW, [
          {
            key: 'recording',
            type: 'UpdateContactRecordingBehavior',
            parameters: { RecordingBehavior: { RecordedParticipants: ['Agent', 'Customer'] } },
            next: 'set-queue',
          },
          setQueue(refs, 'set-queue', CYCLE_QUEUE, 'attributes', 'end'),
          {
            key: 'attributes',
            type: 'UpdateContactAttributes',
            parameters: { Attributes: { CallType: 'support-follow-up' }, TargetContact: 'Current' },
            next: 'end',
            errors: { NoMatchingError: 'end' },
          },
          endFlow,
        ]),
    },
  ];
}

/** Flows created after the queues, in dependency order. */
export function demoFlowSpecs(): FlowSpec[] {
  return [
    {
      name: 'Support Queue Flow',
      type: 'CONTACT_FLOW',
      description:
        'Routes support contacts to the Customer Support queue with branded queue and hold experience.',
      tags: tags('Support Operations'),
      content: (refs) =>
        flowContent('Support Queue Flow', [
          checkHours(refs, 'Support Hours', 'set-queue', 'ticket'),
          setQueue(refs, 'set-queue', 'Customer Support', 'queue-hook', 'error'),
          eventHook(refs, 'queue-hook', 'CustomerQueue', 'Support Queue Music', 'hold-hook'),
          eventHook(refs, 'hold-hook', 'CustomerHold', 'Branded Customer Hold', 'whisper-hook'),
          eventHook(refs, 'whisper-hook', 'AgentWhisper', 'Support Agent Whisper', 'transfer'),
          transferToQueue('transfer', 'error'),
          invokeLambda('ticket', DEMO_LAMBDAS.createTicket, 'closed', 'closed'),
          say(
            'closed',
            'Support is closed, and we have opened a ticket for you. We are open weekdays 8am to 8pm and Saturdays 9am to 5pm Central time. Goodbye.',
            'disconnect',
          ),
          say('error', 'We could not place you in queue. Please call again later.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sales Queue Flow',
      type: 'CONTACT_FLOW',
      description: 'Routes sales enquiries during sales hours.',
      tags: tags('Sales Operations'),
      content: (refs) =>
        flowContent('Sales Queue Flow', [
          checkHours(refs, 'Sales Hours', 'set-queue', 'closed'),
          setQueue(refs, 'set-queue', 'Sales', 'priority', 'error'),
          {
            key: 'priority',
            type: 'UpdateContactRoutingBehavior',
            parameters: { QueuePriority: '2' },
            next: 'transfer',
          },
          transferToQueue('transfer', 'error'),
          say(
            'closed',
            'Our sales team is available weekdays from 9am to 6pm Eastern time. Goodbye.',
            'disconnect',
          ),
          say('error', 'We could not place you in queue. Please call again later.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Billing Queue Flow',
      type: 'CONTACT_FLOW',
      description: 'Looks up the account and routes overdue accounts to Customer Retention.',
      tags: tags('Billing Operations'),
      content: (refs) =>
        flowContent('Billing Queue Flow', [
          invokeLambda('lookup', DEMO_LAMBDAS.customerLookup, 'status', 'billing'),
          {
            key: 'status',
            type: 'Compare',
            parameters: { ComparisonValue: '$.External.AccountStatus' },
            next: 'billing',
            errors: { NoMatchingCondition: 'billing' },
            conditions: equalsEach({ Overdue: 'retention' }),
          },
          setQueue(refs, 'billing', 'Billing Enquiries', 'transfer', 'error'),
          setQueue(refs, 'retention', 'Customer Retention', 'transfer', 'error'),
          transferToQueue('transfer', 'error'),
          say('error', 'We could not place you in queue. Please call again later.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Escalation Transfer',
      type: 'QUEUE_TRANSFER',
      description: 'Transfers a contact to the Priority Escalations queue.',
      tags: tags('Support Operations'),
      content: (refs) =>
        flowContent('Escalation Transfer', [
          say('message', 'Please hold while I transfer you to a senior specialist.', 'set-queue'),
          setQueue(refs, 'set-queue', 'Priority Escalations', 'transfer', 'error'),
          transferToQueue('transfer', 'error'),
          say('error', 'The transfer failed. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Supervisor Transfer',
      type: 'AGENT_TRANSFER',
      description: 'Announces and transfers a contact to a supervisor.',
      tags: tags('Support Operations'),
      content: () =>
        flowContent('Supervisor Transfer', [
          say('message', 'Connecting you with a supervisor now.', 'transfer'),
          { key: 'transfer', type: 'TransferContactToAgent' },
        ]),
    },
    {
      name: DRAFT_FLOW,
      type: 'CONTACT_FLOW',
      description: 'Asks the customer to rate the call after the agent disconnects.',
      tags: tags('Customer Experience'),
      content: () => surveyContent(false),
    },
    {
      name: 'Chat Entry Flow',
      type: 'CONTACT_FLOW',
      description: 'Entry point for web chat: the Lex bot finds the intent, then the contact is routed.',
      tags: tags('Digital Channels'),
      content: (refs) =>
        flowContent('Chat Entry Flow', [
          {
            key: 'logging',
            type: 'UpdateFlowLoggingBehavior',
            parameters: { FlowLoggingBehavior: 'Enabled' },
            next: 'bot',
          },
          {
            key: 'bot',
            type: 'ConnectParticipantWithLexBot',
            parameters: {
              Text: 'Hi! How can we help you today?',
              LexV2Bot: { AliasArn: DEMO_LEX_BOT_ALIAS },
              LexSessionAttributes: { Channel: 'CHAT' },
            },
            next: 'support',
            errors: { NoMatchingCondition: 'support', NoMatchingError: 'support' },
            conditions: equalsEach({ Billing: 'billing', Sales: 'sales', TechnicalSupport: 'support' }),
          },
          transferToFlow(refs, 'support', 'Support Queue Flow', 'error'),
          transferToFlow(refs, 'billing', 'Billing Queue Flow', 'error'),
          transferToFlow(refs, 'sales', 'Sales Queue Flow', 'error'),
          say('error', 'Sorry, something went wrong. Please try again later.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Main Inbound IVR',
      type: 'CONTACT_FLOW',
      description: 'Main entry point for voice: welcome, authentication, then self-service menu by Lex bot.',
      tags: tags('Contact Center Engineering'),
      content: (refs) =>
        flowContent('Main Inbound IVR', [
          {
            key: 'logging',
            type: 'UpdateFlowLoggingBehavior',
            parameters: { FlowLoggingBehavior: 'Enabled' },
            next: 'voice',
          },
          {
            key: 'voice',
            type: 'UpdateContactTextToSpeechVoice',
            parameters: { TextToSpeechVoice: 'Joanna' },
            next: 'survey-hook',
            errors: { NoMatchingError: 'survey-hook' },
          },
          eventHook(refs, 'survey-hook', 'CustomerRemaining', DRAFT_FLOW, 'holiday'),
          invokeModule(refs, 'holiday', 'Holiday Check', 'welcome', 'welcome'),
          playPrompt(refs, 'welcome', 'Welcome Greeting.wav', 'authenticate'),
          invokeModule(refs, 'authenticate', 'Customer Authentication', 'menu', 'menu'),
          {
            key: 'menu',
            type: 'ConnectParticipantWithLexBot',
            parameters: {
              Text: 'In a few words, tell us why you are calling today.',
              LexV2Bot: { AliasArn: DEMO_LEX_BOT_ALIAS },
            },
            next: 'support',
            errors: {
              NoMatchingCondition: 'support',
              NoMatchingError: 'support',
              InputTimeLimitExceeded: 'support',
            },
            conditions: equalsEach({ Billing: 'billing', Sales: 'sales', TechnicalSupport: 'support' }),
          },
          transferToFlow(refs, 'support', 'Support Queue Flow', 'error'),
          transferToFlow(refs, 'billing', 'Billing Queue Flow', 'error'),
          transferToFlow(refs, 'sales', 'Sales Queue Flow', 'error'),
          say('error', 'Sorry, we are unable to take your call right now. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
  ];
}

/**
 * The survey flow's content: the published version, or (`withFollowUp`) the version saved over it
 * but not published, which adds a follow-up question.
 */
export function surveyContent(withFollowUp: boolean): string {
  return flowContent(DRAFT_FLOW, [
    {
      key: 'rating',
      type: 'GetParticipantInput',
      parameters: {
        Text: 'On a scale of 1 to 5, how satisfied were you with your call today?',
        StoreInput: 'True',
        InputTimeLimitSeconds: '6',
        InputValidation: { CustomValidation: { MaximumLength: '1' } },
      },
      next: 'store',
      errors: { NoMatchingError: 'thanks' },
    },
    {
      key: 'store',
      type: 'UpdateContactAttributes',
      parameters: { Attributes: { SurveyScore: '$.StoredCustomerInput' }, TargetContact: 'Current' },
      next: withFollowUp ? 'follow-up' : 'record',
      errors: { NoMatchingError: 'thanks' },
    },
    ...(withFollowUp
      ? [
          {
            key: 'follow-up',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Press 1 if you would like a manager to follow up with you, otherwise press 2.',
              StoreInput: 'False',
              InputTimeLimitSeconds: '5',
            },
            next: 'record',
            errors: {
              NoMatchingCondition: 'record',
              NoMatchingError: 'record',
              InputTimeLimitExceeded: 'record',
            },
            conditions: equalsEach({ 1: 'flag', 2: 'record' }),
          },
          {
            key: 'flag',
            type: 'UpdateContactAttributes',
            parameters: { Attributes: { FollowUpRequested: 'true' }, TargetContact: 'Current' },
            next: 'record',
            errors: { NoMatchingError: 'record' },
          },
        ]
      : []),
    invokeLambda('record', DEMO_LAMBDAS.surveyResponse, 'thanks', 'thanks'),
    say('thanks', 'Thank you for your feedback. Goodbye.', 'disconnect'),
    disconnect,
  ]);
}
