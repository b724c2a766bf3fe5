// What the license rules know about the project that loads the models (its workspace
// folder): its own license and its intended use. The engine gathers it; rules read it.

export type IntendedUse = 'commercial' | 'non-commercial' | 'research';

export interface ProjectFacts {
  /** Absent when neither a setting nor the project files say. */
  license?: {
    /** As declared (an id, an expression or a classifier). */
    license: string;
    /** The SPDX expression it maps to. */
    spdx: string;
    /** Where it was found: a file relative to the folder, "config" or "setting". */
    source: string;
  };
  intendedUse?: IntendedUse;
}
