// The interpreter that sees Debian's python3-torch and python3-onnx (installed by
// scripts/onnx-setup.sh); the python3 first on PATH may be another one.
export const SYSTEM_PYTHON = process.env.PTM_LENS_TEST_PYTHON ?? '/usr/bin/python3';
