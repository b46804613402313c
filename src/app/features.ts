import type { Feature } from './app-context.js';
import { deadLetterFeature } from '../queue/dead-letter.feature.js';

/** Every feature of the service, in one list: the composition root. */
export function allFeatures(): Feature[] {
  return [deadLetterFeature];
}
