// The browser scenarios against the project's reference PBX (src/pbx), on a temporary database with the demo company.
import { describeScenarios } from './scenarios/index.js';
import { referencePbx } from './support/servers.js';

describeScenarios(referencePbx);
