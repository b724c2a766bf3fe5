// The license ids the Hugging Face Hub offers in a model card's `license:` field.
// Source: the `License` type in @huggingface/hub 2.17.5 (src/types/public.ts of the npm
// tarball), an offline copy of the Hub's list at https://huggingface.co/docs/hub/repositories-licenses.
// Ids the Hub added after that release are listed separately, each with its source.

export const HUB_LICENSE_IDS_SOURCE = '@huggingface/hub 2.17.5, src/types/public.ts, type License';

export const HUB_LICENSE_IDS: readonly string[] = [
  'apache-2.0', 'mit', 'openrail', 'bigscience-openrail-m', 'creativeml-openrail-m', 'bigscience-bloom-rail-1.0',
  'bigcode-openrail-m', 'afl-3.0', 'artistic-2.0', 'bsl-1.0', 'bsd', 'bsd-2-clause', 'bsd-3-clause', 'bsd-3-clause-clear',
  'c-uda', 'cc', 'cc0-1.0', 'cc-by-2.0', 'cc-by-2.5', 'cc-by-3.0', 'cc-by-4.0', 'cc-by-sa-3.0', 'cc-by-sa-4.0',
  'cc-by-nc-2.0', 'cc-by-nc-3.0', 'cc-by-nc-4.0', 'cc-by-nd-4.0', 'cc-by-nc-nd-3.0', 'cc-by-nc-nd-4.0', 'cc-by-nc-sa-2.0',
  'cc-by-nc-sa-3.0', 'cc-by-nc-sa-4.0', 'cdla-sharing-1.0', 'cdla-permissive-1.0', 'cdla-permissive-2.0', 'wtfpl',
  'ecl-2.0', 'epl-1.0', 'epl-2.0', 'etalab-2.0', 'eupl-1.1', 'agpl-3.0', 'gfdl', 'gpl', 'gpl-2.0', 'gpl-3.0', 'lgpl',
  'lgpl-2.1', 'lgpl-3.0', 'isc', 'lppl-1.3c', 'ms-pl', 'mpl-2.0', 'odc-by', 'odbl', 'openrail++', 'osl-3.0', 'postgresql',
  'ofl-1.1', 'ncsa', 'unlicense', 'zlib', 'pddl', 'lgpl-lr', 'deepfloyd-if-license', 'llama2', 'llama3', 'llama3.1',
  'llama3.2', 'llama3.3', 'gemma', 'apple-ascl', 'apple-amlr', 'unknown', 'other',
];

/** Ids newer than the @huggingface/hub release above. */
export const NEWER_HUB_LICENSE_IDS: readonly { id: string; source: string }[] = [
  {
    id: 'llama4',
    source: 'https://huggingface.co/docs/hub/repositories-licenses (row "Llama 4 Community License Agreement", id llama4); used by the meta-llama/Llama-4-* model cards',
  },
];

export function allHubLicenseIds(): string[] {
  return [...HUB_LICENSE_IDS, ...NEWER_HUB_LICENSE_IDS.map((e) => e.id)];
}
