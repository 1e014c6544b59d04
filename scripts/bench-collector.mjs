// The measuring half of scripts/bench-collector: starts `vario serve` on the demo shop with each
// store, posts impression batches from `clients` keep-alive connections for `seconds`, and prints
// events/s, request latency percentiles and bytes per event (request line, headers and body).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, campaignsPath, shopDir, wasmDir } from '../tests/wasm/helpers/env.mjs';

const [seconds, clients, postgres] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];

async function serve(storeArgs) {
  const child = spawn(cli, ['serve', campaignsPath, '--site', shopDir, '--port', '0', '--engine-dir', wasmDir, ...storeArgs],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const m = out.match(/^Serving (http:\/\/127\.0\.0\.1:(\d+))\//m);
      if (m) resolve({ port: Number(m[2]) });
    });
    child.once('exit', (code) => reject(new Error(`vario serve exited ${code}`)));
  });
  return { ...origin, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

const hex = () => randomBytes(16).toString('hex');

function body(batch) {
  const ts = Date.now();
  const events = [];
  for (let i = 0; i < batch; i++)
    events.push({ schema: 2, type: 'impression', id: hex(), ts, account: 'demo-shop', visitor: hex(),
                  page: '/product.html', campaign: 'product-headline', variation: i % 2 ? 'benefit' : 'control' });
  return JSON.stringify({ events });
}

function post(agent, port, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/events', method: 'POST', agent,
                               headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, text }));
      });
    req.on('error', reject);
    req.end(payload);
  });
}

async function run(port, batch) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  let events = 0, bytes = 0, failures = 0;
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const payload = body(batch);
      // What goes on the wire for one request: request line, the headers node sends, the body.
      const head = `POST /v1/events HTTP/1.1\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`;
      const t0 = process.hrtime.bigint();
      const res = await post(agent, port, payload);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status != 200) { failures++; continue; }
      events += JSON.parse(res.text).accepted;
      bytes += Buffer.byteLength(head) + Buffer.byteLength(payload);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { events, perSecond: events / elapsed, p50: q(0.5), p99: q(0.99), bytesPerEvent: bytes / events, failures };
}

const temp = mkdtempSync(join(tmpdir(), 'vario-bench-'));
const rows = [];
for (const [name, args] of [['SQLite', ['--db', join(temp, 'events.db')]], ['PostgreSQL', ['--store', postgres]]]) {
  const server = await serve(args);
  await run(server.port, 1);  // warm-up: connections, page cache
  for (const batch of [1, 20]) rows.push({ store: name, batch, ...(await run(server.port, batch)) });
  await server.stop();
}
rmSync(temp, { recursive: true, force: true });

console.log(`${clients} concurrent keep-alive clients, ${seconds} s per run, on loopback (impression events)\n`);
console.log('store        batch   events/s   p50 ms   p99 ms   bytes/event   non-200');
for (const r of rows)
  console.log(`${r.store.padEnd(12)} ${String(r.batch).padStart(5)} ${r.perSecond.toFixed(0).padStart(10)} ${r.p50.toFixed(2).padStart(8)} ` +
              `${r.p99.toFixed(2).padStart(8)} ${r.bytesPerEvent.toFixed(0).padStart(13)} ${String(r.failures).padStart(9)}`);
