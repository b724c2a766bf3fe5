"""Counts objects in camera frames with a detector from the Hub."""
from huggingface_hub import hf_hub_download

# The project is MIT-licensed (see LICENSE); this detector is AGPL-3.0.
weights = hf_hub_download(repo_id="Ultralytics/YOLOv8", filename="yolov8n.pt")
