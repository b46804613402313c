/**
 * Which host endpoints we will talk to. Real portals are https; plain http is accepted only on a
 * loopback address and only when ALLOW_INSECURE_LOOPBACK_HOSTS is on (the sandbox portal).
 */
export function endpointAllowed(url: string, allowInsecureLoopback: boolean): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return !isLoopback(u.hostname) || allowInsecureLoopback;
  return u.protocol === 'http:' && allowInsecureLoopback && isLoopback(u.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
