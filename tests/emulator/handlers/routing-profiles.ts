import type { HandlerTable } from './context.js';

export const routingProfileHandlers: HandlerTable = {};
