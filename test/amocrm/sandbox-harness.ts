import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmoCrmSandbox, type AmoCrmSandboxOptions } from '../../src/sandbox/amocrm/amocrm-sandbox.js';

export interface Http {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(sandbox: AmoCrmSandbox, method: string, path: string, token: string | null, body?: unknown): Promise<Http> {
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function startSandbox(options: AmoCrmSandboxOptions = {}): Promise<AmoCrmSandbox> {
  const sandbox = new AmoCrmSandbox(options);
  await sandbox.start();
  return sandbox;
}

/** A webhook receiver: records raw bodies and headers; answers with `status()`. */
export class Receiver {
  readonly received: { body: string; headers: Record<string, string | string[] | undefined>; path: string; query: Record<string, unknown> }[] = [];
  status: () => number = () => 200;
  delayMs = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<string> {
    const app = express();
    app.use(express.text({ type: '*/*', limit: '1mb' }));
    app.all('/{*rest}', async (req, res) => {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      this.received.push({ body: typeof req.body === 'string' ? req.body : '', headers: req.headers, path: req.path, query: req.query as Record<string, unknown> });
      res.status(this.status()).send('ok');
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
