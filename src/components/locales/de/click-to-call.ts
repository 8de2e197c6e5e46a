import type { LocaleTemplates } from './types.js';

/** German texts of the click-to-call element(s), by message id. */
export const clickToCall: LocaleTemplates = {};
