// Differences between two rule configs, for the version history. Arrays of things with an identity
// (pipelines, stages, goals) are matched by that identity, not by position, so inserting a stage rule
// shows as one added stage rather than every later stage "changed".

const IDENTITY_KEYS = ['pipelineId', 'stageId', 'code'];

function identityKey(items) {
  if (!items.length || !items.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return null;
  for (const key of IDENTITY_KEYS) {
    const ids = items.map((x) => x[key]);
    if (ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length) return key;
  }
  return null;
}

/** Leaves of a JSON value as [pathSegments, value]; a segment is a key, an index or {by, id}. */
function leaves(value, path, out) {
  if (Array.isArray(value)) {
    const key = identityKey(value);
    if (value.length === 0) out.set(JSON.stringify(path), { path, value: [] });
    value.forEach((item, i) => leaves(item, [...path, key ? { by: key, id: item[key] } : i], out));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: {} });
    for (const [k, v] of entries) leaves(v, [...path, k], out);
  } else {
    out.set(JSON.stringify(path), { path, value });
  }
  return out;
}

/** [{ path, kind: 'added' | 'removed' | 'changed', before, after }] in a stable order. */
export function diffConfigs(before, after) {
  const a = leaves(before ?? {}, [], new Map());
  const b = leaves(after ?? {}, [], new Map());
  const changes = [];
  for (const [key, { path, value }] of a) {
    if (!b.has(key)) changes.push({ path, kind: 'removed', before: value, after: undefined });
    else if (JSON.stringify(b.get(key).value) !== JSON.stringify(value)) changes.push({ path, kind: 'changed', before: value, after: b.get(key).value });
  }
  for (const [key, { path, value }] of b) if (!a.has(key)) changes.push({ path, kind: 'added', before: undefined, after: value });
  return changes;
}
