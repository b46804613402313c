/** The sandbox's only source of time: created times, token expiry, the leaky bucket and event `ts` all read it. */
export interface SandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: SandboxClock = { now: () => Date.now() };

/** A clock that moves only when told to; tests and the demo drive it. */
export class ManualClock implements SandboxClock {
  private current: number;

  constructor(start: Date | number = Date.UTC(2026, 0, 12, 9, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  advance(seconds: number): void {
    this.current += Math.round(seconds * 1000);
  }

  set(at: Date | number): void {
    this.current = typeof at === 'number' ? at : at.getTime();
  }
}
