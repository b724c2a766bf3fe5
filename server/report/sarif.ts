// SARIF 2.1.0 for code-scanning services: one run, rule metadata with help text,
// and a fingerprint per finding that survives unrelated edits above it.
import { ruleDocsUrl } from '../core/links';
import type { Severity } from '../core/types';
import { RULES } from '../rules';
import type { Location, ScanOutput } from './records';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function physicalLocation(location: Location): object {
  return {
    artifactLocation: { uri: encodeURI(location.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn },
  };
}

export function toSarif(output: ScanOutput, toolVersion: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PTM Lens',
            semanticVersion: toolVersion,
            informationUri: ruleDocsUrl('').replace(/docs\/rules\/\.md$/, ''),
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.docs.what },
              helpUri: ruleDocsUrl(rule.code),
              help: {
                text: `${rule.docs.why}\n\nExample:\n${rule.docs.example}\n\nUse instead:\n${rule.docs.useInstead}`,
                markdown: `${rule.docs.why}\n\n**Example**\n\n\`\`\`python\n${rule.docs.example}\n\`\`\`\n\n**Use instead**\n\n\`\`\`python\n${rule.docs.useInstead}\n\`\`\``,
              },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: output.findings.map((finding) => {
          return {
            ruleId: finding.code,
            ruleIndex: RULES.findIndex((rule) => rule.code === finding.code),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
                },
              },
            ],
            ...(finding.related?.length
              ? { relatedLocations: finding.related.map((related, i) => ({ id: i + 1, physicalLocation: physicalLocation(related), message: { text: 'Another reference to the same model' } })) }
              : {}),
            partialFingerprints: { 'ptmLens/v1': finding.fingerprint },
          };
        }),
      },
    ],
  };
}
