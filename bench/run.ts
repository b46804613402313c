import { runIngestBench } from './ingest.bench.js';
import { runProcessingBench } from './processing.bench.js';
import { runReportsBench } from './reports.bench.js';

// `npm run bench`: every benchmark, each printing its figures beside a baseline of the same run.
const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = { ingest: runIngestBench, processing: runProcessingBench, reports: runReportsBench };
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
