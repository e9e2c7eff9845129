// Entry of a resampling worker thread: registers tsx's loader in this thread, then runs the TypeScript worker
// (./resample-worker.ts). Plain JavaScript so that Node starts it without a loader, under tsx or inside Next.
import { register } from "tsx/esm/api";

register();
await import("./resample-worker.ts");
