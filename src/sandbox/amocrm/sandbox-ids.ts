// Entity ids are integers, each kind from its own sequence; event ids are 26-character,
// time-ordered strings like the docs' `01drbfj5a8k9zd60bgg907a6w9` (events-and-notes).

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

export class AmoSandboxIds {
  private readonly next = new Map<string, number>();
  private eventCounter = 0;

  constructor(private readonly starts: Record<string, number> = {}) {}

  take(kind: string): number {
    const id = this.next.get(kind) ?? this.starts[kind] ?? 1;
    this.next.set(kind, id + 1);
    return id;
  }

  /** 10 chars of millisecond time + 16 of a counter: sorts by time, then by creation order. */
  eventId(nowMs: number): string {
    this.eventCounter += 1;
    return encode(nowMs, 10) + encode(this.eventCounter, 16);
  }
}

function encode(value: number, length: number): string {
  let out = '';
  let v = Math.floor(value);
  for (let i = 0; i < length; i += 1) {
    out = CROCKFORD[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return out;
}
