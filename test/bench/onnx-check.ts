// The conversion check's own cost: what `check-onnx` adds on top of the exporter, the
// reference run and onnxruntime (load and runs), with Python and torch start-up excluded
// and reported apart. Runs the real CLI on a small conv/resize/softmax module.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODULE = `
import torch

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        h = torch.relu(self.conv(x))
        h = torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")
        h = torch.nn.functional.max_pool2d(h, 4)
        return torch.softmax(self.fc(h.flatten(1)), dim=-1)

def net():
    torch.manual_seed(0)
    return Net(), torch.randn(2, 3, 16, 16)
`;

export interface OnnxCheckFigures {
  runs: number;
  /** Medians, milliseconds. */
  pythonStartupMs: number;
  exportMs: number;
  referenceMs: number;
  ortLoadMs: number;
  ortRunMs: number;
  /** Node-side time that is neither loading nor running onnxruntime: reading arrays, comparing, writing the report. */
  checkOverheadMs: number;
  /** checkOverheadMs / (export + reference + ort load + ort runs). Target: at most 0.10. */
  overheadRatio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function measureOnnxCheck(cli: string, dir: string, python = '/usr/bin/python3', runs = 3): OnnxCheckFigures | { skipped: string } {
  if (!existsSync(python)) return { skipped: `no ${python}` };
  writeFileSync(join(dir, 'bench_models.py'), MODULE);
  const rows: Required<Record<'pythonStartupMs' | 'exportMs' | 'referenceMs' | 'ortLoadMs' | 'ortMs' | 'pythonWallMs' | 'totalMs', number>>[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, [cli, 'check-onnx', '--module', 'bench_models.py:net', '--python', python, '--inputs', '8', '--out', join(dir, `onnx-${i}`), '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) return { skipped: `check-onnx exited ${result.status}: ${(result.stderr || result.stdout).split('\n')[0]}` };
    rows.push(JSON.parse(result.stdout).timings);
  }
  const pick = (key: keyof (typeof rows)[number]) => median(rows.map((row) => row[key]));
  const overheads = rows.map((row) => row.totalMs - row.pythonWallMs - row.ortLoadMs - row.ortMs);
  const base = rows.map((row) => row.exportMs + row.referenceMs + row.ortLoadMs + row.ortMs);
  return {
    runs,
    pythonStartupMs: pick('pythonStartupMs'),
    exportMs: pick('exportMs'),
    referenceMs: pick('referenceMs'),
    ortLoadMs: pick('ortLoadMs'),
    ortRunMs: pick('ortMs'),
    checkOverheadMs: median(overheads),
    overheadRatio: median(overheads.map((overhead, i) => overhead / base[i])),
  };
}
