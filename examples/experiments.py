"""Notebook-style experiments exported to a script."""
import torch
from diffusers import StableDiffusionPipeline
from huggingface_hub import hf_hub_download
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

# A typo in the id: the Hub has no such model.
classifier = AutoModelForCausalLM.from_pretrained("bert-base-uncasd")

# Gated: works where you are logged in, fails in CI.
LLAMA = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(LLAMA, revision="4017a6d59ba9dcda99d858a14298a051f6f92bce")
llama = AutoModelForCausalLM.from_pretrained(LLAMA, revision="4017a6d59ba9dcda99d858a14298a051f6f92bce", torch_dtype=torch.float16)

sd = StableDiffusionPipeline.from_pretrained("stabilityai/stable-diffusion-2-1", revision="5d428e115d5c00a40449b7833f58f31c481fd229")
checkpoint = hf_hub_download("stabilityai/stable-diffusion-2-1", "v2-1_768-ema-pruned.ckpt", revision="5d428e115d5c00a40449b7833f58f31c481fd229")

transcriber = pipeline("automatic-speech-recognition", model="https://huggingface.co/openai/whisper-tiny")
