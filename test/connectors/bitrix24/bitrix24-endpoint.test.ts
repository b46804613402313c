import { assertBitrix24Endpoint, oauthServerOf, restBase } from '../../../src/connectors/bitrix24/bitrix24-endpoint.js';

describe('Bitrix24 endpoints', () => {
  it.each([
    ['https portal', 'https://x.bitrix24.com/rest/', false, null],
    ['http loopback, allowed', 'http://127.0.0.1:8089/rest/', true, null],
    ['http localhost, allowed', 'http://localhost:8089/rest/', true, null],
    ['http loopback, not allowed', 'http://127.0.0.1:8089/rest/', false, /allowInsecureLoopback: true/],
    ['http elsewhere, even when allowed', 'http://x.bitrix24.com/rest/', true, /not https/],
    ['credentials in the URL', 'https://u:p@x.bitrix24.com/rest/', false, /credentials/],
    ['not a URL', 'x.bitrix24.com', false, /not a URL/],
    ['another scheme', 'ftp://x.bitrix24.com/rest/', true, /not https/],
  ])('%s', (_name, url, allow, error) => {
    const run = () => assertBitrix24Endpoint(url, 'client_endpoint', allow);
    if (error === null) expect(run).not.toThrow();
    else expect(run).toThrow(error);
  });

  it('drops the trailing slash the SDK would double, and finds the token server', () => {
    expect(restBase('https://x.bitrix24.com/rest/')).toBe('https://x.bitrix24.com/rest');
    expect(oauthServerOf('https://oauth.bitrix.info/rest/')).toBe('https://oauth.bitrix.info');
    expect(oauthServerOf('http://127.0.0.1:8089/rest')).toBe('http://127.0.0.1:8089');
  });
});
