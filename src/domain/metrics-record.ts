// A per-manager metrics record kept on the host, where the CRM's own reports, filters and robots
// can use it (Bitrix24: one element of a universal list per manager and month).

export type MetricsRecordFieldType = 'employee' | 'string' | 'number';

export interface MetricsRecordField {
  /** Stable code the host stores (Bitrix24: the list field's CODE). */
  code: string;
  type: MetricsRecordFieldType;
  /** Label in the portal's language. */
  name: string;
}

export interface MetricsRecordSchema {
  name: string;
  description: string;
  fields: MetricsRecordField[];
}

export interface MetricsRecord {
  /** Stable per manager and period: the same key rewrites the same record. */
  key: string;
  /** What the host shows as the record's title. */
  title: string;
  /** Field code → value: a user id for 'employee', text for 'string', a number for 'number'. */
  values: Record<string, string | number>;
}
