// The authorization server (oauth.bitrix.info in production; the sandbox itself here):
// GET or POST /oauth/token/ with grant_type=refresh_token or authorization_code
// (settings/oauth/auto-renewal.md, settings/oauth/index.md). Errors are {error, error_description}
// (settings/oauth/error-codes.md). The docs give no HTTP status for them; this server answers as
// RFC 6749 §5.2 does: 401 for invalid_client, 400 for the rest.

import express from 'express';
import type { Response, Router } from 'express';
import type { SandboxContext } from './sandbox-context.js';
import type { TokenPair } from './token-store.js';
import { parseBody, rawQuery } from './rest-router.js';
import { parsePhpQuery } from './php-query.js';
import { RestError } from './rest-error.js';

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

export function tokenResponse(ctx: SandboxContext, pair: TokenPair, withExpiry: boolean): Record<string, unknown> {
  const { portal } = ctx.state;
  const body: Record<string, unknown> = {
    access_token: pair.accessToken,
    client_endpoint: ctx.restEndpoint(),
    domain: new URL(ctx.baseUrl()).host,
  };
  if (withExpiry) body.expires = Math.floor(pair.accessExpiresAt / 1000);
  body.expires_in = ctx.tokens.accessTtlSec;
  body.member_id = portal.memberId;
  body.refresh_token = pair.refreshToken;
  body.scope = portal.scopes.join(',');
  body.server_endpoint = ctx.restEndpoint();
  body.status = portal.status;
  if (withExpiry) body.user_id = pair.userId;
  return body;
}

export function createOAuthRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));
  router.all('/token', (req, res) => {
    let params: Record<string, unknown>;
    try {
      params = { ...parsePhpQuery(rawQuery(req)), ...parseBody(req) };
    } catch (error) {
      oauthError(res, 400, 'invalid_request', error instanceof RestError ? error.description : 'Malformed request');
      return;
    }
    const { portal } = ctx.state;
    const grantType = String(params.grant_type ?? '');
    const refuse = (status: number, error: string, description: string) => {
      ctx.stats.oauth('refused');
      oauthError(res, status, error, description);
    };
    if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
      refuse(400, 'invalid_request', 'Unsupported or missing grant_type');
      return;
    }
    if (!params.client_id || !params.client_secret) {
      refuse(400, 'invalid_request', 'client_id and client_secret are required');
      return;
    }
    if (params.client_id !== portal.clientId || params.client_secret !== portal.clientSecret || !ctx.lifecycle.installed) {
      refuse(401, 'invalid_client', 'Invalid client credentials or the application is not installed');
      return;
    }
    if (grantType === 'refresh_token') {
      const token = String(params.refresh_token ?? '');
      if (token === '') {
        refuse(400, 'invalid_request', 'refresh_token is required');
        return;
      }
      const pair = ctx.tokens.rotate(token);
      if (!pair) {
        refuse(400, 'invalid_grant', 'Invalid refresh token');
        return;
      }
      ctx.stats.oauth('refreshed');
      res.status(200).json(tokenResponse(ctx, pair, true));
      return;
    }
    const code = String(params.code ?? '');
    const pair = code === '' ? null : ctx.tokens.exchangeCode(code);
    if (!pair) {
      refuse(400, 'invalid_grant', 'Invalid or expired authorization code');
      return;
    }
    ctx.stats.oauth('codesExchanged');
    res.status(200).json(tokenResponse(ctx, pair, false));
  });
  return router;
}
