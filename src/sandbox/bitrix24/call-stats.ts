// Counters the tests and the benchmark read: how hard the app leaned on the portal.

export interface CallStatsSnapshot {
  /** REST HTTP requests that reached /rest/ (a batch is one). */
  httpRequests: number;
  /** Executed method calls by name; each batch command counts under its own method, the batch under "batch". */
  perMethod: Record<string, number>;
  /** Requests refused with 503 QUERY_LIMIT_EXCEEDED. */
  rejected: number;
  rejectedByMethod: Record<string, number>;
  /** Error answers by error code (REST and batch commands). */
  errors: Record<string, number>;
  oauth: { refreshed: number; codesExchanged: number; refused: number };
}

export class CallStats {
  private data: CallStatsSnapshot = CallStats.empty();

  private static empty(): CallStatsSnapshot {
    return {
      httpRequests: 0,
      perMethod: {},
      rejected: 0,
      rejectedByMethod: {},
      errors: {},
      oauth: { refreshed: 0, codesExchanged: 0, refused: 0 },
    };
  }

  request(): void {
    this.data.httpRequests += 1;
  }

  called(method: string): void {
    this.data.perMethod[method] = (this.data.perMethod[method] ?? 0) + 1;
  }

  rejectedCall(method: string): void {
    this.data.rejected += 1;
    this.data.rejectedByMethod[method] = (this.data.rejectedByMethod[method] ?? 0) + 1;
  }

  error(code: string): void {
    const key = code === '' ? '(empty)' : code;
    this.data.errors[key] = (this.data.errors[key] ?? 0) + 1;
  }

  oauth(kind: 'refreshed' | 'codesExchanged' | 'refused'): void {
    this.data.oauth[kind] += 1;
  }

  snapshot(): CallStatsSnapshot {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = CallStats.empty();
  }
}
