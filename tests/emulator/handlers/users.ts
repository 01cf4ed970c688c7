import type { HandlerTable } from './context.js';

export const userHandlers: HandlerTable = {};
