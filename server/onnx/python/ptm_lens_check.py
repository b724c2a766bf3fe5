"""PTM Lens conversion-check helper: runs in the user's Python as a child process.

Builds the source model, exports it with torch.onnx.export (unless an existing .onnx is
given), runs the source model on N deterministic inputs and writes inputs and reference
outputs as raw little-endian arrays plus a JSON manifest (never pickle). PTM Lens then runs
the ONNX graph in onnxruntime and compares.

    python ptm_lens_check.py SPEC.json

SPEC: {"source": {"kind": "module", "file": ..., "name": ...} | {"kind": "model", "id": ..., "revision": ..., "library": "auto" | "transformers" | "sentence-transformers" | "timm"},
       "onnx": null | path, "out": dir, "opset": int, "inputs": int, "seed": int, "varyBatch": bool}
Writes OUT/result.json: {"status": "ok" | "missing" | "factory-error" | "not-cached" | "export-crash" | "reference-error", ...}
"""
import json
import os
import sys
import time
import traceback


def write_result(out, result):
    with open(os.path.join(out, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


def last_line(error):
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text.splitlines()[-1] if text else type(error).__name__


def progress(message):
    # One line per step on stderr: PTM Lens shows it as progress.
    print("ptm-lens-progress: " + message, file=sys.stderr, flush=True)


def load_module_source(spec):
    import importlib.util
    path = os.path.abspath(spec["file"])
    sys.path.insert(0, os.path.dirname(path))
    module_spec = importlib.util.spec_from_file_location("ptm_lens_user_module", path)
    user = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(user)
    factory = getattr(user, spec["name"], None)
    if factory is None or not callable(factory):
        raise LookupError("%s has no callable named %s" % (spec["file"], spec["name"]))
    built = factory()
    if not isinstance(built, tuple) or len(built) != 2:
        raise TypeError("%s() must return (torch.nn.Module, example_input)" % spec["name"])
    return built


SAMPLE_TEXTS = ["PTM Lens checks this conversion.", "A second, longer sentence for the batch."]

# The Python package each --library value imports, and how to install it.
LIBRARY_PACKAGES = {"transformers": ("transformers", "transformers"), "sentence-transformers": ("sentence_transformers", "sentence-transformers"), "timm": ("timm", "timm")}


def repository_file(spec, name):
    """A file of the model's repository from the local cache or the Hub, or None when it has none."""
    try:
        from huggingface_hub import hf_hub_download
    except Exception:
        return None
    try:
        return hf_hub_download(spec["id"], name, revision=spec.get("revision"))
    except Exception:
        return None


def detect_library(spec):
    """The library that saved the model: modules.json is sentence-transformers', a config.json
    with "architecture" and no "model_type" is timm's; anything else is loaded with transformers."""
    if repository_file(spec, "modules.json"):
        return "sentence-transformers"
    config = repository_file(spec, "config.json")
    if config:
        try:
            with open(config, encoding="utf-8") as f:
                data = json.load(f)
            if isinstance(data, dict) and "architecture" in data and "model_type" not in data:
                return "timm"
        except Exception:
            pass
    return "transformers"


def load_transformers_model(spec):
    from transformers import AutoModel, AutoTokenizer
    kwargs = {"revision": spec.get("revision")} if spec.get("revision") else {}
    model = AutoModel.from_pretrained(spec["id"], **kwargs)
    tokenizer = AutoTokenizer.from_pretrained(spec["id"], **kwargs)
    encoded = tokenizer(SAMPLE_TEXTS, padding=True, return_tensors="pt")
    return model, tuple(encoded[k] for k in ("input_ids", "attention_mask") if k in encoded)


def load_sentence_transformer(spec):
    import torch
    from sentence_transformers import SentenceTransformer
    kwargs = {"revision": spec.get("revision")} if spec.get("revision") else {}
    encoder = SentenceTransformer(spec["id"], device="cpu", **kwargs)
    features = encoder.tokenize(SAMPLE_TEXTS)
    names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in features]

    class SentenceEmbedding(torch.nn.Module):
        # The library's forward takes and returns dicts; the export needs tensors in and out.
        def __init__(self):
            super().__init__()
            self.encoder = encoder

        def forward(self, *tensors):
            return self.encoder(dict(zip(names, tensors)))["sentence_embedding"]

    return SentenceEmbedding(), tuple(features[k] for k in names)


def load_timm_model(spec):
    import timm
    import torch
    name = spec["id"] if spec["id"].startswith(("hf-hub:", "hf_hub:")) else "hf-hub:" + spec["id"]
    if spec.get("revision"):
        name += "@" + spec["revision"]
    model = timm.create_model(name, pretrained=True)
    config = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None) or {}
    channels, height, width = tuple(config.get("input_size", (3, 224, 224)))
    return model, torch.rand(2, channels, height, width)


LIBRARY_LOADERS = {"transformers": load_transformers_model, "sentence-transformers": load_sentence_transformer, "timm": load_timm_model}


def as_tuple(example):
    return example if isinstance(example, tuple) else (example,)


def flatten_outputs(value):
    import torch
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict) or hasattr(value, "to_tuple"):
        value = value.to_tuple() if hasattr(value, "to_tuple") else tuple(value.values())
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(flatten_outputs(item))
        return out
    return []


def make_inputs(example, count, seed, vary_batch):
    """Case 0 is the example; then zeros, ones and seeded random values in the example's range."""
    import torch
    generator = torch.Generator().manual_seed(seed)
    cases = [example]
    for i in range(1, count):
        case = []
        for t in example:
            shape = list(t.shape)
            if vary_batch and shape and i % 2 == 1 and i >= 3:
                shape[0] = shape[0] + 1
            if t.dtype.is_floating_point:
                if i == 1:
                    v = torch.zeros(shape, dtype=t.dtype)
                elif i == 2:
                    v = torch.ones(shape, dtype=t.dtype)
                else:
                    scale = float(t.abs().max()) if t.numel() else 1.0
                    v = (torch.randn(shape, generator=generator) * max(scale, 1.0)).to(t.dtype)
            elif t.dtype == torch.bool:
                v = torch.rand(shape, generator=generator) > 0.5
            else:
                low, high = (int(t.min()), int(t.max())) if t.numel() else (0, 1)
                v = torch.randint(low, high + 1, shape, generator=generator, dtype=t.dtype)
            case.append(v)
        cases.append(tuple(case))
    return cases


DTYPES = {"float32": "float32", "float64": "float64", "float16": "float16", "int64": "int64", "int32": "int32", "int8": "int8", "uint8": "uint8", "bool": "bool"}


def save(tensor, path):
    array = tensor.detach().cpu().contiguous().numpy()
    dtype = str(array.dtype)
    if dtype not in DTYPES:
        array = array.astype("float32")
        dtype = "float32"
    with open(path, "wb") as f:
        f.write(array.astype(array.dtype.newbyteorder("<")).tobytes())
    return {"file": os.path.basename(path), "dtype": DTYPES[dtype], "shape": list(array.shape)}


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    out = spec["out"]
    os.makedirs(out, exist_ok=True)
    timings = {}
    try:
        import torch
    except Exception as error:  # ImportError, or a broken install
        write_result(out, {"status": "missing", "what": "torch", "message": "this Python cannot import torch (%s); install PyTorch or choose another interpreter" % last_line(error)})
        return
    source = spec["source"]
    progress("loading the source model")
    try:
        torch.manual_seed(spec.get("seed", 0))
        if source["kind"] == "module":
            model, example = load_module_source(source)
        else:
            library = source.get("library") or "auto"
            if library == "auto":
                library = detect_library(source)
            package, install = LIBRARY_PACKAGES[library]
            try:
                __import__(package)
            except Exception as error:
                write_result(out, {"status": "missing", "what": install, "message": "this Python cannot import %s (%s); install it (pip install %s) or choose another interpreter" % (package, last_line(error), install)})
                return
            progress("loading %s with %s" % (source["id"], library))
            model, example = LIBRARY_LOADERS[library](source)
    except Exception as error:
        text = last_line(error)
        offline = os.environ.get("HF_HUB_OFFLINE") in ("1", "true", "True") or "offline" in text.lower() or "couldn't connect" in text.lower()
        status = "not-cached" if source["kind"] == "model" and offline else "factory-error"
        write_result(out, {"status": status, "message": text, "traceback": traceback.format_exc()[-4000:]})
        return
    if not isinstance(model, torch.nn.Module):
        write_result(out, {"status": "factory-error", "message": "the factory returned %s, not a torch.nn.Module" % type(model).__name__})
        return
    model.eval()
    example = as_tuple(example)
    onnx_path = spec.get("onnx")
    input_names = ["input_%d" % i for i in range(len(example))]
    if not onnx_path:
        onnx_path = os.path.join(out, "model.onnx")
        progress("exporting with torch.onnx.export (opset %d)" % spec["opset"])
        started = time.perf_counter()
        try:
            with torch.no_grad():
                reference = flatten_outputs(model(*example))
            output_names = ["output_%d" % i for i in range(len(reference))]
            dynamic = {name: {0: "batch"} for name in input_names + output_names}
            with torch.no_grad():
                torch.onnx.export(model, example, onnx_path, opset_version=spec["opset"], input_names=input_names,
                                  output_names=output_names, dynamic_axes=dynamic, do_constant_folding=True)
        except Exception as error:
            write_result(out, {"status": "export-crash", "message": last_line(error), "traceback": traceback.format_exc()[-4000:],
                               "timings": {"exportMs": (time.perf_counter() - started) * 1000}})
            return
        timings["exportMs"] = (time.perf_counter() - started) * 1000
    progress("running the source model on %d inputs" % spec["inputs"])
    started = time.perf_counter()
    cases = []
    skipped = []
    for index, case in enumerate(make_inputs(example, spec["inputs"], spec.get("seed", 0), spec.get("varyBatch", True))):
        try:
            with torch.no_grad():
                outputs = flatten_outputs(model(*case))
        except Exception as error:
            if index == 0:
                write_result(out, {"status": "reference-error", "message": "the source model fails on its own example input: " + last_line(error)})
                return
            skipped.append("input %d skipped: the source model raised %s" % (index, last_line(error)))
            continue
        cases.append({
            "inputs": [save(t, os.path.join(out, "case%d_in%d.bin" % (index, i))) for i, t in enumerate(case)],
            "outputs": [save(t, os.path.join(out, "case%d_out%d.bin" % (index, i))) for i, t in enumerate(outputs)],
        })
    timings["referenceMs"] = (time.perf_counter() - started) * 1000
    write_result(out, {"status": "ok", "onnx": os.path.abspath(onnx_path), "opset": spec["opset"], "cases": cases, "notes": skipped,
                       "timings": timings, "torch": torch.__version__})


if __name__ == "__main__":
    try:
        main()
    except Exception:  # never die without a result: PTM Lens reports this as could-not-run
        traceback.print_exc()
        sys.exit(3)
