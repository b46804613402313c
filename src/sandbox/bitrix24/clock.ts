/** The sandbox's only source of time: created times, token expiry, the leaky bucket and event `ts` all read it. */
export interface SandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: SandboxClock = { now: () => Date.now() };

/** A clock that moves only when told to; tests and the demo drive it. */
export class ManualClock implements SandboxClock {
  private current: number;

  /**
   * Starts at the given moment, or at the current second. Starting near real time matters when the app
   * uses the official SDK: it judges token expiry (`expires`) against the process clock, not this one.
   */
  constructor(start: Date | number = Math.floor(Date.now() / 1000) * 1000) {
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
