// Every rule, in code order. Adding a rule is adding its module here.
import type { Rule } from './rule';
import { modelNotFound } from './ptm101-model-not-found';
import { lookAlikeModel } from './ptm102-look-alike';
import { restrictedAccess } from './ptm103-restricted-access';
import { legacyId } from './ptm104-legacy-id';
import { nameArchitecture } from './ptm201-name-architecture';
import { nameSize } from './ptm202-name-size';
import { nameTask } from './ptm203-name-task';
import { nameStructure } from './ptm204-name-structure';
import { nameFormat } from './ptm205-name-format';
import { incompatibleLicense } from './ptm301-incompatible-license';
import { nonCommercialLicense } from './ptm302-non-commercial-license';
import { useRestrictions } from './ptm303-use-restrictions';
import { unknownLicense } from './ptm304-unknown-license';
import { baseModelLicense } from './ptm305-base-model-license';
import { trustRemoteCode } from './ptm401-trust-remote-code';
import { unpinnedRevision } from './ptm402-unpinned-revision';
import { pickleWeights } from './ptm403-pickle-weights';
import { onnxExportRisk } from './ptm501-onnx-export-risk';
import { unsupportedOnnxOp } from './ptm502-unsupported-onnx-op';
import { riskyOpSequence } from './ptm503-risky-op-sequence';
import { onnxCheckVerdict } from './ptm504-onnx-check-verdict';
import { thinModelCard } from './ptm601-thin-model-card';
import { staleModel } from './ptm602-stale-model';

export const RULES: readonly Rule[] = [
  modelNotFound,
  lookAlikeModel,
  restrictedAccess,
  legacyId,
  nameArchitecture,
  nameSize,
  nameTask,
  nameStructure,
  nameFormat,
  incompatibleLicense,
  nonCommercialLicense,
  useRestrictions,
  unknownLicense,
  baseModelLicense,
  trustRemoteCode,
  unpinnedRevision,
  pickleWeights,
  onnxExportRisk,
  unsupportedOnnxOp,
  riskyOpSequence,
  onnxCheckVerdict,
  thinModelCard,
  staleModel,
];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
