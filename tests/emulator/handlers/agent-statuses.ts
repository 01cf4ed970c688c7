import type { HandlerTable } from './context.js';

export const agentStatusHandlers: HandlerTable = {};
