/**
 * The worker thread that checks fax documents in Node (see {@link createNodeFaxSandbox}).
 *
 * @packageDocumentation
 */
// Node-only worker entry point of centrex-sdk/core/fax/node.
// eslint-disable-next-line no-restricted-imports -- worker threads exist only in Node, see above
import { parentPort } from 'node:worker_threads';
import { serveFaxSandboxRequests } from '../serve.js';

const port = parentPort;
if (!port) throw new Error('fax-document.node-worker must run as a worker thread (use createNodeFaxSandbox()).');
const handle = serveFaxSandboxRequests((response) => port.postMessage(response));
port.on('message', handle);
