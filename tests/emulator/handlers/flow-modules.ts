import type { HandlerTable } from './context.js';

export const flowModuleHandlers: HandlerTable = {};
