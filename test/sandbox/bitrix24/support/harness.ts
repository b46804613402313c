// Drives the sandbox over real HTTP: axios for REST and OAuth, a tiny express receiver for events.

import axios from 'axios';
import type { AxiosResponse } from 'axios';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bitrix24Sandbox, ManualClock } from '../../../../src/sandbox/bitrix24/index.js';
import type { Bitrix24SandboxOptions } from '../../../../src/sandbox/bitrix24/index.js';

export const http = axios.create({ validateStatus: () => true });

export interface Harness {
  sandbox: Bitrix24Sandbox;
  clock: ManualClock;
  url: string;
  /** Admin's access token. */
  token: string;
  /** POST /rest/{method} with a JSON body and the admin token (or `auth`). */
  rest<T = any>(method: string, params?: Record<string, unknown>, auth?: string): Promise<AxiosResponse<T>>;
  /** POST /rest/{method} with a raw form-encoded body (auth appended). */
  restForm<T = any>(method: string, form: string, auth?: string): Promise<AxiosResponse<T>>;
  close(): Promise<void>;
}

export async function startHarness(options: Bitrix24SandboxOptions = {}): Promise<Harness> {
  // A fixed start keeps dates in assertions stable: 2026-01-12 09:00 UTC = 12:00 at the portal's +03:00.
  const clock = new ManualClock(Date.UTC(2026, 0, 12, 9, 0, 0));
  const sandbox = new Bitrix24Sandbox({ clock, ...options });
  const { url } = await sandbox.start();
  const token = sandbox.issueTokens(1).accessToken;
  return {
    sandbox,
    clock,
    url,
    token,
    rest: (method, params = {}, auth = token) => http.post(`${url}/rest/${method}`, { ...params, auth }),
    restForm: (method, form, auth = token) =>
      http.post(`${url}/rest/${method}`, `${form}${form ? '&' : ''}auth=${auth}`, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        transformRequest: [(d) => d],
      }),
    close: () => sandbox.stop(),
  };
}

export interface ReceivedEvent {
  raw: string;
  /** Parsed with express.urlencoded({ extended: true }), as an app would. */
  body: any;
  contentType: string | undefined;
}

export interface Receiver {
  url: string;
  received: ReceivedEvent[];
  /** Status the receiver answers with (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedEvent[] = [];
  const app = express();
  const receiver = { url: '', received, status: 200, close: async () => undefined } as Receiver;
  app.use(
    express.urlencoded({
      extended: true,
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: string }).rawBody = buf.toString('utf8');
      },
    }),
  );
  app.post('/events', (req, res) => {
    const raw = (req as unknown as { rawBody?: string }).rawBody ?? '';
    received.push({ raw, body: req.body, contentType: req.headers['content-type'] });
    res.status(receiver.status).send('OK');
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
