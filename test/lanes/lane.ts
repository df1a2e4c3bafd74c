import { join } from 'node:path';
import { describe } from 'vitest';

/** Runs the files of one lane (test/system-lanes.ts) in this worker, in order, each in a describe of its own path. */
export function runLane(files: readonly string[]): void {
  for (const file of files) {
    describe(file, async () => {
      await import(join(import.meta.dirname, '..', '..', file));
    });
  }
}
