// amoCRM reads PHP-style query keys (`filter[id][]=1&filter[id][]=2`, `filter[updated_at][from]=…`).
// The sandbox reads the raw query string itself, so each key is seen exactly as the client wrote it.

export class AmoSandboxQuery {
  private readonly pairs: [string, string][];

  constructor(rawQuery: string) {
    this.pairs = [...new URLSearchParams(rawQuery).entries()];
  }

  static fromUrl(url: string): AmoSandboxQuery {
    const q = url.indexOf('?');
    return new AmoSandboxQuery(q === -1 ? '' : url.slice(q + 1));
  }

  /** The last value of `key`. */
  get(key: string): string | undefined {
    let found: string | undefined;
    for (const [k, v] of this.pairs) if (k === key) found = v;
    return found;
  }

  /** Every value of `key[]`, `key[0]`, `key[1]`… and of a plain `key` (amoCRM accepts one or many). */
  all(key: string): string[] {
    const out: string[] = [];
    for (const [k, v] of this.pairs) {
      if (k === key || k === `${key}[]` || (k.startsWith(`${key}[`) && /^\[\d+\]$/.test(k.slice(key.length)))) {
        out.push(...v.split(',').filter((s) => s !== ''));
      }
    }
    return out;
  }

  allNumbers(key: string): number[] {
    return this.all(key).map(Number).filter((n) => Number.isFinite(n));
  }

  int(key: string): number | undefined {
    const v = this.get(key);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  }

  /** The query without `page`, to build `_links` for other pages. */
  withPage(page: number): string {
    const kept = this.pairs.filter(([k]) => k !== 'page');
    kept.push(['page', String(page)]);
    return kept.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  }
}
