// SARIF 2.1.0 for code-scanning services: one run, rule metadata with help text,
// and a fingerprint per finding that survives unrelated edits above it.
import { ruleDocsUrl } from '../core/links';
import type { Note, NoteLevel } from '../core/notes';
import type { Severity } from '../core/types';
import { RULES } from '../rules';
import type { Location, ScanOutput } from './records';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const NOTE_LEVEL: Record<NoteLevel, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative path as a URI reference: every segment percent-encoded, so "#", "?", "%", spaces
 *  and a ":" in the first segment (which would read as a scheme) keep their meaning as names. */
export function pathToUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Notes as SARIF tool execution notifications; a run with an error note did not fully succeed. */
function invocation(notes: readonly Note[]): object {
  return {
    executionSuccessful: !notes.some((note) => note.level === 'error'),
    toolExecutionNotifications: notes.map((note) => ({
      level: NOTE_LEVEL[note.level],
      message: { text: note.message },
      ...(note.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: pathToUri(note.file), uriBaseId: '%SRCROOT%' } } }] } : {}),
    })),
  };
}

function physicalLocation(location: Location, uri = encodeURI(location.file)): object {
  // A notebook's region is in the .ipynb text (what a viewer of the file shows); the cell and the
  // lines within it go in the location's properties.
  const at = location.cell === undefined ? location : (location.fileRegion ?? { line: 1, column: 1, endLine: 1, endColumn: 1 });
  return {
    artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
    region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
  };
}

/** Notebooks: the cell and the range within it, as location properties. */
function cellProperties(location: Location): object {
  if (location.cell === undefined) return {};
  return { properties: { cell: location.cell, cellRegion: { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn } } };
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
        invocations: [invocation(output.notes)],
        columnKind: 'utf16CodeUnits',
        results: output.findings.map((finding) => {
          return {
            ruleId: finding.code,
            ruleIndex: RULES.findIndex((rule) => rule.code === finding.code),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [{ physicalLocation: physicalLocation(finding, pathToUri(finding.file)), ...cellProperties(finding) }],
            ...(finding.related?.length
              ? { relatedLocations: finding.related.map((related, i) => ({ id: i + 1, physicalLocation: physicalLocation(related), ...cellProperties(related), message: { text: 'Another reference to the same model' } })) }
              : {}),
            partialFingerprints: { 'ptmLens/v1': finding.fingerprint },
          };
        }),
      },
    ],
  };
}
