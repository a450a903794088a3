/** S4's external detector file: `frames` uint16 frames in one dataset, written with h5wasm. */
import h5wasm from 'h5wasm/node';

export async function writeFrames(
  file: string,
  dataset: string,
  frames: number,
  frame: readonly [number, number],
): Promise<void> {
  await h5wasm.ready;
  const [h, w] = frame;
  const data = new Uint16Array(frames * h * w);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 20;
  const f = new h5wasm.File(file, 'w');
  try {
    const parts = dataset.split('/').filter((p) => p !== '');
    let at = '';
    for (const part of parts.slice(0, -1)) {
      at += '/' + part;
      f.create_group(at);
    }
    f.create_dataset({
      name: dataset,
      data,
      shape: [frames, h, w],
      dtype: '<H',
      chunks: [Math.min(frames, 256), h, w],
    });
  } finally {
    f.close();
  }
}
