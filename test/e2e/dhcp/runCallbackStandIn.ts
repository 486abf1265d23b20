// The test stand-ins for Ironic's API and for an agent, run as their own process so a test can start
// them inside a network namespace (`ip netns exec`). Each prints one JSON line per request it gets
// (the path without its query, which carries agent tokens), after a first `{"ready": <url>}` line.
//
//   runCallbackStandIn.ts ironic <listen address> <nodes as JSON: [{uuid, macs}]>
//   runCallbackStandIn.ts agent <listen address> <port>
import { AgentStandIn, type RecordedRequest } from '../../support/agentStandIn.js';
import { IronicApiStandIn, type StandInNode } from '../../support/ironicStandIn.js';

const [mode, address = '127.0.0.1', arg = ''] = process.argv.slice(2);

function print(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

const seen = (req: RecordedRequest): Record<string, unknown> => ({
  method: req.method,
  path: req.url.split('?')[0],
  remote: req.remoteAddress.replace(/^::ffff:/, ''),
});

if (mode === 'ironic') {
  const ironic = await IronicApiStandIn.start(JSON.parse(arg) as StandInNode[], address);
  let requests = 0;
  let callBacks = 0;
  // The stand-in records what it gets; report it as it comes.
  setInterval(() => {
    for (; requests < ironic.requests.length; requests++) {
      const req = ironic.requests[requests];
      if (req)
        print('ironic-request', { ...seen(req), query: new URL(req.url, 'http://x').searchParams.get('addresses') });
    }
    for (; callBacks < ironic.callBacks.length; callBacks++) {
      const call = ironic.callBacks[callBacks];
      if (call) print('ironic-callback', { method: call.method, url: call.url.split('?')[0], status: call.status });
    }
  }, 20);
  print('ready', { url: ironic.url });
} else if (mode === 'agent') {
  const agent = await AgentStandIn.start({ address, port: Number(arg) });
  agent.respond = (req, res) => {
    print('agent-request', seen(req));
    AgentStandIn.defaultResponder(req, res);
  };
  print('ready', { url: agent.callbackUrl });
} else {
  process.stderr.write('usage: runCallbackStandIn.ts ironic <address> <nodes JSON> | agent <address> <port>\n');
  process.exit(2);
}
