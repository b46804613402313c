import autocannon from 'autocannon';

// Runs in its own process so the load generator does not share an event loop with the server.
// argv: url, mode (bitrix24-event | baseline), seconds, connections, memberId, appToken
const [url, mode, seconds, connections, memberId, appToken] = process.argv.slice(2);
let n = 0;

function body(): string {
  n++;
  if (mode === 'baseline') return `payload=${n}-${process.pid}`;
  return new URLSearchParams({
    event: 'ONCRMDEALUPDATE',
    event_handler_id: '1',
    'data[FIELDS][ID]': String(100_000 + (n % 5000)),
    ts: String(1_800_000_000 + n),
    'auth[domain]': 'bench.bitrix24.com',
    'auth[client_endpoint]': 'https://bench.bitrix24.com/rest/',
    'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
    'auth[member_id]': memberId!,
    'auth[application_token]': appToken!,
  }).toString();
}

autocannon(
  {
    url: url!,
    method: 'POST',
    duration: Number(seconds),
    connections: Number(connections),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: body() }) }],
  },
  (err: Error | null, r: autocannon.Result) => {
    if (err) throw err;
    process.stdout.write(
      JSON.stringify({ requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }) + '\n',
    );
  },
);
