import type { HandlerTable } from './context.js';

export const promptHandlers: HandlerTable = {};
