"""Prints every operator schema python3-onnx knows, as JSON on standard output.

Used by scripts/generate-onnx-ops.ts to build PTM Lens' op-support table. For each
(domain, op, since_version) it picks one concrete type per type constraint (float when
allowed) so the generator can build a one-node model of that op.
"""
import json
import sys

import onnx
import onnx.defs

PREFERRED = ["tensor(float)", "tensor(int64)", "tensor(int32)", "tensor(bool)", "tensor(string)"]


def pick(allowed):
    allowed = sorted(allowed)
    for preferred in PREFERRED:
        if preferred in allowed:
            return preferred
    return allowed[0] if allowed else "tensor(float)"


def formal(params, chosen):
    out = []
    for p in params:
        option = str(p.option).split(".")[-1]
        out.append({"name": p.name, "type": chosen.get(p.typeStr, p.typeStr), "option": option})
    return out


def main():
    schemas = []
    for s in onnx.defs.get_all_schemas_with_history():
        chosen = {t.type_param_str: pick(t.allowed_type_strs) for t in s.type_constraints}
        schemas.append({
            "domain": s.domain,
            "op": s.name,
            "since": s.since_version,
            "deprecated": bool(s.deprecated),
            "inputs": formal(s.inputs, chosen),
            "outputs": formal(s.outputs, chosen),
            "requiredAttributes": [
                {"name": name, "type": str(a.type).split(".")[-1]}
                for name, a in sorted(s.attributes.items()) if a.required
            ],
        })
    schemas.sort(key=lambda s: (s["domain"], s["op"], s["since"]))
    json.dump({"onnxVersion": onnx.__version__, "maxOpset": onnx.defs.onnx_opset_version(), "schemas": schemas}, sys.stdout)


if __name__ == "__main__":
    main()
