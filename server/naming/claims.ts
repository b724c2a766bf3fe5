// What a parsed name claims about the model, in the units the config and the weights use.
import { canonicalArchitecture } from './families';
import type { NameComponent, ParsedName } from './parse-name';
import { normalizeWord } from './vocabulary';

export interface NameClaims {
  /** Canonical transformers model_type ('roberta', 'xlm-roberta', 'llama'); only from a known name, never an inferred one. */
  architecture?: string;
  /** The architecture as written (first known A component). */
  architectureText?: string;
  /** Size word, lower case: base, large, small, tiny, mini, medium, xl, xxl, ... */
  size?: string;
  /**
   * Total parameter count: 7b -> 7e9, 125m -> 125e6, 1.5b -> 1.5e9; experts times size for
   * mixtures: 8x7b -> 5.6e10 (the nominal total; shared layers make the real total smaller).
   */
  parameters?: number;
  /** For "8x7b": the experts and the per-expert count. */
  experts?: { count: number; parametersEach: number };
  /** Task words as written in lower case with '-' between words ('instruct', 'sentiment', 'text-classification'). */
  tasks: string[];
  layers?: number;
  heads?: number;
  hidden?: number;
  /** Formats: gguf, onnx, mlx, openvino, safetensors, ... (lower case). */
  formats: string[];
  /** Precisions and quantizations: fp16, int8, 4bit, q4_k_m, gptq, awq, bnb ... (lower case). */
  precisions: string[];
}

const SCALE: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };
const QUANT_METHODS = new Set(['gptq', 'awq', 'bnb', 'hqq', 'aqlm', 'exl2', 'eetq', 'quip']);

function count(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kmbt])$/i.exec(text);
  return m ? Number(m[1]) * SCALE[m[2].toLowerCase()] : undefined;
}

const number = (text: string) => Number(/\d+/.exec(text)?.[0]);

export function nameClaims(parsed: ParsedName): NameClaims {
  const claims: NameClaims = { tasks: [], formats: [], precisions: [] };
  const cs = parsed.components;
  const known = cs.find((c) => c.category === 'A' && !c.inferred);
  if (known) {
    const index = cs.indexOf(known);
    const next: NameComponent | undefined = cs[index + 1];
    const version = next?.category === 'V' ? next.text : undefined;
    claims.architecture = canonicalArchitecture(known.text, version);
    claims.architectureText = known.text;
  }
  for (const c of cs) {
    const lower = c.text.toLowerCase();
    const norm = normalizeWord(c.text);
    switch (c.category) {
      case 'S': {
        const experts = /^(\d+)x(\d+(?:\.\d+)?[bt])$/i.exec(c.text);
        if (experts) {
          const each = count(experts[2])!;
          claims.experts = { count: Number(experts[1]), parametersEach: each };
          claims.parameters ??= Number(experts[1]) * each;
        } else if (count(c.text) !== undefined) claims.parameters ??= count(c.text);
        else claims.size ??= lower;
        break;
      }
      case 'P':
        claims.parameters ??= count(c.text);
        break;
      case 'T':
        if (!claims.tasks.includes(norm)) claims.tasks.push(norm);
        break;
      case 'N':
        claims.layers ??= number(c.text);
        break;
      case 'H': {
        // BERT miniatures write L-12_H-768_A-12: H is the hidden size, A the heads.
        const n = number(c.text);
        if (/^a/i.test(c.text) || (n < 128 && claims.heads === undefined && !cs.some((o) => /^a-\d+$/i.test(o.text)))) claims.heads ??= n;
        else claims.hidden ??= n;
        break;
      }
      case 'W':
        if (!claims.formats.includes(norm)) claims.formats.push(norm);
        break;
      case 'C':
        if (/^(fp|bf|int|uint|f|nf|mxfp)\d+$|^\d+-?bits?$|^w\d+a\d+$|^q\d|^iq\d|bpw$/i.test(lower) && !claims.precisions.includes(norm)) claims.precisions.push(norm);
        break;
      case 'F':
        if (QUANT_METHODS.has(norm) && !claims.precisions.includes(norm)) claims.precisions.push(norm);
        break;
    }
  }
  return claims;
}
