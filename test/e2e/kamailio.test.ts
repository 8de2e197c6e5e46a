// The browser scenarios against a real Kamailio (test/interop/kamailio/kamailio.cfg).
import { describeScenarios } from './scenarios/index.js';
import { kamailio } from './support/servers.js';

describeScenarios(kamailio);
