/** The sandbox's only source of time: token and code expiry, the rate window, created/updated times. */
export interface AmoSandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const amoSystemClock: AmoSandboxClock = { now: () => Date.now() };

/** A clock that moves only when told to; tests and the demo drive it. */
export class AmoManualClock implements AmoSandboxClock {
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

export function unixOf(clock: AmoSandboxClock): number {
  return Math.floor(clock.now() / 1000);
}

/** Task and note webhooks carry local "YYYY-MM-DD HH:MM:SS" strings (webhooks-general); the sandbox account's timezone is UTC. */
export function amoLocalDate(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
