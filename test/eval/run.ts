// `npm run eval`: prints every section's figures; exit 1 when a target is missed.
// `--errors` also lists the tuning split's mismatches (never the held-out split's).
import { namesSection } from './names-eval';
import { mismatchSection } from './mismatch';
import { studySection } from './study-eval';
import { realDetectionSection } from './real-detection';
import type { EvalSection } from './registry';

/** One line per section; add yours here. */
const SECTIONS: EvalSection[] = [
  namesSection,
  studySection,
  mismatchSection,
  realDetectionSection,
];

async function main(): Promise<number> {
  const showErrors = process.argv.includes('--errors');
  let failed = 0;
  for (const section of SECTIONS) {
    const result = await section.run({ showErrors });
    process.stdout.write(`\n== ${section.title}\n${result.lines.join('\n')}\n`);
    for (const failure of result.failures) process.stdout.write(`TARGET MISSED: ${failure}\n`);
    failed += result.failures.length;
  }
  process.stdout.write(failed ? `\n${failed} target(s) missed.\n` : '\nAll targets met.\n');
  return failed ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
