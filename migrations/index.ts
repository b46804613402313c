import { TenancyAndInbox1764000000000 } from './1764000000000-tenancy-and-inbox.js';
import { Projections1764000001000 } from './1764000001000-projections.js';
import { RulesActionsViolations1764000002000 } from './1764000002000-rules-actions-violations.js';
import { ActionOwnMoves1764000003000 } from './1764000003000-action-own-moves.js';
import { Amocrm1764000020000 } from './1764000020000-amocrm.js';
import { ReportIndexes1764000030000 } from './1764000030000-report-indexes.js';
import { ReportQueryIndexes1764000031000 } from './1764000031000-report-query-indexes.js';
import { ReportDealLookupIndex1764000032000 } from './1764000032000-report-deal-lookup-index.js';
import { WritebackRuns1764000040000 } from './1764000040000-writeback-runs.js';
import { ViolationOccurrences1764000041000 } from './1764000041000-violation-occurrences.js';
import { Leads1764000050000 } from './1764000050000-leads.js';

// Explicit list, in order: no glob loading, so a build or a bundler can never skip one.
export const allMigrations = [
  TenancyAndInbox1764000000000,
  Projections1764000001000,
  RulesActionsViolations1764000002000,
  ActionOwnMoves1764000003000,
  Amocrm1764000020000,
  ReportIndexes1764000030000,
  ReportQueryIndexes1764000031000,
  ReportDealLookupIndex1764000032000,
  WritebackRuns1764000040000,
  ViolationOccurrences1764000041000,
  Leads1764000050000,
];
