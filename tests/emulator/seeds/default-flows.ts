/**
 * The flows of a new instance (new-instance-defaults.md §2): the 8 "Default …" flows and the 12
 * "Sample …" flows of a current instance, with their exact names, types and descriptions.
 *
 * The content is written in the Flow Language from the documented structure of the real flows: the
 * same action types, texts and every reference the real ones hold (BasicQueue, the two music
 * prompts, the flow-to-flow references, the inbound flow's self-reference in CreateTask, the
 * AWS-owned `state-lookup` Lambda and the AWS-managed after-contact-work view). Designer metadata
 * (positions) is generated, not the real one.
 */
import type { ContactFlowType } from '@aws-sdk/client-connect';
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

/** A flow to create: its identity, and its content built from what already exists. */
export interface FlowSpec {
  name: string;
  type: ContactFlowType;
  description: string;
  /** Builds the content; called once every resource it references exists. */
  content: (refs: Refs) => string;
  /** The content references the flow itself: create it SAVED, then publish. */
  selfReferencing?: boolean;
  tags?: Record<string, string>;
}

/**
 * The AWS-owned Lambda function the "Sample Lambda integration" flow invokes (never associated), in
 * the instance's Region.
 */
export function sampleStateLookupLambda(region: string): string {
  return `arn:aws:lambda:${region}:613787477748:function:state-lookup`;
}

export const JAZZ_PROMPT = 'Music_Jazz_MyTimetoFly_Inst.wav';
export const POP_PROMPT = 'Music_Pop_ThisAndThatIsLife_Inst.wav';

/** The 7 prompts of a new instance, by exact name. */
export const DEFAULT_PROMPT_NAMES = [
  'Beep.wav',
  'CustomerHold.wav',
  'CustomerQueue.wav',
  JAZZ_PROMPT,
  POP_PROMPT,
  'Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav',
  'Music_Rock_EverywhereTheSunShines_Inst.wav',
] as const;

const say = (key: string, text: string, next: string): FlowStep => ({
  key,
  type: 'MessageParticipant',
  parameters: { Text: text },
  next,
});
const encryptedInput = {
  EncryptionKeyId: 'your-key-id',
  Key: 'Certificate to use for encryption should be provided here. You will need to also upload a signing key in the AWS console',
};

/** The default and sample flows, in an order in which each one's references already exist. */
export function defaultFlowSpecs(region: string): FlowSpec[] {
  return [
    {
      name: 'Default agent hold',
      type: 'AGENT_HOLD',
      description: 'Audio played for the agent when on hold',
      content: () =>
        flowContent('Default agent hold', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: { Messages: [{ SSML: '<speak>You are on hold<break time="10s"/></speak>' }] },
          },
        ]),
    },
    {
      name: 'Default agent transfer',
      type: 'AGENT_TRANSFER',
      description: 'Default flow to transfer to an agent.',
      content: () =>
        flowContent('Default agent transfer', [
          say('message', 'Transferring now...', 'transfer'),
          { key: 'transfer', type: 'TransferContactToAgent' },
        ]),
    },
    {
      name: 'Default agent whisper',
      type: 'AGENT_WHISPER',
      description: 'Default whisper played to the agent.',
      content: () =>
        flowContent('Default agent whisper', [say('queue-name', '$.Queue.Name', 'end'), endFlow]),
    },
    {
      name: 'Default customer hold',
      type: 'CUSTOMER_HOLD',
      description: 'Default audio the customer hears while on hold.',
      content: (refs) =>
        flowContent('Default customer hold', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: { Messages: [{ PromptId: refs.prompts.get(JAZZ_PROMPT).arn }] },
            metadata: {
              audio: [{ type: 'Prompt', id: refs.prompts.get(JAZZ_PROMPT).arn, text: JAZZ_PROMPT }],
            },
          },
        ]),
    },
    {
      name: 'Default customer queue',
      type: 'CUSTOMER_QUEUE',
      description: 'Default audio played when a customer is waiting in queue.',
      content: (refs) =>
        flowContent('Default customer queue', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: {
              Messages: [
                {
                  Text: 'Thank you for calling. Your call is very important to us and will be answered in the order it was received.',
                },
                { PromptId: refs.prompts.get(POP_PROMPT).arn },
              ],
            },
          },
        ]),
    },
    {
      name: 'Default customer whisper',
      type: 'CUSTOMER_WHISPER',
      description: 'Default whisper played to the customer',
      content: () => flowContent('Default customer whisper', [endFlow]),
    },
    {
      name: 'Default outbound',
      type: 'OUTBOUND_WHISPER',
      description: 'Default flow for outbound calls.',
      content: () =>
        flowContent('Default outbound', [
          {
            key: 'recording',
            type: 'UpdateContactRecordingBehavior',
            parameters: { RecordingBehavior: { RecordedParticipants: [] } },
            next: 'end',
          },
          endFlow,
        ]),
    },
    {
      name: 'Default queue transfer',
      type: 'QUEUE_TRANSFER',
      description: 'Default flow used to transfer to a queue.',
      content: () =>
        flowContent('Default queue transfer', [
          {
            key: 'hours',
            type: 'CheckHoursOfOperation',
            next: 'failed',
            errors: { NoMatchingError: 'failed' },
            conditions: openClosed('staffed', 'closed'),
          },
          {
            key: 'staffed',
            type: 'CheckMetricData',
            parameters: { MetricType: 'NumberOfAgentsStaffed' },
            next: 'failed',
            errors: { NoMatchingError: 'failed', NoMatchingCondition: 'no-agents' },
            conditions: [{ operator: 'NumberGreaterThan', operands: ['0'], next: 'transferring' }],
          },
          say('transferring', 'Now transferring your call.', 'transfer'),
          transferToQueue('transfer', 'failed'),
          say('no-agents', 'There are currently no agents staffed. Goodbye.', 'disconnect'),
          say('closed', 'We are currently out of hours. Goodbye.', 'disconnect'),
          say('failed', 'Failed to transfer to queue. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample disconnect flow',
      type: 'CONTACT_FLOW',
      description: 'Enables customer to transfer to another flow after the agent has disconnected.',
      content: (refs) =>
        flowContent('Sample disconnect flow', [
          {
            key: 'menu',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'The agent has left the call. Press 1 to be transferred back to the queue, or press 2 to end the call.',
              StoreInput: 'False',
              InputTimeLimitSeconds: '5',
            },
            next: 'goodbye',
            errors: {
              InputTimeLimitExceeded: 'goodbye',
              NoMatchingCondition: 'goodbye',
              NoMatchingError: 'error',
            },
            conditions: equalsEach({ 1: 'set-queue', 2: 'goodbye' }),
          },
          setQueue(refs, 'set-queue', 'BasicQueue', 'transfer', 'error'),
          transferToQueue('transfer', 'error'),
          say('goodbye', 'Thank you for calling. Goodbye.', 'disconnect'),
          say('error', 'An error occurred. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample interruptible queue flow with callback',
      type: 'CUSTOMER_QUEUE',
      description: 'Plays looping audio and offers a callback to the customer every thirty seconds',
      content: (refs) =>
        flowContent('Sample interruptible queue flow with callback', [
          {
            key: 'loop',
            type: 'MessageParticipantIteratively',
            parameters: {
              InterruptFrequencySeconds: '30',
              Messages: [{ PromptId: refs.prompts.get(POP_PROMPT).arn }],
            },
            conditions: [{ operator: 'Equals', operands: ['MessagesInterrupted'], next: 'offer' }],
          },
          {
            key: 'offer',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Press 1 if you want to receive a callback when an agent is available. Press 2 to remain in queue',
              StoreInput: 'False',
              InputTimeLimitSeconds: '5',
            },
            next: 'end',
            errors: { NoMatchingError: 'end', NoMatchingCondition: 'end', InputTimeLimitExceeded: 'end' },
            conditions: equalsEach({ 1: 'number', 2: 'end' }),
          },
          {
            key: 'number',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Enter the number you would like to be called back at.',
              StoreInput: 'True',
              InputTimeLimitSeconds: '5',
              InputValidation: { PhoneNumberValidation: { NumberFormat: 'Local', CountryCode: 'US' } },
            },
            next: 'callback-number',
            errors: { NoMatchingError: 'invalid', InvalidPhoneNumber: 'invalid' },
          },
          {
            key: 'callback-number',
            type: 'UpdateContactCallbackNumber',
            parameters: { CallbackNumber: '$.StoredCustomerInput' },
            next: 'confirm',
            errors: { InvalidCallbackNumber: 'invalid', CallbackNumberNotDialable: 'invalid' },
          },
          say('invalid', 'The number entered is invalid. Please try again.', 'number'),
          say('confirm', 'You will be called back when the next agent is available.', 'callback'),
          {
            key: 'callback',
            type: 'CreateCallbackContact',
            parameters: {
              InitialCallDelaySeconds: '5',
              MaximumConnectionAttempts: '1',
              RetryDelaySeconds: '600',
            },
            next: 'disconnect',
            errors: { NoMatchingError: 'error' },
          },
          say('error', 'Something went wrong. Goodbye.', 'disconnect'),
          disconnect,
          endFlow,
        ]),
    },
    {
      name: 'Sample Lambda integration',
      type: 'CONTACT_FLOW',
      description: 'Invokes a lambda function to determine information about the user.',
      content: () =>
        flowContent('Sample Lambda integration', [
          say(
            'intro',
            'This flow looks up the state you are calling from with an AWS Lambda function.',
            'lookup',
          ),
          {
            key: 'lookup',
            type: 'InvokeLambdaFunction',
            parameters: {
              LambdaFunctionARN: sampleStateLookupLambda(region),
              InvocationTimeLimitSeconds: '8',
              ResponseValidation: { ResponseType: 'STRING_MAP' },
            },
            next: 'result',
            errors: { NoMatchingError: 'error' },
          },
          say('result', 'You are calling from $.External.State.', 'disconnect'),
          say('error', 'The Lambda function could not be invoked. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample note for screenpop',
      type: 'CONTACT_FLOW',
      description:
        'Screenpop is a Contact control pannel feature that allows loading a web page optionally with parameters based on attributes. Refer to the screenpop documentation for more information.',
      content: (refs) =>
        flowContent('Sample note for screenpop', [
          say('intro', 'This sets a note attribute for use in a screenpop.', 'note'),
          {
            key: 'note',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { note: 'This note demonstrates how attributes can appear in the screen pop.' },
              TargetContact: 'Current',
            },
            next: 'set-queue',
            errors: { NoMatchingError: 'error' },
          },
          setQueue(refs, 'set-queue', 'BasicQueue', 'transfer', 'error'),
          transferToQueue('transfer', 'error'),
          say('error', 'An error ocurred. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample queue customer',
      type: 'CONTACT_FLOW',
      description: 'Places the customer in a queue.',
      content: (refs) =>
        flowContent('Sample queue customer', [
          say('intro', 'Please wait while we place you in queue.', 'set-queue'),
          setQueue(refs, 'set-queue', 'BasicQueue', 'transfer', 'error'),
          transferToQueue('transfer', 'error'),
          say('error', 'We were unable to place you in queue. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample recording behavior',
      type: 'CONTACT_FLOW',
      description: 'Sample flow to enable recording behavior',
      content: () =>
        flowContent('Sample recording behavior', [
          say('intro', 'This flow enables call recording for both the agent and the customer.', 'recording'),
          {
            key: 'recording',
            type: 'UpdateContactRecordingBehavior',
            parameters: { RecordingBehavior: { RecordedParticipants: ['Agent', 'Customer'] } },
            next: 'done',
          },
          say('done', 'Recording behavior is now set. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample secure input with agent',
      type: 'QUEUE_TRANSFER',
      description:
        'Puts agent on hold, enabling the customer to enter digits in private. In a real world implementation, enabling encryption is likely preferred.',
      content: () =>
        flowContent('Sample secure input with agent', [
          {
            key: 'conference',
            type: 'UpdatePreviousContactParticipantState',
            parameters: { PreviousContactParticipantState: 'OffHold' },
            next: 'intro',
            errors: { NoMatchingError: 'intro' },
          },
          say(
            'intro',
            'Thanks for calling the secure credit card entry system. We will now place the agent on hold so you can enter digits securely.',
            'agent-hold',
          ),
          {
            key: 'agent-hold',
            type: 'UpdatePreviousContactParticipantState',
            parameters: { PreviousContactParticipantState: 'AgentOnHold' },
            next: 'input',
            errors: { NoMatchingError: 'hold-failed' },
          },
          {
            key: 'input',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'The agent is now on hold. Please enter your credit card number, followed by the pound key.',
              StoreInput: 'True',
              InputTimeLimitSeconds: '6',
              InputValidation: { CustomValidation: { MaximumLength: '20' } },
              InputEncryption: encryptedInput,
            },
            next: 'store',
            errors: { NoMatchingError: 'customer-hold' },
          },
          {
            key: 'store',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { EncryptedCreditCard: '$.StoredCustomerInput' },
              TargetContact: 'Current',
            },
            next: 'off-hold',
            errors: { NoMatchingError: 'off-hold' },
          },
          {
            key: 'off-hold',
            type: 'UpdatePreviousContactParticipantState',
            parameters: { PreviousContactParticipantState: 'OffHold' },
            next: 'disconnect',
            errors: { NoMatchingError: 'conference-failed' },
          },
          {
            key: 'customer-hold',
            type: 'UpdatePreviousContactParticipantState',
            parameters: { PreviousContactParticipantState: 'CustomerOnHold' },
            next: 'input-failed',
            errors: { NoMatchingError: 'disconnect' },
          },
          say('hold-failed', 'The agent was unable to be put on hold.', 'disconnect'),
          say('conference-failed', 'Unable to conference both parties.', 'disconnect'),
          say(
            'input-failed',
            "There was a problem gathering the customer's input. Did you specify an encryption key in the Store customer input block?",
            'disconnect',
          ),
          disconnect,
        ]),
    },
    {
      name: 'Sample secure input with no agent',
      type: 'CONTACT_FLOW',
      description:
        'Enables the customer to enter digits in private. In a real world implementation, enabling encryption is likely preferred.',
      content: () =>
        flowContent('Sample secure input with no agent', [
          {
            key: 'input',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Please enter your credit card number, followed by the pound key.',
              StoreInput: 'True',
              InputTimeLimitSeconds: '6',
              InputValidation: { CustomValidation: { MaximumLength: '20' } },
              InputEncryption: encryptedInput,
            },
            next: 'store',
            errors: { NoMatchingError: 'error' },
          },
          {
            key: 'store',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { EncryptedCreditCard: '$.StoredCustomerInput' },
              TargetContact: 'Current',
            },
            next: 'thanks',
            errors: { NoMatchingError: 'error' },
          },
          say('thanks', 'Thank you. Your input was stored securely.', 'disconnect'),
          say(
            'error',
            'There was a problem gathering your input. Did you specify an encryption key in the Store customer input block?',
            'disconnect',
          ),
          disconnect,
        ]),
    },
    {
      name: 'Sample AB test',
      type: 'CONTACT_FLOW',
      description: 'Performs A/B call distribution',
      content: () =>
        flowContent('Sample AB test', [
          say('intro', 'This flow randomly distributes callers between two branches, A and B.', 'distribute'),
          {
            key: 'distribute',
            type: 'DistributeByPercentage',
            errors: { NoMatchingCondition: 'set-b' },
            conditions: [{ operator: 'NumberLessThan', operands: ['50'], next: 'set-a' }],
          },
          {
            key: 'set-a',
            type: 'UpdateContactAttributes',
            parameters: { Attributes: { ABTestBranch: 'A' }, TargetContact: 'Current' },
            next: 'say-a',
            errors: { NoMatchingError: 'error' },
          },
          say('say-a', 'You were randomly sent to branch A.', 'disconnect'),
          {
            key: 'set-b',
            type: 'UpdateContactAttributes',
            parameters: { Attributes: { ABTestBranch: 'B' }, TargetContact: 'Current' },
            next: 'say-b',
            errors: { NoMatchingError: 'error' },
          },
          say('say-b', 'You were randomly sent to branch B.', 'disconnect'),
          say('error', 'An error occurred. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample queue configurations flow',
      type: 'CONTACT_FLOW',
      description:
        'Puts a customer in queue and gives them the option to be first in queue, last in queue or to be called back.',
      content: (refs) =>
        flowContent('Sample queue configurations flow', [
          setQueue(refs, 'set-queue', 'BasicQueue', 'queue-hook', 'error'),
          eventHook(refs, 'queue-hook', 'CustomerQueue', 'Default customer queue', 'hours', {
            customerOrAgent: true,
          }),
          {
            key: 'hours',
            type: 'CheckHoursOfOperation',
            next: 'error',
            errors: { NoMatchingError: 'error' },
            conditions: openClosed('menu', 'error'),
          },
          {
            key: 'menu',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Press 1 to move to the front of the queue, press 2 to move behind existing contacts already in queue, or press 3 to be called back.',
              StoreInput: 'False',
              InputTimeLimitSeconds: '5',
            },
            next: 'transfer',
            errors: {
              InputTimeLimitExceeded: 'transfer',
              NoMatchingCondition: 'transfer',
              NoMatchingError: 'transfer',
            },
            conditions: equalsEach({ 1: 'first', 2: 'last', 3: 'wait-time' }),
          },
          {
            key: 'first',
            type: 'UpdateContactRoutingBehavior',
            parameters: { QueuePriority: '1' },
            next: 'transfer',
          },
          {
            key: 'last',
            type: 'UpdateContactRoutingBehavior',
            parameters: { QueueTimeAdjustmentSeconds: '600' },
            next: 'transfer',
          },
          {
            key: 'wait-time',
            type: 'CheckMetricData',
            parameters: { MetricType: 'OldestContactInQueueAgeSeconds' },
            next: 'transfer',
            errors: { NoMatchingCondition: 'callback-hook', NoMatchingError: 'transfer' },
            conditions: [{ operator: 'NumberLessThan', operands: ['300'], next: 'transfer' }],
          },
          eventHook(
            refs,
            'callback-hook',
            'CustomerQueue',
            'Sample interruptible queue flow with callback',
            'confirm',
            { customerOrAgent: true },
          ),
          say('confirm', 'You will be called back when an agent is available.', 'callback'),
          {
            key: 'callback',
            type: 'CreateCallbackContact',
            parameters: {
              InitialCallDelaySeconds: '5',
              MaximumConnectionAttempts: '1',
              RetryDelaySeconds: '600',
            },
            next: 'disconnect',
            errors: { NoMatchingError: 'error' },
          },
          transferToQueue('transfer', 'error'),
          say('error', 'An error occurred. Goodbye.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample after contact work flow',
      type: 'CONTACT_FLOW',
      description: 'Sample flow to show guides in after contact work.',
      content: () =>
        flowContent('Sample after contact work flow', [
          {
            key: 'view',
            type: 'ShowView',
            parameters: {
              ViewResource: { Id: `arn:aws:connect:${region}:aws:view/after-contact-work:1` },
              InvocationTimeLimitSeconds: '900',
              ViewData: { Heading: 'After contact work', SubHeading: '$.Queue.Name' },
            },
            next: 'save-current',
            errors: { NoMatchingError: 'error', TimeLimitExceeded: 'error' },
          },
          {
            key: 'save-current',
            id: 'Save collected data to the current contact',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { AcwNotes: '$.Views.ViewResultData.Notes' },
              TargetContact: 'Current',
            },
            next: 'save-related',
            errors: { NoMatchingError: 'error' },
          },
          {
            key: 'save-related',
            id: 'Save collected data to the related contact',
            type: 'UpdateContactAttributes',
            parameters: {
              Attributes: { AcwNotes: '$.Views.ViewResultData.Notes' },
              TargetContact: 'Related',
            },
            next: 'disconnect',
            errors: { NoMatchingError: 'error' },
          },
          say('error', 'The after contact work guide could not be shown.', 'disconnect'),
          disconnect,
        ]),
    },
    {
      name: 'Sample inbound flow (first contact experience)',
      type: 'CONTACT_FLOW',
      description: 'First contact experience',
      selfReferencing: true,
      content: (refs) => {
        const self = refs.flows.get('Sample inbound flow (first contact experience)').arn;
        return flowContent('Sample inbound flow (first contact experience)', [
          eventHook(refs, 'disconnect-hook', 'CustomerRemaining', 'Sample disconnect flow', 'channel', {
            customerOrAgent: true,
          }),
          {
            key: 'channel',
            type: 'Compare',
            parameters: { ComparisonValue: '$.Channel' },
            next: 'greeted',
            errors: { NoMatchingCondition: 'greeted' },
            conditions: equalsEach({ CHAT: 'chat-hello', TASK: 'chat-hello' }),
          },
          say(
            'chat-hello',
            'Hello, thanks for contacting us. This is an example of what the Amazon Connect virtual contact center can enable you to do.',
            'queue-configurations',
          ),
          {
            key: 'greeted',
            type: 'Compare',
            parameters: { ComparisonValue: '$.Attributes.greetingPlayed' },
            next: 'set-greeted',
            errors: { NoMatchingCondition: 'set-greeted' },
            conditions: equalsEach({ true: 'menu' }),
          },
          {
            key: 'set-greeted',
            type: 'UpdateContactAttributes',
            parameters: { Attributes: { greetingPlayed: 'true' }, TargetContact: 'Current' },
            next: 'voice-hello',
            errors: { NoMatchingError: 'voice-hello' },
          },
          say(
            'voice-hello',
            'Hello, thanks for calling. These are some examples of what the Amazon Connect virtual contact center can enable you to do.',
            'menu',
          ),
          {
            key: 'menu',
            type: 'GetParticipantInput',
            parameters: {
              Text: 'Press 1 to be put in queue for an agent.\n2 to securely enter content.\n3 to hear the results of an AWS Lambda data dip.\n4 to set a screen pop for the agent.\n5 to roll the dice and simulate a and b testing.\n6 to set call recording behavior.\nOr 7 to create a task for an agent.',
              StoreInput: 'False',
              InputTimeLimitSeconds: '8',
            },
            next: 'recording',
            errors: {
              NoMatchingError: 'error',
              NoMatchingCondition: 'recording',
              InputTimeLimitExceeded: 'queue-configurations',
            },
            conditions: equalsEach({
              1: 'queue-configurations',
              2: 'secure-input',
              3: 'lambda',
              4: 'screenpop',
              5: 'ab-test',
              6: 'recording',
              7: 'task',
            }),
          },
          transferToFlow(refs, 'queue-configurations', 'Sample queue configurations flow', 'error'),
          transferToFlow(refs, 'secure-input', 'Sample secure input with no agent', 'error'),
          transferToFlow(refs, 'lambda', 'Sample Lambda integration', 'error'),
          transferToFlow(refs, 'screenpop', 'Sample note for screenpop', 'error'),
          transferToFlow(refs, 'ab-test', 'Sample AB test', 'error'),
          transferToFlow(refs, 'recording', 'Sample recording behavior', 'error'),
          {
            key: 'task',
            type: 'CreateTask',
            parameters: {
              Name: 'Sample task',
              Attributes: { CustomerPhoneNumber: '$.CustomerEndpoint.Address', Type: 'inbound' },
              ContactFlowId: self,
            },
            next: 'task-created',
            errors: { NoMatchingError: 'error' },
            metadata: {
              ContactFlow: { id: self, text: 'Sample inbound flow (first contact experience)' },
            },
          },
          say('task-created', 'A task was created for an agent. Goodbye.', 'disconnect'),
          say('error', "We're sorry, an error occurred. Goodbye.", 'disconnect'),
          disconnect,
        ]);
      },
    },
  ];
}
